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

}  // namespace reference
}  // namespace mote
