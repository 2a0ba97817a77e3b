// The integer arithmetic every quantized kernel relies on (kernels/fixedpoint.h)
// and the fixed-point transcendental functions of SOFTMAX / LOGISTIC / TANH
// (kernels/fixedpoint_transcendental.h): known values worked out by hand from
// the definitions, independent formulas over many inputs, and accuracy
// against double-precision math.
#include "kernels/fixedpoint.h"

#include <gtest/gtest.h>
#include <math.h>
#include <stdint.h>

#include <limits>
#include <random>

#include "kernels/fixedpoint_transcendental.h"

namespace fp = mote::fixedpoint;

namespace {

constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
constexpr int32_t kMax = std::numeric_limits<int32_t>::max();

// ARM VQRDMULH: floor((2ab + 2^31) / 2^32), saturated (only MIN * MIN overflows).
int32_t vqrdmulh_model(int32_t a, int32_t b) {
  const __int128 v = (__int128(2) * a * b + (__int128(1) << 31));
  __int128 q = v >> 32;  // arithmetic shift: floor
  if (q > kMax) q = kMax;
  return int32_t(q);
}

// x / 2^e rounded to nearest, ties away from zero, in exact integer math.
int32_t round_half_away_model(int32_t x, int e) {
  if (e == 0) return x;
  const int64_t mag = x < 0 ? -int64_t(x) : int64_t(x);
  const int64_t q = (mag + (int64_t(1) << (e - 1))) >> e;
  return int32_t(x < 0 ? -q : q);
}

double q31(int32_t raw) { return double(raw) / 2147483648.0; }

}  // namespace

// --- kernels/fixedpoint.h ----------------------------------------------------

TEST(FixedPoint, SaturatingRoundingDoublingHighMulKnownValues) {
  EXPECT_EQ(fp::saturating_rounding_doubling_high_mul(kMin, kMin), kMax);           // (-1) * (-1) saturates
  EXPECT_EQ(fp::saturating_rounding_doubling_high_mul(1 << 30, 1 << 30), 1 << 29);  // 0.5 * 0.5
  EXPECT_EQ(fp::saturating_rounding_doubling_high_mul(kMin, 1 << 30), -(1 << 30));  // -1 * 0.5
  EXPECT_EQ(fp::saturating_rounding_doubling_high_mul(kMax, kMax), kMax - 1);
  EXPECT_EQ(fp::saturating_rounding_doubling_high_mul(0, kMin), 0);
  // 5 * 0.5 = 2.5 -> 3 and -5 * 0.5 = -2.5 -> -2: ties round towards +inf.
  EXPECT_EQ(fp::saturating_rounding_doubling_high_mul(5, 1 << 30), 3);
  EXPECT_EQ(fp::saturating_rounding_doubling_high_mul(-5, 1 << 30), -2);
  EXPECT_EQ(fp::saturating_rounding_doubling_high_mul(-7, 1 << 30), -3);
  // -3 * 0.25 = -0.75 -> -1 (not a tie).
  EXPECT_EQ(fp::saturating_rounding_doubling_high_mul(-3, 1 << 29), -1);
  EXPECT_EQ(fp::saturating_rounding_doubling_high_mul(3, 1 << 29), 1);
}

TEST(FixedPoint, SaturatingRoundingDoublingHighMulMatchesVqrdmulh) {
  std::mt19937 rng(1);
  std::uniform_int_distribution<int32_t> any(kMin, kMax);
  const int32_t edges[] = {kMin, kMin + 1, -(1 << 30), -3, -1, 0, 1, 3, 1 << 30, kMax - 1, kMax};
  for (int32_t a : edges)
    for (int32_t b : edges)
      ASSERT_EQ(fp::saturating_rounding_doubling_high_mul(a, b), vqrdmulh_model(a, b)) << a << " " << b;
  for (int i = 0; i < 200000; ++i) {
    const int32_t a = any(rng), b = any(rng);
    ASSERT_EQ(fp::saturating_rounding_doubling_high_mul(a, b), vqrdmulh_model(a, b)) << a << " " << b;
  }
}

TEST(FixedPoint, RoundingDivideByPotKnownValues) {
  EXPECT_EQ(fp::rounding_divide_by_pot(5, 1), 3);    // 2.5
  EXPECT_EQ(fp::rounding_divide_by_pot(-5, 1), -3);  // -2.5: away from zero
  EXPECT_EQ(fp::rounding_divide_by_pot(3, 1), 2);
  EXPECT_EQ(fp::rounding_divide_by_pot(-3, 1), -2);
  EXPECT_EQ(fp::rounding_divide_by_pot(-6, 2), -2);  // -1.5
  EXPECT_EQ(fp::rounding_divide_by_pot(6, 2), 2);
  EXPECT_EQ(fp::rounding_divide_by_pot(-5, 2), -1);  // -1.25
  EXPECT_EQ(fp::rounding_divide_by_pot(-7, 2), -2);  // -1.75
  EXPECT_EQ(fp::rounding_divide_by_pot(12345, 0), 12345);
  EXPECT_EQ(fp::rounding_divide_by_pot(-12345, 0), -12345);
  EXPECT_EQ(fp::rounding_divide_by_pot(1 << 30, 31), 1);      // 0.5
  EXPECT_EQ(fp::rounding_divide_by_pot(-(1 << 30), 31), -1);  // -0.5
  EXPECT_EQ(fp::rounding_divide_by_pot((1 << 30) - 1, 31), 0);
  EXPECT_EQ(fp::rounding_divide_by_pot(kMax, 31), 1);
  EXPECT_EQ(fp::rounding_divide_by_pot(kMin, 31), -1);
  EXPECT_EQ(fp::rounding_divide_by_pot(kMin, 1), kMin / 2);
}

TEST(FixedPoint, RoundingDivideByPotMatchesExactRounding) {
  std::mt19937 rng(2);
  std::uniform_int_distribution<int32_t> any(kMin, kMax);
  for (int e = 0; e <= 31; ++e) {
    for (int32_t x : {kMin, kMin + 1, -1, 0, 1, kMax})
      ASSERT_EQ(fp::rounding_divide_by_pot(x, e), round_half_away_model(x, e));
    // Exact ties at this exponent, both signs.
    if (e > 0 && e < 31) {
      const int32_t tie = (3 << (e - 1)) & kMax;
      ASSERT_EQ(fp::rounding_divide_by_pot(tie, e), round_half_away_model(tie, e)) << e;
      ASSERT_EQ(fp::rounding_divide_by_pot(-tie, e), round_half_away_model(-tie, e)) << e;
    }
    for (int i = 0; i < 5000; ++i) {
      const int32_t x = any(rng);
      ASSERT_EQ(fp::rounding_divide_by_pot(x, e), round_half_away_model(x, e)) << x << " " << e;
    }
  }
}

TEST(FixedPoint, QuantizeMultiplier) {
  int32_t m = -1;
  int s = -1;
  fp::quantize_multiplier(0.0, &m, &s);
  EXPECT_EQ(m, 0);
  EXPECT_EQ(s, 0);
  fp::quantize_multiplier(1.0, &m, &s);
  EXPECT_EQ(m, 1 << 30);
  EXPECT_EQ(s, 1);
  fp::quantize_multiplier(0.5, &m, &s);
  EXPECT_EQ(m, 1 << 30);
  EXPECT_EQ(s, 0);
  fp::quantize_multiplier(0.75, &m, &s);
  EXPECT_EQ(m, 1610612736);  // 0.75 * 2^31
  EXPECT_EQ(s, 0);
  fp::quantize_multiplier(3.0, &m, &s);
  EXPECT_EQ(m, 1610612736);
  EXPECT_EQ(s, 2);
  fp::quantize_multiplier(-0.5, &m, &s);
  EXPECT_EQ(m, -(1 << 30));
  EXPECT_EQ(s, 0);
  // 0.1 = 0.8 * 2^-3; 0.8 * 2^31 = 1717986918.4 -> 1717986918.
  fp::quantize_multiplier(0.1, &m, &s);
  EXPECT_EQ(m, 1717986918);
  EXPECT_EQ(s, -3);
  // A fraction that rounds up to 2^31 is renormalized to 2^30 with shift + 1.
  fp::quantize_multiplier(1.0 - ldexp(1.0, -34), &m, &s);
  EXPECT_EQ(m, 1 << 30);
  EXPECT_EQ(s, 1);
  fp::quantize_multiplier(ldexp(1.0, -20) * (1.0 - ldexp(1.0, -34)), &m, &s);
  EXPECT_EQ(m, 1 << 30);
  EXPECT_EQ(s, -19);
  // Smallest value kept: 2^-32 = 0.5 * 2^-31.
  fp::quantize_multiplier(ldexp(1.0, -32), &m, &s);
  EXPECT_EQ(m, 1 << 30);
  EXPECT_EQ(s, -31);
  // Below that it flushes to zero.
  fp::quantize_multiplier(ldexp(1.0, -33), &m, &s);
  EXPECT_EQ(m, 0);
  EXPECT_EQ(s, 0);
  fp::quantize_multiplier(1e-30, &m, &s);
  EXPECT_EQ(m, 0);
  EXPECT_EQ(s, 0);
}

TEST(FixedPoint, QuantizeMultiplierRoundTrips) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> mantissa(0.5, 1.0);
  for (int i = 0; i < 10000; ++i) {
    const double real = ldexp(mantissa(rng), int(rng() % 40) - 30);
    int32_t m = 0;
    int s = 0;
    fp::quantize_multiplier(real, &m, &s);
    ASSERT_GE(m, 1 << 30);
    // Within half a unit of the Q0.31 mantissa.
    EXPECT_LE(fabs(ldexp(double(m), s - 31) - real), ldexp(0.5, s - 31)) << real;
  }
}

TEST(FixedPoint, MultiplyByQuantizedMultiplier) {
  int32_t m = 0;
  int s = 0;
  fp::quantize_multiplier(0.5, &m, &s);
  EXPECT_EQ(fp::multiply_by_quantized_multiplier(100, m, s), 50);
  EXPECT_EQ(fp::multiply_by_quantized_multiplier(3, m, s), 2);    // 1.5, tie up
  EXPECT_EQ(fp::multiply_by_quantized_multiplier(-3, m, s), -1);  // -1.5, tie towards +inf in the high mul
  fp::quantize_multiplier(0.25, &m, &s);                          // 2^30, shift -1: two roundings
  EXPECT_EQ(fp::multiply_by_quantized_multiplier(3, m, s), 1);    // 3*0.5 -> 2 (tie up) then 2/2 = 1
  EXPECT_EQ(fp::multiply_by_quantized_multiplier(-3, m, s), -1);  // -1.5 -> -1, then -0.5 -> -1
  EXPECT_EQ(fp::multiply_by_quantized_multiplier(-5, m, s), -1);  // -2.5 -> -2, then -1
  fp::quantize_multiplier(5.0, &m, &s);                           // 0.625 * 2^3
  EXPECT_EQ(fp::multiply_by_quantized_multiplier(7, m, s), 35);
  EXPECT_EQ(fp::multiply_by_quantized_multiplier(-7, m, s), -35);
  EXPECT_EQ(fp::multiply_by_quantized_multiplier(12345, 0, 0), 0);
}

TEST(FixedPoint, RoundToInt32AndSaturate) {
  EXPECT_EQ(fp::round_to_int32(2.5f), 3);
  EXPECT_EQ(fp::round_to_int32(-2.5f), -3);
  EXPECT_EQ(fp::round_to_int32(2.4999f), 2);
  EXPECT_EQ(fp::round_to_int32(-0.5f), -1);
  EXPECT_EQ(fp::saturate<int8_t>(128), 127);
  EXPECT_EQ(fp::saturate<int8_t>(-129), -128);
  EXPECT_EQ(fp::saturate<int8_t>(-5), -5);
  EXPECT_EQ(fp::saturate<int16_t>(40000), 32767);
  EXPECT_EQ(fp::saturate<int16_t>(-40000), -32768);
}

// --- kernels/fixedpoint_transcendental.h --------------------------------------

TEST(FixedPointTranscendental, SaturatingRoundingMultiplyByPot) {
  EXPECT_EQ(fp::saturating_rounding_multiply_by_pot(3, 2), 12);
  EXPECT_EQ(fp::saturating_rounding_multiply_by_pot(-3, 2), -12);
  EXPECT_EQ(fp::saturating_rounding_multiply_by_pot(1 << 29, 1), 1 << 30);
  EXPECT_EQ(fp::saturating_rounding_multiply_by_pot(1 << 30, 1), kMax);     // saturates
  EXPECT_EQ(fp::saturating_rounding_multiply_by_pot(-(1 << 30), 1), kMin);  // exactly -2^31 saturates to the same
  EXPECT_EQ(fp::saturating_rounding_multiply_by_pot(-(1 << 30) - 1, 1), kMin);
  EXPECT_EQ(fp::saturating_rounding_multiply_by_pot(-5, -1), -3);
  EXPECT_EQ(fp::saturating_rounding_multiply_by_pot(7, 0), 7);
}

TEST(FixedPointTranscendental, ConstantsAreTheRoundedReals) {
  auto q = [](double v, int integer_bits) { return int32_t(llround(ldexp(v, 31 - integer_bits))); };
  EXPECT_EQ(1895147668, q(exp(-1.0 / 8.0), 0));
  EXPECT_EQ(715827883, q(1.0 / 3.0, 0));
  EXPECT_EQ(1515870810, q(48.0 / 17.0, 2));
  EXPECT_EQ(-1010580540, q(-32.0 / 17.0, 2));
  const int32_t barrel[] = {1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242};
  for (int k = -2; k <= 4; ++k) EXPECT_EQ(barrel[k + 2], q(exp(-ldexp(1.0, k)), 0)) << k;
}

TEST(FixedPointTranscendental, ExpOnNegativeValuesQ5) {
  EXPECT_EQ(fp::exp_on_negative_values<5>(0), kMax);
  // Every input step of 2^-12 over [-32, 0].
  double worst = 0;
  for (int64_t raw = 0; raw >= -(int64_t(1) << 31); raw -= (1 << 14)) {
    const int32_t a = int32_t(raw);
    const double got = q31(fp::exp_on_negative_values<5>(a));
    const double want = exp(double(a) / double(1 << 26));
    worst = fmax(worst, fabs(got - want));
  }
  // The Taylor expansion on [-1/4, 0] around -1/8 stops at x^4: remainder
  // (1/8)^5 / 5! ~ 2.5e-7.
  EXPECT_LT(worst, 3e-7);
  EXPECT_NEAR(q31(fp::exp_on_negative_values<5>(-(1 << 26))), exp(-1.0), 3e-7);
}

TEST(FixedPointTranscendental, ExpOnNegativeValuesOtherFormats) {
  // Q0.31 input (no barrel shifter beyond -1/4 .. -1/2 ..) and Q6 (with the
  // clamp below -32).
  for (int32_t a : {-1, -(1 << 20), -(1 << 29), -(1 << 30), kMin}) {
    EXPECT_NEAR(q31(fp::exp_on_negative_values<0>(a)), exp(q31(a)), 3e-7) << a;
  }
  EXPECT_EQ(fp::exp_on_negative_values<6>(-(33 << 25)), 0);  // -33 < -32
  EXPECT_NEAR(q31(fp::exp_on_negative_values<6>(-(3 << 25))), exp(-3.0), 3e-7);
}

TEST(FixedPointTranscendental, OneOverOnePlusX) {
  double worst = 0;
  for (int64_t raw = 0; raw <= kMax; raw += (1 << 16)) {
    const double x = q31(int32_t(raw));
    worst = fmax(worst, fabs(q31(fp::one_over_one_plus_x_for_x_in_0_1(int32_t(raw))) - 1.0 / (1.0 + x)));
  }
  EXPECT_LT(worst, 1e-8);
}

TEST(FixedPointTranscendental, OneMinusXOverOnePlusX) {
  double worst = 0;
  for (int64_t raw = 0; raw <= kMax; raw += (1 << 16)) {
    const double x = q31(int32_t(raw));
    worst = fmax(worst, fabs(q31(fp::one_minus_x_over_one_plus_x_for_x_in_0_1(int32_t(raw))) - (1.0 - x) / (1.0 + x)));
  }
  EXPECT_LT(worst, 1e-8);
}

TEST(FixedPointTranscendental, LogisticAndTanhQ4) {
  EXPECT_EQ(fp::logistic<4>(0), 1 << 30);
  EXPECT_EQ(fp::tanh<4>(0), 0);
  double worst_logistic = 0, worst_tanh = 0;
  for (int64_t raw = kMin; raw <= kMax; raw += (1 << 18)) {
    const int32_t a = int32_t(raw);
    const double x = double(a) / double(1 << 27);
    worst_logistic = fmax(worst_logistic, fabs(q31(fp::logistic<4>(a)) - 1.0 / (1.0 + exp(-x))));
    worst_tanh = fmax(worst_tanh, fabs(q31(fp::tanh<4>(a)) - ::tanh(x)));
    // Symmetries the reference builds in (logistic(0) is exactly 1/2).
    if (a != kMin && a != 0) {
      ASSERT_EQ(fp::tanh<4>(-a), -fp::tanh<4>(a)) << a;
      ASSERT_EQ(fp::logistic<4>(-a), kMax - fp::logistic<4>(a)) << a;
    }
  }
  // Both inherit exp's ~2.5e-7 (scaled by a derivative below 1).
  EXPECT_LT(worst_logistic, 3e-7);
  EXPECT_LT(worst_tanh, 3e-7);
}

TEST(FixedPointTranscendental, Reciprocal) {
  // 1/x for x in Q12.19 (the softmax sum of exps).
  for (double x : {1.0, 1.5, 2.0, 3.0, 7.25, 100.0, 4095.0}) {
    int bits = 0;
    const int32_t r = fp::reciprocal(int32_t(x * (1 << 19)), 12, &bits);
    EXPECT_NEAR(ldexp(q31(r), -bits), 1.0 / x, 1e-8 / x) << x;
  }
  int bits = 0;
  // x = 4 (Q12.19): normalized to exactly 1.0, so 1/(1+0).
  const int32_t r = fp::reciprocal(4 << 19, 12, &bits);
  EXPECT_EQ(bits, 2);
  EXPECT_EQ(r, fp::one_over_one_plus_x_for_x_in_0_1(0));
}

TEST(FixedPointTranscendental, CountLeadingZeros) {
  EXPECT_EQ(fp::count_leading_zeros(0), 32);
  EXPECT_EQ(fp::count_leading_zeros(1), 31);
  EXPECT_EQ(fp::count_leading_zeros(0x80000000u), 0);
  EXPECT_EQ(fp::count_leading_zeros(1u << 21), 10);
}
