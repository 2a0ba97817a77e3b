// The loop shared by TRANSPOSE and STRIDED_SLICE: walk an output of shape
// `dims` in row-major order and read each element from
//   input[sum_d index[d] * steps[d]]
// Steps are signed element counts, so one loop covers permuted axes,
// strides and reversed (negative-stride) axes.
#pragma once

#include <stdint.h>
#include <string.h>

#include "mote/tensor.h"

namespace mote {
namespace reference {
namespace detail {

template <typename T>
inline void copy_strided(int32_t rank, const int32_t* dims, const int32_t* steps, const T* input, T* output) {
  if (rank == 0) {
    *output = *input;
    return;
  }
  for (int32_t d = 0; d < rank; ++d)
    if (dims[d] <= 0) return;

  const int32_t last = rank - 1;
  const int32_t inner_count = dims[last];
  const int32_t inner_step = steps[last];
  int32_t index[kMaxDims] = {};
  int64_t offset = 0;  // input element offset of the current inner row
  for (;;) {
    const T* row = input + offset;
    if (inner_step == 1) {
      memcpy(output, row, size_t(inner_count) * sizeof(T));
    } else {
      for (int32_t i = 0; i < inner_count; ++i) output[i] = row[int64_t(i) * inner_step];
    }
    output += inner_count;

    // Odometer over the outer dimensions.
    int32_t d = last - 1;
    for (; d >= 0; --d) {
      offset += steps[d];
      if (++index[d] < dims[d]) break;
      offset -= int64_t(steps[d]) * dims[d];
      index[d] = 0;
    }
    if (d < 0) return;
  }
}

// Dispatches on the element size (1, 2, 4 or 8 bytes); the copy moves bits
// only, so the element type does not matter beyond its size.
inline void copy_strided_bytes(int32_t rank, const int32_t* dims, const int32_t* steps, const void* input, void* output,
                               int element_size) {
  switch (element_size) {
    case 1:
      copy_strided(rank, dims, steps, static_cast<const uint8_t*>(input), static_cast<uint8_t*>(output));
      break;
    case 2:
      copy_strided(rank, dims, steps, static_cast<const uint16_t*>(input), static_cast<uint16_t*>(output));
      break;
    case 4:
      copy_strided(rank, dims, steps, static_cast<const uint32_t*>(input), static_cast<uint32_t*>(output));
      break;
    case 8:
      copy_strided(rank, dims, steps, static_cast<const uint64_t*>(input), static_cast<uint64_t*>(output));
      break;
    default:
      break;
  }
}

}  // namespace detail
}  // namespace reference
}  // namespace mote
