// TANH reference kernels, elementwise.
//
// Quantized variants follow TFLite (and TFLM) exactly:
//   int8: (input - zero point) rescaled to Q4.27, gemmlowp's fixed-point tanh,
//     output in Q0.7 (scale 1/128, zero point 0). Inputs beyond
//     +-input_range_radius saturate directly.
//   int16: interpolation in TFLite's sigmoid table through
//     tanh(x) = 2 sigmoid(2x) - 1 (kernels/integer_activations.h); output
//     scale 2^-15.
// Parameters come from the helpers in reference/logistic.h.
#pragma once

#include <stdint.h>

#include "kernels/reference/logistic.h"

namespace mote {
namespace reference {

void tanh_float(int32_t count, const float* input, float* output);
void tanh_int8(const Int8ActivationParams& params, int32_t count, const int8_t* input, int8_t* output);
void tanh_int16(const Int16ActivationParams& params, int32_t count, const int16_t* input, int16_t* output);

}  // namespace reference
}  // namespace mote
