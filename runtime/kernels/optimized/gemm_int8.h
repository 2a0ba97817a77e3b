// Int8 multiply-accumulate tiles shared by the optimized CONV_2D and
// FULLY_CONNECTED kernels. A tile takes M input rows and N filter rows, each
// `depth` contiguous int8 values, and adds to acc[m * N + n]
//
//   sum_k (input_m[k] + input_offset) * filter_n[k]
//
// where input_m = input + m * input_step and filter_n = filter + n * filter_step.
// The sums wrap modulo 2^32 like the reference's int32 accumulators, so the
// order of the terms does not matter and every variant is exact.
//
// Variants, picked at compile time by dot_tile():
//   - AVX2 (when the runtime is built with -mavx2, MOTE_HOST_SIMD=ON):
//     16 products per instruction pair (widen to int16, madd to int32).
//   - 64-bit registers: two input rows share one 64-bit multiply (one row in
//     each 32-bit half; see dot_tile_paired).
//   - 32-bit registers: one int32 accumulator per (m, n), so every value loaded
//     feeds several multiplies.
//
// Preconditions: input_offset in [-128, 128] (minus an int8 zero point) and
// depth <= kMaxDotDepth.
#pragma once

#include <stdint.h>

#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace mote {
namespace optimized {

// Longest dot product the paired variant keeps exact: each product is at most
// 255 * 128 = 32640 in magnitude, so the low half's sum stays below 2^31.
constexpr int32_t kMaxDotDepth = 65536;

inline int32_t wrapping_add32(int32_t a, uint32_t b) { return int32_t(uint32_t(a) + b); }

// One int32 accumulator per (row, filter). Any M, N; any register width.
template <int M, int N>
__attribute__((noinline)) void dot_tile_scalar(const int8_t* input, int32_t input_step, const int8_t* filter, int32_t filter_step,
                            int32_t depth, int32_t input_offset, int32_t* acc) {
  uint32_t sum[M][N] = {};
  for (int32_t k = 0; k < depth; ++k) {
    int32_t x[M];
#pragma GCC unroll 8
    for (int m = 0; m < M; ++m) x[m] = int32_t(input[m * input_step + k]) + input_offset;
#pragma GCC unroll 8
    for (int n = 0; n < N; ++n) {
      const int32_t f = filter[n * filter_step + k];
#pragma GCC unroll 8
      for (int m = 0; m < M; ++m) sum[m][n] += uint32_t(x[m] * f);
    }
  }
  for (int m = 0; m < M; ++m)
    for (int n = 0; n < N; ++n) acc[m * N + n] = wrapping_add32(acc[m * N + n], sum[m][n]);
}

// Two input rows per 64-bit multiply: x = x0 + x1 * 2^32 times a filter value
// f is x0 * f + x1 * f * 2^32 (mod 2^64), so one multiply and one add do two
// products, and the 64-bit sum is S = A0 + A1 * 2^32 with A0, A1 the two dot
// products. |A0| < 2^31 (depth <= kMaxDotDepth), so the low half sign-extended
// is A0 and (S - A0) / 2^32 is A1 modulo 2^32: exactly the reference's
// wrapping int32 result for both rows. Only worth it with 64-bit registers.
template <int N>
__attribute__((noinline)) void dot_tile_paired(const int8_t* input, int32_t input_step, const int8_t* filter, int32_t filter_step,
                            int32_t depth, int32_t input_offset, int32_t* acc) {
  const int8_t* input1 = input + input_step;
  const uint64_t offset_pair = uint64_t(int64_t(input_offset)) * 0x100000001ull;  // the offset in both halves
  uint64_t sum[N] = {};
  auto step = [&](int32_t k) {
    const uint64_t x = uint64_t(int64_t(input[k])) + (uint64_t(int64_t(input1[k])) << 32) + offset_pair;
#pragma GCC unroll 8
    for (int n = 0; n < N; ++n) sum[n] += x * uint64_t(int64_t(filter[n * filter_step + k]));
  };
  int32_t k = 0;
  for (; k + 2 <= depth; k += 2) {
    step(k);
    step(k + 1);
  }
  if (k < depth) step(k);
  for (int n = 0; n < N; ++n) {
    const int32_t row0 = int32_t(uint32_t(sum[n]));
    const uint32_t row1 = uint32_t((sum[n] - uint64_t(int64_t(row0))) >> 32);
    acc[n] = wrapping_add32(acc[n], uint32_t(row0));
    acc[N + n] = wrapping_add32(acc[N + n], row1);
  }
}

#if defined(__AVX2__)
namespace avx2 {

// Sums the 8 lanes of each of four accumulators: {a0, a1, a2, a3}.
inline __m128i horizontal_sum4(__m256i a0, __m256i a1, __m256i a2, __m256i a3) {
  const __m256i s = _mm256_hadd_epi32(_mm256_hadd_epi32(a0, a1), _mm256_hadd_epi32(a2, a3));
  return _mm_add_epi32(_mm256_castsi256_si128(s), _mm256_extracti128_si256(s, 1));
}

inline __m256i load_widen16(const int8_t* p) {
  return _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
}
inline __m128i load_widen8(const int8_t* p) {
  return _mm_cvtepi8_epi16(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)));
}

// M rows x 4 filters: 16 values of k per step as int16 (input + offset fits:
// |x| <= 255), _mm256_madd_epi16 adds adjacent products into int32 lanes.
template <int M>
inline void dot_tile_mx4(const int8_t* input, int32_t input_step, const int8_t* filter, int32_t filter_step,
                         int32_t depth, int32_t input_offset, int32_t* acc) {
  const __m256i offset16 = _mm256_set1_epi16(int16_t(input_offset));
  __m256i sum[M][4];
  for (int m = 0; m < M; ++m)
    for (int n = 0; n < 4; ++n) sum[m][n] = _mm256_setzero_si256();
  int32_t k = 0;
  for (; k + 16 <= depth; k += 16) {
    __m256i x[M];
    for (int m = 0; m < M; ++m) x[m] = _mm256_add_epi16(load_widen16(input + m * input_step + k), offset16);
    for (int n = 0; n < 4; ++n) {
      const __m256i f = load_widen16(filter + n * filter_step + k);
      for (int m = 0; m < M; ++m) sum[m][n] = _mm256_add_epi32(sum[m][n], _mm256_madd_epi16(x[m], f));
    }
  }
  if (k + 8 <= depth) {
    const __m128i offset8 = _mm256_castsi256_si128(offset16);
    __m128i x[M];
    for (int m = 0; m < M; ++m) x[m] = _mm_add_epi16(load_widen8(input + m * input_step + k), offset8);
    for (int n = 0; n < 4; ++n) {
      const __m128i f = load_widen8(filter + n * filter_step + k);
      for (int m = 0; m < M; ++m)
        sum[m][n] = _mm256_add_epi32(sum[m][n], _mm256_zextsi128_si256(_mm_madd_epi16(x[m], f)));
    }
    k += 8;
  }
  for (int m = 0; m < M; ++m) {
    int32_t* row = acc + m * 4;
    __m128i total = _mm_loadu_si128(reinterpret_cast<const __m128i*>(row));
    total = _mm_add_epi32(total, horizontal_sum4(sum[m][0], sum[m][1], sum[m][2], sum[m][3]));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(row), total);
  }
  if (k < depth)
    dot_tile_scalar<M, 4>(input + k, input_step, filter + k, filter_step, depth - k, input_offset, acc);
}

}  // namespace avx2
#endif  // __AVX2__

// The tile the conv and fully connected kernels use: M in {1, 2}, any N.
template <int M, int N>
inline void dot_tile(const int8_t* input, int32_t input_step, const int8_t* filter, int32_t filter_step, int32_t depth,
                     int32_t input_offset, int32_t* acc) {
  static_assert(M == 1 || M == 2, "tiles have one or two input rows");
#if defined(__AVX2__)
  if constexpr (N == 4) {
    avx2::dot_tile_mx4<M>(input, input_step, filter, filter_step, depth, input_offset, acc);
    return;
  }
#endif
  if constexpr (M == 2 && sizeof(void*) >= 8) {
    dot_tile_paired<N>(input, input_step, filter, filter_step, depth, input_offset, acc);
  } else {
    dot_tile_scalar<M, N>(input, input_step, filter, filter_step, depth, input_offset, acc);
  }
}

}  // namespace optimized
}  // namespace mote
