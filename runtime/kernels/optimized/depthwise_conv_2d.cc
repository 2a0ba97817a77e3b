#include "kernels/optimized/depthwise_conv_2d.h"

#include <string.h>

#include "kernels/optimized/input_offset_fold.h"
#include "kernels/optimized/prepared_shift.h"
#include "kernels/optimized/requantize.h"
#include "kernels/optimized/requantize32.h"
#include "kernels/optimized/requantize_avx2.h"
#include "kernels/optimized/stream_blocks.h"
#include "kernels/reference/accumulate.h"

#if defined(__GNUC__)
#define MOTE_NOINLINE __attribute__((noinline))
#else
#define MOTE_NOINLINE
#endif

namespace mote {
namespace optimized {
namespace {

// Output positions [begin, end) along one axis whose whole dilated filter
// lies inside the input.
struct Span {
  int32_t begin = 0, end = 0;
  bool contains(int32_t i) const { return i >= begin && i < end; }
};

Span interior_span(int32_t out_size, int32_t in_size, int32_t filter_size, int32_t stride, int32_t dilation,
                   int32_t pad) {
  // First: out * stride - pad >= 0. Last: out * stride - pad + (filter - 1) *
  // dilation <= in_size - 1.
  const int64_t first = (int64_t(pad) + stride - 1) / stride;
  const int64_t last_origin = int64_t(in_size) - 1 - int64_t(filter_size - 1) * dilation + pad;
  const int64_t end = last_origin < 0 ? 0 : last_origin / stride + 1;
  Span s;
  s.begin = int32_t(first < out_size ? first : out_size);
  s.end = int32_t(end < out_size ? end : out_size);
  if (s.end < s.begin) s.end = s.begin;
  return s;
}

inline int32_t wrap_add(int32_t a, int32_t b) { return int32_t(uint32_t(a) + uint32_t(b)); }

template <typename T, typename Bias>
struct Job {
  const ConvParams* p;
  const int32_t* multiplier;
  const int32_t* shift;
  Dims4 in, fd, out;
  const T* input;
  const T* filter;
  const Bias* bias;  // nullptr when absent
  T* output;
  Span ys, xs;
  RowBlock rows;  // the whole output, or one block of it
  // Images and rows last to first: the plan put the output above the input
  // (row_block_min_lead_back(); channel by channel with multiplier 1).
  bool back_to_front;

  int32_t batch_at(int32_t i) const { return back_to_front ? rows.end_batch - 1 - i : rows.first_batch + i; }
  int32_t row_at(int32_t i) const { return back_to_front ? rows.end_y - 1 - i : rows.first_y + i; }
};

template <typename T, typename Bias>
Job<T, Bias> make_job(const ConvParams& p, const int32_t* multiplier, const int32_t* shift, const Dims4& in,
                      const T* input, const Dims4& fd, const T* filter, const Bias* bias, const Dims4& out,
                      T* output) {
  Job<T, Bias> j;
  j.p = &p;
  j.multiplier = multiplier;
  j.shift = shift;
  j.in = in;
  j.fd = fd;
  j.out = out;
  j.input = input;
  j.filter = filter;
  j.bias = bias;
  j.output = output;
  j.ys = interior_span(out.h, in.h, fd.h, p.stride_h, p.dilation_h, p.pad_h);
  j.xs = interior_span(out.w, in.w, fd.w, p.stride_w, p.dilation_w, p.pad_w);
  j.rows = whole_output(out);
  j.back_to_front = walks_back_to_front(input, output);
  return j;
}

// --- int8 -------------------------------------------------------------------

// Requantizes N lanes into a local first: stores through int8_t* may alias
// any memory, which would reload every parameter per channel.
template <int N>
inline void store_lanes(const ChannelRequant* requant, const int32_t* acc, int32_t output_offset,
                        int32_t activation_min, int32_t activation_max, int8_t* out) {
  int8_t result[N];
  for (int k = 0; k < N; ++k)
    result[k] = int8_t(requantize_clamp(requant[k], acc[k], output_offset, activation_min, activation_max));
  memcpy(out, result, N);
}

// Output channels [oc0, oc0 + N) at every output pixel. Lane k reads input
// channel ic0 + k (depth multiplier 1), or ic0 for every lane (kBroadcast:
// one input channel feeding N of its depth_multiplier outputs).
// Not inlined: inside the channel loop the compiler runs out of registers for
// the per-pixel loops.
template <int N, bool kBroadcast, bool k3x3>
MOTE_NOINLINE void int8_block(const Job<int8_t, int32_t>& j, int32_t ic0, int32_t oc0) {
  const ConvParams& p = *j.p;
  const int32_t in_c = j.in.c;
  const int32_t out_c = j.out.c;  // also the filter's tap stride
  const int8_t* filter = j.filter + oc0;

  // Interior pixels start from the bias with the input offset folded in.
  int32_t bias[N];
  int32_t interior_start[N];
  ChannelRequant requant[N];
  for (int k = 0; k < N; ++k) {
    const int32_t prepared = j.shift[oc0 + k];
    requant[k] = make_channel_requant(j.multiplier[oc0 + k], shift_of(prepared));
    bias[k] = j.bias != nullptr ? j.bias[oc0 + k] : 0;
    interior_start[k] = fold_input_offset(bias[k], p.input_offset, filter_sum_of(prepared));
  }

  const int32_t row_stride = j.in.w * in_c;
  const int32_t output_offset = p.output_offset;
  const int32_t activation_min = p.activation_min;
  const int32_t activation_max = p.activation_max;
#if defined(__AVX2__)
  // Eight channels per 256-bit vector: the requantization, and for the 3x3
  // interior the filter taps widened to int32 once per block.
  constexpr int kVectors = N % 8 == 0 ? N / 8 : 1;
  ChannelRequantX8 requant_x8[kVectors];
  __m256i filter_x8[9][kVectors];
  __m256i start_x8[kVectors];
  const __m256i offset_x8 = _mm256_set1_epi32(output_offset);
  const __m256i min_x8 = _mm256_set1_epi32(activation_min);
  const __m256i max_x8 = _mm256_set1_epi32(activation_max);
  if constexpr (N % 8 == 0) {
    for (int g = 0; g < kVectors; ++g) {
      requant_x8[g] = make_channel_requant_x8(requant + 8 * g);
      start_x8[g] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(interior_start + 8 * g));
      if (k3x3) {
        for (int t = 0; t < 9; ++t) {
          const int8_t* tap = filter + t * out_c + 8 * g;
          filter_x8[t][g] = _mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(tap)));
        }
      }
    }
  }
  // Lanes [8g, 8g + 8) of the input at x, widened to int32.
  auto input_x8 = [&](const int8_t* x, int g) {
    return kBroadcast ? _mm256_set1_epi32(x[0])
                      : _mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(x + 8 * g)));
  };
#endif
  auto store = [&](const int32_t* acc, int8_t* out) {
#if defined(__AVX2__)
    if constexpr (N % 8 == 0) {
      for (int g = 0; g < kVectors; ++g)
        requantize_clamp_store_x8(requant_x8[g], _mm256_loadu_si256(reinterpret_cast<const __m256i*>(acc + 8 * g)),
                                  offset_x8, min_x8, max_x8, out + 8 * g);
      return;
    }
#endif
    store_lanes<N>(requant, acc, output_offset, activation_min, activation_max, out);
  };
  // Window at input (in_y0, in_x0) of image `image`, clipped to the input.
  auto border_pixel = [&](const int8_t* image, int32_t in_y0, int32_t in_x0, int8_t* out) {
#if defined(__AVX2__)
    if constexpr (N % 8 == 0 && k3x3) {
      const __m256i input_offset = _mm256_set1_epi32(p.input_offset);
      for (int g = 0; g < kVectors; ++g) {
        __m256i acc = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bias + 8 * g));
        for (int32_t fy = 0; fy < 3; ++fy) {
          const int32_t in_y = in_y0 + fy;
          if (in_y < 0 || in_y >= j.in.h) continue;
          for (int32_t fx = 0; fx < 3; ++fx) {
            const int32_t in_x = in_x0 + fx;
            if (in_x < 0 || in_x >= j.in.w) continue;
            const __m256i value =
                _mm256_add_epi32(input_x8(image + in_y * row_stride + in_x * in_c + ic0, g), input_offset);
            acc = _mm256_add_epi32(acc, _mm256_mullo_epi32(value, filter_x8[fy * 3 + fx][g]));
          }
        }
        requantize_clamp_store_x8(requant_x8[g], acc, offset_x8, min_x8, max_x8, out + 8 * g);
      }
      return;
    }
#endif
    int32_t acc[N];
    for (int k = 0; k < N; ++k) acc[k] = bias[k];
    for (int32_t fy = 0; fy < j.fd.h; ++fy) {
      const int32_t in_y = in_y0 + fy * p.dilation_h;
      if (in_y < 0 || in_y >= j.in.h) continue;
      for (int32_t fx = 0; fx < j.fd.w; ++fx) {
        const int32_t in_x = in_x0 + fx * p.dilation_w;
        if (in_x < 0 || in_x >= j.in.w) continue;
        const int8_t* x = image + in_y * row_stride + in_x * in_c + ic0;
        const int8_t* f = filter + (fy * j.fd.w + fx) * out_c;
        // input + offset lies in [-255, 255]: int16 keeps the multiply narrow.
        for (int k = 0; k < N; ++k)
          acc[k] = wrap_add(acc[k], int16_t((kBroadcast ? x[0] : x[k]) + p.input_offset) * f[k]);
      }
    }
    store(acc, out);
  };
  // Window whose top-left input element is at `x`, entirely inside.
  auto interior_pixel = [&](const int8_t* x, int8_t* out) {
#if defined(__AVX2__)
    if constexpr (N % 8 == 0 && k3x3) {
      const int8_t* r0 = x;
      const int8_t* r1 = x + row_stride;
      const int8_t* r2 = x + 2 * row_stride;
      const int32_t c = in_c;
      for (int g = 0; g < kVectors; ++g) {
        // Two partial sums halve the dependency chain.
        __m256i even = _mm256_add_epi32(start_x8[g], _mm256_mullo_epi32(input_x8(r0, g), filter_x8[0][g]));
        __m256i odd = _mm256_mullo_epi32(input_x8(r0 + c, g), filter_x8[1][g]);
        even = _mm256_add_epi32(even, _mm256_mullo_epi32(input_x8(r0 + 2 * c, g), filter_x8[2][g]));
        odd = _mm256_add_epi32(odd, _mm256_mullo_epi32(input_x8(r1, g), filter_x8[3][g]));
        even = _mm256_add_epi32(even, _mm256_mullo_epi32(input_x8(r1 + c, g), filter_x8[4][g]));
        odd = _mm256_add_epi32(odd, _mm256_mullo_epi32(input_x8(r1 + 2 * c, g), filter_x8[5][g]));
        even = _mm256_add_epi32(even, _mm256_mullo_epi32(input_x8(r2, g), filter_x8[6][g]));
        odd = _mm256_add_epi32(odd, _mm256_mullo_epi32(input_x8(r2 + c, g), filter_x8[7][g]));
        even = _mm256_add_epi32(even, _mm256_mullo_epi32(input_x8(r2 + 2 * c, g), filter_x8[8][g]));
        requantize_clamp_store_x8(requant_x8[g], _mm256_add_epi32(even, odd), offset_x8, min_x8, max_x8, out + 8 * g);
      }
      return;
    }
#endif
    int32_t acc[N];
    if (k3x3) {
      // No dilation: input taps are in_c apart along a row, filter taps out_c.
      const int8_t* r0 = x;
      const int8_t* r1 = x + row_stride;
      const int8_t* r2 = x + 2 * row_stride;
      const int8_t* f = filter;
      const int32_t c = in_c;
      const int32_t fc = out_c;
      for (int k = 0; k < N; ++k) {
        const int i = kBroadcast ? 0 : k;
        // Nine products of int8 values: the sum fits easily in int32.
        const int32_t sum = r0[i] * f[k] + r0[i + c] * f[k + fc] + r0[i + 2 * c] * f[k + 2 * fc] +
                            r1[i] * f[k + 3 * fc] + r1[i + c] * f[k + 4 * fc] + r1[i + 2 * c] * f[k + 5 * fc] +
                            r2[i] * f[k + 6 * fc] + r2[i + c] * f[k + 7 * fc] + r2[i + 2 * c] * f[k + 8 * fc];
        acc[k] = wrap_add(interior_start[k], sum);
      }
    } else {
      for (int k = 0; k < N; ++k) acc[k] = interior_start[k];
      for (int32_t fy = 0; fy < j.fd.h; ++fy) {
        const int8_t* x_row = x + fy * p.dilation_h * row_stride;
        const int8_t* f_row = filter + fy * j.fd.w * out_c;
        for (int32_t fx = 0; fx < j.fd.w; ++fx) {
          const int8_t* xt = x_row + fx * p.dilation_w * in_c;
          const int8_t* ft = f_row + fx * out_c;
          for (int k = 0; k < N; ++k) acc[k] = wrap_add(acc[k], int32_t(kBroadcast ? xt[0] : xt[k]) * ft[k]);
        }
      }
    }
    store(acc, out);
  };

  for (int32_t bi = 0; bi < j.rows.end_batch - j.rows.first_batch; ++bi) {
    const int32_t b = j.batch_at(bi);
    const int8_t* image = j.input + b * j.in.h * row_stride;
    for (int32_t yi = 0; yi < j.rows.end_y - j.rows.first_y; ++yi) {
      const int32_t out_y = j.row_at(yi);
      const int32_t in_y0 = out_y * p.stride_h - p.pad_h;
      int8_t* out_row = j.output + (b * j.out.h + out_y) * j.out.w * out_c + oc0;
      if (!j.ys.contains(out_y)) {
        for (int32_t out_x = 0; out_x < j.out.w; ++out_x)
          border_pixel(image, in_y0, out_x * p.stride_w - p.pad_w, out_row + out_x * out_c);
        continue;
      }
      for (int32_t out_x = 0; out_x < j.xs.begin; ++out_x)
        border_pixel(image, in_y0, out_x * p.stride_w - p.pad_w, out_row + out_x * out_c);
      const int8_t* x = image + in_y0 * row_stride + (j.xs.begin * p.stride_w - p.pad_w) * in_c + ic0;
      const int32_t x_step = p.stride_w * in_c;
      for (int32_t out_x = j.xs.begin; out_x < j.xs.end; ++out_x, x += x_step)
        interior_pixel(x, out_row + out_x * out_c);
      for (int32_t out_x = j.xs.end; out_x < j.out.w; ++out_x)
        border_pixel(image, in_y0, out_x * p.stride_w - p.pad_w, out_row + out_x * out_c);
    }
  }
}

// 3x3 without dilation, one output channel at a time: for 32-bit cores
// without SIMD, where the channel blocks above run out of registers. The
// weights, the requantization (in the 32-bit form of requantize32.h) and the
// folded starts stay in registers or fixed stack slots across the output
// pixels.
//
// Products are formed as int16(input << 8) * int16(weight) = 256 * input *
// weight: a byte load, a shift and a 16 x 16 multiply, which cores with a
// 16-bit multiply that reads only the low halves (Xtensa MUL16S) do without
// sign-extending the input. Nine such products fit int32 (9 * 2^22), and
// the sum is divided by 256 exactly once per output.
inline int32_t scaled_product(uint8_t input, int16_t weight) {
  return int32_t(int16_t(uint16_t(input) << 8)) * weight;
}

// The taps of a 3x3 window that lie inside the input: filter rows
// [kFy0, kFy1) and columns [kFx0, kFx1).
template <int kFy0, int kFy1, int kFx0, int kFx1>
struct Taps {};

// The same rows at the left border (column 0 outside) and the right (column
// 2 outside).
template <int kFy0, int kFy1>
Taps<kFy0, kFy1, 1, 3> left_of(Taps<kFy0, kFy1, 0, 3>) {
  return {};
}
template <int kFy0, int kFy1>
Taps<kFy0, kFy1, 0, 2> right_of(Taps<kFy0, kFy1, 0, 3>) {
  return {};
}

// The scaled product of tap t (row t / 3, column t % 3) when it lies inside,
// else 0. rows[i] is the input row under the window's i-th tap row inside,
// at the column of its first tap inside.
template <int t, int kFy0, int kFy1, int kFx0, int kFx1>
inline int32_t tap_product(const uint8_t* const* rows, int32_t tap_step, const int16_t* f) {
  constexpr int fy = t / 3, fx = t % 3;
  if constexpr (fy < kFy0 || fy >= kFy1 || fx < kFx0 || fx >= kFx1)
    return 0;
  else
    return scaled_product(rows[fy - kFy0][(fx - kFx0) * tap_step], f[t]);
}

// The sum of the scaled products over the taps inside, unrolled; `x` is the
// input under the first of them.
template <int kFy0, int kFy1, int kFx0, int kFx1>
inline int32_t window_products(Taps<kFy0, kFy1, kFx0, kFx1>, const uint8_t* x, int32_t row_stride, int32_t tap_step,
                               const int16_t* f) {
  const uint8_t* rows[3];
  rows[0] = x;
  for (int i = 1; i < kFy1 - kFy0; ++i) rows[i] = rows[i - 1] + row_stride;
  return tap_product<0, kFy0, kFy1, kFx0, kFx1>(rows, tap_step, f) +
         tap_product<1, kFy0, kFy1, kFx0, kFx1>(rows, tap_step, f) +
         tap_product<2, kFy0, kFy1, kFx0, kFx1>(rows, tap_step, f) +
         tap_product<3, kFy0, kFy1, kFx0, kFx1>(rows, tap_step, f) +
         tap_product<4, kFy0, kFy1, kFx0, kFx1>(rows, tap_step, f) +
         tap_product<5, kFy0, kFy1, kFx0, kFx1>(rows, tap_step, f) +
         tap_product<6, kFy0, kFy1, kFx0, kFx1>(rows, tap_step, f) +
         tap_product<7, kFy0, kFy1, kFx0, kFx1>(rows, tap_step, f) +
         tap_product<8, kFy0, kFy1, kFx0, kFx1>(rows, tap_step, f);
}

// The output of an accumulator start + sum / 256 (sum of scaled products).
inline void store_output(const ChannelRequant32& requant, int32_t start, int32_t sum, int32_t output_offset,
                         int32_t activation_min, int32_t activation_max, int8_t* out) {
  *out = int8_t(requantize_clamp(requant, wrap_add(start, sum >> 8), output_offset, activation_min, activation_max));
}

// Folded starts (bias + input_offset * the weights of the taps inside) of
// one output row's windows: the left border's (column 0 outside), the
// middle's and the right border's (column 2 outside).
struct RowStarts {
  int32_t left, middle, right;
};

// The border of the output (windows partly outside the input, SAME padding)
// takes the same unrolled products as the interior over the taps inside,
// with its own start. Padding of at most one on each side, which SAME gives
// a 3x3 filter, leaves nine window shapes: the whole window, a missing top
// or bottom row, a missing left or right column, and the four corners. Any
// other clipping (an input of one row or column, other padding) takes the
// general loop over the taps.
//
// The pixel loops call store_output() directly: through a lambda that
// captures the requantization by reference, GCC for the lx106 loads each
// parameter through a pointer, per pixel.
void int8_channel_3x3(const Job<int8_t, int32_t>& j, int32_t ic, int32_t oc) {
  const ConvParams& p = *j.p;
  const int32_t in_c = j.in.c;
  const int32_t out_c = j.out.c;
  int16_t f[9];
  for (int t = 0; t < 9; ++t) f[t] = j.filter[oc + t * out_c];
  const int32_t bias = j.bias != nullptr ? j.bias[oc] : 0;
  const int32_t input_offset = p.input_offset;
  const ChannelRequant32 requant = make_channel_requant32(j.multiplier[oc], shift_of(j.shift[oc]));
  const int32_t output_offset = p.output_offset;
  const int32_t activation_min = p.activation_min;
  const int32_t activation_max = p.activation_max;
  const int32_t row_stride = j.in.w * in_c;
  const int32_t tap_step = in_c;
  const int32_t x_step = p.stride_w * in_c;

  // Weight sums of the whole window, of its left and right columns.
  const int32_t whole = filter_sum_of(j.shift[oc]);
  const int32_t left_column = f[0] + f[3] + f[6];
  const int32_t right_column = f[2] + f[5] + f[8];
  // Starts of a row whose windows miss a tap row with weights `row` (0 for
  // none), of which `row_left` and `row_right` lie in the side columns.
  auto row_starts = [&](int32_t row, int32_t row_left, int32_t row_right) {
    const int32_t middle = whole - row;
    return RowStarts{fold_input_offset(bias, input_offset, middle - left_column + row_left),
                     fold_input_offset(bias, input_offset, middle),
                     fold_input_offset(bias, input_offset, middle - right_column + row_right)};
  };
  const RowStarts whole_rows = row_starts(0, 0, 0);

  // Any window clipped to the input, tap by tap; `image` is at the channel's
  // first input element.
  auto clipped = [&](const uint8_t* image, int32_t in_y0, int32_t in_x0, int8_t* out) {
    const int32_t fy_begin = in_y0 < 0 ? -in_y0 : 0;
    const int32_t fy_end = j.in.h - in_y0 < 3 ? j.in.h - in_y0 : 3;
    const int32_t fx_begin = in_x0 < 0 ? -in_x0 : 0;
    const int32_t fx_end = j.in.w - in_x0 < 3 ? j.in.w - in_x0 : 3;
    int32_t sum = 0, weights = 0;
    for (int32_t fy = fy_begin; fy < fy_end; ++fy) {
      const uint8_t* x = image + (in_y0 + fy) * row_stride + in_x0 * in_c;
      for (int32_t fx = fx_begin; fx < fx_end; ++fx) {
        sum += scaled_product(x[fx * in_c], f[fy * 3 + fx]);
        weights += f[fy * 3 + fx];
      }
    }
    store_output(requant, fold_input_offset(bias, input_offset, weights), sum, output_offset, activation_min,
                 activation_max, out);
  };
  // One output row whose windows keep the tap rows of `taps` (all three
  // columns in the middle); `rows` is the input row under its first tap row.
  auto row = [&](auto taps, const uint8_t* image, int32_t in_y0, const uint8_t* rows, const RowStarts& starts,
                 int8_t* out_row) {
    for (int32_t out_x = 0; out_x < j.xs.begin; ++out_x) {
      const int32_t in_x0 = out_x * p.stride_w - p.pad_w;
      if (in_x0 == -1 && j.in.w >= 2)
        store_output(requant, starts.left, window_products(left_of(taps), rows, row_stride, tap_step, f), output_offset,
                     activation_min, activation_max, out_row + out_x * out_c);
      else
        clipped(image, in_y0, in_x0, out_row + out_x * out_c);
    }
    const uint8_t* x = rows + (j.xs.begin * p.stride_w - p.pad_w) * in_c;
    int8_t* out = out_row + j.xs.begin * out_c;
    for (int32_t n = j.xs.end - j.xs.begin; n > 0; --n, x += x_step, out += out_c)
      store_output(requant, starts.middle, window_products(taps, x, row_stride, tap_step, f), output_offset,
                   activation_min, activation_max, out);
    for (int32_t out_x = j.xs.end; out_x < j.out.w; ++out_x) {
      const int32_t in_x0 = out_x * p.stride_w - p.pad_w;
      if (in_x0 >= 0 && j.in.w - in_x0 == 2)
        store_output(requant, starts.right,
                     window_products(right_of(taps), rows + in_x0 * in_c, row_stride, tap_step, f), output_offset,
                     activation_min, activation_max, out_row + out_x * out_c);
      else
        clipped(image, in_y0, in_x0, out_row + out_x * out_c);
    }
  };

  for (int32_t bi = 0; bi < j.rows.end_batch - j.rows.first_batch; ++bi) {
    const int32_t b = j.batch_at(bi);
    const uint8_t* image = reinterpret_cast<const uint8_t*>(j.input) + b * j.in.h * row_stride + ic;
    for (int32_t yi = 0; yi < j.rows.end_y - j.rows.first_y; ++yi) {
      const int32_t out_y = j.row_at(yi);
      const int32_t in_y0 = out_y * p.stride_h - p.pad_h;
      int8_t* out_row = j.output + (b * j.out.h + out_y) * j.out.w * out_c + oc;
      const int32_t rows_below = j.in.h - in_y0;  // input rows from in_y0 on
      if (in_y0 >= 0 && rows_below >= 3) {
        row(Taps<0, 3, 0, 3>{}, image, in_y0, image + in_y0 * row_stride, whole_rows, out_row);
      } else if (in_y0 == -1 && rows_below >= 3) {
        row(Taps<1, 3, 0, 3>{}, image, in_y0, image, row_starts(f[0] + f[1] + f[2], f[0], f[2]), out_row);
      } else if (in_y0 >= 0 && rows_below == 2) {
        row(Taps<0, 2, 0, 3>{}, image, in_y0, image + in_y0 * row_stride, row_starts(f[6] + f[7] + f[8], f[6], f[8]),
            out_row);
      } else {
        for (int32_t out_x = 0; out_x < j.out.w; ++out_x)
          clipped(image, in_y0, out_x * p.stride_w - p.pad_w, out_row + out_x * out_c);
      }
    }
  }
}

// Hosts (64-bit) vectorize the channel blocks; 32-bit MCU cores run the 3x3
// kernel one channel at a time.
constexpr bool kChannelBlocks3x3 = sizeof(void*) >= 8;

template <bool k3x3>
void int8_all_channels(const Job<int8_t, int32_t>& j) {
  const int32_t multiplier = j.p->depth_multiplier;
  if (k3x3 && !kChannelBlocks3x3) {
    for (int32_t oc = 0; oc < j.out.c; ++oc) int8_channel_3x3(j, oc / multiplier, oc);
    return;
  }
  if (multiplier == 1) {
    const int32_t channels = j.out.c;
    int32_t c = 0;
    for (; c + 16 <= channels; c += 16) int8_block<16, false, k3x3>(j, c, c);
    for (; c + 8 <= channels; c += 8) int8_block<8, false, k3x3>(j, c, c);
    for (; c < channels; ++c) int8_block<1, false, k3x3>(j, c, c);
    return;
  }
  for (int32_t ic = 0; ic < j.in.c; ++ic) {
    int32_t m = 0;
    for (; m + 16 <= multiplier; m += 16) int8_block<16, true, k3x3>(j, ic, ic * multiplier + m);
    for (; m + 8 <= multiplier; m += 8) int8_block<8, true, k3x3>(j, ic, ic * multiplier + m);
    for (; m < multiplier; ++m) int8_block<1, true, k3x3>(j, ic, ic * multiplier + m);
  }
}

// --- float ------------------------------------------------------------------

template <int N, bool kBroadcast>
void float_block(const Job<float, float>& j, int32_t ic0, int32_t oc0) {
  const ConvParams& p = *j.p;
  const int32_t in_c = j.in.c;
  const int32_t out_c = j.out.c;
  const float* filter = j.filter + oc0;
  const int32_t row_stride = j.in.w * in_c;
  float bias[N];
  for (int k = 0; k < N; ++k) bias[k] = j.bias != nullptr ? j.bias[oc0 + k] : 0.0f;

  // The reference's order per output: 0, += each valid tap row by row, +
  // bias, clamp.
  auto pixel = [&](const float* image, int32_t in_y0, int32_t in_x0, bool inside, float* out) {
    float total[N];
    for (int k = 0; k < N; ++k) total[k] = 0.0f;
    for (int32_t fy = 0; fy < j.fd.h; ++fy) {
      const int32_t in_y = in_y0 + fy * p.dilation_h;
      if (!inside && (in_y < 0 || in_y >= j.in.h)) continue;
      for (int32_t fx = 0; fx < j.fd.w; ++fx) {
        const int32_t in_x = in_x0 + fx * p.dilation_w;
        if (!inside && (in_x < 0 || in_x >= j.in.w)) continue;
        const float* x = image + in_y * row_stride + in_x * in_c + ic0;
        const float* f = filter + (fy * j.fd.w + fx) * out_c;
        for (int k = 0; k < N; ++k) total[k] += (kBroadcast ? x[0] : x[k]) * f[k];
      }
    }
    for (int k = 0; k < N; ++k)
      out[k] = reference::clamp_float(total[k] + bias[k], p.float_activation_min, p.float_activation_max);
  };

  for (int32_t bi = 0; bi < j.rows.end_batch - j.rows.first_batch; ++bi) {
    const int32_t b = j.batch_at(bi);
    const float* image = j.input + b * j.in.h * row_stride;
    for (int32_t yi = 0; yi < j.rows.end_y - j.rows.first_y; ++yi) {
      const int32_t out_y = j.row_at(yi);
      const int32_t in_y0 = out_y * p.stride_h - p.pad_h;
      float* out_row = j.output + (b * j.out.h + out_y) * j.out.w * out_c + oc0;
      const bool row_inside = j.ys.contains(out_y);
      for (int32_t out_x = 0; out_x < j.out.w; ++out_x) {
        const bool inside = row_inside && j.xs.contains(out_x);
        if (inside)
          pixel(image, in_y0, out_x * p.stride_w - p.pad_w, true, out_row + out_x * out_c);
        else
          pixel(image, in_y0, out_x * p.stride_w - p.pad_w, false, out_row + out_x * out_c);
      }
    }
  }
}

}  // namespace

bool depthwise_conv_2d_int8_applies(const Dims4& filter_dims) {
  return int64_t(filter_dims.h) * filter_dims.w <= kMaxPreparedWindow;
}

void depthwise_conv_2d_int8_prepare(const Dims4& filter_dims, const int8_t* filter, int32_t* output_shift) {
  const int32_t taps = filter_dims.h * filter_dims.w;
  for (int32_t c = 0; c < filter_dims.c; ++c)
    output_shift[c] = prepared_shift(output_shift[c], filter_sum(filter + c, taps, filter_dims.c));
}

bool depthwise_conv_2d_3x3_applies(const ConvParams& params, const Dims4& filter_dims) {
  return filter_dims.h == 3 && filter_dims.w == 3 && params.dilation_h == 1 && params.dilation_w == 1;
}

namespace {

// The kernels below over the whole output (block_rows 0) or in row blocks.
template <bool k3x3>
void int8_in_blocks(const Job<int8_t, int32_t>& whole, int32_t block_rows) {
  for_row_blocks(whole.out, block_rows, whole.back_to_front, [&whole](const RowBlock& rows) {
    Job<int8_t, int32_t> j = whole;
    j.rows = rows;
    int8_all_channels<k3x3>(j);
  });
}

void float_all_channels(const Job<float, float>& j) {
  const int32_t multiplier = j.p->depth_multiplier;
  if (multiplier == 1) {
    int32_t c = 0;
    for (; c + 16 <= j.out.c; c += 16) float_block<16, false>(j, c, c);
    for (; c + 4 <= j.out.c; c += 4) float_block<4, false>(j, c, c);
    for (; c < j.out.c; ++c) float_block<1, false>(j, c, c);
    return;
  }
  for (int32_t ic = 0; ic < j.in.c; ++ic) {
    int32_t m = 0;
    for (; m + 16 <= multiplier; m += 16) float_block<16, true>(j, ic, ic * multiplier + m);
    for (; m + 4 <= multiplier; m += 4) float_block<4, true>(j, ic, ic * multiplier + m);
    for (; m < multiplier; ++m) float_block<1, true>(j, ic, ic * multiplier + m);
  }
}

void float_in_blocks(const Job<float, float>& whole, int32_t block_rows) {
  for_row_blocks(whole.out, block_rows, whole.back_to_front, [&whole](const RowBlock& rows) {
    Job<float, float> j = whole;
    j.rows = rows;
    float_all_channels(j);
  });
}

}  // namespace

void depthwise_conv_2d_int8(const ConvParams& params, const int32_t* output_multiplier, const int32_t* output_shift,
                            const Dims4& input_dims, const int8_t* input, const Dims4& filter_dims,
                            const int8_t* filter, const int32_t* bias, const Dims4& output_dims, int8_t* output) {
  int8_all_channels<false>(make_job(params, output_multiplier, output_shift, input_dims, input, filter_dims, filter,
                                    bias, output_dims, output));
}

void depthwise_conv_2d_int8_streaming(const ConvParams& params, const int32_t* output_multiplier,
                                      const int32_t* output_shift, const Dims4& input_dims, const int8_t* input,
                                      const Dims4& filter_dims, const int8_t* filter, const int32_t* bias,
                                      const Dims4& output_dims, int8_t* output) {
  int8_in_blocks<false>(make_job(params, output_multiplier, output_shift, input_dims, input, filter_dims, filter,
                                 bias, output_dims, output),
                        stream_block_rows(output_dims));
}

void depthwise_conv_2d_int8_3x3(const ConvParams& params, const int32_t* output_multiplier,
                                const int32_t* output_shift, const Dims4& input_dims, const int8_t* input,
                                const Dims4& filter_dims, const int8_t* filter, const int32_t* bias,
                                const Dims4& output_dims, int8_t* output) {
  int8_all_channels<true>(make_job(params, output_multiplier, output_shift, input_dims, input, filter_dims, filter,
                                   bias, output_dims, output));
}

void depthwise_conv_2d_int8_3x3_streaming(const ConvParams& params, const int32_t* output_multiplier,
                                          const int32_t* output_shift, const Dims4& input_dims, const int8_t* input,
                                          const Dims4& filter_dims, const int8_t* filter, const int32_t* bias,
                                          const Dims4& output_dims, int8_t* output) {
  int8_in_blocks<true>(make_job(params, output_multiplier, output_shift, input_dims, input, filter_dims, filter,
                                bias, output_dims, output),
                       stream_block_rows(output_dims));
}

void depthwise_conv_2d_int8_3x3_channelwise(const ConvParams& params, const int32_t* output_multiplier,
                                            const int32_t* output_shift, const Dims4& input_dims,
                                            const int8_t* input, const Dims4& filter_dims, const int8_t* filter,
                                            const int32_t* bias, const Dims4& output_dims, int8_t* output,
                                            int32_t block_rows) {
  const auto whole = make_job(params, output_multiplier, output_shift, input_dims, input, filter_dims, filter, bias,
                              output_dims, output);
  for_row_blocks(output_dims, block_rows, whole.back_to_front, [&whole](const RowBlock& rows) {
    Job<int8_t, int32_t> j = whole;
    j.rows = rows;
    for (int32_t oc = 0; oc < j.out.c; ++oc) int8_channel_3x3(j, oc / j.p->depth_multiplier, oc);
  });
}

void depthwise_conv_2d_float(const ConvParams& params, const Dims4& input_dims, const float* input,
                             const Dims4& filter_dims, const float* filter, const float* bias, const Dims4& output_dims,
                             float* output) {
  float_all_channels(
      make_job(params, nullptr, nullptr, input_dims, input, filter_dims, filter, bias, output_dims, output));
}

void depthwise_conv_2d_float_streaming(const ConvParams& params, const Dims4& input_dims, const float* input,
                                       const Dims4& filter_dims, const float* filter, const float* bias,
                                       const Dims4& output_dims, float* output) {
  float_in_blocks(make_job(params, nullptr, nullptr, input_dims, input, filter_dims, filter, bias, output_dims, output),
                  stream_block_rows(output_dims));
}

}  // namespace optimized
}  // namespace mote
