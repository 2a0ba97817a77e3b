#include "kernels/optimized/conv_2d.h"

#include "kernels/optimized/gemm_float.h"
#include "kernels/optimized/gemm_int8.h"
#include "kernels/optimized/requantize.h"
#include "kernels/reference/accumulate.h"

namespace mote {
namespace optimized {
namespace {

// Output channels per tile.
constexpr int kTileChannels = 4;

// A range [begin, end) of output positions or filter taps.
struct Span {
  int32_t begin = 0, end = 0;
};

inline int32_t ceil_div(int64_t a, int64_t b) { return int32_t(a >= 0 ? (a + b - 1) / b : -((-a) / b)); }

// Taps t of a window starting at input coordinate `origin` with
// 0 <= origin + t * dilation < in_size: a contiguous range.
inline Span valid_taps(int32_t origin, int32_t in_size, int32_t filter_size, int32_t dilation) {
  Span s;
  s.begin = origin >= 0 ? 0 : ceil_div(-int64_t(origin), dilation);
  const int32_t end = ceil_div(int64_t(in_size) - origin, dilation);
  s.end = end < filter_size ? end : filter_size;
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

// What differs between the int8 and the float kernel: the tile and the
// output stage. The loops below are shared.
struct Int8Math {
  using Value = int8_t;
  using Acc = int32_t;
  using Bias = int32_t;
  const ConvParams& p;
  const int32_t* multiplier;
  const int32_t* shift;

  template <int M, int N>
  void dot(const int8_t* input, int32_t input_step, const int8_t* filter, int32_t filter_step, int32_t depth,
           int32_t* acc) const {
    dot_tile<M, N>(input, input_step, filter, filter_step, depth, p.input_offset, acc);
  }

  // Bias and requantization of N consecutive output channels.
  template <int N>
  struct Output {
    int32_t bias[N];
    ChannelRequant requant[N];
    int32_t offset, min, max;
    int8_t operator()(int32_t acc, int n) const {
      return int8_t(requantize_clamp(requant[n], reference::wrapping_add(acc, bias[n]), offset, min, max));
    }
  };
  template <int N>
  Output<N> output(const int32_t* bias, int32_t channel) const {
    Output<N> o;
    for (int n = 0; n < N; ++n) {
      o.bias[n] = bias != nullptr ? bias[channel + n] : 0;
      o.requant[n] = make_channel_requant(multiplier[channel + n], shift[channel + n]);
    }
    o.offset = p.output_offset;
    o.min = p.activation_min;
    o.max = p.activation_max;
    return o;
  }
};

struct FloatMath {
  using Value = float;
  using Acc = float;
  using Bias = float;
  const ConvParams& p;

  template <int M, int N>
  void dot(const float* input, int32_t input_step, const float* filter, int32_t filter_step, int32_t depth,
           float* acc) const {
    dot_tile_float<M, N>(input, input_step, filter, filter_step, depth, acc);
  }

  // Adds the bias (0.0f when there is none, as the reference) and clamps.
  template <int N>
  struct Output {
    float bias[N];
    float min, max;
    float operator()(float acc, int n) const { return reference::clamp_float(acc + bias[n], min, max); }
  };
  template <int N>
  Output<N> output(const float* bias, int32_t channel) const {
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
  int32_t filter_step;  // values per output channel in the filter

  // M output pixels x N channels from their accumulators; consecutive pixels
  // are `pixel_step` values apart in `out`.
  template <int M, int N, typename Output>
  static void store(const Output& output_stage, const Acc* acc, Value* out, int32_t pixel_step) {
    for (int m = 0; m < M; ++m)
      for (int n = 0; n < N; ++n) out[m * pixel_step + n] = output_stage(acc[m * N + n], n);
  }

  // Adds the window(s) at input row origin in_y0 / column in_x0 to acc: the
  // valid filter rows ty and columns tx; M windows `input_step` values apart.
  template <int M, int N>
  void window(const Value* image, int32_t in_y0, Span ty, int32_t in_x0, Span tx, int32_t input_step,
              const Value* channel_filter, Acc* acc) const {
    if (tx.begin >= tx.end) return;
    const int32_t row_values = in.w * in.c;
    for (int32_t fy = ty.begin; fy < ty.end; ++fy) {
      const Value* in_row = image + (in_y0 + fy * p.dilation_h) * row_values;
      const Value* filter_row = channel_filter + fy * fd.w * fd.c;
      if (p.dilation_w == 1) {
        math.template dot<M, N>(in_row + (in_x0 + tx.begin) * in.c, input_step, filter_row + tx.begin * fd.c,
                                filter_step, (tx.end - tx.begin) * fd.c, acc);
      } else {
        for (int32_t fx = tx.begin; fx < tx.end; ++fx)
          math.template dot<M, N>(in_row + (in_x0 + fx * p.dilation_w) * in.c, input_step, filter_row + fx * fd.c,
                                  filter_step, fd.c, acc);
      }
    }
  }

  // Output channels [channel, channel + N) of every output pixel.
  template <int N>
  void channels(int32_t channel) const {
    const Value* channel_filter = filter + channel * filter_step;
    const auto output_stage = math.template output<N>(bias, channel);
    const Span xs = interior_span(out.w, in.w, fd.w, p.stride_w, p.dilation_w, p.pad_w);
    const Span full_width = {0, fd.w};
    const int32_t pair_step = p.stride_w * in.c;
    for (int32_t b = 0; b < out.n; ++b) {
      const Value* image = input + b * in.h * in.w * in.c;
      for (int32_t out_y = 0; out_y < out.h; ++out_y) {
        const int32_t in_y0 = out_y * p.stride_h - p.pad_h;
        const Span ty = valid_taps(in_y0, in.h, fd.h, p.dilation_h);
        Value* out_row = output + (b * out.h + out_y) * out.w * out.c + channel;
        int32_t out_x = 0;
        while (out_x < out.w) {
          const int32_t in_x0 = out_x * p.stride_w - p.pad_w;
          if (out_x >= xs.begin && out_x + 1 < xs.end) {
            Acc acc[2 * N] = {};
            window<2, N>(image, in_y0, ty, in_x0, full_width, pair_step, channel_filter, acc);
            store<2, N>(output_stage, acc, out_row + out_x * out.c, out.c);
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
  // [pixels, in.c] input and the [out.c, in.c] filter.
  template <int N>
  void pointwise_channels(int32_t channel) const {
    const int32_t pixels = out.n * out.h * out.w;
    const Value* channel_filter = filter + channel * filter_step;
    const auto output_stage = math.template output<N>(bias, channel);
    int32_t i = 0;
    for (; i + 2 <= pixels; i += 2) {
      Acc acc[2 * N] = {};
      math.template dot<2, N>(input + i * in.c, in.c, channel_filter, filter_step, in.c, acc);
      store<2, N>(output_stage, acc, output + i * out.c + channel, out.c);
    }
    if (i < pixels) {
      Acc acc[N] = {};
      math.template dot<1, N>(input + i * in.c, 0, channel_filter, filter_step, in.c, acc);
      store<1, N>(output_stage, acc, output + i * out.c + channel, out.c);
    }
  }

  void run() const {
    const bool pointwise = fd.h == 1 && fd.w == 1 && p.stride_h == 1 && p.stride_w == 1 && p.pad_h == 0 &&
                           p.pad_w == 0 && in.h == out.h && in.w == out.w;
    int32_t channel = 0;
    for (; channel + kTileChannels <= out.c; channel += kTileChannels) {
      if (pointwise) {
        pointwise_channels<kTileChannels>(channel);
      } else {
        channels<kTileChannels>(channel);
      }
    }
    for (; channel < out.c; ++channel) {
      if (pointwise) {
        pointwise_channels<1>(channel);
      } else {
        channels<1>(channel);
      }
    }
  }
};

}  // namespace

bool conv_2d_int8_applies(const Dims4& input_dims, const Dims4& filter_dims) {
  return input_dims.c == filter_dims.c && int64_t(filter_dims.h) * filter_dims.w * filter_dims.c <= kMaxDotDepth;
}

bool conv_2d_float_applies(const Dims4& input_dims, const Dims4& filter_dims) {
  return input_dims.c == filter_dims.c;
}

void conv_2d_int8(const ConvParams& params, const int32_t* output_multiplier, const int32_t* output_shift,
                  const Dims4& input_dims, const int8_t* input, const Dims4& filter_dims, const int8_t* filter,
                  const int32_t* bias, const Dims4& output_dims, int8_t* output) {
  const Conv<Int8Math> conv = {Int8Math{params, output_multiplier, output_shift},
                               params,
                               input_dims,
                               filter_dims,
                               output_dims,
                               input,
                               filter,
                               bias,
                               output,
                               filter_dims.h * filter_dims.w * filter_dims.c};
  conv.run();
}

void conv_2d_float(const ConvParams& params, const Dims4& input_dims, const float* input, const Dims4& filter_dims,
                   const float* filter, const float* bias, const Dims4& output_dims, float* output) {
  const Conv<FloatMath> conv = {FloatMath{params},
                                params,
                                input_dims,
                                filter_dims,
                                output_dims,
                                input,
                                filter,
                                bias,
                                output,
                                filter_dims.h * filter_dims.w * filter_dims.c};
  conv.run();
}

}  // namespace optimized
}  // namespace mote
