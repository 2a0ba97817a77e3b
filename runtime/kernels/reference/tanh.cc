#include "kernels/reference/tanh.h"

#include <math.h>

#include "kernels/fixedpoint.h"
#include "kernels/fixedpoint_transcendental.h"
#include "kernels/integer_activations.h"

namespace mote {
namespace reference {

void tanh_float(int32_t count, const float* input, float* output) {
  for (int32_t i = 0; i < count; ++i) output[i] = tanhf(input[i]);
}

void tanh_int8(const Int8ActivationParams& p, int32_t count, const int8_t* input, int8_t* output) {
  int8_activation(p, count, input, output, [](int32_t x_q4) {
    // Q0.31 -> Q0.7 (scale 1/128); no zero point.
    return fixedpoint::saturate<int8_t>(fixedpoint::rounding_divide_by_pot(fixedpoint::tanh<4>(x_q4), 24));
  });
}

void tanh_int16(const Int16ActivationParams& params, int32_t count, const int16_t* input, int16_t* output) {
  integer_activations::tanh_int16(input, output, count, params.input_multiplier, params.input_left_shift);
}

}  // namespace reference
}  // namespace mote
