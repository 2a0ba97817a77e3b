// LEAKY_RELU, as TFLite's reference kernels compute it: x for x > 0 (float)
// or x >= 0 (quantized, relative to the zero point), alpha * x otherwise.
// Quantized inputs are requantized with one of two multipliers,
// in_scale / out_scale or in_scale * alpha / out_scale (which may be
// negative).
#pragma once

#include <stdint.h>

namespace mote {
namespace reference {

struct LeakyReluQuantParams {
  int32_t input_zero_point;
  int32_t output_zero_point;
  int32_t identity_multiplier;
  int32_t identity_shift;
  int32_t alpha_multiplier;
  int32_t alpha_shift;
};

void make_leaky_relu_quant_params(float input_scale, int32_t input_zero_point, float output_scale,
                                  int32_t output_zero_point, float alpha, LeakyReluQuantParams* params);

void leaky_relu_float(int32_t size, float alpha, const float* input, float* output);
void leaky_relu_int8(int32_t size, const LeakyReluQuantParams& p, const int8_t* input, int8_t* output);
void leaky_relu_int16(int32_t size, const LeakyReluQuantParams& p, const int16_t* input, int16_t* output);

}  // namespace reference
}  // namespace mote
