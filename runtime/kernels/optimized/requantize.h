// Requantization for the optimized kernels: exactly
// fixedpoint::multiply_by_quantized_multiplier (TFLite's double rounding) with
// one 64-bit multiply, one add and one shift, for multipliers in [0, 2^31)
// and shifts in [-31, 31] (what prepare produces: multipliers in
// [2^30, 2^31) or 0).
//
// Why it is equal. Write x = acc << left_shift, p = x * multiplier and
// e = right shift.
//  1. The reference's high multiply trunc((p + nudge) / 2^31), with nudge =
//     2^30 for p >= 0 and 1 - 2^30 below, is floor(t / 2^31) with
//     t = p + 2^30 for every p: for p < 0 the truncation rounds up, and
//     ceil((p + 1 - 2^30) / 2^31) = floor((p + 1 - 2^30 + 2^31 - 1) / 2^31).
//     (The reference saturates only for x = multiplier = INT32_MIN.)
//  2. Its rounding divide of h by 2^e (half away from zero) is
//     floor((h + 2^(e-1) - [h < 0]) / 2^e) for e >= 1, and h for e = 0.
//  3. floor((floor(t / 2^31) + c) / 2^e) = floor((t + c * 2^31) / 2^(31+e))
//     for an integer c, and floor(t / 2^31) < 0 exactly when t < 0, i.e.
//     when p < -2^30. So the result is
//       (p + 2^30 + (2^(e-1) - [p < -2^30]) * 2^31) >> (31 + e)   (e >= 1)
//       (p + 2^30) >> 31                                           (e = 0)
//     with no 64-bit overflow: |p| < 2^62 and the added terms are < 2^62.
#pragma once

#include <stdint.h>

#include <type_traits>

#include "kernels/fixedpoint.h"
#include "kernels/optimized/requantize32.h"

// Xtensa cores without MULSH/MULUH (e.g. the ESP8266's lx106) multiply only
// 32 x 32 -> low 32 bits; int64 products become a call to a 64 x 64 library
// routine there.
#if defined(__XTENSA__)
#if __has_include(<xtensa/config/core-isa.h>)
#include <xtensa/config/core-isa.h>
#elif __has_include(<machine/core-isa.h>)
#include <machine/core-isa.h>
#endif
#endif

namespace mote {
namespace optimized {

#if defined(XCHAL_HAVE_MUL32_HIGH) && !XCHAL_HAVE_MUL32_HIGH
constexpr bool kHasWideMultiply = false;
#else
constexpr bool kHasWideMultiply = true;
#endif

// int32(v >> shift) for shift in [31, 62] when the result fits 32 bits. On
// 32-bit cores the shift of the high word alone is much cheaper than a
// variable 64-bit shift. (The template parameters here let tests run every
// form on any host.)
template <bool k64BitCore = (sizeof(void*) >= 8)>
inline int32_t shift_right_to_int32(int64_t v, int32_t shift) {
  if (k64BitCore) return int32_t(v >> shift);
  const int32_t high = int32_t(v >> 32);
  if (shift == 31) return int32_t((uint32_t(high) << 1) | uint32_t(uint64_t(v) >> 31));
  return high >> (shift - 32);
}

// saturating_rounding_doubling_high_mul(a, b) = floor((a * b + 2^30) / 2^31)
// for b in [0, 2^31) (step 1). Without a 32 x 32 -> 64 multiply, with 16-bit
// halves and 32-bit arithmetic (requantize32.h): a 64 x 64 library multiply
// costs several times as much there.
template <bool kWide = kHasWideMultiply>
inline int32_t rounding_high_mul(int32_t a, int32_t b) {
  if (kWide) return shift_right_to_int32(int64_t(a) * int64_t(b) + (int64_t(1) << 30), 31);
  return rounding_high_mul32(a, b >> 16, b & 0xFFFF);
}

// One output channel's requantization, precomputed from (multiplier, shift).
struct ChannelRequant {
  int64_t round;           // added when p >= -2^30
  int64_t negative_round;  // added when p < -2^30
  int32_t multiplier;
  int32_t left_shift;
  int32_t total_shift;  // 31 + right shift
};

inline ChannelRequant make_channel_requant(int32_t multiplier, int32_t shift) {
  ChannelRequant r;
  const int32_t right_shift = shift > 0 ? 0 : -shift;
  r.multiplier = multiplier;
  r.left_shift = shift > 0 ? shift : 0;
  r.total_shift = 31 + right_shift;
  r.round = int64_t(1) << 30;
  r.negative_round = r.round;
  if (right_shift > 0) {
    r.round += int64_t(1) << (30 + right_shift);
    r.negative_round = r.round - (int64_t(1) << 31);
  }
  return r;
}

// multiply_by_quantized_multiplier(acc, multiplier, shift). Without a
// 32 x 32 -> 64 multiply, the reference's two steps in 32-bit arithmetic.
template <bool kWide = kHasWideMultiply>
inline int32_t requantize(const ChannelRequant& r, int32_t acc) {
  const int32_t x = int32_t(uint32_t(acc) << r.left_shift);
  if (!kWide)
    return fixedpoint::rounding_divide_by_pot(rounding_high_mul<false>(x, r.multiplier), r.total_shift - 31);
  const int64_t p = int64_t(x) * int64_t(r.multiplier);
  return shift_right_to_int32(p + (p < -(int64_t(1) << 30) ? r.negative_round : r.round), r.total_shift);
}

// requantize() plus the output zero point (wrapping, as the reference),
// clamped to [activation_min, activation_max].
inline int32_t requantize_clamp(const ChannelRequant& r, int32_t acc, int32_t output_offset, int32_t activation_min,
                                int32_t activation_max) {
  int32_t q = int32_t(uint32_t(requantize(r, acc)) + uint32_t(output_offset));
  q = q < activation_min ? activation_min : q;
  return q > activation_max ? activation_max : q;
}

// requantize32.h's form under requantize()'s name, for kernels templated on
// the requantization they store.
inline int32_t requantize(const ChannelRequant32& r, int32_t acc) { return requantize32(r, acc); }

// Cores that take the 32-bit paths of the optimized kernels: 32-bit cores
// without SIMD, where 64-bit products are library calls and a 16-register
// file holds fewer accumulators. (The template parameters below let tests run
// those paths on any host.)
#if defined(__AVX2__)
constexpr bool kSmallCore = false;
#else
constexpr bool kSmallCore = sizeof(void*) < 8;
#endif
template <bool kSmall>
using CoreRequant = std::conditional_t<kSmall, ChannelRequant32, ChannelRequant>;
template <bool kSmall>
inline CoreRequant<kSmall> make_core_requant(int32_t multiplier, int32_t shift) {
  if constexpr (kSmall) {
    return make_channel_requant32(multiplier, shift);
  } else {
    return make_channel_requant(multiplier, shift);
  }
}

// requantize() from the raw multiplier and shift.
inline int32_t requantize(int32_t acc, int32_t multiplier, int32_t shift) {
  return requantize(make_channel_requant(multiplier, shift), acc);
}

}  // namespace optimized
}  // namespace mote
