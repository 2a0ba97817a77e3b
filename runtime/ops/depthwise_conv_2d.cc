// DEPTHWISE_CONV_2D: input [N,H,W,C], filter [1,KH,KW,C*M], optional bias
// [C*M], output [N,OH,OW,C*M] with depth multiplier M. float32, int8
// (per-tensor or per-channel weights along dimension 3) and int16 activations
// with int8 weights.
#include "kernels/depthwise_conv_2d.h"

#include "mote/ops.h"
#include "ops/conv_op_data.h"
#include "ops/conv_prepare.h"

namespace mote {
namespace ops {
namespace {

struct DepthwiseConv2DOpData {
  ConvOpData<DepthwiseConv2DVariant> conv;
  int32_t depth_multiplier;
};
static_assert(sizeof(DepthwiseConv2DOpData) == 44, "op data is padded");

Status prepare(OpContext& ctx) {
  namespace opt = schema::depthwise_conv2d_options;
  conv_prepare::ConvTensors t;
  MOTE_RETURN_IF_ERROR(conv_prepare::read_tensors(ctx, "filter", &t));
  if (t.input.shape.rank != 4 || t.filter.shape.rank != 4 || t.output.shape.rank != 4)
    return ctx.fail("input, filter and output must be 4-D (NHWC / 1HWC), got ranks %d, %d, %d",
                    int(t.input.shape.rank), int(t.filter.shape.rank), int(t.output.shape.rank));
  ConvArithmetic arithmetic = ConvArithmetic::kFloat32;
  MOTE_RETURN_IF_ERROR(conv_prepare::check_types(ctx, t, &arithmetic));
  // TFLite's int16 depthwise kernel has only the 64-bit form (int64 bias or
  // none), unlike CONV_2D and FULLY_CONNECTED.
  if (arithmetic == ConvArithmetic::kInt16Bias32) {
    if (t.has_bias) return ctx.fail("int16 activations need an int64 bias, got int32");
    arithmetic = ConvArithmetic::kInt16;
  }

  const Dims4 in = conv_prepare::to_dims4(t.input.shape);
  const Dims4 fd = conv_prepare::to_dims4(t.filter.shape);
  const Dims4 out = conv_prepare::to_dims4(t.output.shape);
  if (fd.n != 1) return ctx.fail("filter must have shape [1, H, W, C], got first dimension %d", int(fd.n));
  if (fd.c != out.c) return ctx.fail("filter has %d output channels but the output has %d", int(fd.c), int(out.c));
  if (in.c <= 0 || out.c % in.c != 0)
    return ctx.fail("output channels (%d) must be a multiple of input channels (%d)", int(out.c), int(in.c));
  MOTE_RETURN_IF_ERROR(conv_prepare::check_batch_and_bias(ctx, t, in, out));

  if (ctx.options_type() != schema::OptionsType::kDepthwiseConv2D)
    return ctx.fail("DepthwiseConv2DOptions are missing");
  const fb::Table options = ctx.options();
  const auto padding = schema::Padding(options.scalar<int8_t>(opt::padding, 0));
  const auto activation = schema::Activation(options.scalar<int8_t>(opt::fused_activation_function, 0));
  ConvParams params;
  params.stride_w = options.scalar<int32_t>(opt::stride_w, 0);
  params.stride_h = options.scalar<int32_t>(opt::stride_h, 0);
  params.dilation_w = options.scalar<int32_t>(opt::dilation_w_factor, 1);
  params.dilation_h = options.scalar<int32_t>(opt::dilation_h_factor, 1);
  // The multiplier follows from the shapes; a non-zero option must agree.
  params.depth_multiplier = out.c / in.c;
  const int32_t option_multiplier = options.scalar<int32_t>(opt::depth_multiplier, 0);
  if (option_multiplier != 0 && option_multiplier != params.depth_multiplier)
    return ctx.fail("depth_multiplier option is %d but %d input and %d output channels give %d", int(option_multiplier),
                    int(in.c), int(out.c), int(params.depth_multiplier));
  MOTE_RETURN_IF_ERROR(conv_prepare::prepare_window(ctx, padding, activation, in, fd, out, &params));

  // Multiplier 1: every kernel may stream over its input channel by channel
  // (window_op_max_lead()). Other multipliers: the output may overwrite input
  // rows the kernel has consumed, with the streaming form of the kernel.
  const bool channel_separable = params.depth_multiplier == 1;
  const bool streaming = !channel_separable && !ctx.input_is_constant(0);
  const KernelChoice<DepthwiseConv2DVariant> choice =
      select_depthwise_conv_2d(arithmetic, params, fd, out, ctx.input_is_constant(1), streaming);
  ChannelConstants requant;
  MOTE_RETURN_IF_ERROR(conv_prepare::prepare_conv_quantization(
      ctx, arithmetic, t, activation, choice.requant_channels,
      depthwise_conv_2d_packs_filter_sums(choice.variant), /*channel_axis=*/3, &requant, &params));
  if (choice.requant_channels > 0 && !requant.from_model())
    prepare_depthwise_conv_2d(choice.variant, fd, t.filter.data, requant.fill_shifts);
  auto* data = ctx.allocate_op_data<DepthwiseConv2DOpData>();
  if (data == nullptr) return Status::kError;
  data->conv.store(params, choice.variant, arithmetic, requant.refs);
  data->depth_multiplier = params.depth_multiplier;
  if (channel_separable) {
    MOTE_RETURN_IF_ERROR(ctx.allow_window_overlap(params.stride_h, params.stride_w, params.pad_h, params.pad_w));
  } else {
    MOTE_RETURN_IF_ERROR(ctx.allow_streaming_window_overlap(params.stride_h, params.stride_w, params.pad_h, params.pad_w,
                                                            depthwise_conv_2d_stream_block_rows(choice.variant, out)));
  }
  MOTE_RETURN_IF_ERROR(ctx.allow_window_overlap_back(
      params.stride_h, params.stride_w, params.pad_h, params.pad_w, conv_prepare::dilated_extent(fd.h, params.dilation_h),
      conv_prepare::dilated_extent(fd.w, params.dilation_w), depthwise_conv_2d_back_block_rows(choice.variant, out)));
  return ctx.allow_row_strips(params.stride_h, conv_prepare::dilated_extent(fd.h, params.dilation_h), params.pad_h);
}

Status eval(OpContext& ctx) {
  const auto& data = *ctx.op_data<DepthwiseConv2DOpData>();
  run_depthwise_conv_2d(data.conv.variant, data.conv.params(ctx, data.depth_multiplier), data.conv.buffers(ctx));
  return Status::kOk;
}

}  // namespace

const OpRegistration& depthwise_conv_2d() {
  static const OpRegistration registration = {int32_t(schema::BuiltinOp::kDepthwiseConv2D), nullptr,
                                              "DEPTHWISE_CONV_2D", prepare, eval};
  return registration;
}

}  // namespace ops
}  // namespace mote
