// DIV, as TFLite's reference kernels compute it.
//
// int8: the divisor's reciprocal is computed in fixed point (Newton-Raphson,
// gemmlowp's one_over_one_plus_x), the numerator is normalized by its
// leading sign bits, and the quotient is requantized by
// in1_scale / (in2_scale * out_scale) with all shifts folded into one rounding
// right shift.
#pragma once

#include <stdint.h>

#include "kernels/reference/elementwise_broadcast.h"
#include "kernels/reference/mul.h"

namespace mote {
namespace reference {

// MUL's fields; the output multiplier is in1_scale / (in2_scale * out_scale).
using DivQuantParams = MulQuantParams;

void make_div_quant_params(float input1_scale, int32_t input1_zero_point, float input2_scale,
                           int32_t input2_zero_point, float output_scale, int32_t output_zero_point,
                           int32_t activation_min, int32_t activation_max, DivQuantParams* params);

void div_float(const BroadcastDesc& d, float activation_min, float activation_max, const float* input1,
               const float* input2, float* output);
// Truncating division. TFLite leaves x / 0 and INT32_MIN / -1 undefined; here
// they give 0 and INT32_MIN.
void div_int32(const BroadcastDesc& d, int32_t activation_min, int32_t activation_max, const int32_t* input1,
               const int32_t* input2, int32_t* output);
// A divisor equal to its zero point (real 0) is undefined in TFLite; here it
// gives the output zero point.
void div_int8(const BroadcastDesc& d, const DivQuantParams& p, const int8_t* input1, const int8_t* input2,
              int8_t* output);

// gemmlowp's fixed-point 1 / (1 + x) for x in [0, 1), both Q0.31.
int32_t one_over_one_plus_x_q31(int32_t x);

}  // namespace reference
}  // namespace mote
