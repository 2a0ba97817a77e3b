#include "kernels/reference/div.h"

#include <limits>

#include "kernels/fixedpoint.h"

namespace mote {
namespace reference {

namespace {

using fixedpoint::saturating_rounding_doubling_high_mul;

int count_leading_zeros(uint32_t x) {
  if (x == 0) return 32;
  int n = 0;
  while ((x & 0x80000000u) == 0) {
    x <<= 1;
    ++n;
  }
  return n;
}

// Redundant sign bits below the sign bit; 31 for 0 and -1.
int count_leading_sign_bits(int32_t x) {
  return count_leading_zeros(x >= 0 ? uint32_t(x) : ~uint32_t(x)) - 1;
}

int32_t wrapping_add(int32_t a, int32_t b) { return int32_t(uint32_t(a) + uint32_t(b)); }

// (a + b) / 2 rounded half away from zero, without overflow.
int32_t rounding_half_sum(int32_t a, int32_t b) {
  const int64_t sum = int64_t(a) + int64_t(b);
  return int32_t((sum + (sum >= 0 ? 1 : -1)) / 2);
}

// x * 2^exponent saturated to int32, exponent > 0.
int32_t saturating_shift_left(int32_t x, int exponent) {
  const int32_t threshold = (int32_t(1) << (31 - exponent)) - 1;
  if (x > threshold) return std::numeric_limits<int32_t>::max();
  if (x < -threshold) return std::numeric_limits<int32_t>::min();
  return int32_t(uint32_t(x) << exponent);
}

// TFLite's rounding right shift as its int32 code computes it, including
// exponents of 32 or more, which DIV reaches for a zero or tiny numerator:
// the mask (2^e - 1) truncates to all ones and the shift count wraps modulo
// 32 (as on x86 and Xtensa), so e.g. 0 comes out as 1. Reproduced for
// bit-exactness. Negative exponents need a multiplier near 2^23 and are
// treated as exact left shifts.
int32_t tflite_rounding_divide_by_pot(int32_t x, int exponent) {
  if (exponent < 0) return int32_t(uint32_t(x) << (-exponent & 31));
  if (exponent <= 31) return fixedpoint::rounding_divide_by_pot(x, exponent);
  const int32_t threshold = -1 + (x < 0 ? 1 : 0);
  return (x >> (exponent & 31)) + (x > threshold ? 1 : 0);
}

// 1 / x for x > 0 as a Q0.31 value times 2^-(*shift) ("GetReciprocal" with
// 31 integer digits).
int32_t reciprocal(int32_t x, int* shift) {
  const int headroom_plus_one = count_leading_zeros(uint32_t(x));
  *shift = 31 - headroom_plus_one;
  const int32_t shifted_minus_one = int32_t((uint32_t(x) << headroom_plus_one) - (uint32_t(1) << 31));
  return one_over_one_plus_x_q31(shifted_minus_one);
}

}  // namespace

int32_t one_over_one_plus_x_q31(int32_t x) {
  // Q0.31 inputs, Q2.29 iterate; products of a Q0 and a Q2 value are Q2,
  // of two Q2 values Q4.
  const int32_t half_denominator = rounding_half_sum(x, std::numeric_limits<int32_t>::max());
  const int32_t k48_over_17 = 1515870810;
  const int32_t kminus_32_over_17 = -1010580540;
  const int32_t kone_q2 = int32_t(1) << 29;
  int32_t estimate = wrapping_add(k48_over_17, saturating_rounding_doubling_high_mul(half_denominator, kminus_32_over_17));
  for (int i = 0; i < 3; ++i) {
    const int32_t half_denominator_times_estimate = saturating_rounding_doubling_high_mul(half_denominator, estimate);
    const int32_t one_minus = wrapping_add(kone_q2, -half_denominator_times_estimate);
    const int32_t correction_q4 = saturating_rounding_doubling_high_mul(estimate, one_minus);
    estimate = wrapping_add(estimate, saturating_shift_left(correction_q4, 2));
  }
  // estimate is 1/(1+x) / 2 in Q2.29 = 1/(1+x) in Q1.30; back to Q0.31.
  return saturating_shift_left(estimate, 1);
}

void make_div_quant_params(float input1_scale, int32_t input1_zero_point, float input2_scale,
                           int32_t input2_zero_point, float output_scale, int32_t output_zero_point,
                           int32_t activation_min, int32_t activation_max, DivQuantParams* params) {
  const double real = double(input1_scale / (input2_scale * output_scale));
  make_single_multiplier_params(real, input1_zero_point, input2_zero_point, output_zero_point, activation_min,
                                activation_max, params);
}

void div_float(const BroadcastDesc& d, float activation_min, float activation_max, const float* input1,
               const float* input2, float* output) {
  broadcast_binary(d, input1, input2, output, [=](float a, float b) {
    return clamp_activation(a / b, activation_min, activation_max);
  });
}

void div_int32(const BroadcastDesc& d, int32_t activation_min, int32_t activation_max, const int32_t* input1,
               const int32_t* input2, int32_t* output) {
  broadcast_binary(d, input1, input2, output, [=](int32_t a, int32_t b) {
    int32_t q;
    if (b == 0) {
      q = 0;
    } else if (b == -1) {
      q = int32_t(0u - uint32_t(a));
    } else {
      q = a / b;
    }
    return clamp_activation(q, activation_min, activation_max);
  });
}

void div_int8(const BroadcastDesc& d, const DivQuantParams& p, const int8_t* input1, const int8_t* input2,
              int8_t* output) {
  broadcast_binary(d, input1, input2, output, [&p](int8_t a, int8_t b) {
    int32_t numerator = a + p.input1_offset;
    int32_t denominator = b + p.input2_offset;
    if (denominator == 0) return int8_t(clamp_activation(p.output_offset, p.activation_min, p.activation_max));
    // The reciprocal is computed for a positive divisor; move the sign up.
    if (denominator < 0) {
      numerator = -numerator;
      denominator = -denominator;
    }
    int reciprocal_shift = 0;
    const int32_t inverse = reciprocal(denominator, &reciprocal_shift);
    const int headroom = count_leading_sign_bits(numerator);
    const int32_t unscaled_quotient =
        saturating_rounding_doubling_high_mul(int32_t(uint32_t(numerator) << headroom), inverse);
    const int total_shift = p.output_shift - reciprocal_shift - headroom;
    const int32_t q = tflite_rounding_divide_by_pot(
                          saturating_rounding_doubling_high_mul(unscaled_quotient, p.output_multiplier),
                          -total_shift) +
                      p.output_offset;
    return int8_t(clamp_activation(q, p.activation_min, p.activation_max));
  });
}

}  // namespace reference
}  // namespace mote
