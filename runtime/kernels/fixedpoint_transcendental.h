// Fixed-point exp, 1/(1+x), logistic and tanh on int32 Q-format values, with
// the exact arithmetic of gemmlowp's fixedpoint.h, which TFLite's quantized
// SOFTMAX, LOGISTIC and TANH kernels are built on.
//
// A Q-format value with I integer bits is an int32 `raw` meaning
// raw / 2^(31 - I), so its range is [-2^I, 2^I). Functions that take an
// argument in a format other than Q0.31 name it in a template parameter
// kIntegerBits. Results are Q0.31.
//
// The polynomial and Newton-Raphson steps below are part of the contract: any
// change of order or rounding changes the last bits of the reference output.
#pragma once

#include <stdint.h>

#include <limits>

#include "kernels/fixedpoint.h"

namespace mote {
namespace fixedpoint {

constexpr int32_t kQ31One = std::numeric_limits<int32_t>::max();  // 1.0 saturated in Q0.31

// Two's complement wrap-around arithmetic (the reference relies on it where
// values cannot actually overflow; this keeps it free of undefined behaviour).
inline int32_t wrapping_add(int32_t a, int32_t b) { return int32_t(uint32_t(a) + uint32_t(b)); }
inline int32_t wrapping_sub(int32_t a, int32_t b) { return int32_t(uint32_t(a) - uint32_t(b)); }
inline int32_t wrapping_neg(int32_t a) { return int32_t(0u - uint32_t(a)); }

// x * 2^exponent: saturating for exponent > 0, rounding half away from zero
// for exponent < 0.
inline int32_t saturating_rounding_multiply_by_pot(int32_t x, int exponent) {
  if (exponent == 0) return x;
  if (exponent < 0) return rounding_divide_by_pot(x, -exponent);
  const int32_t threshold = int32_t((int64_t(1) << (31 - exponent)) - 1);
  if (x > threshold) return std::numeric_limits<int32_t>::max();
  if (x < -threshold) return std::numeric_limits<int32_t>::min();
  return int32_t(uint32_t(x) << exponent);
}

// Changes the format of x from Q(src_integer_bits) to Q(dst_integer_bits).
inline int32_t rescale(int32_t x, int src_integer_bits, int dst_integer_bits) {
  return saturating_rounding_multiply_by_pot(x, src_integer_bits - dst_integer_bits);
}

// (a + b) / 2, rounded half away from zero.
inline int32_t rounding_half_sum(int32_t a, int32_t b) {
  const int64_t sum = int64_t(a) + int64_t(b);
  return int32_t((sum + (sum >= 0 ? 1 : -1)) / 2);
}

// Product of two Q-format values; the integer bits of the result are the sum
// of those of the operands.
inline int32_t fixed_mul(int32_t a, int32_t b) { return saturating_rounding_doubling_high_mul(a, b); }

inline int count_leading_zeros(uint32_t x) {
  if (x == 0) return 32;
  return __builtin_clz(x);
}

// exp(a) for a in [-1/4, 0), a and result in Q0.31: a 4th-order Taylor
// expansion around -1/8.
inline int32_t exp_on_interval_between_negative_one_quarter_and_0_excl(int32_t a) {
  const int32_t exp_minus_one_eighth = 1895147668;  // round(exp(-1/8) * 2^31)
  const int32_t one_third = 715827883;              // round(2^31 / 3)
  const int32_t x = a + (1 << 28);                  // a + 1/8
  const int32_t x2 = fixed_mul(x, x);
  const int32_t x3 = fixed_mul(x2, x);
  const int32_t x4 = fixed_mul(x2, x2);
  const int32_t x4_over_4 = saturating_rounding_multiply_by_pot(x4, -2);
  // x^4/24 + x^3/6 + x^2/2
  const int32_t higher_terms = saturating_rounding_multiply_by_pot(fixed_mul(x4_over_4 + x3, one_third) + x2, -1);
  return exp_minus_one_eighth + fixed_mul(exp_minus_one_eighth, x + higher_terms);
}

// exp(a) for a <= 0 given in Q(kIntegerBits); result in Q0.31.
//
// a = (a mod 1/4) - 1/4 - remainder with remainder a sum of powers of two;
// exp of the first part comes from the Taylor expansion, and each set bit of
// the remainder multiplies by the constant exp(-2^k).
template <int kIntegerBits>
int32_t exp_on_negative_values(int32_t a) {
  static_assert(kIntegerBits >= 0 && kIntegerBits < 31, "bad integer bits");
  constexpr int kFractionalBits = 31 - kIntegerBits;
  const int32_t one_quarter = int32_t(1) << (kFractionalBits - 2);
  const int32_t a_mod_quarter_minus_one_quarter = (a & (one_quarter - 1)) - one_quarter;
  int32_t result = exp_on_interval_between_negative_one_quarter_and_0_excl(
      rescale(a_mod_quarter_minus_one_quarter, kIntegerBits, 0));
  const int32_t remainder = a_mod_quarter_minus_one_quarter - a;

  // round(exp(-2^k) * 2^31) for k = -2 .. 4.
  static constexpr int32_t kExpMinusPowerOfTwo[7] = {1672461947, 1302514674, 790015084, 290630308,
                                                     39332535,   720401,     242};
  for (int k = -2; k <= 4; ++k) {
    if (kIntegerBits > k) {
      const int bit = kFractionalBits + k;
      if (remainder & (int32_t(1) << bit)) result = fixed_mul(result, kExpMinusPowerOfTwo[k + 2]);
    }
  }

  // Below -32 the barrel shifter above has no bits left: exp is 0.
  if (kIntegerBits > 5) {
    const int32_t minus_32 = -(int32_t(1) << (kIntegerBits > 5 ? 36 - kIntegerBits : 0));
    if (a < minus_32) result = 0;
  }
  if (a == 0) result = kQ31One;
  return result;
}

// Newton-Raphson reciprocal shared by the two functions below: returns
// 1 / ((1 + a) / 2) in Q2.29 for a in [0, 1) given in Q0.31.
inline int32_t reciprocal_of_half_one_plus_x_q2(int32_t a) {
  const int32_t half_denominator = rounding_half_sum(a, kQ31One);  // Q0.31
  const int32_t forty_eight_seventeenths = 1515870810;             // 48/17 in Q2.29
  const int32_t minus_thirty_two_seventeenths = -1010580540;       // -32/17 in Q2.29
  const int32_t one_q2 = int32_t(1) << 29;
  int32_t x = forty_eight_seventeenths + fixed_mul(half_denominator, minus_thirty_two_seventeenths);
  for (int i = 0; i < 3; ++i) {
    const int32_t half_denominator_times_x = fixed_mul(half_denominator, x);  // Q2
    const int32_t one_minus_half_denominator_times_x = one_q2 - half_denominator_times_x;
    x = x + rescale(fixed_mul(x, one_minus_half_denominator_times_x), 4, 2);
  }
  return x;
}

// 1 / (1 + a) for a in [0, 1); a and result in Q0.31.
inline int32_t one_over_one_plus_x_for_x_in_0_1(int32_t a) {
  // x is 2/(1+a) in Q2.29, i.e. 1/(1+a) in Q1.30.
  return rescale(reciprocal_of_half_one_plus_x_q2(a), 1, 0);
}

// (1 - a) / (1 + a) for a in [0, 1); a and result in Q0.31.
inline int32_t one_minus_x_over_one_plus_x_for_x_in_0_1(int32_t a) {
  const int32_t two_over_one_plus_a = reciprocal_of_half_one_plus_x_q2(a);
  return rescale(two_over_one_plus_a - (int32_t(1) << 29), 2, 0);
}

// 1 / (1 + exp(-a)) for a in Q(kIntegerBits); result in Q0.31.
template <int kIntegerBits>
int32_t logistic(int32_t a) {
  const int32_t abs_a = a > 0 ? a : wrapping_neg(a);
  const int32_t logistic_of_abs =
      one_over_one_plus_x_for_x_in_0_1(exp_on_negative_values<kIntegerBits>(wrapping_neg(abs_a)));
  if (a == 0) return int32_t(1) << 30;
  if (a > 0) return logistic_of_abs;
  return kQ31One - logistic_of_abs;
}

// tanh(a) for a in Q(kIntegerBits); result in Q0.31. Uses
// tanh(|a|) = (1 - exp(-2|a|)) / (1 + exp(-2|a|)).
template <int kIntegerBits>
int32_t tanh(int32_t a) {
  const int32_t minus_abs_a = a < 0 ? a : wrapping_neg(a);
  // -2|a| is the same raw value read with one more integer bit.
  const int32_t tanh_of_abs =
      one_minus_x_over_one_plus_x_for_x_in_0_1(exp_on_negative_values<kIntegerBits + 1>(minus_abs_a));
  if (a == 0) return 0;
  if (a < 0) return wrapping_neg(tanh_of_abs);
  return tanh_of_abs;
}

// 1 / x for x > 0 in Q(x_integer_bits), as a Q0.31 value r and an exponent:
// 1/x = r * 2^-num_bits_over_unit.
inline int32_t reciprocal(int32_t x, int x_integer_bits, int* num_bits_over_unit) {
  const int headroom_plus_one = count_leading_zeros(uint32_t(x));
  *num_bits_over_unit = x_integer_bits - headroom_plus_one;
  // x normalized to [1, 2), minus 1, in Q0.31.
  const int32_t shifted_minus_one = int32_t((uint32_t(x) << headroom_plus_one) - (uint32_t(1) << 31));
  return one_over_one_plus_x_for_x_in_0_1(shifted_minus_one);
}

}  // namespace fixedpoint
}  // namespace mote
