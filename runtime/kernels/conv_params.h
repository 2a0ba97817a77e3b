// Parameters shared by the windowed kernels (CONV_2D, DEPTHWISE_CONV_2D) and
// TFLite's output-size / padding rules for SAME and VALID.
#pragma once

#include <stdint.h>

#include "mote/schema.h"

namespace mote {

// NHWC extents of an activation tensor, or OHWI / 1HWO of a filter.
struct Dims4 {
  int32_t n = 0, h = 0, w = 0, c = 0;
};

// Everything a conv kernel needs besides tensors and per-channel
// requantization. Ops keep a compact form in their op data and build this
// by position in eval (ops/conv_op_data.h): keep that in step with the
// field order.
struct ConvParams {
  int32_t stride_h = 1, stride_w = 1;
  int32_t dilation_h = 1, dilation_w = 1;
  // Rows / columns of zeros before the first input row / column. The padding
  // after the last one is implied by the output size.
  int32_t pad_h = 0, pad_w = 0;
  int32_t depth_multiplier = 1;  // DEPTHWISE_CONV_2D only
  // Quantized kernels: -input zero point and +output zero point (int8 only;
  // int16 activations are symmetric), clamp range in the output's domain.
  int32_t input_offset = 0;
  int32_t output_offset = 0;
  int32_t activation_min = 0;
  int32_t activation_max = 0;
  // Float kernels.
  float float_activation_min = 0.0f;
  float float_activation_max = 0.0f;
};

// Output length along one spatial axis; 0 when the window does not fit.
// 64-bit arithmetic, so absurd strides or dilations cannot overflow.
inline int32_t conv_output_size(schema::Padding padding, int32_t in_size, int32_t filter_size, int32_t stride,
                                int32_t dilation) {
  if (stride <= 0) return 0;
  const int64_t effective_filter = int64_t(filter_size - 1) * dilation + 1;
  if (padding == schema::Padding::kSame) return int32_t((int64_t(in_size) + stride - 1) / stride);
  if (in_size < effective_filter) return 0;
  return int32_t((in_size - effective_filter) / stride + 1);
}

// Padding before the first element along one axis. With an odd total padding
// the extra element goes after the last one (TFLite's "offset"), so the
// leading padding is the total rounded down.
inline int32_t conv_padding_before(int32_t in_size, int32_t filter_size, int32_t stride, int32_t dilation,
                                   int32_t out_size) {
  const int64_t effective_filter = int64_t(filter_size - 1) * dilation + 1;
  const int64_t total = int64_t(out_size - 1) * stride + effective_filter - in_size;
  return total > 0 ? int32_t(total / 2) : 0;
}

// Largest stride or effective filter extent ((size - 1) * dilation + 1) the
// kernels accept: keeps every input coordinate they compute inside int32.
constexpr int64_t kMaxWindowExtent = int64_t(1) << 29;

}  // namespace mote
