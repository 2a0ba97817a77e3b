// Small helpers shared by the multiply-accumulate kernels (CONV_2D,
// DEPTHWISE_CONV_2D, FULLY_CONNECTED).
#pragma once

#include <stdint.h>

#include "kernels/fixedpoint.h"

namespace mote {
namespace reference {

// Two's-complement wrapping addition. TFLite's accumulators wrap in practice
// on overflow; doing it explicitly keeps a hostile model from undefined
// behaviour without changing any result.
inline int32_t wrapping_add(int32_t a, int32_t b) { return int32_t(uint32_t(a) + uint32_t(b)); }
inline int64_t wrapping_add(int64_t a, int64_t b) { return int64_t(uint64_t(a) + uint64_t(b)); }

// Requantization as TFLite picks it by accumulator type: the 32-bit
// double-rounding multiply for int32 accumulators, the 64-bit one for int64.
inline int32_t requantize(int32_t acc, int32_t multiplier, int32_t shift) {
  return fixedpoint::multiply_by_quantized_multiplier(acc, multiplier, shift);
}
inline int32_t requantize(int64_t acc, int32_t multiplier, int32_t shift) {
  return fixedpoint::multiply_by_quantized_multiplier_64(acc, multiplier, shift);
}

// min(max(x, lo), hi) with TFLite's argument order, so NaN passes through.
inline float clamp_float(float x, float lo, float hi) {
  const float above = x < lo ? lo : x;
  return hi < above ? hi : above;
}

// One quantized output from its accumulator: plus bias[channel] (bias may be
// nullptr), requantized, plus the output offset, clamped to the activation
// range. Params is ConvParams or FullyConnectedParams.
template <typename Output, typename Acc, typename Bias, typename Params>
inline Output quantized_output(const Params& p, Acc acc, const Bias* bias, int32_t channel, int32_t multiplier,
                               int32_t shift) {
  if (bias != nullptr) acc = wrapping_add(acc, Acc(bias[channel]));
  int32_t result = wrapping_add(requantize(acc, multiplier, shift), p.output_offset);
  if (result < p.activation_min) result = p.activation_min;
  if (result > p.activation_max) result = p.activation_max;
  return Output(result);
}

// One float output: the sum plus bias[channel] (bias may be nullptr), clamped
// to the activation range.
template <typename Params>
inline float float_output(const Params& p, float total, const float* bias, int32_t channel) {
  return clamp_float(total + (bias != nullptr ? bias[channel] : 0.0f), p.float_activation_min, p.float_activation_max);
}

}  // namespace reference
}  // namespace mote
