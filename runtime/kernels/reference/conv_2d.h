// CONV_2D reference kernels. NHWC input, OHWI filter, NHWC output.
//
// Grouped convolution follows TFLite: the input has `groups` times as many
// channels as the filter (filter_dims.c), and output channel o reads input
// channels [g * filter_dims.c, (g + 1) * filter_dims.c) with
// g = o / (output_dims.c / groups).
//
// Quantized kernels requantize output channel o with
// output_multiplier[o] * 2^output_shift[o] (per-tensor quantization repeats
// one value). Bias is optional (nullptr). Padded positions contribute nothing,
// i.e. they count as real zeros.
#pragma once

#include <stdint.h>

#include "kernels/conv_params.h"

namespace mote {
namespace reference {

// int8 activations, int8 weights, int32 bias:
// acc = bias[o] + sum filter * (input + input_offset), 32-bit.
void conv_2d_int8(const ConvParams& params, const int32_t* output_multiplier, const int32_t* output_shift,
                  const Dims4& input_dims, const int8_t* input, const Dims4& filter_dims, const int8_t* filter,
                  const int32_t* bias, const Dims4& output_dims, int8_t* output);

// int16 activations (zero point 0), int8 weights, int64 bias: 64-bit
// accumulator, requantized by multiply_by_quantized_multiplier_64.
void conv_2d_int16(const ConvParams& params, const int32_t* output_multiplier, const int32_t* output_shift,
                   const Dims4& input_dims, const int16_t* input, const Dims4& filter_dims, const int8_t* filter,
                   const int64_t* bias, const Dims4& output_dims, int16_t* output);

// int16 activations with an int32 bias (or none): 32-bit accumulator and the
// 32-bit requantization, as TFLite does for that bias type.
void conv_2d_int16_bias32(const ConvParams& params, const int32_t* output_multiplier, const int32_t* output_shift,
                          const Dims4& input_dims, const int16_t* input, const Dims4& filter_dims, const int8_t* filter,
                          const int32_t* bias, const Dims4& output_dims, int16_t* output);

void conv_2d_float(const ConvParams& params, const Dims4& input_dims, const float* input, const Dims4& filter_dims,
                   const float* filter, const float* bias, const Dims4& output_dims, float* output);

}  // namespace reference
}  // namespace mote
