#include "kernels/reference/pad.h"

#include <string.h>

namespace mote {
namespace reference {
namespace {

// Fills the `count` elements before `end` (in any order: no input that is
// still to be read lies in them) and returns their start.
template <typename T>
T* fill_before(T* end, T value, int64_t count) {
  T* start = end - count;
  for (int64_t i = 0; i < count; ++i) start[i] = value;
  return start;
}

// Writes the whole output block of dimension d (and the dimensions inside
// it) back to front, ending just before `output_end`, and returns its start.
// input_block[d] / output_block[d] are the element counts of one step along d.
template <typename T>
T* pad_block(const PadParams& p, const int64_t* input_block, const int64_t* output_block, int32_t d, const T* input,
             T* output_end, T value) {
  const int32_t left = p.left[d];
  const int32_t right = p.output_dims[d] - p.input_dims[d] - left;
  output_end = fill_before(output_end, value, right * output_block[d]);
  if (d == p.rank - 1) {
    output_end -= p.input_dims[d];
    if (p.input_dims[d] > 0) memmove(output_end, input, size_t(p.input_dims[d]) * sizeof(T));
  } else {
    for (int32_t i = p.input_dims[d] - 1; i >= 0; --i)
      output_end = pad_block(p, input_block, output_block, d + 1, input + i * input_block[d], output_end, value);
  }
  return fill_before(output_end, value, left * output_block[d]);
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
  pad_block(p, input_block, output_block, 0, input, output + out, value);
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

int32_t pad_min_lead(const PadParams& params, int element_size) {
  // Offset of the first input element in the output, in elements.
  int64_t first = 0, block = 1;
  for (int32_t d = params.rank - 1; d >= 0; --d) {
    if (params.input_dims[d] == 0) return 0;
    first += int64_t(params.left[d]) * block;
    block *= params.output_dims[d];
  }
  const int64_t lead = -first * element_size;
  return lead <= int64_t(INT32_MIN) ? INT32_MIN + 1 : int32_t(lead);
}

}  // namespace reference
}  // namespace mote
