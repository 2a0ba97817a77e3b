// ADD (and the rescaling it shares with SUB), as TFLite's reference kernels compute them.
//
// Quantized (int8/int16) inputs are brought to a common scale before the sum:
// each input, minus its zero point, is shifted left by `left_shift` (20 for
// int8, 15 for int16) for headroom and multiplied by scale_i / (2 * max_scale)
// (< 1); the sum is multiplied by 2 * max_scale / (2^left_shift * out_scale).
// All three multiplies are double-rounding fixed-point multiplies.
#pragma once

#include <stdint.h>

#include "kernels/fixedpoint.h"
#include "kernels/reference/elementwise_broadcast.h"

namespace mote {
namespace reference {

struct AddSubQuantParams {
  int32_t input1_offset;  // -zero_point of input 1
  int32_t input2_offset;
  int32_t output_offset;  // zero_point of the output
  int32_t left_shift;
  int32_t input1_multiplier;
  int32_t input1_shift;  // <= 0
  int32_t input2_multiplier;
  int32_t input2_shift;
  int32_t output_multiplier;
  int32_t output_shift;
  int32_t activation_min;
  int32_t activation_max;
};

// Multipliers for ADD (is_sub false) or SUB with int8 (output_is_int16 false)
// or int16 outputs. TFLite computes the SUB ratios in float and the ADD ratios
// in double; both are reproduced. False when a multiplier falls outside
// (0, 1), which TFLite rejects too.
bool make_add_sub_quant_params(bool is_sub, bool output_is_int16, float input1_scale, int32_t input1_zero_point,
                               float input2_scale, int32_t input2_zero_point, float output_scale,
                               int32_t output_zero_point, int32_t activation_min, int32_t activation_max,
                               AddSubQuantParams* params);

// One input on the common scale.
inline int32_t add_sub_rescale_input(int32_t q, int32_t offset, int32_t left_shift, int32_t multiplier,
                                     int32_t shift) {
  const int32_t shifted = (q + offset) * (int32_t(1) << left_shift);
  return fixedpoint::multiply_by_quantized_multiplier(shifted, multiplier, shift);
}

// The quantized output for a sum (or difference) on the common scale.
inline int32_t add_sub_output(const AddSubQuantParams& p, int32_t raw) {
  const int32_t q = fixedpoint::multiply_by_quantized_multiplier(raw, p.output_multiplier, p.output_shift) +
                    p.output_offset;
  return q < p.activation_min ? p.activation_min : (q > p.activation_max ? p.activation_max : q);
}

void add_float(const BroadcastDesc& d, float activation_min, float activation_max, const float* input1,
               const float* input2, float* output);
// Wraps on overflow (TFLite does not check).
void add_int32(const BroadcastDesc& d, int32_t activation_min, int32_t activation_max, const int32_t* input1,
               const int32_t* input2, int32_t* output);
void add_int8(const BroadcastDesc& d, const AddSubQuantParams& p, const int8_t* input1, const int8_t* input2,
              int8_t* output);
void add_int16(const BroadcastDesc& d, const AddSubQuantParams& p, const int16_t* input1, const int16_t* input2,
               int16_t* output);

}  // namespace reference
}  // namespace mote
