// RELU and RELU6, as TFLite Micro's kernels compute them.
//
// Quantized RELU requantizes from the input to the output scale (they may
// differ) and clamps at the output's real 0. Quantized RELU6 does not
// requantize: it clamps the stored values to [quantized 0, quantized 6] of the
// input, assuming the output shares the input's quantization.
#pragma once

#include <stdint.h>

namespace mote {
namespace reference {

struct ReluQuantParams {
  int32_t input_zero_point;
  int32_t output_zero_point;
  int32_t output_multiplier;
  int32_t output_shift;
  int32_t activation_min;  // quantized real 0, at least the type's minimum
  int32_t activation_max;  // the type's maximum
};

void make_relu_quant_params(float input_scale, int32_t input_zero_point, float output_scale,
                            int32_t output_zero_point, int32_t type_min, int32_t type_max, ReluQuantParams* params);

void relu_float(int32_t size, const float* input, float* output);
void relu_int8(int32_t size, const ReluQuantParams& p, const int8_t* input, int8_t* output);
void relu_int16(int32_t size, const ReluQuantParams& p, const int16_t* input, int16_t* output);

// The stored value of real 6 on an input scale: zero_point + round(6 / scale)
// clamped to [type_min, type_max].
int32_t quantized_six(float input_scale, int32_t input_zero_point, int32_t type_min, int32_t type_max);

void relu6_float(int32_t size, const float* input, float* output);
// Clamps each value to [lower, upper].
void relu6_int8(int32_t size, int8_t lower, int8_t upper, const int8_t* input, int8_t* output);
void relu6_int16(int32_t size, int16_t lower, int16_t upper, const int16_t* input, int16_t* output);

}  // namespace reference
}  // namespace mote
