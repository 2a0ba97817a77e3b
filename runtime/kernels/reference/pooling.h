// AVERAGE_POOL_2D and MAX_POOL_2D over NHWC tensors, as TFLite's reference
// kernels compute them. Windows are clipped to the input (padding is never
// counted): the average divides by the number of input elements inside the
// window.
#pragma once

#include <stdint.h>

namespace mote {
namespace reference {

struct PoolParams {
  int32_t batches;
  int32_t input_height;
  int32_t input_width;
  int32_t channels;
  int32_t output_height;
  int32_t output_width;
  int32_t filter_height;
  int32_t filter_width;
  int32_t stride_height;
  int32_t stride_width;
  int32_t padding_height;  // rows of padding before the first input row
  int32_t padding_width;
};

// Output size and leading padding of one spatial dim, as TFLite computes them
// (dilation 1). SAME: out = ceil(in / stride), VALID: ceil((in - filter + 1) /
// stride); padding = max(0, ((out - 1) * stride + filter - in) / 2).
void pool_output_size(bool same_padding, int32_t input_size, int32_t filter_size, int32_t stride,
                      int32_t* output_size, int32_t* padding);

// The float average divides the float sum by the float count. The integer
// average rounds sum / count half away from zero. False when a window holds
// no input element (TFLite fails too).
bool average_pool_float(const PoolParams& p, float activation_min, float activation_max, const float* input,
                        float* output);
bool average_pool_int8(const PoolParams& p, int32_t activation_min, int32_t activation_max, const int8_t* input,
                       int8_t* output);
bool average_pool_int16(const PoolParams& p, int32_t activation_min, int32_t activation_max, const int16_t* input,
                        int16_t* output);

// An empty window yields the type's lowest value (then clamped).
void max_pool_float(const PoolParams& p, float activation_min, float activation_max, const float* input,
                    float* output);
void max_pool_int8(const PoolParams& p, int32_t activation_min, int32_t activation_max, const int8_t* input,
                   int8_t* output);
void max_pool_int16(const PoolParams& p, int32_t activation_min, int32_t activation_max, const int16_t* input,
                    int16_t* output);

}  // namespace reference
}  // namespace mote
