// MUL, as TFLite's reference kernels compute it. The quantized product of the
// zero-point-corrected inputs is requantized once by
// in1_scale * in2_scale / out_scale (double-rounding fixed-point multiply).
#pragma once

#include <stdint.h>

#include "kernels/reference/elementwise_broadcast.h"

namespace mote {
namespace reference {

// Also DIV's parameters (reference/div.h): both requantize once.
struct MulQuantParams {
  int32_t input1_offset;  // -zero_point of input 1
  int32_t input2_offset;
  int32_t output_offset;  // zero_point of the output
  int32_t output_multiplier;
  int32_t output_shift;
  int32_t activation_min;
  int32_t activation_max;
};

void make_mul_quant_params(float input1_scale, int32_t input1_zero_point, float input2_scale,
                           int32_t input2_zero_point, float output_scale, int32_t output_zero_point,
                           int32_t activation_min, int32_t activation_max, MulQuantParams* params);

// The offsets and clamp range as given and `real_multiplier` as output
// multiplier and shift; what make_mul_quant_params and make_div_quant_params
// share.
void make_single_multiplier_params(double real_multiplier, int32_t input1_zero_point, int32_t input2_zero_point,
                                   int32_t output_zero_point, int32_t activation_min, int32_t activation_max,
                                   MulQuantParams* params);

void mul_float(const BroadcastDesc& d, float activation_min, float activation_max, const float* input1,
               const float* input2, float* output);
// Wraps on overflow (TFLite does not check).
void mul_int32(const BroadcastDesc& d, int32_t activation_min, int32_t activation_max, const int32_t* input1,
               const int32_t* input2, int32_t* output);
void mul_int8(const BroadcastDesc& d, const MulQuantParams& p, const int8_t* input1, const int8_t* input2,
              int8_t* output);
// TFLite requires all zero points to be 0 for int16.
void mul_int16(const BroadcastDesc& d, const MulQuantParams& p, const int16_t* input1, const int16_t* input2,
               int16_t* output);

}  // namespace reference
}  // namespace mote
