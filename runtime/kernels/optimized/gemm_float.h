// Float multiply-accumulate tiles shared by the optimized CONV_2D and
// FULLY_CONNECTED kernels: M input rows times N filter rows,
//
//   acc[m * N + n] += input_m[k] * filter_n[k]   for k = 0, 1, ..., depth - 1
//
// one product and one addition at a time in that order, as the reference
// kernels do. Tiling only computes several outputs at once; each output sees
// the same operations in the same order, so (with -ffp-contract=off, no fused
// multiply-add) the results are the reference's bit for bit.
#pragma once

#include <stdint.h>

namespace mote {
namespace optimized {

template <int M, int N>
inline void dot_tile_float(const float* input, int32_t input_step, const float* filter, int32_t filter_step,
                           int32_t depth, float* acc) {
  float sum[M][N];
  for (int m = 0; m < M; ++m)
    for (int n = 0; n < N; ++n) sum[m][n] = acc[m * N + n];
  for (int32_t k = 0; k < depth; ++k) {
    float x[M];
#pragma GCC unroll 8
    for (int m = 0; m < M; ++m) x[m] = input[m * input_step + k];
#pragma GCC unroll 8
    for (int n = 0; n < N; ++n) {
      const float f = filter[n * filter_step + k];
#pragma GCC unroll 8
      for (int m = 0; m < M; ++m) sum[m][n] += x[m] * f;
    }
  }
  for (int m = 0; m < M; ++m)
    for (int n = 0; n < N; ++n) acc[m * N + n] = sum[m][n];
}

}  // namespace optimized
}  // namespace mote
