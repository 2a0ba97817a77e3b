// CONV_2D: input [N,H,W,Cin], filter [Cout,KH,KW,Cin/groups], optional bias
// [Cout], output [N,OH,OW,Cout]. float32, int8 (per-tensor or per-channel
// weights along dimension 0) and int16 activations with int8 weights.
#include "kernels/conv_2d.h"

#include "mote/ops.h"
#include "ops/conv_op_data.h"
#include "ops/conv_prepare.h"

namespace mote {
namespace ops {
namespace {

using Conv2DOpData = ConvOpData<Conv2DVariant>;
static_assert(sizeof(Conv2DOpData) == 40, "op data is padded");

Status prepare(OpContext& ctx) {
  namespace opt = schema::conv2d_options;
  conv_prepare::ConvTensors t;
  MOTE_RETURN_IF_ERROR(conv_prepare::read_tensors(ctx, "filter", &t));
  if (t.input.shape.rank != 4 || t.filter.shape.rank != 4 || t.output.shape.rank != 4)
    return ctx.fail("input, filter and output must be 4-D (NHWC / OHWI), got ranks %d, %d, %d",
                    int(t.input.shape.rank), int(t.filter.shape.rank), int(t.output.shape.rank));
  ConvArithmetic arithmetic = ConvArithmetic::kFloat32;
  MOTE_RETURN_IF_ERROR(conv_prepare::check_types(ctx, t, &arithmetic));

  const Dims4 in = conv_prepare::to_dims4(t.input.shape);
  const Dims4 fd = conv_prepare::to_dims4(t.filter.shape);
  const Dims4 out = conv_prepare::to_dims4(t.output.shape);
  if (in.c <= 0 || fd.c <= 0 || in.c % fd.c != 0)
    return ctx.fail("input has %d channels, not a multiple of the filter's %d", int(in.c), int(fd.c));
  const int32_t groups = in.c / fd.c;
  if (fd.n != out.c) return ctx.fail("filter has %d output channels but the output has %d", int(fd.n), int(out.c));
  if (out.c % groups != 0)
    return ctx.fail("%d output channels cannot be split into %d groups", int(out.c), int(groups));
  MOTE_RETURN_IF_ERROR(conv_prepare::check_batch_and_bias(ctx, t, in, out));

  if (ctx.options_type() != schema::OptionsType::kConv2D) return ctx.fail("Conv2DOptions are missing");
  const fb::Table options = ctx.options();
  const auto padding = schema::Padding(options.scalar<int8_t>(opt::padding, 0));
  const auto activation = schema::Activation(options.scalar<int8_t>(opt::fused_activation_function, 0));
  ConvParams params;
  params.stride_w = options.scalar<int32_t>(opt::stride_w, 0);
  params.stride_h = options.scalar<int32_t>(opt::stride_h, 0);
  params.dilation_w = options.scalar<int32_t>(opt::dilation_w_factor, 1);
  params.dilation_h = options.scalar<int32_t>(opt::dilation_h_factor, 1);
  MOTE_RETURN_IF_ERROR(conv_prepare::prepare_window(ctx, padding, activation, in, fd, out, &params));

  // The output may overwrite input rows the kernel has consumed (when the
  // planner finds the input dies here): the streaming form of the kernel.
  const bool streaming = !ctx.input_is_constant(0);
  const KernelChoice<Conv2DVariant> choice =
      select_conv_2d(arithmetic, in, fd, out, ctx.input_is_constant(1), streaming);
  ChannelConstants requant;
  MOTE_RETURN_IF_ERROR(conv_prepare::prepare_conv_quantization(
      ctx, arithmetic, t, activation, choice.requant_channels,
      conv_2d_packs_filter_sums(choice.variant), /*channel_axis=*/0, &requant, &params));
  if (choice.requant_channels > 0 && !requant.from_model())
    prepare_conv_2d(choice.variant, fd, t.filter.data, requant.fill_shifts);
  auto* data = ctx.allocate_op_data<Conv2DOpData>();
  if (data == nullptr) return Status::kError;
  data->store(params, choice.variant, arithmetic, requant.refs);
  MOTE_RETURN_IF_ERROR(ctx.allow_streaming_window_overlap(params.stride_h, params.stride_w, params.pad_h, params.pad_w,
                                                          conv_2d_stream_block_rows(choice.variant, out)));
  MOTE_RETURN_IF_ERROR(ctx.allow_window_overlap_back(
      params.stride_h, params.stride_w, params.pad_h, params.pad_w, conv_prepare::dilated_extent(fd.h, params.dilation_h),
      conv_prepare::dilated_extent(fd.w, params.dilation_w), conv_2d_back_block_rows(choice.variant, out)));
  return ctx.allow_row_strips(params.stride_h, conv_prepare::dilated_extent(fd.h, params.dilation_h), params.pad_h);
}

Status eval(OpContext& ctx) {
  const auto& data = *ctx.op_data<Conv2DOpData>();
  run_conv_2d(data.variant, data.params(ctx), data.buffers(ctx));
  return Status::kOk;
}

}  // namespace

const OpRegistration& conv_2d() {
  static const OpRegistration registration = {int32_t(schema::BuiltinOp::kConv2D), nullptr, "CONV_2D", prepare, eval};
  return registration;
}

}  // namespace ops
}  // namespace mote
