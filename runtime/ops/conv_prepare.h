// Prepare-time helpers shared by CONV_2D, DEPTHWISE_CONV_2D and
// FULLY_CONNECTED: activation quantization checks and the per-channel
// requantization multipliers.
#pragma once

#include <float.h>
#include <stdint.h>

#include "kernels/activation.h"
#include "kernels/conv_params.h"
#include "kernels/fixedpoint.h"
#include "mote/op.h"

namespace mote {
namespace ops {
namespace conv_prepare {

// Largest requantization shift each fixed-point multiply can apply: the
// 32-bit one shifts an int32 left by up to 31 bits, the 64-bit one needs
// 15 - shift >= 1.
constexpr int kMaxShift32 = 31;
constexpr int kMaxShift64 = 14;

inline Dims4 to_dims4(const Shape& s) {
  Dims4 d;
  d.n = s.dims[0];
  d.h = s.dims[1];
  d.w = s.dims[2];
  d.c = s.dims[3];
  return d;
}

inline bool valid_scale(float scale) { return scale > 0.0f && scale <= FLT_MAX; }

// Which kernel variant runs, by activation / weight / bias types.
enum class KernelType : int32_t {
  kFloat32 = 0,      // float activations, float weights, float bias
  kInt8 = 1,         // int8 activations, int8 weights, int32 bias
  kInt16 = 2,        // int16 activations, int8 weights, int64 bias (64-bit accumulator)
  kInt16Bias32 = 3,  // int16 activations, int8 weights, int32 bias or none (32-bit accumulator)
};

// Checks the type combination (as TFLM accepts it) and picks the kernel.
// `bias` is nullptr when the optional bias is omitted.
inline Status select_kernel(const OpContext& ctx, const TensorView& input, const TensorView& filter,
                            const TensorView* bias, const TensorView& output, KernelType* kernel) {
  if (input.type != output.type)
    return ctx.fail("input is %s but output is %s; they must have the same type", dtype_name(input.type),
                    dtype_name(output.type));
  DType bias_type = DType::kFloat32;
  if (input.type == DType::kFloat32 && filter.type == DType::kFloat32) {
    *kernel = KernelType::kFloat32;
    bias_type = DType::kFloat32;
  } else if (input.type == DType::kFloat32 &&
             (filter.type == DType::kInt8 || filter.type == DType::kUInt8 || filter.type == DType::kInt4)) {
    return ctx.fail(
        "float32 input with %s weights is a hybrid model, which mote (like TFLM) does not support; "
        "quantize the whole model to int8 or keep float32 weights",
        dtype_name(filter.type));
  } else if (input.type == DType::kInt8 && filter.type == DType::kInt8) {
    *kernel = KernelType::kInt8;
    bias_type = DType::kInt32;
  } else if (input.type == DType::kInt16 && filter.type == DType::kInt8) {
    const bool bias64 = bias != nullptr && bias->type == DType::kInt64;
    *kernel = bias64 ? KernelType::kInt16 : KernelType::kInt16Bias32;
    bias_type = bias64 ? DType::kInt64 : DType::kInt32;
  } else if (filter.type == DType::kInt4) {
    return ctx.fail("int4 weights are not supported; store the weights as int8");
  } else {
    return ctx.fail(
        "unsupported types: %s input with %s weights (supported: float32/float32, int8/int8, "
        "int16/int8)",
        dtype_name(input.type), dtype_name(filter.type));
  }
  if (bias != nullptr && bias->type != bias_type)
    return ctx.fail("bias is %s; %s input with %s weights needs a %s bias", dtype_name(bias->type),
                    dtype_name(input.type), dtype_name(filter.type), dtype_name(bias_type));
  return Status::kOk;
}

// An int8 / int16 activation tensor must be quantized per-tensor with a
// positive scale; int16 activations must be symmetric (zero point 0), which
// TFLite's 16x8 kernels assume.
inline Status check_activation_quant(const OpContext& ctx, const char* what, const QuantView& q, DType type) {
  if (q.count != 1) {
    if (q.count == 0) return ctx.fail("%s tensor (%s) is not quantized", what, dtype_name(type));
    return ctx.fail("%s tensor has %d scales; activations must be quantized per-tensor", what, int(q.count));
  }
  if (!valid_scale(q.scale())) return ctx.fail("%s scale %g is not a positive number", what, double(q.scale()));
  if (type == DType::kInt16 && q.zero_point() != 0)
    return ctx.fail("int16 %s has zero point %d; int16 activations must have zero point 0", what, int(q.zero_point()));
  if (type == DType::kInt8 && (q.zero_point() < -128 || q.zero_point() > 127))
    return ctx.fail("int8 %s zero point %d is out of range", what, int(q.zero_point()));
  return Status::kOk;
}

// Fills multipliers[c] / shifts[c] for c in [0, channels) so that
// multiplier * 2^shift ~= input_scale * filter_scale[c] / output_scale,
// computed in double as TFLite does. Per-tensor filter quantization repeats
// one scale; per-channel quantization must run along `channel_axis`.
inline Status compute_channel_multipliers(const OpContext& ctx, const QuantView& input_q, const QuantView& filter_q,
                                          const QuantView& output_q, int32_t channels, int32_t channel_axis,
                                          int max_shift, int32_t* multipliers, int32_t* shifts) {
  if (filter_q.count == 0) return ctx.fail("the weights are not quantized");
  if (filter_q.count != 1) {
    if (filter_q.axis != channel_axis)
      return ctx.fail("weights are quantized along dimension %d; this op needs dimension %d", int(filter_q.axis),
                      int(channel_axis));
    if (filter_q.count != channels)
      return ctx.fail("weights have %d per-channel scales for %d output channels", int(filter_q.count), int(channels));
  }
  const double input_scale = double(input_q.scale());
  const double output_scale = double(output_q.scale());
  for (int32_t c = 0; c < channels; ++c) {
    const float filter_scale = filter_q.scale(filter_q.count == 1 ? 0 : c);
    if (!valid_scale(filter_scale))
      return ctx.fail("weight scale %g of channel %d is not a positive number", double(filter_scale), int(c));
    int32_t multiplier = 0;
    int shift = 0;
    fixedpoint::quantize_multiplier(input_scale * double(filter_scale) / output_scale, &multiplier, &shift);
    if (shift > max_shift)
      return ctx.fail("requantization scale of channel %d (input * weight / output scale = %g) is too large", int(c),
                      input_scale * double(filter_scale) / output_scale);
    multipliers[c] = multiplier;
    shifts[c] = shift;
  }
  return Status::kOk;
}

// Clamp range of the fused activation in the output's domain (quantized
// kernels) or in float.
inline void activation_range(KernelType kernel, schema::Activation activation, const QuantView& output_q, int32_t* min,
                             int32_t* max, float* float_min, float* float_max) {
  *min = 0;
  *max = 0;
  *float_min = 0.0f;
  *float_max = 0.0f;
  if (kernel == KernelType::kFloat32) {
    float_activation_range(activation, float_min, float_max);
  } else if (kernel == KernelType::kInt8) {
    int8_activation_range(activation, output_q.scale(), output_q.zero_point(), min, max);
  } else {
    int16_activation_range(activation, output_q.scale(), output_q.zero_point(), min, max);
  }
}

}  // namespace conv_prepare
}  // namespace ops
}  // namespace mote
