// The per-channel shift array of the optimized int8 CONV_2D and
// DEPTHWISE_CONV_2D kernels in the form their prepare functions leave it
// (conv_2d_int8_prepare, depthwise_conv_2d_int8_prepare): each int32 holds
// the requantization shift in its low 6 bits (two's complement, [-31, 31])
// and above them the sum of the channel's weights over its whole window,
// which the kernels fold the input offset with (input_offset_fold.h). The
// same array at the same size, so the sums cost no arena bytes, and eval no
// pass over the weights.
#pragma once

#include <stdint.h>

namespace mote {
namespace optimized {

constexpr int kShiftFieldBits = 6;

// Windows of at most this many int8 weights have a sum that fits the 26
// bits above the shift: |sum| <= 128 * window < 2^25.
constexpr int64_t kMaxPreparedWindow = (int64_t(1) << 25) / 128 - 1;

inline int32_t prepared_shift(int32_t shift, int32_t filter_sum) {
  return int32_t((uint32_t(filter_sum) << kShiftFieldBits) | (uint32_t(shift) & ((1u << kShiftFieldBits) - 1)));
}

// The requantization shift of a prepared word.
inline int32_t shift_of(int32_t prepared) {
  return int32_t(uint32_t(prepared) << (32 - kShiftFieldBits)) >> (32 - kShiftFieldBits);
}

// The weight sum of a prepared word.
inline int32_t filter_sum_of(int32_t prepared) { return prepared >> kShiftFieldBits; }

}  // namespace optimized
}  // namespace mote
