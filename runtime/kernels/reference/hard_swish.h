// HARD_SWISH, x * relu6(x + 3) / 6, as TFLite's reference kernels compute it.
//
// int8 follows TFLite's 16-bit fixed-point formulation: the input is moved to
// a "hi-res" scale (x 128), a "reluish" factor relu6(x + 3) / 6 in [0, 1] is
// computed on a scale where 3.0 maps to 32768, and the product is brought to
// the output scale. Both multipliers are int16, rounded down from the usual
// Q31 multipliers.
#pragma once

#include <stdint.h>

namespace mote {
namespace reference {

struct HardSwishQuantParams {
  int32_t input_zero_point;
  int32_t output_zero_point;
  int16_t reluish_multiplier;  // Q15
  int16_t output_multiplier;   // Q15
  int32_t reluish_exponent;
  int32_t output_exponent;  // <= 0
};

// False when the output multiplier would need a left shift (TFLite rejects
// that too).
bool make_hard_swish_quant_params(float input_scale, int32_t input_zero_point, float output_scale,
                                  int32_t output_zero_point, HardSwishQuantParams* params);

void hard_swish_float(int32_t size, const float* input, float* output);
void hard_swish_int8(int32_t size, const HardSwishQuantParams& p, const int8_t* input, int8_t* output);

}  // namespace reference
}  // namespace mote
