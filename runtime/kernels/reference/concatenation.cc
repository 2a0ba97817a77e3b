#include "kernels/reference/concatenation.h"

#include <string.h>

namespace mote {
namespace reference {

void concatenation_place(const ConcatenationParams& params, const void* input, uint32_t input_row_bytes,
                         uint32_t column_offset, void* output) {
  if (input_row_bytes == 0) return;
  const uint8_t* src = static_cast<const uint8_t*>(input);
  uint8_t* dst = static_cast<uint8_t*>(output) + column_offset;
  for (int32_t o = 0; o < params.outer_count; ++o) {
    if (dst != src) memcpy(dst, src, input_row_bytes);  // equal: planned in place
    src += input_row_bytes;
    dst += params.output_row_bytes;
  }
}

}  // namespace reference
}  // namespace mote
