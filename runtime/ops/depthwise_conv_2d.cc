// DEPTHWISE_CONV_2D: input [N,H,W,C], filter [1,KH,KW,C*M], optional bias
// [C*M], output [N,OH,OW,C*M] with depth multiplier M. float32, int8
// (per-tensor or per-channel weights along dimension 3) and int16 activations
// with int8 weights.
#include "kernels/reference/depthwise_conv_2d.h"

#include "kernels/optimized/depthwise_conv_2d.h"
#include "kernels/optimized/selection.h"
#include "mote/ops.h"
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
  if (ctx.num_inputs() < 2 || ctx.num_inputs() > 3 || ctx.num_outputs() != 1)
    return ctx.fail("expects 2 or 3 inputs and 1 output, got %d and %d", ctx.num_inputs(), ctx.num_outputs());
  if (!ctx.has_input(0) || !ctx.has_input(1)) return ctx.fail("input and filter are required");
  const TensorView input = ctx.input(0);
  const TensorView filter = ctx.input(1);
  const TensorView output = ctx.output(0);
  const bool has_bias = ctx.num_inputs() == 3 && ctx.has_input(2);
  const TensorView bias = has_bias ? ctx.input(2) : TensorView();

  if (input.shape.rank != 4 || filter.shape.rank != 4 || output.shape.rank != 4)
    return ctx.fail("input, filter and output must be 4-D (NHWC / 1HWC), got ranks %d, %d, %d", int(input.shape.rank),
                    int(filter.shape.rank), int(output.shape.rank));
  KernelType kernel = KernelType::kFloat32;
  MOTE_RETURN_IF_ERROR(conv_prepare::select_kernel(ctx, input, filter, has_bias ? &bias : nullptr, output, &kernel));
  // TFLite's int16 depthwise kernel has only the 64-bit form (int64 bias or
  // none), unlike CONV_2D and FULLY_CONNECTED.
  if (kernel == KernelType::kInt16Bias32) {
    if (has_bias) return ctx.fail("int16 activations need an int64 bias, got int32");
    kernel = KernelType::kInt16;
  }

  const Dims4 in = conv_prepare::to_dims4(input.shape);
  const Dims4 fd = conv_prepare::to_dims4(filter.shape);
  const Dims4 out = conv_prepare::to_dims4(output.shape);
  if (fd.n != 1) return ctx.fail("filter must have shape [1, H, W, C], got first dimension %d", int(fd.n));
  if (fd.c != out.c) return ctx.fail("filter has %d output channels but the output has %d", int(fd.c), int(out.c));
  if (in.c <= 0 || out.c % in.c != 0)
    return ctx.fail("output channels (%d) must be a multiple of input channels (%d)", int(out.c), int(in.c));
  if (in.n != out.n) return ctx.fail("input batch %d differs from output batch %d", int(in.n), int(out.n));
  if (has_bias && bias.num_elements() != out.c)
    return ctx.fail("bias has %lld elements for %d output channels", (long long)bias.num_elements(), int(out.c));

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
  if (params.stride_w <= 0 || params.stride_h <= 0 || params.dilation_w <= 0 || params.dilation_h <= 0)
    return ctx.fail("strides (%d, %d) and dilations (%d, %d) must be positive", int(params.stride_h),
                    int(params.stride_w), int(params.dilation_h), int(params.dilation_w));
  if (fd.h <= 0 || fd.w <= 0) return ctx.fail("filter has an empty dimension");
  if (params.stride_h > kMaxWindowExtent || params.stride_w > kMaxWindowExtent ||
      int64_t(fd.h - 1) * params.dilation_h + 1 > kMaxWindowExtent ||
      int64_t(fd.w - 1) * params.dilation_w + 1 > kMaxWindowExtent)
    return ctx.fail("stride or dilated filter size is too large");
  if (padding != schema::Padding::kSame && padding != schema::Padding::kValid)
    return ctx.fail("unknown padding %d", int(padding));
  if (!is_clamp_activation(activation))
    return ctx.fail("fused activation %d is not supported (only NONE, RELU, RELU_N1_TO_1, RELU6)", int(activation));

  const int32_t expected_h = conv_output_size(padding, in.h, fd.h, params.stride_h, params.dilation_h);
  const int32_t expected_w = conv_output_size(padding, in.w, fd.w, params.stride_w, params.dilation_w);
  if (out.h != expected_h || out.w != expected_w)
    return ctx.fail("output is %dx%d but a %dx%d input with a %dx%d filter gives %dx%d", int(out.h), int(out.w),
                    int(in.h), int(in.w), int(fd.h), int(fd.w), int(expected_h), int(expected_w));
  params.pad_h = conv_padding_before(in.h, fd.h, params.stride_h, params.dilation_h, out.h);
  params.pad_w = conv_padding_before(in.w, fd.w, params.stride_w, params.dilation_w, out.w);

  auto* data = ctx.allocate_op_data<DepthwiseConv2DOpData>();
  if (data == nullptr) return Status::kError;

  if (kernel != KernelType::kFloat32) {
    const QuantView input_q = ctx.input_quant(0);
    const QuantView output_q = ctx.output_quant(0);
    MOTE_RETURN_IF_ERROR(conv_prepare::check_activation_quant(ctx, "input", input_q, input.type));
    MOTE_RETURN_IF_ERROR(conv_prepare::check_activation_quant(ctx, "output", output_q, output.type));
    int32_t* multipliers = ctx.allocate_array<int32_t>(size_t(out.c), &data->output_multiplier);
    int32_t* shifts = ctx.allocate_array<int32_t>(size_t(out.c), &data->output_shift);
    if (multipliers == nullptr || shifts == nullptr) return Status::kError;
    const int max_shift = kernel == KernelType::kInt16 ? conv_prepare::kMaxShift64 : conv_prepare::kMaxShift32;
    MOTE_RETURN_IF_ERROR(conv_prepare::compute_channel_multipliers(ctx, input_q, ctx.input_quant(1), output_q, out.c,
                                                                   /*channel_axis=*/3, max_shift, multipliers, shifts));
    params.input_offset = kernel == KernelType::kInt8 ? -input_q.zero_point() : 0;
    params.output_offset = kernel == KernelType::kInt8 ? output_q.zero_point() : 0;
  }
  conv_prepare::activation_range(kernel, activation, ctx.output_quant(0), &params.activation_min,
                                 &params.activation_max, &params.float_activation_min, &params.float_activation_max);

  data->params = params;
  data->variant = select_variant(kernel, params, fd);
  // Multiplier 1: every kernel may stream over its input (window_op_max_lead()).
  return ctx.allow_window_overlap(params.stride_h, params.stride_w, params.pad_h, params.pad_w);
}

Status eval(OpContext& ctx) {
  const auto& data = *ctx.op_data<DepthwiseConv2DOpData>();
  const TensorView input = ctx.input(0);
  const TensorView filter = ctx.input(1);
  const TensorView output = ctx.output(0);
  const void* bias = ctx.num_inputs() == 3 && ctx.has_input(2) ? ctx.input(2).data : nullptr;
  const Dims4 input_dims = conv_prepare::to_dims4(input.shape);
  const Dims4 filter_dims = conv_prepare::to_dims4(filter.shape);
  const Dims4 output_dims = conv_prepare::to_dims4(output.shape);
  const int32_t* multipliers = ctx.get(data.output_multiplier);
  const int32_t* shifts = ctx.get(data.output_shift);
  const auto* float_bias = static_cast<const float*>(bias);
  const auto* int32_bias = static_cast<const int32_t*>(bias);
  switch (data.variant) {
    case Variant::kFloatReference:
      reference::depthwise_conv_2d_float(data.params, input_dims, input.as<float>(), filter_dims, filter.as<float>(),
                                         float_bias, output_dims, output.as<float>());
      break;
    case Variant::kFloatOptimized:
      optimized::depthwise_conv_2d_float(data.params, input_dims, input.as<float>(), filter_dims, filter.as<float>(),
                                         float_bias, output_dims, output.as<float>());
      break;
    case Variant::kInt8Reference:
      reference::depthwise_conv_2d_int8(data.params, multipliers, shifts, input_dims, input.as<int8_t>(), filter_dims,
                                        filter.as<int8_t>(), int32_bias, output_dims, output.as<int8_t>());
      break;
    case Variant::kInt8Optimized:
      optimized::depthwise_conv_2d_int8(data.params, multipliers, shifts, input_dims, input.as<int8_t>(), filter_dims,
                                        filter.as<int8_t>(), int32_bias, output_dims, output.as<int8_t>());
      break;
    case Variant::kInt8Optimized3x3:
      optimized::depthwise_conv_2d_int8_3x3(data.params, multipliers, shifts, input_dims, input.as<int8_t>(),
                                            filter_dims, filter.as<int8_t>(), int32_bias, output_dims,
                                            output.as<int8_t>());
      break;
    case Variant::kInt16Reference:
      reference::depthwise_conv_2d_int16(data.params, multipliers, shifts, input_dims, input.as<int16_t>(), filter_dims,
                                         filter.as<int8_t>(), static_cast<const int64_t*>(bias), output_dims,
                                         output.as<int16_t>());
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
