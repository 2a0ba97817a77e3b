// CONV_2D: input [N,H,W,Cin], filter [Cout,KH,KW,Cin/groups], optional bias
// [Cout], output [N,OH,OW,Cout]. float32, int8 (per-tensor or per-channel
// weights along dimension 0) and int16 activations with int8 weights.
#include "kernels/reference/conv_2d.h"

#include "kernels/optimized/conv_2d.h"
#include "kernels/optimized/selection.h"
#include "mote/ops.h"
#include "ops/conv_eval.h"
#include "ops/conv_prepare.h"

namespace mote {
namespace ops {
namespace {

using conv_prepare::KernelType;

// The kernel eval runs, chosen in prepare.
enum class Variant : int32_t {
  kFloatReference,
  kFloatOptimized,
  kInt8Reference,
  kInt8Optimized,
  kInt16Reference,        // int64 bias
  kInt16Bias32Reference,  // int32 bias or none
};

Variant select_variant(KernelType kernel, const Dims4& input_dims, const Dims4& filter_dims) {
  const bool optimized = optimized::kEnabled;
  switch (kernel) {
    case KernelType::kFloat32:
      return optimized && optimized::conv_2d_float_applies(input_dims, filter_dims) ? Variant::kFloatOptimized
                                                                                    : Variant::kFloatReference;
    case KernelType::kInt8:
      return optimized && optimized::conv_2d_int8_applies(input_dims, filter_dims) ? Variant::kInt8Optimized
                                                                                   : Variant::kInt8Reference;
    case KernelType::kInt16:
      return Variant::kInt16Reference;
    case KernelType::kInt16Bias32:
      break;
  }
  return Variant::kInt16Bias32Reference;
}

struct Conv2DOpData {
  ConvParams params;
  Variant variant;
  ArenaRef<int32_t> output_multiplier;  // per output channel (quantized only)
  ArenaRef<int32_t> output_shift;
};

Status prepare(OpContext& ctx) {
  namespace opt = schema::conv2d_options;
  conv_prepare::ConvTensors t;
  MOTE_RETURN_IF_ERROR(conv_prepare::read_tensors(ctx, "filter", &t));
  if (t.input.shape.rank != 4 || t.filter.shape.rank != 4 || t.output.shape.rank != 4)
    return ctx.fail("input, filter and output must be 4-D (NHWC / OHWI), got ranks %d, %d, %d",
                    int(t.input.shape.rank), int(t.filter.shape.rank), int(t.output.shape.rank));
  KernelType kernel = KernelType::kFloat32;
  MOTE_RETURN_IF_ERROR(conv_prepare::select_kernel(ctx, t, &kernel));

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

  auto* data = ctx.allocate_op_data<Conv2DOpData>();
  if (data == nullptr) return Status::kError;
  MOTE_RETURN_IF_ERROR(conv_prepare::prepare_conv_quantization(ctx, kernel, t, activation, out.c, /*channel_axis=*/0,
                                                               &data->output_multiplier, &data->output_shift,
                                                               &params));
  data->params = params;
  data->variant = select_variant(kernel, in, fd);
  return Status::kOk;
}

Status eval(OpContext& ctx) {
  const auto& data = *ctx.op_data<Conv2DOpData>();
  const conv_eval::ConvArgs args(ctx, data.params, data.output_multiplier, data.output_shift);
  switch (data.variant) {
    case Variant::kFloatReference:
      conv_eval::run_float(reference::conv_2d_float, args);
      break;
    case Variant::kFloatOptimized:
      conv_eval::run_float(optimized::unless_reference_only(optimized::conv_2d_float, reference::conv_2d_float),
                           args);
      break;
    case Variant::kInt8Reference:
      conv_eval::run_quantized(reference::conv_2d_int8, args);
      break;
    case Variant::kInt8Optimized:
      conv_eval::run_quantized(optimized::unless_reference_only(optimized::conv_2d_int8, reference::conv_2d_int8),
                               args);
      break;
    case Variant::kInt16Reference:
      conv_eval::run_quantized(reference::conv_2d_int16, args);
      break;
    case Variant::kInt16Bias32Reference:
      conv_eval::run_quantized(reference::conv_2d_int16_bias32, args);
      break;
  }
  return Status::kOk;
}

}  // namespace

const OpRegistration& conv_2d() {
  static const OpRegistration registration = {int32_t(schema::BuiltinOp::kConv2D), nullptr, "CONV_2D", prepare, eval};
  return registration;
}

}  // namespace ops
}  // namespace mote
