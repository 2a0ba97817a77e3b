#include "kernels/optimized/conv_2d.h"

#include "kernels/optimized/gemm_float.h"
#include "kernels/optimized/gemm_int8.h"
#include "kernels/optimized/input_offset_fold.h"
#include "kernels/optimized/prepared_shift.h"
#include "kernels/optimized/requantize.h"
#include "kernels/optimized/requantize32.h"
#include "kernels/optimized/stream_blocks.h"
#include "kernels/reference/accumulate.h"

#if defined(__AVX2__)
#include <immintrin.h>
#include <string.h>
#endif

namespace mote {
namespace optimized {
namespace {

// A range [begin, end) of output positions or filter taps.
struct Span {
  int32_t begin = 0, end = 0;
  int32_t size() const { return end - begin; }
};

// Taps t of a window starting at input coordinate `origin` with
// 0 <= origin + t * dilation < in_size: a contiguous range. Divisions in 32
// bits (a 64-bit one is a library call on small cores): prepare bounds the
// padding and the window extent by kMaxWindowExtent.
inline Span valid_taps(int32_t origin, int32_t in_size, int32_t filter_size, int32_t dilation) {
  Span s;
  s.begin = origin >= 0 ? 0 : (-origin + dilation - 1) / dilation;
  const int64_t room = int64_t(in_size) - origin;  // input positions from the origin on
  if (room <= 0) {
    s.end = 0;
  } else if (room > (filter_size - 1) * dilation) {
    s.end = filter_size;
  } else {
    s.end = (int32_t(room) - 1) / dilation + 1;
  }
  if (s.end < s.begin) s.end = s.begin;
  return s;
}

// Output positions whose whole window lies inside the input along one axis.
Span interior_span(int32_t out_size, int32_t in_size, int32_t filter_size, int32_t stride, int32_t dilation,
                   int32_t pad) {
  const int64_t first = (int64_t(pad) + stride - 1) / stride;
  const int64_t last_origin = int64_t(in_size) - 1 - int64_t(filter_size - 1) * dilation + pad;
  const int64_t end = last_origin < 0 ? 0 : last_origin / stride + 1;
  Span s;
  s.begin = int32_t(first < out_size ? first : out_size);
  s.end = int32_t(end < out_size ? end : out_size);
  if (s.end < s.begin) s.end = s.begin;
  return s;
}

// 32-bit cores, 1x1 convolution: one output channel over all pixels, two at
// a time. The filter row is sign-extended once into `row` (so the inner loop
// loads each value with one instruction instead of extracting it), and the
// input is read four values per load with the offset-128 trick of
// dot_tile_words_offset128. Requantization and store happen right after each
// pair, with no call in between.
constexpr int32_t kPointwiseRowMax = 256;  // int16 values on the stack

// `start` is the bias with the offset correction folded in.
__attribute__((noinline)) void pointwise_channel_words(const int8_t* input, int32_t pixels, int32_t depth,
                                                       const int8_t* filter_row, int32_t start,
                                                       const ChannelRequant32& channel_requant,
                                                       const ConvParams& p, int8_t* out, int32_t out_step) {
  // Local copies: the int8 stores below may alias anything, so values read
  // through references would be reloaded after each one.
  const ChannelRequant32 requant = channel_requant;
  const int32_t output_offset = p.output_offset, activation_min = p.activation_min;
  const int32_t activation_max = p.activation_max;
  int16_t row[kPointwiseRowMax];
  for (int32_t k = 0; k < depth; k += 4) {
    const uint32_t w = load_aligned32(filter_row + k);
    row[k] = int16_t(signed_byte<0>(w));
    row[k + 1] = int16_t(signed_byte<1>(w));
    row[k + 2] = int16_t(signed_byte<2>(w));
    row[k + 3] = int16_t(signed_byte<3>(w));
  }
  constexpr uint32_t kFlipSigns = 0x80808080u;
  const auto store = [&](int32_t pixel, uint32_t sum) {
    out[pixel * out_step] = int8_t(
        requantize_clamp(requant, int32_t(uint32_t(start) + sum), output_offset, activation_min, activation_max));
  };
  int32_t i = 0;
  for (; i + 2 <= pixels; i += 2) {
    const int8_t* in0 = input + i * depth;
    const int8_t* in1 = in0 + depth;
    uint32_t sum0 = 0, sum1 = 0;
#if defined(__XTENSA__)
    {
      // Eight values per iteration (two words per pixel), then a last four.
      const int8_t* p0 = in0;
      const int8_t* p1 = in1;
      const int16_t* f = row;
      const int8_t* const end8 = in0 + (depth & ~7);
      uint32_t x0, x1, w, t;
#define MOTE_PAIR_MAC(SHIFT, W_OFFSET)   \
  "l16si %[w], %[f], " #W_OFFSET "\n"  \
  "extui %[t], %[x0], " #SHIFT ", 8\n" \
  "mull  %[t], %[t], %[w]\n"           \
  "add   %[s0], %[s0], %[t]\n"         \
  "extui %[t], %[x1], " #SHIFT ", 8\n" \
  "mull  %[t], %[t], %[w]\n"           \
  "add   %[s1], %[s1], %[t]\n"
#define MOTE_PAIR_WORD(IN_OFFSET, W0, W1, W2, W3)      \
  "l32i  %[x0], %[p0], " #IN_OFFSET "\n"             \
  "l32i  %[x1], %[p1], " #IN_OFFSET "\n"             \
  "xor   %[x0], %[x0], %[flip]\n"                    \
  "xor   %[x1], %[x1], %[flip]\n"                    \
  MOTE_PAIR_MAC(0, W0) MOTE_PAIR_MAC(8, W1) MOTE_PAIR_MAC(16, W2) MOTE_PAIR_MAC(24, W3)
      if (p0 != end8) {
        __asm__ volatile(
            "1:\n" MOTE_PAIR_WORD(0, 0, 2, 4, 6) MOTE_PAIR_WORD(4, 8, 10, 12, 14)
            "addi  %[p0], %[p0], 8\n"
            "addi  %[p1], %[p1], 8\n"
            "addi  %[f], %[f], 16\n"
            "bne   %[p0], %[end], 1b\n"
            : [s0] "+&r"(sum0), [s1] "+&r"(sum1), [p0] "+&r"(p0), [p1] "+&r"(p1), [f] "+&r"(f), [x0] "=&r"(x0),
              [x1] "=&r"(x1), [w] "=&r"(w), [t] "=&r"(t)
            : [end] "r"(end8), [flip] "r"(kFlipSigns)
            : "memory");
      }
      if (depth & 4) {
        __asm__ volatile(MOTE_PAIR_WORD(0, 0, 2, 4, 6)
                         : [s0] "+&r"(sum0), [s1] "+&r"(sum1), [x0] "=&r"(x0), [x1] "=&r"(x1), [w] "=&r"(w),
                           [t] "=&r"(t)
                         : [p0] "r"(p0), [p1] "r"(p1), [f] "r"(f), [flip] "r"(kFlipSigns)
                         : "memory");
      }
#undef MOTE_PAIR_WORD
#undef MOTE_PAIR_MAC
    }
#else
    for (int32_t k = 0; k < depth; k += 4) {
      const uint32_t x0 = load_aligned32(in0 + k) ^ kFlipSigns;
      const uint32_t x1 = load_aligned32(in1 + k) ^ kFlipSigns;
      const int32_t f0 = row[k], f1 = row[k + 1], f2 = row[k + 2], f3 = row[k + 3];
      sum0 += uint32_t(unsigned_byte<0>(x0) * f0 + unsigned_byte<1>(x0) * f1 + unsigned_byte<2>(x0) * f2 +
                       unsigned_byte<3>(x0) * f3);
      sum1 += uint32_t(unsigned_byte<0>(x1) * f0 + unsigned_byte<1>(x1) * f1 + unsigned_byte<2>(x1) * f2 +
                       unsigned_byte<3>(x1) * f3);
    }
#endif
    store(i, sum0);
    store(i + 1, sum1);
  }
  for (; i < pixels; ++i) {
    const int8_t* in0 = input + i * depth;
    uint32_t sum = 0;
    for (int32_t k = 0; k < depth; k += 4) {
      const uint32_t x = load_aligned32(in0 + k) ^ kFlipSigns;
      sum += uint32_t(unsigned_byte<0>(x) * row[k] + unsigned_byte<1>(x) * row[k + 1] +
                      unsigned_byte<2>(x) * row[k + 2] + unsigned_byte<3>(x) * row[k + 3]);
    }
    store(i, sum);
  }
}

// What differs between the int8 and the float kernel: the tiles and the
// output stage. The loops in Conv are shared.
//
// kWordLoads selects the tiles for 32-bit cores without SIMD: two channels
// per block; pixel pairs, whose windows are always whole (interior pixels or
// 1x1), take dot_tile_words_offset128 one channel at a time when the data is
// 4-byte aligned, and their output stage adds (input_offset - 128) * the
// channel's filter sum to make up for the fixed offset. Otherwise dot_tile.
template <bool kWordLoads>
struct Int8Math {
  using Value = int8_t;
  using Acc = int32_t;
  using Bias = int32_t;
  static constexpr int kChannels = kWordLoads ? 2 : 4;
  const ConvParams& p;
  const int32_t* multiplier;
  const int32_t* shift;  // prepared (prepared_shift.h)
  bool aligned;  // kWordLoads: input, filter and in.c allow word loads
  int32_t filter_step;

  // Whether pixel pairs must have whole windows (filter rows included): the
  // offset correction is the sum of the whole filter.
  bool pairs_need_whole_windows() const { return kWordLoads && aligned; }

  // 1x1 convolutions on 32-bit cores: pointwise_channel_words per channel.
  bool pointwise_by_channel(int32_t depth) const { return kWordLoads && aligned && depth <= kPointwiseRowMax; }
  void pointwise_channel(const int8_t* input, int32_t pixels, int32_t depth, const int8_t* filter, const int32_t* bias,
                         int32_t channel, int8_t* out, int32_t out_step) const {
    // sum (x + offset) f = sum (x + 128) f + (offset - 128) sum f
    const int32_t start =
        fold_input_offset(bias != nullptr ? bias[channel] : 0, p.input_offset - 128, filter_sum_of(shift[channel]));
    pointwise_channel_words(input, pixels, depth, filter + channel * filter_step, start,
                            make_channel_requant32(multiplier[channel], shift_of(shift[channel])), p, out + channel,
                            out_step);
  }

  template <int M, int N>
  void dot(const int8_t* input, const int8_t* filter, const DotLayout& layout, int32_t* acc) const {
    if constexpr (kWordLoads) {
      if (M == 2 && aligned) {
        for (int n = 0; n < N; ++n) {
          int32_t pair[2] = {acc[n], acc[N + n]};
          dot_tile_words_offset128<2>(input, filter + n * layout.filter_step, layout, pair);
          acc[n] = pair[0];
          acc[N + n] = pair[1];
        }
      } else {
        dot_tile_scalar<M, N>(input, filter, layout, p.input_offset, acc);
      }
    } else {
      dot_tile<M, N>(input, filter, layout, p.input_offset, acc);
    }
  }

  // Bias and requantization of N consecutive output channels. Pixel pairs
  // start from pair_bias: the bias plus the word loads' offset correction.
  // 32-bit cores requantize without 64-bit products.
  template <int N>
  struct Output {
    int32_t bias[N];
    int32_t pair_bias[N];
    CoreRequant<kWordLoads> requant[N];
    int32_t offset, min, max;

    int8_t operator()(int32_t acc, int n) const {
      return int8_t(requantize_clamp(requant[n], acc, offset, min, max));
    }
    // M pixels x N channels; pixel m's outputs start at out + m * pixel_step.
    template <int M>
    void store(const int32_t* acc, int8_t* out, int32_t pixel_step) const {
      const int32_t* start = M == 2 ? pair_bias : bias;
      for (int m = 0; m < M; ++m)
        for (int n = 0; n < N; ++n)
          out[m * pixel_step + n] = (*this)(reference::wrapping_add(acc[m * N + n], start[n]), n);
    }
  };
  template <int N>
  Output<N> output(const int8_t*, const int32_t* bias, int32_t channel) const {
    Output<N> o;
    for (int n = 0; n < N; ++n) {
      const int32_t prepared = shift[channel + n];
      o.bias[n] = bias != nullptr ? bias[channel + n] : 0;
      o.pair_bias[n] = kWordLoads && aligned
                           ? fold_input_offset(o.bias[n], p.input_offset - 128, filter_sum_of(prepared))
                           : o.bias[n];
      o.requant[n] = make_core_requant<kWordLoads>(multiplier[channel + n], shift_of(prepared));
    }
    o.offset = p.output_offset;
    o.min = p.activation_min;
    o.max = p.activation_max;
    return o;
  }
};

#if defined(__AVX2__)
// Requantizes 2 pixels x 4 channels in one vector: the same arithmetic as
// requantize.h per lane. With h = the rounding doubling high multiply of
// (acc << left_shift) and the multiplier, floor((x * m + 2^30) / 2^31) (see
// requantize.h), whose low 32 bits a logical 64-bit shift gives exactly, then
// TFLite's rounding right shift of h.
struct Int8Output2x4 {
  __m256i bias, multiplier, left_shift, right_shift, offset, min, max;

  Int8Output2x4(const Int8Math<false>::Output<4>& o, const int32_t* multipliers, const int32_t* shifts) {
    int32_t left[4], right[4];
    for (int n = 0; n < 4; ++n) {
      const int32_t shift = shift_of(shifts[n]);
      left[n] = shift > 0 ? shift : 0;
      right[n] = shift > 0 ? 0 : -shift;
    }
    const auto twice = [](const int32_t* v) {
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(v));
      return _mm256_set_m128i(x, x);
    };
    bias = twice(o.pair_bias);
    multiplier = twice(multipliers);
    left_shift = twice(left);
    right_shift = twice(right);
    offset = _mm256_set1_epi32(o.offset);
    min = _mm256_set1_epi32(o.min);
    max = _mm256_set1_epi32(o.max);
  }

  void store(const int32_t* acc, int8_t* out, int32_t pixel_step) const {
    __m256i x = _mm256_add_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(acc)), bias);
    x = _mm256_sllv_epi32(x, left_shift);
    const __m256i round = _mm256_set1_epi64x(int64_t(1) << 30);
    const __m256i even = _mm256_srli_epi64(_mm256_add_epi64(_mm256_mul_epi32(x, multiplier), round), 31);
    const __m256i odd = _mm256_srli_epi64(
        _mm256_add_epi64(_mm256_mul_epi32(_mm256_srli_epi64(x, 32), _mm256_srli_epi64(multiplier, 32)), round), 31);
    const __m256i high = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
    // Rounding divide by 2^right_shift, half away from zero.
    const __m256i one = _mm256_set1_epi32(1);
    const __m256i mask = _mm256_sub_epi32(_mm256_sllv_epi32(one, right_shift), one);
    const __m256i remainder = _mm256_and_si256(high, mask);
    const __m256i negative = _mm256_cmpgt_epi32(_mm256_setzero_si256(), high);
    const __m256i threshold = _mm256_sub_epi32(_mm256_srli_epi32(mask, 1), negative);
    __m256i q = _mm256_sub_epi32(_mm256_srav_epi32(high, right_shift), _mm256_cmpgt_epi32(remainder, threshold));
    q = _mm256_add_epi32(q, offset);
    q = _mm256_min_epi32(_mm256_max_epi32(q, min), max);
    const __m128i q16 = _mm_packs_epi32(_mm256_castsi256_si128(q), _mm256_extracti128_si256(q, 1));
    const __m128i q8 = _mm_packs_epi16(q16, q16);
    const int32_t pixel0 = _mm_cvtsi128_si32(q8);
    const int32_t pixel1 = _mm_extract_epi32(q8, 1);
    memcpy(out, &pixel0, 4);
    memcpy(out + pixel_step, &pixel1, 4);
  }
};
#endif

struct FloatMath {
  using Value = float;
  using Acc = float;
  using Bias = float;
  static constexpr int kChannels = 4;
  const ConvParams& p;

  bool pairs_need_whole_windows() const { return false; }
  bool pointwise_by_channel(int32_t) const { return false; }
  void pointwise_channel(const float*, int32_t, int32_t, const float*, const float*, int32_t, float*, int32_t) const {}

  template <int M, int N>
  void dot(const float* input, const float* filter, const DotLayout& layout, float* acc) const {
    dot_tile_float<M, N>(input, filter, layout, acc);
  }

  // Adds the bias (0.0f when there is none, as the reference) and clamps.
  template <int N>
  struct Output {
    float bias[N];
    float min, max;
    template <int M>
    void store(const float* acc, float* out, int32_t pixel_step) const {
      for (int m = 0; m < M; ++m)
        for (int n = 0; n < N; ++n)
          out[m * pixel_step + n] = reference::clamp_float(acc[m * N + n] + bias[n], min, max);
    }
  };
  template <int N>
  Output<N> output(const float*, const float* bias, int32_t channel) const {
    Output<N> o;
    for (int n = 0; n < N; ++n) o.bias[n] = bias != nullptr ? bias[channel + n] : 0.0f;
    o.min = p.float_activation_min;
    o.max = p.float_activation_max;
    return o;
  }
};

template <typename Math>
struct Conv {
  using Value = typename Math::Value;
  using Acc = typename Math::Acc;
  using Bias = typename Math::Bias;

  Math math;
  const ConvParams& p;
  Dims4 in, fd, out;
  const Value* input;
  const Value* filter;
  const Bias* bias;
  Value* output;
  const int32_t* multiplier;  // int8 only
  const int32_t* shift;

  int32_t filter_step() const { return fd.h * fd.w * fd.c; }

  // Adds M windows (`input_step` values apart) at input row in_y0 / column
  // in_x0 to acc: filter rows ty, columns tx. Segments are summed filter row
  // by filter row, as the reference does.
  template <int M, int N>
  void window(const Value* image, int32_t in_y0, Span ty, int32_t in_x0, Span tx, int32_t input_step,
              const Value* channel_filter, Acc* acc) const {
    if (tx.size() <= 0 || ty.size() <= 0) return;
    const int32_t row_values = in.w * in.c;
    const Value* first_row = image + (in_y0 + ty.begin * p.dilation_h) * row_values;
    const Value* first_filter_row = channel_filter + ty.begin * fd.w * fd.c;
    DotLayout layout;
    layout.input_step = input_step;
    layout.filter_step = filter_step();
    if (p.dilation_w == 1) {
      // Each filter row's part of the window is contiguous in the input.
      layout.rows = ty.size();
      layout.input_row_step = p.dilation_h * row_values;
      layout.filter_row_step = fd.w * fd.c;
      layout.depth = tx.size() * in.c;
      math.template dot<M, N>(first_row + (in_x0 + tx.begin) * in.c, first_filter_row + tx.begin * fd.c, layout, acc);
      return;
    }
    layout.depth = in.c;
    for (int32_t fy = 0; fy < ty.size(); ++fy) {
      for (int32_t fx = tx.begin; fx < tx.end; ++fx)
        math.template dot<M, N>(first_row + fy * p.dilation_h * row_values + (in_x0 + fx * p.dilation_w) * in.c,
                                first_filter_row + (fy * fd.w + fx) * fd.c, layout, acc);
    }
  }

  template <int M, int N, typename Output>
  void store(const Output& output_stage, const Acc* acc, Value* out, int32_t pixel_step) const {
    output_stage.template store<M>(acc, out, pixel_step);
  }

  // Output channels [channel, channel + N) of the output rows in `rows`.
  template <int N>
  void channels(int32_t channel, const RowBlock& rows) const {
    const Value* channel_filter = filter + channel * filter_step();
    const auto output_stage = math.template output<N>(filter, bias, channel);
    const auto pair_store = pair_output<N>(output_stage, channel);
    const Span xs = interior_span(out.w, in.w, fd.w, p.stride_w, p.dilation_w, p.pad_w);
    const Span full_width = {0, fd.w};
    const int32_t pair_step = p.stride_w * in.c;
    for (int32_t b = rows.first_batch; b < rows.end_batch; ++b) {
      const Value* image = input + b * in.h * in.w * in.c;
      for (int32_t out_y = rows.first_y; out_y < rows.end_y; ++out_y) {
        const int32_t in_y0 = out_y * p.stride_h - p.pad_h;
        const Span ty = valid_taps(in_y0, in.h, fd.h, p.dilation_h);
        const bool pairs = ty.size() == fd.h || !math.pairs_need_whole_windows();
        Value* out_row = output + (b * out.h + out_y) * out.w * out.c + channel;
        int32_t out_x = 0;
        while (out_x < out.w) {
          const int32_t in_x0 = out_x * p.stride_w - p.pad_w;
          if (pairs && out_x >= xs.begin && out_x + 1 < xs.end) {
            Acc acc[2 * N] = {};
            window<2, N>(image, in_y0, ty, in_x0, full_width, pair_step, channel_filter, acc);
            pair_store(acc, out_row + out_x * out.c, out.c);
            out_x += 2;
          } else {
            Acc acc[N] = {};
            window<1, N>(image, in_y0, ty, in_x0, valid_taps(in_x0, in.w, fd.w, p.dilation_w), 0, channel_filter,
                         acc);
            store<1, N>(output_stage, acc, out_row + out_x * out.c, out.c);
            out_x += 1;
          }
        }
      }
    }
  }

  // 1x1 filter, stride 1, no padding: a matrix product of the
  // [pixels, in.c] input and the [out.c, in.c] filter, here over pixels
  // [first, end) (input and output pixels correspond one to one).
  template <int N>
  void pointwise_channels(int32_t channel, int32_t first, int32_t end) const {
    const Value* channel_filter = filter + channel * filter_step();
    const auto output_stage = math.template output<N>(filter, bias, channel);
    const auto pair_store = pair_output<N>(output_stage, channel);
    DotLayout layout;
    layout.input_step = in.c;
    layout.filter_step = filter_step();
    layout.depth = in.c;
    int32_t i = first;
    for (; i + 2 <= end; i += 2) {
      Acc acc[2 * N] = {};
      math.template dot<2, N>(input + i * in.c, channel_filter, layout, acc);
      pair_store(acc, output + i * out.c + channel, out.c);
    }
    if (i < end) {
      Acc acc[N] = {};
      math.template dot<1, N>(input + i * in.c, channel_filter, layout, acc);
      store<1, N>(output_stage, acc, output + i * out.c + channel, out.c);
    }
  }

  // The output stage of a 2-pixel tile: vectorized for int8 2 x 4 tiles
  // with AVX2, else the scalar one.
  template <int N, typename Output>
  auto pair_output(const Output& output_stage, int32_t channel) const {
#if defined(__AVX2__)
    if constexpr (N == 4 && sizeof(Value) == 1 && Math::kChannels == 4) {
      const Int8Output2x4 vector_stage(output_stage, multiplier + channel, shift + channel);
      return [vector_stage](const Acc* acc, Value* out, int32_t pixel_step) {
        vector_stage.store(acc, out, pixel_step);
      };
    } else
#endif
    {
      (void)channel;
      return [&output_stage](const Acc* acc, Value* out, int32_t pixel_step) {
        output_stage.template store<2>(acc, out, pixel_step);
      };
    }
  }

  // Every output channel of the output rows in `rows`, channel blocks
  // outermost.
  void run_rows(const RowBlock& rows) const {
    const bool pointwise = fd.h == 1 && fd.w == 1 && p.stride_h == 1 && p.stride_w == 1 && p.pad_h == 0 &&
                           p.pad_w == 0 && in.h == out.h && in.w == out.w;
    const int32_t first = rows.first_pixel(out), end = rows.end_pixel(out);
    if (pointwise && math.pointwise_by_channel(in.c)) {
      for (int32_t channel = 0; channel < out.c; ++channel)
        math.pointwise_channel(input + first * in.c, end - first, in.c, filter, bias, channel, output + first * out.c,
                               out.c);
      return;
    }
    int32_t channel = 0;
    constexpr int kChannels = Math::kChannels;
    for (; channel + kChannels <= out.c; channel += kChannels) {
      if (pointwise) {
        pointwise_channels<kChannels>(channel, first, end);
      } else {
        channels<kChannels>(channel, rows);
      }
    }
    for (; channel < out.c; ++channel) {
      if (pointwise) {
        pointwise_channels<1>(channel, first, end);
      } else {
        channels<1>(channel, rows);
      }
    }
  }

  // block_rows 0: all output rows at once, each block of filter rows read
  // once per call; else row blocks in order, or last to first where the
  // output lies above the input (stream_blocks.h).
  void run(int32_t block_rows) const {
    for_row_blocks(out, block_rows, walks_back_to_front(input, output),
                   [this](const RowBlock& rows) { run_rows(rows); });
  }
};

}  // namespace

bool conv_2d_int8_applies(const Dims4& input_dims, const Dims4& filter_dims) {
  return input_dims.c == filter_dims.c && int64_t(filter_dims.h) * filter_dims.w * filter_dims.c <= kMaxDotDepth;
}

bool conv_2d_float_applies(const Dims4& input_dims, const Dims4& filter_dims) {
  return input_dims.c == filter_dims.c;
}

// conv_2d_int8_applies() bounds the window by kMaxDotDepth, so every sum fits.
static_assert(kMaxDotDepth <= kMaxPreparedWindow, "filter sums must fit the prepared shift");

void conv_2d_int8_prepare(const Dims4& filter_dims, const int8_t* filter, int32_t* output_shift) {
  const int32_t window = filter_dims.h * filter_dims.w * filter_dims.c;
  for (int32_t c = 0; c < filter_dims.n; ++c)
    output_shift[c] = prepared_shift(output_shift[c], filter_sum(filter + c * window, window, 1));
}

namespace {

template <bool kWordLoads>
void conv_2d_int8_with(const ConvParams& params, const int32_t* output_multiplier, const int32_t* output_shift,
                       const Dims4& input_dims, const int8_t* input, const Dims4& filter_dims, const int8_t* filter,
                       const int32_t* bias, const Dims4& output_dims, int8_t* output, int32_t block_rows) {
  const bool aligned = kWordLoads && input_dims.c % 4 == 0 && reinterpret_cast<uintptr_t>(input) % 4 == 0 &&
                       reinterpret_cast<uintptr_t>(filter) % 4 == 0;
  const int32_t filter_step = filter_dims.h * filter_dims.w * filter_dims.c;
  const Conv<Int8Math<kWordLoads>> conv = {
      Int8Math<kWordLoads>{params, output_multiplier, output_shift, aligned, filter_step},
      params,
      input_dims,
      filter_dims,
      output_dims,
      input,
      filter,
      bias,
      output,
      output_multiplier,
      output_shift};
  conv.run(block_rows);
}

void conv_2d_float_with(const ConvParams& params, const Dims4& input_dims, const float* input,
                        const Dims4& filter_dims, const float* filter, const float* bias, const Dims4& output_dims,
                        float* output, int32_t block_rows) {
  const Conv<FloatMath> conv = {FloatMath{params}, params, input_dims, filter_dims, output_dims, input, filter,
                                bias,              output, nullptr,    nullptr};
  conv.run(block_rows);
}

}  // namespace

void conv_2d_int8(const ConvParams& params, const int32_t* output_multiplier, const int32_t* output_shift,
                  const Dims4& input_dims, const int8_t* input, const Dims4& filter_dims, const int8_t* filter,
                  const int32_t* bias, const Dims4& output_dims, int8_t* output) {
  conv_2d_int8_with<kSmallCore>(params, output_multiplier, output_shift, input_dims, input, filter_dims, filter, bias,
                                output_dims, output, 0);
}

void conv_2d_int8_streaming(const ConvParams& params, const int32_t* output_multiplier, const int32_t* output_shift,
                            const Dims4& input_dims, const int8_t* input, const Dims4& filter_dims,
                            const int8_t* filter, const int32_t* bias, const Dims4& output_dims, int8_t* output) {
  conv_2d_int8_with<kSmallCore>(params, output_multiplier, output_shift, input_dims, input, filter_dims, filter, bias,
                                output_dims, output, conv_stream_block_rows(output_dims));
}

void conv_2d_int8_32bit(const ConvParams& params, const int32_t* output_multiplier, const int32_t* output_shift,
                        const Dims4& input_dims, const int8_t* input, const Dims4& filter_dims, const int8_t* filter,
                        const int32_t* bias, const Dims4& output_dims, int8_t* output, int32_t block_rows) {
  conv_2d_int8_with<true>(params, output_multiplier, output_shift, input_dims, input, filter_dims, filter, bias,
                          output_dims, output, block_rows);
}

void conv_2d_float(const ConvParams& params, const Dims4& input_dims, const float* input, const Dims4& filter_dims,
                   const float* filter, const float* bias, const Dims4& output_dims, float* output) {
  conv_2d_float_with(params, input_dims, input, filter_dims, filter, bias, output_dims, output, 0);
}

void conv_2d_float_streaming(const ConvParams& params, const Dims4& input_dims, const float* input,
                             const Dims4& filter_dims, const float* filter, const float* bias,
                             const Dims4& output_dims, float* output) {
  conv_2d_float_with(params, input_dims, input, filter_dims, filter, bias, output_dims, output,
                     conv_stream_block_rows(output_dims));
}

}  // namespace optimized
}  // namespace mote
