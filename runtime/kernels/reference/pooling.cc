#include "kernels/reference/pooling.h"

#include <limits>

#include "kernels/reference/elementwise_broadcast.h"

namespace mote {
namespace reference {

namespace {

// The part of the filter window at output (out_y, out_x) that lies inside the
// input: filter rows [y_begin, y_end), columns [x_begin, x_end), and the input
// position of filter element (0, 0).
struct Window {
  int32_t y_origin, x_origin;
  int32_t y_begin, y_end, x_begin, x_end;
};

Window window_at(const PoolParams& p, int32_t out_y, int32_t out_x) {
  Window w;
  w.y_origin = out_y * p.stride_height - p.padding_height;
  w.x_origin = out_x * p.stride_width - p.padding_width;
  w.y_begin = w.y_origin < 0 ? -w.y_origin : 0;
  w.x_begin = w.x_origin < 0 ? -w.x_origin : 0;
  w.y_end = p.input_height - w.y_origin < p.filter_height ? p.input_height - w.y_origin : p.filter_height;
  w.x_end = p.input_width - w.x_origin < p.filter_width ? p.input_width - w.x_origin : p.filter_width;
  return w;
}

// Calls visit(output_index, window, input_base) for every output element;
// input_base points at (batch, 0, 0, channel).
template <typename Visit>
void for_each_output(const PoolParams& p, Visit visit) {
  int32_t out_index = 0;
  for (int32_t b = 0; b < p.batches; ++b) {
    const int32_t batch_base = b * p.input_height * p.input_width * p.channels;
    for (int32_t out_y = 0; out_y < p.output_height; ++out_y) {
      for (int32_t out_x = 0; out_x < p.output_width; ++out_x) {
        const Window w = window_at(p, out_y, out_x);
        for (int32_t c = 0; c < p.channels; ++c) visit(out_index++, w, batch_base + c);
      }
    }
  }
}

template <typename T>
bool average_pool_integer(const PoolParams& p, int32_t activation_min, int32_t activation_max, const T* input,
                          T* output) {
  bool ok = true;
  for_each_output(p, [&](int32_t out_index, const Window& w, int32_t base) {
    int32_t sum = 0;
    int32_t count = 0;
    for (int32_t fy = w.y_begin; fy < w.y_end; ++fy) {
      for (int32_t fx = w.x_begin; fx < w.x_end; ++fx) {
        sum += input[base + ((w.y_origin + fy) * p.input_width + (w.x_origin + fx)) * p.channels];
        ++count;
      }
    }
    if (count == 0) {
      ok = false;
      return;
    }
    // Round half away from zero; C++ division truncates toward zero.
    const int32_t average = sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
    output[out_index] = T(clamp_activation(average, activation_min, activation_max));
  });
  return ok;
}

template <typename T, typename Acc>
void max_pool_typed(const PoolParams& p, Acc activation_min, Acc activation_max, const T* input, T* output) {
  for_each_output(p, [&](int32_t out_index, const Window& w, int32_t base) {
    T max = std::numeric_limits<T>::lowest();
    for (int32_t fy = w.y_begin; fy < w.y_end; ++fy) {
      for (int32_t fx = w.x_begin; fx < w.x_end; ++fx) {
        const T v = input[base + ((w.y_origin + fy) * p.input_width + (w.x_origin + fx)) * p.channels];
        max = max < v ? v : max;
      }
    }
    output[out_index] = T(clamp_activation(Acc(max), activation_min, activation_max));
  });
}

}  // namespace

void pool_output_size(bool same_padding, int32_t input_size, int32_t filter_size, int32_t stride,
                      int32_t* output_size, int32_t* padding) {
  int32_t out = 0;
  if (stride > 0) out = same_padding ? (input_size + stride - 1) / stride : (input_size + stride - filter_size) / stride;
  const int32_t total_padding = (out - 1) * stride + filter_size - input_size;
  *output_size = out;
  *padding = total_padding > 0 ? total_padding / 2 : 0;
}

bool average_pool_float(const PoolParams& p, float activation_min, float activation_max, const float* input,
                        float* output) {
  bool ok = true;
  for_each_output(p, [&](int32_t out_index, const Window& w, int32_t base) {
    float sum = 0.0f;
    float count = 0.0f;
    for (int32_t fy = w.y_begin; fy < w.y_end; ++fy) {
      for (int32_t fx = w.x_begin; fx < w.x_end; ++fx) {
        sum += input[base + ((w.y_origin + fy) * p.input_width + (w.x_origin + fx)) * p.channels];
        count += 1.0f;
      }
    }
    if (count == 0.0f) {
      ok = false;
      return;
    }
    output[out_index] = clamp_activation(sum / count, activation_min, activation_max);
  });
  return ok;
}

bool average_pool_int8(const PoolParams& p, int32_t activation_min, int32_t activation_max, const int8_t* input,
                       int8_t* output) {
  return average_pool_integer(p, activation_min, activation_max, input, output);
}

bool average_pool_int16(const PoolParams& p, int32_t activation_min, int32_t activation_max, const int16_t* input,
                        int16_t* output) {
  return average_pool_integer(p, activation_min, activation_max, input, output);
}

void max_pool_float(const PoolParams& p, float activation_min, float activation_max, const float* input,
                    float* output) {
  max_pool_typed(p, activation_min, activation_max, input, output);
}

void max_pool_int8(const PoolParams& p, int32_t activation_min, int32_t activation_max, const int8_t* input,
                   int8_t* output) {
  max_pool_typed(p, activation_min, activation_max, input, output);
}

void max_pool_int16(const PoolParams& p, int32_t activation_min, int32_t activation_max, const int16_t* input,
                    int16_t* output) {
  max_pool_typed(p, activation_min, activation_max, input, output);
}

}  // namespace reference
}  // namespace mote
