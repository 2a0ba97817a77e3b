// SOFTMAX reference kernels over the last axis:
//   output[r][c] = exp(beta * (input[r][c] - max_c input[r])) / sum_c(...)
// Tensors are [rows][depth], row major.
//
// Quantized variants follow TFLite exactly:
//   int8 input  -> int8 (scale 1/256, zero point -128) or int16 (scale 1/65536,
//     zero point -32768) output: gemmlowp fixed-point exp of the input
//     difference in Q5.26, sum in Q12.19, fixed-point reciprocal.
//   int16 input -> int16 output (scale 1/32768, zero point 0): two 513-entry
//     interpolated lookup tables, exp on [-10, 0] and 1/(1+x) on [0, 1].
#pragma once

#include <stdint.h>

namespace mote {
namespace reference {

// Entries of each int16 softmax lookup table: 512 segments plus the end point.
constexpr int32_t kSoftmaxLutSize = 513;

struct SoftmaxInt8Params {
  // beta * input_scale in Q5.26 per input step: input differences are
  // multiplied by input_multiplier * 2^input_left_shift (a Q0.31 multiplier).
  int32_t input_multiplier = 0;
  int32_t input_left_shift = 0;
  // Input differences below diff_min give exp == 0 (and the output minimum).
  int32_t diff_min = 0;
};

struct SoftmaxInt16Params {
  // Maps input differences to the exp table's [-10, 0] range (scale
  // 10 / 65535): a quantized multiplier with a signed shift.
  int32_t input_multiplier = 0;
  int32_t input_shift = 0;
  const int16_t* exp_lut = nullptr;                  // kSoftmaxLutSize entries
  const int16_t* one_over_one_plus_x_lut = nullptr;  // kSoftmaxLutSize entries
};

// Prepare-time helpers. softmax_int8_params fails (false) when beta *
// input_scale is too small for the Q5.26 scaling (TFLite rejects those too).
bool softmax_int8_params(double beta, double input_scale, SoftmaxInt8Params* params);
void softmax_int16_multiplier(double beta, double input_scale, int32_t* input_multiplier, int32_t* input_shift);
// Fills exp(x) for x in [-10, 0] and 1/(1+x) for x in [0, 1], both as Q0.15
// tables over a symmetric int16 argument.
void softmax_int16_build_luts(int16_t* exp_lut, int16_t* one_over_one_plus_x_lut);

// The interpolated int16 table lookup TFLite uses: 9 bits of the argument
// pick the segment, 7 bits interpolate.
int16_t int16_lut_lookup(int16_t value, const int16_t* lut);

void softmax_float(int32_t rows, int32_t depth, float beta, const float* input, float* output);

void softmax_int8(const SoftmaxInt8Params& params, int32_t rows, int32_t depth, const int8_t* input, int8_t* output);
void softmax_int8_int16(const SoftmaxInt8Params& params, int32_t rows, int32_t depth, const int8_t* input,
                        int16_t* output);

// Uses the output rows as scratch for the exp values.
void softmax_int16(const SoftmaxInt16Params& params, int32_t rows, int32_t depth, const int16_t* input,
                   int16_t* output);

}  // namespace reference
}  // namespace mote
