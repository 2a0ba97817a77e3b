// Float multiply-accumulate tiles shared by the optimized CONV_2D and
// FULLY_CONNECTED kernels: M input rows times N filter rows laid out as in
// gemm_int8.h (DotLayout),
//
//   acc[m * N + n] += input_m,r[k] * filter_n,r[k]
//
// for segment r = 0, 1, ... and within it k = 0, 1, ..., one product and one
// addition at a time in that order, as the reference kernels do. Tiling only
// computes several outputs at once; each output sees the same operations in
// the same order, so (with -ffp-contract=off, no fused multiply-add) the
// results are the reference's bit for bit.
#pragma once

#include <stdint.h>

#include "kernels/optimized/gemm_int8.h"

namespace mote {
namespace optimized {

template <int M, int N>
inline void dot_tile_float_body(const float* input, const float* filter, const DotLayout& layout, float* acc) {
  float sum[M][N];
  for (int m = 0; m < M; ++m)
    for (int n = 0; n < N; ++n) sum[m][n] = acc[m * N + n];
  const int32_t input_step = layout.input_step;
  const int32_t filter_step = layout.filter_step;
  for (int32_t r = 0; r < layout.rows; ++r) {
    const float* in = input + r * layout.input_row_step;
    const float* f = filter + r * layout.filter_row_step;
    for (int32_t k = 0; k < layout.depth; ++k) {
      float x[M];
#pragma GCC unroll 8
      for (int m = 0; m < M; ++m) x[m] = in[m * input_step + k];
#pragma GCC unroll 8
      for (int n = 0; n < N; ++n) {
        const float w = f[n * filter_step + k];
#pragma GCC unroll 8
        for (int m = 0; m < M; ++m) sum[m][n] += x[m] * w;
      }
    }
  }
  for (int m = 0; m < M; ++m)
    for (int n = 0; n < N; ++n) acc[m * N + n] = sum[m][n];
}

// The tile entry points, not inlined so that the accumulators stay in
// registers. GCC's straight-line (SLP) vectorizer helps two rows but packs a
// single row's accumulators into one vector it keeps in memory, so it is off
// there.
#if defined(__GNUC__) && !defined(__clang__)
#define MOTE_NO_SLP_VECTORIZE __attribute__((optimize("no-tree-slp-vectorize")))
#else
#define MOTE_NO_SLP_VECTORIZE
#endif
template <int N>
__attribute__((noinline)) MOTE_NO_SLP_VECTORIZE void dot_tile_float_row(const float* input, const float* filter,
                                                                        const DotLayout& layout, float* acc) {
  dot_tile_float_body<1, N>(input, filter, layout, acc);
}
template <int M, int N>
__attribute__((noinline)) void dot_tile_float_rows(const float* input, const float* filter, const DotLayout& layout,
                                                   float* acc) {
  dot_tile_float_body<M, N>(input, filter, layout, acc);
}
template <int M, int N>
inline void dot_tile_float(const float* input, const float* filter, const DotLayout& layout, float* acc) {
  if constexpr (M == 1) {
    dot_tile_float_row<N>(input, filter, layout, acc);
  } else {
    dot_tile_float_rows<M, N>(input, filter, layout, acc);
  }
}

}  // namespace optimized
}  // namespace mote
