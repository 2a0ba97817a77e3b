#include "kernels/reference/logistic.h"

#include <math.h>

#include "kernels/fixedpoint.h"
#include "kernels/fixedpoint_transcendental.h"
#include "kernels/integer_activations.h"

namespace mote {
namespace reference {

void int8_activation_params(float input_scale, int32_t input_zero_point, Int8ActivationParams* params) {
  constexpr int kInputIntegerBits = 4;
  const double real_multiplier = double(input_scale) * double(1 << (31 - kInputIntegerBits));
  int shift = 0;
  const double fraction = frexp(real_multiplier, &shift);
  const double q = round(fraction * double(int64_t(1) << 31));
  // TFLite converts this without renormalizing a fraction that rounds up to
  // 1.0; on the x86 reference that conversion yields INT32_MIN.
  params->input_multiplier = q >= 2147483648.0 ? INT32_MIN : int32_t(q);
  params->input_shift = shift;
  params->input_zero_point = input_zero_point;
  // The largest |input - zero point| whose Q4.27 value stays below 2^4 - 1:
  // floor((2^4 - 1) * 2^27 / 2^shift).
  const double radius = floor(ldexp(double((1 << kInputIntegerBits) - 1), 31 - kInputIntegerBits - shift));
  params->input_range_radius = radius > 2147483647.0 ? INT32_MAX : int32_t(radius);
}

bool checked_log2(float x, int32_t* log2) {
  const float x_log2 = logf(x) * (1.0f / logf(2.0f));
  const float rounded = roundf(x_log2);
  *log2 = int32_t(rounded);
  return fabsf(x_log2 - rounded) < 1e-3f;
}

void int16_activation_params(float input_scale, int32_t max_pot_left_shift, Int16ActivationParams* params) {
  constexpr int kInputIntegerBits = 3;
  int32_t scale_log2 = 0;
  bool power_of_two = checked_log2(input_scale, &scale_log2);
  params->input_left_shift = (15 - kInputIntegerBits) + scale_log2;
  power_of_two = power_of_two && params->input_left_shift >= 0 && params->input_left_shift <= max_pot_left_shift;
  if (power_of_two) {
    params->input_multiplier = 0;
    return;
  }
  // Rescale to the table's input step 1 / (3 * 4096) with at least 14 bits of
  // multiplier, truncated (not rounded) as in TFLite.
  double multiplier = double(input_scale) * 4096.0 * 3.0;
  int32_t left_shift = 0;
  while (multiplier <= 32767.0 / 2.0 && left_shift <= 30) {
    ++left_shift;
    multiplier = multiplier * 2.0;
  }
  params->input_multiplier = int32_t(multiplier);
  params->input_left_shift = left_shift;
}

void logistic_float(int32_t count, const float* input, float* output) {
  // Same cut-offs as the reference: beyond them 1 / (1 + exp(-x)) rounds to
  // 1 or to exp(x) in float.
  const float cutoff_upper = 16.619047164916992188f;
  const float cutoff_lower = -9.0f;
  for (int32_t i = 0; i < count; ++i) {
    const float x = input[i];
    float y;
    if (x > cutoff_upper) {
      y = 1.0f;
    } else if (x < cutoff_lower) {
      y = expf(x);
    } else {
      y = 1.0f / (1.0f + expf(-x));
    }
    output[i] = y;
  }
}

void logistic_int8(const Int8ActivationParams& p, int32_t count, const int8_t* input, int8_t* output) {
  int8_activation(p, count, input, output, [](int32_t x_q4) {
    // Q0.31 -> Q0.8 (scale 1/256), zero point -128.
    const int32_t y = fixedpoint::rounding_divide_by_pot(fixedpoint::logistic<4>(x_q4), 23) - 128;
    return fixedpoint::saturate<int8_t>(y);
  });
}

void logistic_int16(const Int16ActivationParams& params, int32_t count, const int16_t* input, int16_t* output) {
  integer_activations::sigmoid_int16(input, output, count, params.input_multiplier, params.input_left_shift);
}

}  // namespace reference
}  // namespace mote
