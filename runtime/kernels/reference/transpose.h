// TRANSPOSE reference kernel:
//   output[i_0, ..., i_{r-1}] = input[j] with j[perm[k]] = i_k
// i.e. output dimension k is input dimension perm[k]. Moves elements only, so
// one kernel serves every element type of 1, 2, 4 or 8 bytes.
#pragma once

#include <stdint.h>

#include "mote/tensor.h"

namespace mote {
namespace reference {

struct TransposeParams {
  int32_t rank = 0;  // 0..kMaxDims
  int32_t output_dims[kMaxDims] = {};
  // For each output dimension k: the input stride (in elements) of input
  // dimension perm[k].
  int32_t input_steps[kMaxDims] = {};
};

// Fills params from the input shape and a permutation that prepare has
// validated (each of 0..rank-1 exactly once).
void transpose_params(const Shape& input_shape, const int32_t* perm, TransposeParams* params);

void transpose(const TransposeParams& params, const void* input, void* output, int element_size);

}  // namespace reference
}  // namespace mote
