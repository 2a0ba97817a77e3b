// DEPTHWISE_CONV_2D: input [N,H,W,C], filter [1,KH,KW,C*M], optional bias
// [C*M], output [N,OH,OW,C*M] with depth multiplier M. float32, int8
// (per-tensor or per-channel weights along dimension 3) and int16 activations
// with int8 weights.
#include "kernels/reference/depthwise_conv_2d.h"

#include "kernels/optimized/depthwise_conv_2d.h"
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
  kInt8Optimized3x3,
  kInt16Reference,
};

Variant select_variant(KernelType kernel, const ConvParams& params, const Dims4& filter_dims) {
  const bool optimized = optimized::kEnabled;
  switch (kernel) {
    case KernelType::kFloat32:
      return optimized ? Variant::kFloatOptimized : Variant::kFloatReference;
    case KernelType::kInt8:
      if (!optimized) return Variant::kInt8Reference;
      return optimized::depthwise_conv_2d_3x3_applies(params, filter_dims) ? Variant::kInt8Optimized3x3
                                                                           : Variant::kInt8Optimized;
    default:
      return Variant::kInt16Reference;
  }
}

struct DepthwiseConv2DOpData {
  ConvParams params;
  Variant variant;
  ArenaRef<int32_t> output_multiplier;  // per output channel (quantized only)
  ArenaRef<int32_t> output_shift;
};

Status prepare(OpContext& ctx) {
  namespace opt = schema::depthwise_conv2d_options;
  conv_prepare::ConvTensors t;
  MOTE_RETURN_IF_ERROR(conv_prepare::read_tensors(ctx, "filter", &t));
  if (t.input.shape.rank != 4 || t.filter.shape.rank != 4 || t.output.shape.rank != 4)
    return ctx.fail("input, filter and output must be 4-D (NHWC / 1HWC), got ranks %d, %d, %d",
                    int(t.input.shape.rank), int(t.filter.shape.rank), int(t.output.shape.rank));
  KernelType kernel = KernelType::kFloat32;
  MOTE_RETURN_IF_ERROR(conv_prepare::select_kernel(ctx, t, &kernel));
  // TFLite's int16 depthwise kernel has only the 64-bit form (int64 bias or
  // none), unlike CONV_2D and FULLY_CONNECTED.
  if (kernel == KernelType::kInt16Bias32) {
    if (t.has_bias) return ctx.fail("int16 activations need an int64 bias, got int32");
    kernel = KernelType::kInt16;
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

  auto* data = ctx.allocate_op_data<DepthwiseConv2DOpData>();
  if (data == nullptr) return Status::kError;
  MOTE_RETURN_IF_ERROR(conv_prepare::prepare_conv_quantization(ctx, kernel, t, activation, out.c, /*channel_axis=*/3,
                                                               &data->output_multiplier, &data->output_shift,
                                                               &params));
  data->params = params;
  data->variant = select_variant(kernel, params, fd);
  // Multiplier 1: every kernel may stream over its input (window_op_max_lead()).
  return ctx.allow_window_overlap(params.stride_h, params.stride_w, params.pad_h, params.pad_w);
}

Status eval(OpContext& ctx) {
  const auto& data = *ctx.op_data<DepthwiseConv2DOpData>();
  const conv_eval::ConvArgs args(ctx, data.params, data.output_multiplier, data.output_shift);
  switch (data.variant) {
    case Variant::kFloatReference:
      conv_eval::run_float(reference::depthwise_conv_2d_float, args);
      break;
    case Variant::kFloatOptimized:
      conv_eval::run_float(
          optimized::unless_reference_only(optimized::depthwise_conv_2d_float, reference::depthwise_conv_2d_float),
          args);
      break;
    case Variant::kInt8Reference:
      conv_eval::run_quantized(reference::depthwise_conv_2d_int8, args);
      break;
    case Variant::kInt8Optimized:
      conv_eval::run_quantized(
          optimized::unless_reference_only(optimized::depthwise_conv_2d_int8, reference::depthwise_conv_2d_int8),
          args);
      break;
    case Variant::kInt8Optimized3x3:
      conv_eval::run_quantized(
          optimized::unless_reference_only(optimized::depthwise_conv_2d_int8_3x3, reference::depthwise_conv_2d_int8),
          args);
      break;
    case Variant::kInt16Reference:
      conv_eval::run_quantized(reference::depthwise_conv_2d_int16, args);
      break;
  }
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
