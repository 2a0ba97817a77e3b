// The input zero point taken out of an int8 kernel's inner loop. Over a
// window whose taps are all inside the input,
//   sum f * (x + offset) = sum f * x + offset * sum f,
// so a kernel that leaves the offset out of its products (or uses a fixed
// one, as the 32-bit paths' x + 128) starts such an output from
// bias + offset * (the sum of the channel's weights over those taps) instead
// of the bias. Exact modulo 2^32, like the reference's wrapping accumulator.
//
// Evaluated per invoke, once per output channel (conv_2d.cc,
// depthwise_conv_2d.cc), not in prepare: keeping the folded start would take
// one more int32 per channel in the persistent arena, and the arena figures
// stay as they are.
#pragma once

#include <stdint.h>

namespace mote {
namespace optimized {

// bias + offset * filter_sum, wrapping.
inline int32_t fold_input_offset(int32_t bias, int32_t offset, int32_t filter_sum) {
  return int32_t(uint32_t(bias) + uint32_t(offset) * uint32_t(filter_sum));
}

// The sum of `count` weights `stride` values apart, wrapping.
inline int32_t filter_sum(const int8_t* filter, int32_t count, int32_t stride) {
  uint32_t sum = 0;
  for (int32_t i = 0; i < count; ++i) sum += uint32_t(int32_t(filter[i * stride]));
  return int32_t(sum);
}

}  // namespace optimized
}  // namespace mote
