// Integer arithmetic of TFLite's quantized kernels, in one place.
//
// mote matches TFLite's default build, which uses the "double rounding"
// fixed-point multiply: a saturating rounding doubling high multiply followed
// by a rounding right shift. Every int8/int16 requantization in mote goes
// through these functions; none uses float.
#pragma once

#include <stdint.h>

#include <limits>

namespace mote {
namespace fixedpoint {

// (a * b * 2) >> 32 with round-half-away-from-zero on the dropped bits, and
// INT32_MIN * INT32_MIN saturating to INT32_MAX.
inline int32_t saturating_rounding_doubling_high_mul(int32_t a, int32_t b) {
  if (a == b && a == std::numeric_limits<int32_t>::min()) return std::numeric_limits<int32_t>::max();
  int64_t ab = int64_t(a) * int64_t(b);
  int32_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
  return int32_t((ab + nudge) / (int64_t(1) << 31));
}

// x / 2^exponent, rounded half away from zero. 0 <= exponent <= 31.
inline int32_t rounding_divide_by_pot(int32_t x, int exponent) {
  const int32_t mask = int32_t((int64_t(1) << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

// x * multiplier * 2^shift, multiplier a Q31 value in [2^30, 2^31) (or 0).
inline int32_t multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int shift) {
  const int left_shift = shift > 0 ? shift : 0;
  const int right_shift = shift > 0 ? 0 : -shift;
  const int32_t shifted = int32_t(uint32_t(x) << left_shift);
  return rounding_divide_by_pot(saturating_rounding_doubling_high_mul(shifted, multiplier), right_shift);
}

// The 64-bit-input variant TFLite uses for int64 accumulators (16x8 conv and
// fully connected): the multiplier is first rounded to 16 bits (Q15), then one
// rounding shift of the product. |x| < 2^47, shift in [-31, 7]. Like TFLite,
// the result is truncated to 32 bits, not saturated.
inline int32_t multiply_by_quantized_multiplier_64(int64_t x, int32_t multiplier, int shift) {
  const int32_t multiplier_q15 = multiplier < 0x7FFF0000 ? (multiplier + (1 << 15)) >> 16 : 0x7FFF;
  const int total_shift = 15 - shift;
  const uint64_t round = uint64_t(1) << (total_shift - 1);
  // Unsigned arithmetic only so that out-of-range x wraps instead of being
  // undefined; the shift of the signed value is arithmetic.
  const int64_t rounded = int64_t(uint64_t(x) * uint64_t(int64_t(multiplier_q15)) + round);
  return int32_t(uint32_t(uint64_t(rounded >> total_shift)));
}

// multiplier * 2^shift ~= real, with multiplier in [2^30, 2^31). As TFLite:
// frexp + round half away from zero; real == 0 gives (0, 0); tiny values flush
// to zero. NaN and infinity give (0, 0) too (a model's option can hold them;
// converting them to an integer is undefined); callers that need a usable
// multiplier check for 0.
void quantize_multiplier(double real, int32_t* multiplier, int* shift);

// Same, for real in (0, 1): shift <= 0.
void quantize_multiplier_smaller_than_one(double real, int32_t* multiplier, int* shift);

// Round half away from zero, as TFLite's TfLiteRound / std::round.
int32_t round_to_int32(float x);

template <typename T>
inline T saturate(int32_t x) {
  if (x < int32_t(std::numeric_limits<T>::min())) return std::numeric_limits<T>::min();
  if (x > int32_t(std::numeric_limits<T>::max())) return std::numeric_limits<T>::max();
  return T(x);
}

}  // namespace fixedpoint
}  // namespace mote
