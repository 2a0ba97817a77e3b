// QUANTIZE and DEQUANTIZE, as TFLite's reference kernels compute them.
#pragma once

#include <stdint.h>

namespace mote {
namespace reference {

// QUANTIZE's kernels walk front to back, reading element i before writing
// it, so a narrower output may overlap the input (OpContext::allow_in_place).

// q = round(x / scale) + zero_point, clamped to T; float division, rounding
// half away from zero. Values beyond the int32 range (and NaN, low end)
// saturate; TFLite leaves them undefined.
void quantize_float_to_int8(int32_t size, float scale, int32_t zero_point, const float* input, int8_t* output);
void quantize_float_to_uint8(int32_t size, float scale, int32_t zero_point, const float* input, uint8_t* output);
void quantize_float_to_int16(int32_t size, float scale, int32_t zero_point, const float* input, int16_t* output);

// Requantization between integer types:
// out = (in - input_zero_point) * multiplier * 2^shift + output_zero_point,
// with the double-rounding fixed-point multiply, clamped to the output type.
struct RequantizeParams {
  int32_t multiplier;
  int32_t shift;
  int32_t input_zero_point;
  int32_t output_zero_point;
};

template <typename In, typename Out>
void requantize(int32_t size, const RequantizeParams& p, const In* input, Out* output);

// real = scale * (q - zero_point), computed in double and rounded to float.
template <typename In>
void dequantize(int32_t size, float scale, int32_t zero_point, const In* input, float* output) {
  const double scale_d = double(scale);
  for (int32_t i = 0; i < size; ++i) output[i] = float(scale_d * double(int32_t(input[i]) - zero_point));
}

}  // namespace reference
}  // namespace mote
