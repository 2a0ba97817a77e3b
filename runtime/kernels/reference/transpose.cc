#include "kernels/reference/transpose.h"

#include "kernels/reference/strided_copy.h"

namespace mote {
namespace reference {

void transpose_params(const Shape& input_shape, const int32_t* perm, TransposeParams* params) {
  int32_t input_strides[kMaxDims] = {};
  int32_t stride = 1;
  for (int32_t d = input_shape.rank - 1; d >= 0; --d) {
    input_strides[d] = stride;
    stride *= input_shape.dims[d];
  }
  params->rank = input_shape.rank;
  for (int32_t k = 0; k < input_shape.rank; ++k) {
    params->output_dims[k] = input_shape.dims[perm[k]];
    params->input_steps[k] = input_strides[perm[k]];
  }
}

void transpose(const TransposeParams& params, const void* input, void* output, int element_size) {
  detail::copy_strided_bytes(params.rank, params.output_dims, params.input_steps, input, output, element_size);
}

}  // namespace reference
}  // namespace mote
