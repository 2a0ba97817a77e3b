// MEAN reference kernels, as TFLM's reference MEAN computes them.
//
// Every input element is added to the output element it reduces into, in
// input (row-major) order:
//   sum[o] = sum of input[i] over all i whose non-reduced coordinates are o
// then
//   float:      output[o] = sum[o] / n
//   int8/int16: output[o] = clamp(output_zp + mbqm(sum[o] - n * input_zp, multiplier, shift))
// where n is the number of elements reduced into each output and mbqm the
// double-rounding fixed-point multiply. For the integer kernels,
// multiplier/shift already include the 1/n factor (see mean_fold_count),
// exactly as TFLM folds it, so results match TFLM bit for bit.
#pragma once

#include <stdint.h>

#include "mote/tensor.h"

namespace mote {
namespace reference {

struct MeanParams {
  int32_t rank = 0;  // input rank, 0..kMaxDims
  int32_t input_dims[kMaxDims] = {};
  // Per input dimension: its stride in the output, 0 along reduced dims.
  int32_t output_strides[kMaxDims] = {};
  int32_t num_outputs = 0;
  int32_t reduced_count = 0;  // n: input elements per output element
  // Integer kernels only.
  int32_t input_zero_point = 0;
  int32_t output_zero_point = 0;
  int32_t multiplier = 0;  // input_scale / (output_scale * n), as Q31 * 2^shift
  int32_t shift = 0;
};

// Fills rank, input_dims, output_strides, num_outputs and reduced_count.
// reduced[d] is true for every dimension being averaged over.
void mean_params(const Shape& input_shape, const bool* reduced, MeanParams* params);

// Folds 1/count into multiplier * 2^shift (the input_scale / output_scale
// multiplier from quantize_multiplier) the way TFLite's quantized mean does:
// divide the multiplier by count after shifting it left by up to
// floor(log2(count)) bits, keeping shift >= -31.
void mean_fold_count(int64_t count, int32_t* multiplier, int32_t* shift);

void mean_float(const MeanParams& params, const float* input, float* output);
// `sums` is scratch for num_outputs int32 accumulators.
void mean_int8(const MeanParams& params, const int8_t* input, int8_t* output, int32_t* sums);
void mean_int16(const MeanParams& params, const int16_t* input, int16_t* output, int32_t* sums);

}  // namespace reference
}  // namespace mote
