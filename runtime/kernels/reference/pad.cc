#include "kernels/reference/pad.h"

#include <string.h>

namespace mote {
namespace reference {
namespace {

template <typename T>
T* fill(T* output, T value, int64_t count) {
  for (int64_t i = 0; i < count; ++i) output[i] = value;
  return output + count;
}

// Writes the whole output block of dimension d (and the dimensions inside
// it) and returns the position after it. input_block[d] / output_block[d]
// are the element counts of one step along d.
template <typename T>
T* pad_block(const PadParams& p, const int64_t* input_block, const int64_t* output_block, int32_t d, const T* input,
             T* output, T value) {
  const int32_t left = p.left[d];
  const int32_t right = p.output_dims[d] - p.input_dims[d] - left;
  output = fill(output, value, left * output_block[d]);
  if (d == p.rank - 1) {
    if (p.input_dims[d] > 0) memcpy(output, input, size_t(p.input_dims[d]) * sizeof(T));
    output += p.input_dims[d];
  } else {
    for (int32_t i = 0; i < p.input_dims[d]; ++i)
      output = pad_block(p, input_block, output_block, d + 1, input + i * input_block[d], output, value);
  }
  return fill(output, value, right * output_block[d]);
}

template <typename T>
void pad_elements(const PadParams& p, const T* input, const void* pad_value, T* output) {
  if (p.rank == 0) {
    *output = *input;
    return;
  }
  T value;
  memcpy(&value, pad_value, sizeof(T));
  int64_t input_block[kMaxDims];
  int64_t output_block[kMaxDims];
  int64_t in = 1, out = 1;
  for (int32_t d = p.rank - 1; d >= 0; --d) {
    input_block[d] = in;
    output_block[d] = out;
    in *= p.input_dims[d];
    out *= p.output_dims[d];
  }
  pad_block(p, input_block, output_block, 0, input, output, value);
}

}  // namespace

void pad(const PadParams& params, const void* input, const void* pad_value, void* output, int element_size) {
  switch (element_size) {
    case 1:
      pad_elements(params, static_cast<const uint8_t*>(input), pad_value, static_cast<uint8_t*>(output));
      break;
    case 2:
      pad_elements(params, static_cast<const uint16_t*>(input), pad_value, static_cast<uint16_t*>(output));
      break;
    case 4:
      pad_elements(params, static_cast<const uint32_t*>(input), pad_value, static_cast<uint32_t*>(output));
      break;
    case 8:
      pad_elements(params, static_cast<const uint64_t*>(input), pad_value, static_cast<uint64_t*>(output));
      break;
    default:
      break;
  }
}

}  // namespace reference
}  // namespace mote
