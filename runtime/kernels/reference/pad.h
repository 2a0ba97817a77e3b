// PAD / PADV2 reference kernel (constant mode):
//   output[i] = input[i - left]  where 0 <= i[d] - left[d] < input_dims[d] for every d
//   output[i] = pad_value        elsewhere
// Moves elements only, so one kernel serves every element type of 1, 2, 4 or
// 8 bytes; pad_value points at one element of that type.
//
// The output is written back to front (input rows moved with memmove), so it
// may overlap the input: every output element lies at or after the input
// element it copies, and each write lands above the input still to be read
// as long as the lead (output start - input start, bytes) is at least
// pad_min_lead(). Any larger lead is safe.
#pragma once

#include <stdint.h>

#include "mote/tensor.h"

namespace mote {
namespace reference {

struct PadParams {
  int32_t rank = 0;  // 0..kMaxDims
  int32_t input_dims[kMaxDims] = {};
  int32_t left[kMaxDims] = {};         // elements before the input, per dimension
  int32_t output_dims[kMaxDims] = {};  // input_dims + left + right
};

void pad(const PadParams& params, const void* input, const void* pad_value, void* output, int element_size);

// The lowest lead at which pad() may write its output over its input: minus
// the bytes before the first input element in the output (INT32_MIN + 1 when
// that does not fit; 0 for an empty input).
int32_t pad_min_lead(const PadParams& params, int element_size);

}  // namespace reference
}  // namespace mote
