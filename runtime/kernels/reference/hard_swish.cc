#include "kernels/reference/hard_swish.h"

#include <limits>

#include "kernels/fixedpoint.h"

namespace mote {
namespace reference {

namespace {

constexpr int16_t kInt16Min = std::numeric_limits<int16_t>::min();
constexpr int16_t kInt16Max = std::numeric_limits<int16_t>::max();

// Q31 multiplier rounded to Q15.
int16_t q31_to_q15(int32_t multiplier) {
  if (multiplier >= std::numeric_limits<int32_t>::max() - (1 << 15)) return kInt16Max;
  return int16_t((multiplier + (1 << 15)) >> 16);
}

// (a * b * 2) >> 16, rounded half up; INT16_MIN^2 saturates.
int16_t saturating_rounding_doubling_high_mul16(int16_t a, int16_t b) {
  if (a == kInt16Min && b == kInt16Min) return kInt16Max;
  const int32_t ab = int32_t(a) * int32_t(b);
  const int32_t nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
  return int16_t((ab + nudge) / (1 << 15));
}

// Same, truncating toward zero (ARM SQDMULH), as TFLite uses it for the final
// product.
int16_t saturating_doubling_high_mul16(int16_t a, int16_t b) {
  if (a == kInt16Min && b == kInt16Min) return kInt16Max;
  return int16_t((int32_t(a) * int32_t(b)) / (1 << 15));
}

int16_t saturating_left_shift16(int16_t x, int amount) {
  const int64_t shifted = int64_t(x) * (int64_t(1) << amount);
  if (shifted > kInt16Max) return kInt16Max;
  if (shifted < kInt16Min) return kInt16Min;
  return int16_t(shifted);
}

// gemmlowp's rounding right shift on int16 values. For exponents of 16 or
// more its int16 mask is all ones (kept for bit-exactness; needs absurd
// scales).
int16_t rounding_divide_by_pot16(int16_t x, int exponent) {
  if (exponent <= 15) return int16_t(fixedpoint::rounding_divide_by_pot(x, exponent));
  const int32_t threshold = -1 + (x < 0 ? 1 : 0);
  return int16_t((int32_t(x) >> (exponent & 31)) + (x > threshold ? 1 : 0));
}

}  // namespace

bool make_hard_swish_quant_params(float input_scale, int32_t input_zero_point, float output_scale,
                                  int32_t output_zero_point, HardSwishQuantParams* params) {
  HardSwishQuantParams p = {};
  p.input_zero_point = input_zero_point;
  p.output_zero_point = output_zero_point;
  const float hires_input_scale = (1.0f / 128.0f) * input_scale;
  const float reluish_scale = 3.0f / 32768.0f;
  int32_t multiplier = 0;
  int exponent = 0;
  fixedpoint::quantize_multiplier(double(hires_input_scale / output_scale), &multiplier, &exponent);
  p.output_multiplier = q31_to_q15(multiplier);
  p.output_exponent = exponent;
  fixedpoint::quantize_multiplier(double(hires_input_scale / reluish_scale), &multiplier, &exponent);
  p.reluish_multiplier = q31_to_q15(multiplier);
  p.reluish_exponent = exponent;
  if (p.output_exponent > 0) return false;
  *params = p;
  return true;
}

void hard_swish_float(int32_t size, const float* input, float* output) {
  for (int32_t i = 0; i < size; ++i) {
    const float x = input[i];
    // std::min(6, std::max(0, x + 3)), comparisons in TFLite's order.
    const float above_zero = 0.0f < x + 3.0f ? x + 3.0f : 0.0f;
    const float relu6 = above_zero < 6.0f ? above_zero : 6.0f;
    output[i] = x * relu6 / 6.0f;
  }
}

void hard_swish_int8(int32_t size, const HardSwishQuantParams& p, const int8_t* input, int8_t* output) {
  for (int32_t i = 0; i < size; ++i) {
    const int16_t x = int16_t(input[i] - p.input_zero_point);
    // Headroom: |x| <= 255, so x * 128 still fits in int16.
    const int16_t x_hires = int16_t(x * (1 << 7));
    const int16_t x_preshift_output = saturating_rounding_doubling_high_mul16(x_hires, p.output_multiplier);

    // x rescaled so that real 3.0 is 32768 (saturating): [-3, 3] -> [-1, 1].
    // A left shift is split around the multiply so that only the last bit
    // can saturate.
    int16_t reluish = x_hires;
    if (p.reluish_exponent > 0) reluish = saturating_left_shift16(reluish, p.reluish_exponent - 1);
    reluish = saturating_rounding_doubling_high_mul16(reluish, p.reluish_multiplier);
    if (p.reluish_exponent > 0) reluish = saturating_left_shift16(reluish, 1);
    if (p.reluish_exponent < 0) reluish = rounding_divide_by_pot16(reluish, -p.reluish_exponent);
    // [-1, 1] -> [0, 1].
    reluish = int16_t((int32_t(reluish) + (1 << 15)) >> 1);

    const int16_t preshift_output = saturating_doubling_high_mul16(reluish, x_preshift_output);
    // int16 arithmetic as in TFLite (the zero point add wraps in int16).
    int16_t q = rounding_divide_by_pot16(preshift_output, -p.output_exponent);
    q = int16_t(q + p.output_zero_point);
    output[i] = int8_t(q < -128 ? -128 : (q > 127 ? 127 : q));
  }
}

}  // namespace reference
}  // namespace mote
