#include "kernels/reference/relu.h"

#include <math.h>

#include "kernels/fixedpoint.h"

namespace mote {
namespace reference {

namespace {

template <typename T>
void relu_quantized(int32_t size, const ReluQuantParams& p, const T* input, T* output) {
  for (int32_t i = 0; i < size; ++i) {
    int32_t q = p.output_zero_point + fixedpoint::multiply_by_quantized_multiplier(input[i] - p.input_zero_point,
                                                                                   p.output_multiplier, p.output_shift);
    q = q < p.activation_min ? p.activation_min : q;
    q = q > p.activation_max ? p.activation_max : q;
    output[i] = T(q);
  }
}

template <typename T>
void relu6_quantized(int32_t size, T lower, T upper, const T* input, T* output) {
  for (int32_t i = 0; i < size; ++i) {
    const T v = input[i];
    output[i] = v > upper ? upper : (v < lower ? lower : v);
  }
}

}  // namespace

void make_relu_quant_params(float input_scale, int32_t input_zero_point, float output_scale,
                            int32_t output_zero_point, int32_t type_min, int32_t type_max, ReluQuantParams* params) {
  ReluQuantParams p = {};
  p.input_zero_point = input_zero_point;
  p.output_zero_point = output_zero_point;
  int shift = 0;
  fixedpoint::quantize_multiplier(double(input_scale) / double(output_scale), &p.output_multiplier, &shift);
  p.output_shift = shift;
  // TFLite quantizes the bound 0 as zero_point + round(0 / scale).
  const int32_t zero = output_zero_point + int32_t(roundf(0.0f / output_scale));
  p.activation_min = zero > type_min ? zero : type_min;
  p.activation_max = type_max;
  *params = p;
}

void relu_float(int32_t size, const float* input, float* output) {
  for (int32_t i = 0; i < size; ++i) {
    const float v = input[i];
    output[i] = v < 0.0f ? 0.0f : v;
  }
}

void relu_int8(int32_t size, const ReluQuantParams& p, const int8_t* input, int8_t* output) {
  relu_quantized(size, p, input, output);
}

void relu_int16(int32_t size, const ReluQuantParams& p, const int16_t* input, int16_t* output) {
  relu_quantized(size, p, input, output);
}

int32_t quantized_six(float input_scale, int32_t input_zero_point, int32_t type_min, int32_t type_max) {
  const double q = round(double(6.0f / input_scale)) + input_zero_point;
  if (!(q >= type_min)) return type_min;  // also NaN
  if (q > type_max) return type_max;
  return int32_t(q);
}

void relu6_float(int32_t size, const float* input, float* output) {
  for (int32_t i = 0; i < size; ++i) {
    const float v = input[i];
    output[i] = v > 6.0f ? 6.0f : (v < 0.0f ? 0.0f : v);
  }
}

void relu6_int8(int32_t size, int8_t lower, int8_t upper, const int8_t* input, int8_t* output) {
  relu6_quantized(size, lower, upper, input, output);
}

void relu6_int16(int32_t size, int16_t lower, int16_t upper, const int16_t* input, int16_t* output) {
  relu6_quantized(size, lower, upper, input, output);
}

}  // namespace reference
}  // namespace mote
