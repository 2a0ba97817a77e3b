#include "kernels/reference/leaky_relu.h"

#include <limits>

#include "kernels/fixedpoint.h"

namespace mote {
namespace reference {

namespace {

template <typename T>
void leaky_relu_quantized(int32_t size, const LeakyReluQuantParams& p, const T* input, T* output) {
  for (int32_t i = 0; i < size; ++i) {
    const int32_t x = input[i] - p.input_zero_point;
    const int32_t scaled = x >= 0 ? fixedpoint::multiply_by_quantized_multiplier(x, p.identity_multiplier,
                                                                                  p.identity_shift)
                                  : fixedpoint::multiply_by_quantized_multiplier(x, p.alpha_multiplier,
                                                                                  p.alpha_shift);
    output[i] = fixedpoint::saturate<T>(p.output_zero_point + scaled);
  }
}

}  // namespace

void make_leaky_relu_quant_params(float input_scale, int32_t input_zero_point, float output_scale,
                                  int32_t output_zero_point, float alpha, LeakyReluQuantParams* params) {
  LeakyReluQuantParams p = {};
  p.input_zero_point = input_zero_point;
  p.output_zero_point = output_zero_point;
  int shift = 0;
  fixedpoint::quantize_multiplier(double(input_scale * alpha / output_scale), &p.alpha_multiplier, &shift);
  p.alpha_shift = shift;
  fixedpoint::quantize_multiplier(double(input_scale / output_scale), &p.identity_multiplier, &shift);
  p.identity_shift = shift;
  *params = p;
}

void leaky_relu_float(int32_t size, float alpha, const float* input, float* output) {
  for (int32_t i = 0; i < size; ++i) {
    const float v = input[i];
    output[i] = v > 0.0f ? v : v * alpha;
  }
}

void leaky_relu_int8(int32_t size, const LeakyReluQuantParams& p, const int8_t* input, int8_t* output) {
  leaky_relu_quantized(size, p, input, output);
}

void leaky_relu_int16(int32_t size, const LeakyReluQuantParams& p, const int16_t* input, int16_t* output) {
  leaky_relu_quantized(size, p, input, output);
}

}  // namespace reference
}  // namespace mote
