// Int8 multiply-accumulate tiles shared by the optimized CONV_2D and
// FULLY_CONNECTED kernels. A tile takes M input rows (output pixels) and N
// filter rows (output channels). Each row is `rows` segments of `depth`
// contiguous int8 values (a convolution window: one segment per filter row),
// and the tile adds to acc[m * N + n]
//
//   sum over segments r, k of (input_m,r[k] + input_offset) * filter_n,r[k]
//
// where input_m,r = input + m * input_step + r * input_row_step and
// filter_n,r = filter + n * filter_step + r * filter_row_step. The sums wrap
// modulo 2^32 like the reference's int32 accumulators, so the order of the
// terms does not matter and every variant is exact.
//
// Variants, picked at compile time by dot_tile():
//   - AVX2 (runtime built with -mavx2, CMake MOTE_HOST_SIMD=ON), N = 4:
//     16 products per multiply-add instruction (int16 madd into int32).
//   - 64-bit registers, M = 2: both input rows share each 64-bit multiply,
//     one row in each 32-bit half (see dot_tile_paired).
//   - otherwise: one int32 accumulator per (m, n), so each value loaded
//     feeds several multiplies.
// dot_tile_words_offset128, for 32-bit cores, is called directly by the conv
// kernel where its alignment preconditions hold.
//
// Preconditions: input_offset in [-128, 128] (minus an int8 zero point) and
// rows * depth <= kMaxDotDepth.
#pragma once

#include <stdint.h>

#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace mote {
namespace optimized {

// Longest dot product the paired variant keeps exact: each product is at most
// 255 * 128 = 32640 in magnitude, so a sum of up to 65536 stays within int32.
constexpr int32_t kMaxDotDepth = 65536;

struct DotLayout {
  int32_t input_step = 0;       // between the M input rows
  int32_t filter_step = 0;      // between the N filter rows
  int32_t rows = 1;             // segments per row
  int32_t input_row_step = 0;   // between the segments of an input row
  int32_t filter_row_step = 0;  // between the segments of a filter row
  int32_t depth = 0;            // values per segment
};

// Input rows and filter rows both `depth` values long, back to back (a
// matrix product: fully connected layers, the LSTM's gates).
inline DotLayout contiguous_rows(int32_t depth) {
  DotLayout layout;
  layout.input_step = depth;
  layout.filter_step = depth;
  layout.depth = depth;
  return layout;
}

inline int32_t wrapping_add32(int32_t a, uint32_t b) { return int32_t(uint32_t(a) + b); }

// One int32 accumulator per (input row, filter row). Any M, N; any register
// width. Not inlined: in its own function the accumulators stay in registers.
template <int M, int N>
__attribute__((noinline)) void dot_tile_scalar(const int8_t* input, const int8_t* filter, const DotLayout& layout,
                                               int32_t input_offset, int32_t* acc) {
  uint32_t sum[M][N] = {};
  const int32_t input_step = layout.input_step;
  const int32_t filter_step = layout.filter_step;
  const int32_t depth = layout.depth;
  for (int32_t r = 0; r < layout.rows; ++r) {
    const int8_t* in = input + r * layout.input_row_step;
    const int8_t* f = filter + r * layout.filter_row_step;
    for (int32_t k = 0; k < depth; ++k) {
      int32_t x[M];
#pragma GCC unroll 8
      for (int m = 0; m < M; ++m) x[m] = int32_t(in[m * input_step + k]) + input_offset;
#pragma GCC unroll 8
      for (int n = 0; n < N; ++n) {
        const int32_t w = f[n * filter_step + k];
#pragma GCC unroll 8
        for (int m = 0; m < M; ++m) sum[m][n] += uint32_t(x[m] * w);
      }
    }
  }
  for (int m = 0; m < M; ++m)
    for (int n = 0; n < N; ++n) acc[m * N + n] = wrapping_add32(acc[m * N + n], sum[m][n]);
}

// Two input rows per 64-bit multiply: x = x0 + x1 * 2^32 times a filter value
// w is x0 * w + x1 * w * 2^32 (mod 2^64), so one multiply and one add do two
// products, and the 64-bit sum is S = A0 + A1 * 2^32 with A0, A1 the two dot
// products. |A0| < 2^31 (at most kMaxDotDepth terms), so the low half
// sign-extended is A0 and (S - A0) / 2^32 is A1 modulo 2^32: exactly the
// reference's wrapping int32 result for both rows.
template <int N>
__attribute__((noinline)) void dot_tile_paired(const int8_t* input, const int8_t* filter, const DotLayout& layout,
                                               int32_t input_offset, int32_t* acc) {
  const uint64_t offset_pair = uint64_t(int64_t(input_offset)) * 0x100000001ull;  // the offset in both halves
  const int32_t input_step = layout.input_step;
  const int32_t filter_step = layout.filter_step;
  const int32_t depth = layout.depth;
  uint64_t sum[N] = {};
  for (int32_t r = 0; r < layout.rows; ++r) {
    const int8_t* in0 = input + r * layout.input_row_step;
    const int8_t* in1 = in0 + input_step;
    const int8_t* f = filter + r * layout.filter_row_step;
    auto step = [&](int32_t k) {
      const uint64_t x = uint64_t(int64_t(in0[k])) + (uint64_t(int64_t(in1[k])) << 32) + offset_pair;
#pragma GCC unroll 8
      for (int n = 0; n < N; ++n) sum[n] += x * uint64_t(int64_t(f[n * filter_step + k]));
    };
    int32_t k = 0;
    for (; k + 2 <= depth; k += 2) {
      step(k);
      step(k + 1);
    }
    if (k < depth) step(k);
  }
  for (int n = 0; n < N; ++n) {
    const int32_t row0 = int32_t(uint32_t(sum[n]));
    const uint32_t row1 = uint32_t((sum[n] - uint64_t(int64_t(row0))) >> 32);
    acc[n] = wrapping_add32(acc[n], uint32_t(row0));
    acc[N + n] = wrapping_add32(acc[N + n], row1);
  }
}

// For 32-bit cores without SIMD: M input rows x 1 filter row, four values per
// 32-bit load, with the input offset fixed at 128, i.e. it adds
// sum (input + 128) * filter (the caller corrects for its real offset with
// (offset - 128) * sum filter). input + 128 is the byte with its top bit
// flipped, read as unsigned: one xor per word and one field extract per value,
// where a signed byte costs two shifts. Only one filter row so that
// everything stays in a 16-register file (Xtensa).
//
// Preconditions beyond dot_tile's: every segment start 4-byte aligned (input,
// filter, the steps and row steps multiples of 4) and depth % 4 == 0.
inline uint32_t load_aligned32(const int8_t* p) {
  uint32_t word;
  __builtin_memcpy(&word, __builtin_assume_aligned(p, 4), 4);
  return word;
}
template <int Byte>
inline int32_t signed_byte(uint32_t word) {  // little-endian byte order
  return int32_t(word << (24 - 8 * Byte)) >> 24;
}
template <int Byte>
inline int32_t unsigned_byte(uint32_t word) {
  return int32_t((word >> (8 * Byte)) & 0xFF);
}

template <int M>
__attribute__((noinline)) void dot_tile_words_offset128(const int8_t* input, const int8_t* filter,
                                                        const DotLayout& layout, int32_t* acc) {
  constexpr uint32_t kFlipSigns = 0x80808080u;
  uint32_t sum[M] = {};
  for (int32_t r = 0; r < layout.rows; ++r) {
    const int8_t* in = input + r * layout.input_row_step;
    const int8_t* f = filter + r * layout.filter_row_step;
    const int8_t* const f_end = f + layout.depth;
    for (; f != f_end; f += 4, in += 4) {
      const uint32_t w = load_aligned32(f);
      uint32_t x[M];
#pragma GCC unroll 4
      for (int m = 0; m < M; ++m) x[m] = load_aligned32(in + m * layout.input_step) ^ kFlipSigns;
      int32_t b = signed_byte<0>(w);
#pragma GCC unroll 4
      for (int m = 0; m < M; ++m) sum[m] += uint32_t(unsigned_byte<0>(x[m]) * b);
      b = signed_byte<1>(w);
#pragma GCC unroll 4
      for (int m = 0; m < M; ++m) sum[m] += uint32_t(unsigned_byte<1>(x[m]) * b);
      b = signed_byte<2>(w);
#pragma GCC unroll 4
      for (int m = 0; m < M; ++m) sum[m] += uint32_t(unsigned_byte<2>(x[m]) * b);
      b = signed_byte<3>(w);
#pragma GCC unroll 4
      for (int m = 0; m < M; ++m) sum[m] += uint32_t(unsigned_byte<3>(x[m]) * b);
    }
  }
  for (int m = 0; m < M; ++m) acc[m] = wrapping_add32(acc[m], sum[m]);
}

#if defined(__AVX2__)
namespace avx2 {

// {sum of a0's lanes, a1's, a2's, a3's}.
inline __m128i horizontal_sum4(__m256i a0, __m256i a1, __m256i a2, __m256i a3) {
  const __m256i s = _mm256_hadd_epi32(_mm256_hadd_epi32(a0, a1), _mm256_hadd_epi32(a2, a3));
  return _mm_add_epi32(_mm256_castsi256_si128(s), _mm256_extracti128_si256(s, 1));
}

inline __m256i load16(const int8_t* p) {
  return _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
}
inline __m128i load8(const int8_t* p) {
  return _mm_cvtepi8_epi16(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)));
}
inline __m128i load4(const int8_t* p) {
  int32_t word;
  __builtin_memcpy(&word, p, 4);
  return _mm_cvtepi8_epi16(_mm_cvtsi32_si128(word));
}

// M input rows x 4 filter rows. Values widen to int16 (input + offset fits:
// |x| <= 255); _mm256_madd_epi16 adds adjacent products into int32 lanes.
// Steps of 16, 8 and 4 values, then one at a time.
template <int M>
__attribute__((noinline)) void dot_tile_mx4(const int8_t* input, const int8_t* filter, const DotLayout& layout,
                                            int32_t input_offset, int32_t* acc) {
  const __m256i offset16 = _mm256_set1_epi16(int16_t(input_offset));
  const __m128i offset8 = _mm256_castsi256_si128(offset16);
  const int32_t input_step = layout.input_step;
  const int32_t filter_step = layout.filter_step;
  const int32_t depth = layout.depth;
  __m256i sum[M][4];
  __m128i sum_short[M][4];
  uint32_t sum_scalar[M][4] = {};
#pragma GCC unroll 4
  for (int m = 0; m < M; ++m)
#pragma GCC unroll 4
    for (int n = 0; n < 4; ++n) {
      sum[m][n] = _mm256_setzero_si256();
      sum_short[m][n] = _mm_setzero_si128();
    }
  for (int32_t r = 0; r < layout.rows; ++r) {
    const int8_t* in = input + r * layout.input_row_step;
    const int8_t* f = filter + r * layout.filter_row_step;
    int32_t k = 0;
    for (; k + 16 <= depth; k += 16) {
      __m256i x[M];
#pragma GCC unroll 4
      for (int m = 0; m < M; ++m) x[m] = _mm256_add_epi16(load16(in + m * input_step + k), offset16);
#pragma GCC unroll 4
      for (int n = 0; n < 4; ++n) {
        const __m256i w = load16(f + n * filter_step + k);
#pragma GCC unroll 4
        for (int m = 0; m < M; ++m) sum[m][n] = _mm256_add_epi32(sum[m][n], _mm256_madd_epi16(x[m], w));
      }
    }
    if (k + 8 <= depth) {
      __m128i x[M];
#pragma GCC unroll 4
      for (int m = 0; m < M; ++m) x[m] = _mm_add_epi16(load8(in + m * input_step + k), offset8);
#pragma GCC unroll 4
      for (int n = 0; n < 4; ++n) {
        const __m128i w = load8(f + n * filter_step + k);
#pragma GCC unroll 4
        for (int m = 0; m < M; ++m) sum_short[m][n] = _mm_add_epi32(sum_short[m][n], _mm_madd_epi16(x[m], w));
      }
      k += 8;
    }
    if (k + 4 <= depth) {
      // Four values in the low half; the filter's upper int16 lanes are zero,
      // so the offset added there does not count.
      __m128i x[M];
#pragma GCC unroll 4
      for (int m = 0; m < M; ++m) x[m] = _mm_add_epi16(load4(in + m * input_step + k), offset8);
#pragma GCC unroll 4
      for (int n = 0; n < 4; ++n) {
        const __m128i w = load4(f + n * filter_step + k);
#pragma GCC unroll 4
        for (int m = 0; m < M; ++m) sum_short[m][n] = _mm_add_epi32(sum_short[m][n], _mm_madd_epi16(x[m], w));
      }
      k += 4;
    }
    for (; k < depth; ++k) {
#pragma GCC unroll 4
      for (int m = 0; m < M; ++m) {
        const int32_t x = int32_t(in[m * input_step + k]) + input_offset;
#pragma GCC unroll 4
        for (int n = 0; n < 4; ++n) sum_scalar[m][n] += uint32_t(x * f[n * filter_step + k]);
      }
    }
  }
#pragma GCC unroll 4
  for (int m = 0; m < M; ++m) {
#pragma GCC unroll 4
    for (int n = 0; n < 4; ++n)
      sum[m][n] = _mm256_add_epi32(sum[m][n], _mm256_zextsi128_si256(sum_short[m][n]));
    int32_t* row = acc + m * 4;
    __m128i total = _mm_loadu_si128(reinterpret_cast<const __m128i*>(row));
    total = _mm_add_epi32(total, horizontal_sum4(sum[m][0], sum[m][1], sum[m][2], sum[m][3]));
    total = _mm_add_epi32(total, _mm_loadu_si128(reinterpret_cast<const __m128i*>(sum_scalar[m])));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(row), total);
  }
}

}  // namespace avx2
#endif  // __AVX2__

// The tile the conv and fully connected kernels use: M in {1, 2}, any N.
template <int M, int N>
inline void dot_tile(const int8_t* input, const int8_t* filter, const DotLayout& layout, int32_t input_offset,
                     int32_t* acc) {
  static_assert(M == 1 || M == 2, "tiles have one or two input rows");
#if defined(__AVX2__)
  if constexpr (N == 4) {
    avx2::dot_tile_mx4<M>(input, filter, layout, input_offset, acc);
    return;
  }
#endif
  if constexpr (M == 2 && sizeof(void*) >= 8) {
    dot_tile_paired<N>(input, filter, layout, input_offset, acc);
  } else {
    dot_tile_scalar<M, N>(input, filter, layout, input_offset, acc);
  }
}

}  // namespace optimized
}  // namespace mote
