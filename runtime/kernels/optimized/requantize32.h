// Requantization for 32-bit cores without a 32x32 -> 64-bit multiply (the
// lx106 has only the low half, so every int64 product is a library call):
// exactly fixedpoint::multiply_by_quantized_multiplier (TFLite's double
// rounding) with four 32-bit multiplies and no branch, for multipliers in
// [0, 2^31) and shifts in [-31, 31], which is what prepare produces.
//
// The high multiply. As requantize.h shows, the reference's rounding doubling
// high multiply of x and m (m != INT32_MIN) is floor((x * m + 2^30) / 2^31).
// Split x = xh * 2^16 + xl (xh = x >> 16 arithmetic, 0 <= xl < 2^16) and
// m = mh * 2^16 + ml (0 <= mh < 2^15, 0 <= ml < 2^16). Then
//   x * m + 2^30 = xh*mh * 2^32 + (a + b + c) * 2^16 + (xl*ml mod 2^16)
// with a = xh*ml, b = xl*mh, c = floor(xl*ml / 2^16) + 2^14, each of which
// fits in int32, and the last term in [0, 2^16) does not change the floor:
//   result = 2 * xh*mh + floor((a + b + c) / 2^15).
// floor((a + b + c) / 2^15) is the sum of each term's floor plus the floor of
// the sum of their low 15 bits, so nothing overflows. The result fits in
// int32, so the sum may wrap on the way.
//
// The rounding right shift by e (half away from zero), as
// fixedpoint::rounding_divide_by_pot: (h >> e) + (remainder > threshold) with
// remainder = h & mask, threshold = mask / 2 + (h < 0), mask = 2^e - 1.
#pragma once

#include <stdint.h>

namespace mote {
namespace optimized {

// One output channel's requantization, precomputed from (multiplier, shift).
struct ChannelRequant32 {
  int32_t multiplier_high;  // mh
  int32_t multiplier_low;   // ml
  int32_t left_shift;
  int32_t right_shift;
  int32_t mask;       // 2^right_shift - 1
  int32_t half_mask;  // mask / 2
};

inline ChannelRequant32 make_channel_requant32(int32_t multiplier, int32_t shift) {
  ChannelRequant32 r;
  r.multiplier_high = multiplier >> 16;
  r.multiplier_low = multiplier & 0xFFFF;
  r.left_shift = shift > 0 ? shift : 0;
  r.right_shift = shift > 0 ? 0 : -shift;
  r.mask = int32_t((uint32_t(1) << r.right_shift) - 1);
  r.half_mask = r.mask >> 1;
  return r;
}

inline int32_t rounding_high_mul32(int32_t x, int32_t multiplier_high, int32_t multiplier_low) {
  constexpr int32_t kLow15 = (1 << 15) - 1;
  const int32_t xh = x >> 16;
  const int32_t xl = x & 0xFFFF;
  const int32_t a = xh * multiplier_low;
  const int32_t b = xl * multiplier_high;
  const int32_t c = int32_t((uint32_t(xl) * uint32_t(multiplier_low)) >> 16) + (1 << 14);
  const int32_t low_carry = ((a & kLow15) + (b & kLow15) + (c & kLow15)) >> 15;
  const uint32_t high = uint32_t(2 * (xh * multiplier_high));
  return int32_t(high + uint32_t(a >> 15) + uint32_t(b >> 15) + uint32_t(c >> 15) + uint32_t(low_carry));
}

// multiply_by_quantized_multiplier(acc, multiplier, shift).
inline int32_t requantize32(const ChannelRequant32& r, int32_t acc) {
  const int32_t x = int32_t(uint32_t(acc) << r.left_shift);
  const int32_t h = rounding_high_mul32(x, r.multiplier_high, r.multiplier_low);
  const int32_t remainder = h & r.mask;
  const int32_t threshold = r.half_mask + int32_t(uint32_t(h) >> 31);
  return (h >> r.right_shift) + int32_t(uint32_t(threshold - remainder) >> 31);
}

// requantize32() plus the output zero point (wrapping, as the reference),
// clamped to [activation_min, activation_max]. Same name and order as
// requantize.h's, so kernels can pick either by the type they store.
inline int32_t requantize_clamp(const ChannelRequant32& r, int32_t acc, int32_t output_offset, int32_t activation_min,
                                int32_t activation_max) {
  int32_t q = int32_t(uint32_t(requantize32(r, acc)) + uint32_t(output_offset));
  q = q < activation_min ? activation_min : q;
  return q > activation_max ? activation_max : q;
}

}  // namespace optimized
}  // namespace mote
