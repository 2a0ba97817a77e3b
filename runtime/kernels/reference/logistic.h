// LOGISTIC reference kernels: output = 1 / (1 + exp(-input)), elementwise.
//
// Quantized variants follow TFLite (and TFLM) exactly:
//   int8: the input minus its zero point is rescaled to Q4.27 and goes through
//     gemmlowp's fixed-point logistic; the output has scale 1/256 and zero
//     point -128. Inputs beyond +-input_range_radius saturate directly.
//   int16: symmetric, power-of-two-ish scales; interpolation in TFLite's
//     sigmoid table (kernels/integer_activations.h). Output scale 2^-15.
// The int8 and int16 parameters are shared with TANH (reference/tanh.h).
#pragma once

#include <stdint.h>

#include "kernels/fixedpoint.h"

namespace mote {
namespace reference {

struct Int8ActivationParams {
  int32_t input_zero_point = 0;
  int32_t input_range_radius = 0;
  // Rescales (input - zero point) to Q4.27: input_scale * 2^27 as a Q0.31
  // multiplier and a (usually positive) shift.
  int32_t input_multiplier = 0;
  int32_t input_shift = 0;
};

// The argument of the int16 sigmoid table (see kernels/integer_activations.h):
// input_multiplier == 0 means a power-of-two input scale.
struct Int16ActivationParams {
  int32_t input_multiplier = 0;
  int32_t input_left_shift = 0;
};

// Prepare-time helpers, identical for LOGISTIC and TANH.
void int8_activation_params(float input_scale, int32_t input_zero_point, Int8ActivationParams* params);
// max_pot_left_shift: the largest left shift taken as an exact power-of-two
// scale (0 for LOGISTIC, 1 for TANH, as in TFLite).
void int16_activation_params(float input_scale, int32_t max_pot_left_shift, Int16ActivationParams* params);
// round(log2(x)) in *log2, true when x is a power of two within 1e-3 in the
// exponent (computed in float, as TFLite's CheckedLog2).
bool checked_log2(float x, int32_t* log2);

// The int8 loop of LOGISTIC and TANH: f(x) takes (input - zero point) in
// Q4.27 and returns the int8 output; inputs beyond +-input_range_radius
// saturate to -128 / 127 directly.
template <typename F>
void int8_activation(const Int8ActivationParams& p, int32_t count, const int8_t* input, int8_t* output, F f) {
  for (int32_t i = 0; i < count; ++i) {
    const int32_t x = int32_t(input[i]) - p.input_zero_point;
    if (x <= -p.input_range_radius) {
      output[i] = -128;
    } else if (x >= p.input_range_radius) {
      output[i] = 127;
    } else {
      output[i] = f(fixedpoint::multiply_by_quantized_multiplier(x, p.input_multiplier, p.input_shift));
    }
  }
}

void logistic_float(int32_t count, const float* input, float* output);
void logistic_int8(const Int8ActivationParams& params, int32_t count, const int8_t* input, int8_t* output);
void logistic_int16(const Int16ActivationParams& params, int32_t count, const int16_t* input, int16_t* output);

}  // namespace reference
}  // namespace mote
