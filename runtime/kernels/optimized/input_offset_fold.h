// The input zero point taken out of an int8 kernel's inner loop. Over a
// window whose taps are all inside the input,
//   sum f * (x + offset) = sum f * x + offset * sum f,
// so a kernel that leaves the offset out of its products (or uses a fixed
// one, as the 32-bit paths' x + 128) starts such an output from
// bias + offset * (the sum of the channel's weights over those taps) instead
// of the bias. Exact modulo 2^32, like the reference's wrapping accumulator.
//
// The weight sums are taken once, in prepare (filter_sum() in
// conv_2d_int8_prepare / depthwise_conv_2d_int8_prepare), and kept in the
// spare bits of the channel's shift (prepared_shift.h). The folded start
// itself is a full int32 with no such room, so eval forms it, one multiply
// and one add per output channel: keeping it would take one more int32 per
// channel in the persistent arena.
#pragma once

#include <stdint.h>

namespace mote {
namespace optimized {

// bias + offset * filter_sum, wrapping.
inline int32_t fold_input_offset(int32_t bias, int32_t offset, int32_t filter_sum) {
  return int32_t(uint32_t(bias) + uint32_t(offset) * uint32_t(filter_sum));
}

// The sum of `count` weights `stride` values apart.
inline int32_t filter_sum(const int8_t* filter, int32_t count, int32_t stride) {
  uint32_t sum = 0;
  for (int32_t i = 0; i < count; ++i) sum += uint32_t(int32_t(filter[i * stride]));
  return int32_t(sum);
}

}  // namespace optimized
}  // namespace mote
