#include "kernels/optimized/pooling.h"

#include <string.h>

#include <limits>

#include "kernels/reference/elementwise_broadcast.h"

// 32-bit cores keep a block's accumulators in registers only when the lane
// loops are unrolled; 64-bit hosts vectorize them as they are.
#if defined(__GNUC__) && defined(__SIZEOF_POINTER__) && __SIZEOF_POINTER__ == 4
#define MOTE_UNROLL_LANES _Pragma("GCC unroll 4")
#else
#define MOTE_UNROLL_LANES
#endif

namespace mote {
namespace optimized {
namespace {

using reference::clamp_activation;

// The window of one output pixel clipped to the input: `rows` x `cols` taps
// starting at input element `first` (channel 0).
template <typename T>
struct Window {
  const T* first;
  int32_t rows, cols;
};

// Calls visit(window, output pixel) for every output pixel, row-major.
template <typename T, typename Visit>
void for_each_window(const PoolParams& p, const T* input, T* output, Visit visit) {
  const int32_t row_stride = p.input_width * p.channels;
  for (int32_t b = 0; b < p.batches; ++b) {
    const T* image = input + b * p.input_height * row_stride;
    for (int32_t out_y = 0; out_y < p.output_height; ++out_y) {
      const int32_t y_origin = out_y * p.stride_height - p.padding_height;
      const int32_t y_begin = y_origin < 0 ? 0 : y_origin;
      const int32_t y_limit = y_origin + p.filter_height;
      const int32_t y_end = y_limit < p.input_height ? y_limit : p.input_height;
      for (int32_t out_x = 0; out_x < p.output_width; ++out_x) {
        const int32_t x_origin = out_x * p.stride_width - p.padding_width;
        const int32_t x_begin = x_origin < 0 ? 0 : x_origin;
        const int32_t x_limit = x_origin + p.filter_width;
        const int32_t x_end = x_limit < p.input_width ? x_limit : p.input_width;
        Window<T> w;
        w.rows = y_end > y_begin ? y_end - y_begin : 0;
        w.cols = x_end > x_begin ? x_end - x_begin : 0;
        w.first = image + y_begin * row_stride + x_begin * p.channels;
        visit(w, output);
        output += p.channels;
      }
    }
  }
}

// Calls block<N>(channel) over the channels in blocks of 16, 8 and 1 on
// 64-bit hosts (which vectorize them), of 4 and 1 on 32-bit cores (whose
// registers hold four accumulators).
template <typename Block>
void for_channel_blocks(int32_t channels, Block&& block) {
  int32_t c = 0;
  if (sizeof(void*) >= 8) {
    for (; c + 16 <= channels; c += 16) block.template run<16>(c);
    for (; c + 8 <= channels; c += 8) block.template run<8>(c);
  } else {
    for (; c + 4 <= channels; c += 4) block.template run<4>(c);
  }
  for (; c < channels; ++c) block.template run<1>(c);
}

struct AverageInt8 {
  const Window<int8_t>& w;
  int32_t channels, row_stride, count, activation_min, activation_max;
  int8_t* out;

  template <int N>
  void run(int32_t c) const {
    int32_t sum[N] = {};
    for (int32_t y = 0; y < w.rows; ++y) {
      const int8_t* x = w.first + y * row_stride + c;
      for (int32_t i = 0; i < w.cols; ++i, x += channels)
        MOTE_UNROLL_LANES
        for (int k = 0; k < N; ++k) sum[k] += x[k];
    }
    int8_t result[N];
    MOTE_UNROLL_LANES
    for (int k = 0; k < N; ++k) {
      // Round half away from zero; C++ division truncates toward zero.
      const int32_t average = sum[k] > 0 ? (sum[k] + count / 2) / count : (sum[k] - count / 2) / count;
      result[k] = int8_t(clamp_activation(average, activation_min, activation_max));
    }
    memcpy(out + c, result, N);
  }
};

struct MaxInt8 {
  const Window<int8_t>& w;
  int32_t channels, row_stride, activation_min, activation_max;
  int8_t* out;

  template <int N>
  void run(int32_t c) const {
    int32_t max[N];
    MOTE_UNROLL_LANES
    for (int k = 0; k < N; ++k) max[k] = -128;
    for (int32_t y = 0; y < w.rows; ++y) {
      const int8_t* x = w.first + y * row_stride + c;
      for (int32_t i = 0; i < w.cols; ++i, x += channels)
        MOTE_UNROLL_LANES
        for (int k = 0; k < N; ++k) max[k] = max[k] < x[k] ? x[k] : max[k];
    }
    int8_t result[N];
    MOTE_UNROLL_LANES
    for (int k = 0; k < N; ++k) result[k] = int8_t(clamp_activation(max[k], activation_min, activation_max));
    memcpy(out + c, result, N);
  }
};

// Float: each channel adds (or compares) its taps in the reference's order.
struct AverageFloat {
  const Window<float>& w;
  int32_t channels, row_stride;
  float count, activation_min, activation_max;
  float* out;

  template <int N>
  void run(int32_t c) const {
    float sum[N];
    MOTE_UNROLL_LANES
    for (int k = 0; k < N; ++k) sum[k] = 0.0f;
    for (int32_t y = 0; y < w.rows; ++y) {
      const float* x = w.first + y * row_stride + c;
      for (int32_t i = 0; i < w.cols; ++i, x += channels)
        MOTE_UNROLL_LANES
        for (int k = 0; k < N; ++k) sum[k] += x[k];
    }
    MOTE_UNROLL_LANES
    for (int k = 0; k < N; ++k) out[c + k] = clamp_activation(sum[k] / count, activation_min, activation_max);
  }
};

struct MaxFloat {
  const Window<float>& w;
  int32_t channels, row_stride;
  float activation_min, activation_max;
  float* out;

  template <int N>
  void run(int32_t c) const {
    float max[N];
    MOTE_UNROLL_LANES
    for (int k = 0; k < N; ++k) max[k] = std::numeric_limits<float>::lowest();
    for (int32_t y = 0; y < w.rows; ++y) {
      const float* x = w.first + y * row_stride + c;
      for (int32_t i = 0; i < w.cols; ++i, x += channels)
        MOTE_UNROLL_LANES
        for (int k = 0; k < N; ++k) max[k] = max[k] < x[k] ? x[k] : max[k];
    }
    MOTE_UNROLL_LANES
    for (int k = 0; k < N; ++k) out[c + k] = clamp_activation(max[k], activation_min, activation_max);
  }
};

// The reference counts taps by adding 1.0f per tap, which stops growing at
// 2^24; float(n) is the same value below that.
float float_count(int32_t taps) {
  if (taps <= (1 << 24)) return float(taps);
  float count = 0.0f;
  for (int32_t i = 0; i < taps; ++i) count += 1.0f;
  return count;
}

}  // namespace

bool average_pool_int8(const PoolParams& p, int32_t activation_min, int32_t activation_max, const int8_t* input,
                       int8_t* output) {
  bool ok = true;
  const int32_t row_stride = p.input_width * p.channels;
  for_each_window(p, input, output, [&](const Window<int8_t>& w, int8_t* out) {
    const int32_t count = w.rows * w.cols;
    if (count == 0) {
      ok = false;
      return;
    }
    for_channel_blocks(p.channels, AverageInt8{w, p.channels, row_stride, count, activation_min, activation_max, out});
  });
  return ok;
}

bool average_pool_float(const PoolParams& p, float activation_min, float activation_max, const float* input,
                        float* output) {
  bool ok = true;
  const int32_t row_stride = p.input_width * p.channels;
  for_each_window(p, input, output, [&](const Window<float>& w, float* out) {
    const int32_t taps = w.rows * w.cols;
    if (taps == 0) {
      ok = false;
      return;
    }
    for_channel_blocks(p.channels,
                       AverageFloat{w, p.channels, row_stride, float_count(taps), activation_min, activation_max, out});
  });
  return ok;
}

void max_pool_int8(const PoolParams& p, int32_t activation_min, int32_t activation_max, const int8_t* input,
                   int8_t* output) {
  const int32_t row_stride = p.input_width * p.channels;
  for_each_window(p, input, output, [&](const Window<int8_t>& w, int8_t* out) {
    for_channel_blocks(p.channels, MaxInt8{w, p.channels, row_stride, activation_min, activation_max, out});
  });
}

void max_pool_float(const PoolParams& p, float activation_min, float activation_max, const float* input,
                    float* output) {
  const int32_t row_stride = p.input_width * p.channels;
  for_each_window(p, input, output, [&](const Window<float>& w, float* out) {
    for_channel_blocks(p.channels, MaxFloat{w, p.channels, row_stride, activation_min, activation_max, out});
  });
}

}  // namespace optimized
}  // namespace mote
