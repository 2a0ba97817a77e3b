// DEPTHWISE_CONV_2D reference kernels. NHWC input, 1HWO filter (O = input
// channels * depth_multiplier), NHWC output. Output channel
// o = i * depth_multiplier + m reads input channel i only.
//
// Quantized kernels requantize output channel o with
// output_multiplier[o] * 2^output_shift[o]. Bias is optional (nullptr).
// Padded positions contribute nothing.
#pragma once

#include <stdint.h>

#include "kernels/conv_params.h"

namespace mote {
namespace reference {

// int8 activations, int8 weights, int32 bias, 32-bit accumulator.
void depthwise_conv_2d_int8(const ConvParams& params, const int32_t* output_multiplier, const int32_t* output_shift,
                            const Dims4& input_dims, const int8_t* input, const Dims4& filter_dims,
                            const int8_t* filter, const int32_t* bias, const Dims4& output_dims, int8_t* output);

// int16 activations (zero point 0), int8 weights, int64 bias (or none),
// 64-bit accumulator. TFLite has no 32-bit form of this one.
void depthwise_conv_2d_int16(const ConvParams& params, const int32_t* output_multiplier, const int32_t* output_shift,
                             const Dims4& input_dims, const int16_t* input, const Dims4& filter_dims,
                             const int8_t* filter, const int64_t* bias, const Dims4& output_dims, int16_t* output);

void depthwise_conv_2d_float(const ConvParams& params, const Dims4& input_dims, const float* input,
                             const Dims4& filter_dims, const float* filter, const float* bias, const Dims4& output_dims,
                             float* output);

}  // namespace reference
}  // namespace mote
