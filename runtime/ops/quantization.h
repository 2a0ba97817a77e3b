// Prepare-time quantization checks and fused-activation clamp ranges, for
// every op: one definition of a usable scale and of a per-tensor quantized
// tensor, and TFLite's CalculateActivationRange for each output type.
#pragma once

#include <float.h>
#include <math.h>
#include <stdint.h>

#include <limits>

#include "mote/op.h"
#include "mote/schema.h"
#include "mote/tensor.h"

namespace mote {
namespace ops {

// A scale the fixed-point parameters can be derived from: positive and
// finite. Zero, negatives, NaN and infinity fail (the comparisons are false
// for NaN).
inline bool valid_scale(float scale) { return scale > 0.0f && scale <= FLT_MAX; }

struct TensorQuant {
  float scale = 0.0f;
  int32_t zero_point = 0;
};

// The per-tensor scale and zero point of `q` (`what` names the tensor in
// messages); fails unless it is quantized with exactly one valid_scale().
inline Status per_tensor_quant(const OpContext& ctx, const QuantView& q, const char* what, TensorQuant* out) {
  if (!q.quantized()) return ctx.fail("%s is not quantized", what);
  if (q.count != 1) return ctx.fail("%s has %d scales; it must be quantized per tensor", what, int(q.count));
  const float scale = q.scale(0);
  if (!valid_scale(scale)) return ctx.fail("%s scale %g is not a positive finite number", what, double(scale));
  out->scale = scale;
  out->zero_point = q.zero_point(0);
  return Status::kOk;
}

// per_tensor_quant() of an int8 / int16 activation, plus its zero point: in
// range for int8, 0 for int16 (TFLite's 16x8 kernels assume symmetric int16).
inline Status activation_quant(const OpContext& ctx, const QuantView& q, const char* what, DType type,
                               TensorQuant* out) {
  MOTE_RETURN_IF_ERROR(per_tensor_quant(ctx, q, what, out));
  if (type == DType::kInt16 && out->zero_point != 0)
    return ctx.fail("int16 %s has zero point %d; int16 activations must have zero point 0", what,
                    int(out->zero_point));
  if (type == DType::kInt8 && (out->zero_point < -128 || out->zero_point > 127))
    return ctx.fail("int8 %s zero point %d is out of range", what, int(out->zero_point));
  return Status::kOk;
}

// fixedpoint::multiply_by_quantized_multiplier() shifts left by at most 31;
// scales 2^31 or more apart would need more (a shift past 31 is undefined).
inline Status check_left_shift(const OpContext& ctx, int32_t shift, const char* what) {
  if (shift > 31)
    return ctx.fail("%s needs a left shift of %d (at most 31): the scales are too far apart", what, int(shift));
  return Status::kOk;
}

// True for the fused activations a kernel implements by clamping: NONE, RELU,
// RELU_N1_TO_1 and RELU6. Ops reject the others (TANH, SIGN_BIT) in prepare.
inline bool is_clamp_activation(schema::Activation activation) {
  return activation == schema::Activation::kNone || activation == schema::Activation::kRelu ||
         activation == schema::Activation::kReluN1To1 || activation == schema::Activation::kRelu6;
}

// The kernels clamp, so only NONE and the RELU variants can be fused.
inline Status check_fused_activation(const OpContext& ctx, schema::Activation activation) {
  if (!is_clamp_activation(activation))
    return ctx.fail("fused activation %d is not supported (only NONE, RELU, RELU_N1_TO_1, RELU6)", int(activation));
  return Status::kOk;
}

// The fused_activation_function option (field id `field`) of the node; NONE
// when the node has no options. Fails for TANH / SIGN_BIT.
inline Status read_fused_activation(const OpContext& ctx, int field, schema::Activation* activation) {
  *activation = schema::Activation(ctx.options().scalar<int8_t>(field, 0));
  return check_fused_activation(ctx, *activation);
}

// The clamp range of a fused activation in float: lowest / max where it does
// not clamp.
inline void float_activation_range(schema::Activation activation, float* min, float* max) {
  *min = std::numeric_limits<float>::lowest();
  *max = std::numeric_limits<float>::max();
  switch (activation) {
    case schema::Activation::kRelu:
      *min = 0.0f;
      break;
    case schema::Activation::kRelu6:
      *min = 0.0f;
      *max = 6.0f;
      break;
    case schema::Activation::kReluN1To1:
      *min = -1.0f;
      *max = 1.0f;
      break;
    default:
      break;
  }
}

// [*min, *max] in the quantized domain of an output with `scale` and
// `zero_point`, intersected with [qmin, qmax]. The finite bounds of
// float_activation_range() (0, 6, +-1) are quantized as
// zero_point + round(bound / scale), with float division and rounding half
// away from zero. A tiny scale puts bound / scale beyond int32: the steps
// saturate while still float (lower <= 0 <= upper keeps the sums in int32).
inline void quantized_activation_range(schema::Activation activation, float scale, int32_t zero_point, int32_t qmin,
                                       int32_t qmax, int32_t* min, int32_t* max) {
  auto quantize = [scale, zero_point](float bound) {
    const float kLimit = 2147483648.0f;
    float steps = roundf(bound / scale);
    if (!(steps > -kLimit)) steps = -kLimit;
    if (steps > kLimit) steps = kLimit;
    return int64_t(zero_point) + int64_t(steps);
  };
  float lower = 0.0f, upper = 0.0f;
  float_activation_range(activation, &lower, &upper);
  *min = qmin;
  *max = qmax;
  if (lower != std::numeric_limits<float>::lowest() && quantize(lower) > qmin) *min = int32_t(quantize(lower));
  if (upper != std::numeric_limits<float>::max() && quantize(upper) < qmax) *max = int32_t(quantize(upper));
}

inline void int8_activation_range(schema::Activation activation, float scale, int32_t zero_point, int32_t* min,
                                  int32_t* max) {
  quantized_activation_range(activation, scale, zero_point, -128, 127, min, max);
}

inline void int16_activation_range(schema::Activation activation, float scale, int32_t zero_point, int32_t* min,
                                   int32_t* max) {
  quantized_activation_range(activation, scale, zero_point, -32768, 32767, min, max);
}

// The clamp range of a fused activation on a quantized int8 / int16 output.
inline void quantized_activation_range_for(schema::Activation activation, DType type, const TensorQuant& q,
                                           int32_t* min, int32_t* max) {
  if (type == DType::kInt16) {
    int16_activation_range(activation, q.scale, q.zero_point, min, max);
  } else {
    int8_activation_range(activation, q.scale, q.zero_point, min, max);
  }
}

// TFLite's integer CalculateActivationRange (unquantized int32 tensors): the
// bounds of float_activation_range() as integers.
inline void int32_activation_range(schema::Activation activation, int32_t* min, int32_t* max) {
  float lower = 0.0f, upper = 0.0f;
  float_activation_range(activation, &lower, &upper);
  *min = lower == std::numeric_limits<float>::lowest() ? std::numeric_limits<int32_t>::min() : int32_t(lower);
  *max = upper == std::numeric_limits<float>::max() ? std::numeric_limits<int32_t>::max() : int32_t(upper);
}

}  // namespace ops
}  // namespace mote
