// AVX2 form of requantize.h: eight channels' double-rounding requantization
// in one 256-bit vector, bit-exact with fixedpoint.h. Only compiled when the
// runtime is built with -mavx2 (CMake MOTE_HOST_SIMD=ON).
//
// Per lane: p = (acc << left_shift) * multiplier as int64 (even and odd lanes
// in separate vectors), u = p + round (or negative_round when p < -2^30),
// result = u >> total_shift, exactly as requantize(). AVX2 has no arithmetic
// 64-bit shift, so u is biased by 2^63: with v = u + 2^63 >= 0 the logical
// shift gives floor(u / 2^S) + 2^(63 - S), and the constant is subtracted
// from the low 32 bits (which are all the result needs).
#pragma once

#if defined(__AVX2__)

#include <immintrin.h>
#include <stdint.h>

#include "kernels/optimized/requantize.h"

namespace mote {
namespace optimized {

struct ChannelRequantX8 {
  __m256i left_shift;      // 8 x int32
  __m256i multiplier;      // 8 x int32; _mm256_mul_epi32 reads the even lanes
  __m256i multiplier_odd;  // lanes 1, 3, 5, 7 moved to the even positions
  __m256i round_even, round_odd;            // 4 x int64 each, biased by 2^63
  __m256i negative_round_even, negative_round_odd;
  __m256i shift_even, shift_odd;            // 4 x int64: total_shift
  __m256i correction;                       // 8 x int32: low bits of 2^(63 - total_shift)
};

inline ChannelRequantX8 make_channel_requant_x8(const ChannelRequant* r) {
  const uint64_t bias = uint64_t(1) << 63;
  auto biased = [bias](int64_t v) { return int64_t(uint64_t(v) + bias); };
  ChannelRequantX8 v;
  v.left_shift = _mm256_setr_epi32(r[0].left_shift, r[1].left_shift, r[2].left_shift, r[3].left_shift,
                                   r[4].left_shift, r[5].left_shift, r[6].left_shift, r[7].left_shift);
  v.multiplier = _mm256_setr_epi32(r[0].multiplier, r[1].multiplier, r[2].multiplier, r[3].multiplier,
                                   r[4].multiplier, r[5].multiplier, r[6].multiplier, r[7].multiplier);
  v.multiplier_odd = _mm256_srli_epi64(v.multiplier, 32);
  v.round_even = _mm256_setr_epi64x(biased(r[0].round), biased(r[2].round), biased(r[4].round), biased(r[6].round));
  v.round_odd = _mm256_setr_epi64x(biased(r[1].round), biased(r[3].round), biased(r[5].round), biased(r[7].round));
  v.negative_round_even = _mm256_setr_epi64x(biased(r[0].negative_round), biased(r[2].negative_round),
                                             biased(r[4].negative_round), biased(r[6].negative_round));
  v.negative_round_odd = _mm256_setr_epi64x(biased(r[1].negative_round), biased(r[3].negative_round),
                                            biased(r[5].negative_round), biased(r[7].negative_round));
  v.shift_even = _mm256_setr_epi64x(r[0].total_shift, r[2].total_shift, r[4].total_shift, r[6].total_shift);
  v.shift_odd = _mm256_setr_epi64x(r[1].total_shift, r[3].total_shift, r[5].total_shift, r[7].total_shift);
  int32_t correction[8];
  for (int k = 0; k < 8; ++k) correction[k] = int32_t(uint32_t(uint64_t(1) << (63 - r[k].total_shift)));
  v.correction = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(correction));
  return v;
}

// requantize(r[k], acc[k]) for the eight lanes.
inline __m256i requantize_x8(const ChannelRequantX8& r, __m256i acc) {
  const __m256i x = _mm256_sllv_epi32(acc, r.left_shift);
  const __m256i p_even = _mm256_mul_epi32(x, r.multiplier);
  const __m256i p_odd = _mm256_mul_epi32(_mm256_srli_epi64(x, 32), r.multiplier_odd);
  const __m256i limit = _mm256_set1_epi64x(-(int64_t(1) << 30));
  const __m256i v_even = _mm256_add_epi64(
      p_even, _mm256_blendv_epi8(r.round_even, r.negative_round_even, _mm256_cmpgt_epi64(limit, p_even)));
  const __m256i v_odd = _mm256_add_epi64(
      p_odd, _mm256_blendv_epi8(r.round_odd, r.negative_round_odd, _mm256_cmpgt_epi64(limit, p_odd)));
  const __m256i even = _mm256_srlv_epi64(v_even, r.shift_even);
  const __m256i odd = _mm256_slli_epi64(_mm256_srlv_epi64(v_odd, r.shift_odd), 32);
  return _mm256_sub_epi32(_mm256_blend_epi32(even, odd, 0xAA), r.correction);
}

// requantize_clamp() for eight lanes, narrowed to int8 and stored (8 bytes,
// any alignment).
inline void requantize_clamp_store_x8(const ChannelRequantX8& r, __m256i acc, __m256i output_offset,
                                      __m256i activation_min, __m256i activation_max, int8_t* out) {
  __m256i q = _mm256_add_epi32(requantize_x8(r, acc), output_offset);
  q = _mm256_min_epi32(_mm256_max_epi32(q, activation_min), activation_max);
  // Values are already in int8 range: the saturating packs only narrow.
  const __m128i words = _mm_packs_epi32(_mm256_castsi256_si128(q), _mm256_extracti128_si256(q, 1));
  _mm_storel_epi64(reinterpret_cast<__m128i*>(out), _mm_packs_epi16(words, words));
}

}  // namespace optimized
}  // namespace mote

#endif  // __AVX2__
