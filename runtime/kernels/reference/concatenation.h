// CONCATENATION reference kernel. Seen as [outer][axis * inner] rows, the
// output row is the inputs' rows side by side:
//   output[o] = input_0[o] ++ input_1[o] ++ ... ++ input_{n-1}[o]
// The op places one input at a time, so the kernel needs no array of input
// pointers. Quantized inputs are copied as they are, without requantization,
// as TFLM does.
#pragma once

#include <stdint.h>

namespace mote {
namespace reference {

struct ConcatenationParams {
  int32_t outer_count = 0;        // product of the dimensions before the axis
  uint32_t output_row_bytes = 0;  // bytes of one outer slice of the output
};

// Copies `input` (outer_count rows of input_row_bytes) into the output, each
// row starting `column_offset` bytes into the corresponding output row. An
// input that already lies where it goes (planned as a slice of the output)
// is left as it is; otherwise input and output must not overlap.
void concatenation_place(const ConcatenationParams& params, const void* input, uint32_t input_row_bytes,
                         uint32_t column_offset, void* output);

}  // namespace reference
}  // namespace mote
