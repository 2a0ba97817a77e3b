// ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM, RELU, RELU6, LEAKY_RELU, HARD_SWISH,
// QUANTIZE, DEQUANTIZE and CAST.
//
// Kernels are checked against math written independently here: float ops
// against the same float expression, quantized ops against (a) real-valued
// results (within one output step where TFLite's integer arithmetic is
// approximate) and (b) an int64 restatement of TFLite's fixed-point steps
// (round-half-up high multiply, round-half-away shift), exact. One-op models
// go through the interpreter to cover the op glue (options, broadcasting,
// validation).
#include <gtest/gtest.h>
#include <math.h>
#include <stdint.h>

#include <limits>
#include <random>
#include <vector>

#include "kernels/fixedpoint.h"
#include "kernels/reference/add.h"
#include "kernels/reference/cast.h"
#include "kernels/reference/div.h"
#include "kernels/reference/elementwise_broadcast.h"
#include "kernels/reference/hard_swish.h"
#include "kernels/reference/leaky_relu.h"
#include "kernels/reference/maximum_minimum.h"
#include "kernels/reference/mul.h"
#include "kernels/reference/quantize.h"
#include "kernels/reference/relu.h"
#include "kernels/reference/sub.h"
#include "op_harness.h"
#include "tools/model_builder.h"

namespace {

using mote::DType;
using mote::Shape;
using mote::tools::ModelBuilder;
using mote::tools::Options;
using mote::tools::TensorSpec;
namespace ref = mote::reference;
namespace schema = mote::schema;

// --- independent fixed-point restatement -------------------------------------

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// round(a * b / 2^31), ties toward +infinity; INT32_MIN^2 saturates.
int64_t high_mul(int64_t a, int64_t b) {
  if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
  return floor_div(a * b + (int64_t(1) << 30), int64_t(1) << 31);
}

// round(x / 2^e), ties away from zero.
int64_t shift_round(int64_t x, int e) {
  if (e == 0) return x;
  const int64_t half = int64_t(1) << (e - 1);
  return x >= 0 ? (x + half) >> e : -((-x + half) >> e);
}

// x * multiplier * 2^shift the way TFLite's double-rounding multiply does it.
int64_t requant(int64_t x, int32_t multiplier, int shift) {
  const int left = shift > 0 ? shift : 0;
  const int right = shift > 0 ? 0 : -shift;
  const int64_t shifted = x * (int64_t(1) << left);
  EXPECT_LE(shifted, INT32_MAX);
  EXPECT_GE(shifted, INT32_MIN);
  return shift_round(high_mul(shifted, multiplier), right);
}

int32_t clamp(int64_t v, int64_t lo, int64_t hi) { return int32_t(v < lo ? lo : (v > hi ? hi : v)); }

template <typename T>
std::vector<T> random_values(size_t n, uint32_t seed, int32_t lo = std::numeric_limits<T>::min(),
                             int32_t hi = std::numeric_limits<T>::max()) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int32_t> dist(lo, hi);
  std::vector<T> v(n);
  for (T& x : v) x = T(dist(rng));
  return v;
}

std::vector<float> random_floats(size_t n, uint32_t seed, float lo, float hi) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(n);
  for (float& x : v) x = dist(rng);
  return v;
}

Shape shape_of(std::vector<int32_t> dims) {
  Shape s;
  s.rank = int32_t(dims.size());
  for (size_t i = 0; i < dims.size(); ++i) s.dims[i] = dims[i];
  return s;
}

ref::BroadcastDesc desc_of(std::vector<int32_t> a, std::vector<int32_t> b) {
  ref::BroadcastDesc d;
  EXPECT_TRUE(ref::make_broadcast_desc(shape_of(a), shape_of(b), &d));
  return d;
}

// Flat index into an input of shape `in` (right-aligned against `out`) of the
// output element with flat index `i`: NumPy's rule, a size-1 dim repeats.
int64_t broadcast_source(const std::vector<int32_t>& out, const std::vector<int32_t>& in, int64_t i) {
  int64_t index = 0, stride = 1;
  for (int d = int(out.size()) - 1, k = int(in.size()) - 1; d >= 0; --d, --k) {
    const int64_t coord = i % out[d];
    i /= out[d];
    if (k >= 0) {
      if (in[k] != 1) index += coord * stride;
      stride *= in[k];
    }
  }
  return index;
}

int64_t count(const std::vector<int32_t>& dims) {
  int64_t n = 1;
  for (int32_t d : dims) n *= d;
  return n;
}

// --- broadcasting --------------------------------------------------------------

TEST(Broadcast, ShapeFollowsNumpyRules) {
  Shape out;
  ASSERT_TRUE(ref::broadcast_shape(shape_of({2, 1, 4}), shape_of({3, 1}), &out));
  EXPECT_EQ(out, shape_of({2, 3, 4}));
  ASSERT_TRUE(ref::broadcast_shape(shape_of({5}), shape_of({}), &out));
  EXPECT_EQ(out, shape_of({5}));
  EXPECT_FALSE(ref::broadcast_shape(shape_of({2, 3}), shape_of({4}), &out));
  ref::BroadcastDesc d;
  EXPECT_FALSE(ref::make_broadcast_desc(shape_of({2, 3}), shape_of({2}), &d));
}

TEST(Broadcast, MergesContiguousDims) {
  // Same shape: one loop over all elements.
  ref::BroadcastDesc d = desc_of({1, 4, 5, 6}, {1, 4, 5, 6});
  EXPECT_EQ(d.dims[5], 120);
  EXPECT_EQ(d.strides1[5], 1);
  EXPECT_EQ(d.strides2[5], 1);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(d.dims[i], 1);
  // Per-channel vector: rows of 6 against one row.
  d = desc_of({1, 4, 5, 6}, {6});
  EXPECT_EQ(d.dims[4], 20);
  EXPECT_EQ(d.dims[5], 6);
  EXPECT_EQ(d.strides1[4], 6);
  EXPECT_EQ(d.strides2[4], 0);
  EXPECT_EQ(d.strides2[5], 1);
  // Scalar on the left.
  d = desc_of({1}, {3, 4});
  EXPECT_EQ(d.dims[5], 12);
  EXPECT_EQ(d.strides1[5], 0);
  EXPECT_EQ(d.strides2[5], 1);
}

TEST(Broadcast, WalksLikeNumpyOnRandomShapes) {
  std::mt19937 rng(7);
  for (int iteration = 0; iteration < 500; ++iteration) {
    const int rank = 1 + int(rng() % 6);
    std::vector<int32_t> out(rank);
    for (int32_t& d : out) d = 1 + int32_t(rng() % 4);
    auto input_shape = [&]() {
      const int r = 1 + int(rng() % rank);
      std::vector<int32_t> s(out.end() - r, out.end());
      for (int32_t& d : s)
        if (rng() % 3 == 0) d = 1;
      return s;
    };
    const std::vector<int32_t> a = input_shape(), b = input_shape();
    std::vector<int32_t> va(count(a)), vb(count(b));
    for (size_t i = 0; i < va.size(); ++i) va[i] = int32_t(1000 + i);
    for (size_t i = 0; i < vb.size(); ++i) vb[i] = int32_t(i);
    // The broadcast of a and b can be smaller than `out` (dims that both
    // inputs set to 1); compute it the NumPy way.
    std::vector<int32_t> expected_shape(rank);
    for (int k = 0; k < rank; ++k) {
      const int ka = k - (rank - int(a.size())), kb = k - (rank - int(b.size()));
      const int32_t da = ka >= 0 ? a[ka] : 1, db = kb >= 0 ? b[kb] : 1;
      expected_shape[k] = da > db ? da : db;
    }
    const ref::BroadcastDesc d = desc_of(a, b);
    std::vector<int64_t> got(count(expected_shape));
    ref::broadcast_binary(d, va.data(), vb.data(), got.data(),
                          [](int32_t x, int32_t y) { return int64_t(x) * 100000 + y; });
    for (int64_t i = 0; i < int64_t(got.size()); ++i) {
      const int64_t want = int64_t(va[broadcast_source(expected_shape, a, i)]) * 100000 +
                           vb[broadcast_source(expected_shape, b, i)];
      ASSERT_EQ(got[i], want) << "iteration " << iteration << " element " << i;
    }
  }
}

// --- float binary ops --------------------------------------------------------

TEST(ElementwiseKernel, FloatOpsMatchPlainArithmeticWithClamp) {
  const std::vector<int32_t> a_shape = {2, 3, 4}, b_shape = {3, 1};
  const std::vector<float> a = random_floats(24, 1, -8, 8), b = random_floats(3, 2, 0.5f, 4);
  const ref::BroadcastDesc d = desc_of(a_shape, b_shape);
  std::vector<float> add(24), sub(24), mul(24), div(24), mx(24), mn(24);
  ref::add_float(d, 0.0f, 6.0f, a.data(), b.data(), add.data());
  ref::sub_float(d, -1.0f, 1.0f, a.data(), b.data(), sub.data());
  ref::mul_float(d, std::numeric_limits<float>::lowest(), std::numeric_limits<float>::max(), a.data(), b.data(),
                 mul.data());
  ref::div_float(d, 0.0f, std::numeric_limits<float>::max(), a.data(), b.data(), div.data());
  ref::maximum(d, a.data(), b.data(), mx.data());
  ref::minimum(d, a.data(), b.data(), mn.data());
  for (int i = 0; i < 24; ++i) {
    const float x = a[i], y = b[(i / 4) % 3];
    EXPECT_EQ(add[i], fminf(fmaxf(x + y, 0.0f), 6.0f));
    EXPECT_EQ(sub[i], fminf(fmaxf(x - y, -1.0f), 1.0f));
    EXPECT_EQ(mul[i], x * y);
    EXPECT_EQ(div[i], fmaxf(x / y, 0.0f));
    EXPECT_EQ(mx[i], fmaxf(x, y));
    EXPECT_EQ(mn[i], fminf(x, y));
  }
}

TEST(ElementwiseKernel, Int32OpsWrapAndClamp) {
  const ref::BroadcastDesc d = desc_of({4}, {4});
  const int32_t a[] = {INT32_MAX, -7, 7, 100};
  const int32_t b[] = {1, 2, -2, 9};
  int32_t out[4];
  ref::add_int32(d, INT32_MIN, INT32_MAX, a, b, out);
  EXPECT_EQ(out[0], INT32_MIN);  // wraps, as TFLite's unchecked int32 add
  EXPECT_EQ(out[1], -5);
  ref::sub_int32(d, 0, 6, a, b, out);
  EXPECT_EQ(out[0], 6);
  EXPECT_EQ(out[1], 0);
  EXPECT_EQ(out[2], 6);
  ref::mul_int32(d, INT32_MIN, INT32_MAX, a, b, out);
  EXPECT_EQ(out[1], -14);
  EXPECT_EQ(out[3], 900);
  ref::div_int32(d, INT32_MIN, INT32_MAX, a, b, out);
  EXPECT_EQ(out[1], -3);  // truncates toward zero
  EXPECT_EQ(out[2], -3);
  EXPECT_EQ(out[3], 11);
  const int32_t zero[] = {0, -1, 0, 0};
  const int32_t big[] = {5, INT32_MIN, 0, 0};
  ref::div_int32(d, INT32_MIN, INT32_MAX, big, zero, out);
  EXPECT_EQ(out[0], 0);
  EXPECT_EQ(out[1], INT32_MIN);
}

// --- quantized ADD / SUB ---------------------------------------------------------

struct QuantCase {
  float s1;
  int32_t z1;
  float s2;
  int32_t z2;
  float so;
  int32_t zo;
};

TEST(AddKernel, HandCheckedParamsAndRounding) {
  ref::AddSubQuantParams p;
  ASSERT_TRUE(ref::make_add_sub_quant_params(false, false, 0.5f, 0, 0.5f, 0, 1.0f, 0, -128, 127, &p));
  EXPECT_EQ(p.left_shift, 20);
  EXPECT_EQ(p.input1_multiplier, 1 << 30);  // 0.5 / (2 * 0.5) = 0.5
  EXPECT_EQ(p.input1_shift, 0);
  EXPECT_EQ(p.output_multiplier, 1 << 30);  // 2 * 0.5 / 2^20 = 0.5 * 2^-19
  EXPECT_EQ(p.output_shift, -19);
  const ref::BroadcastDesc d = desc_of({4}, {4});
  const int8_t a[] = {3, -3, 100, 1};
  const int8_t b[] = {4, -4, 100, 0};
  int8_t out[4];
  ref::add_int8(d, p, a, b, out);
  EXPECT_EQ(out[0], 4);    // 3.5 rounds away from zero
  EXPECT_EQ(out[1], -4);   // -3.5 too
  EXPECT_EQ(out[2], 100);  // 100
  EXPECT_EQ(out[3], 1);    // 0.5 -> 1
  ref::sub_int8(d, p, a, b, out);
  EXPECT_EQ(out[0], -1);  // -0.5 -> -1
  EXPECT_EQ(out[1], 1);
  EXPECT_EQ(out[2], 0);
  EXPECT_EQ(out[3], 1);
}

void run_add_sub(bool is_sub, const ref::BroadcastDesc& d, const ref::AddSubQuantParams& p, const int8_t* a,
                 const int8_t* b, int8_t* out) {
  is_sub ? ref::sub_int8(d, p, a, b, out) : ref::add_int8(d, p, a, b, out);
}

void run_add_sub(bool is_sub, const ref::BroadcastDesc& d, const ref::AddSubQuantParams& p, const int16_t* a,
                 const int16_t* b, int16_t* out) {
  is_sub ? ref::sub_int16(d, p, a, b, out) : ref::add_int16(d, p, a, b, out);
}

template <typename T>
void check_add_sub(bool is_sub, const QuantCase& c, int32_t act_min, int32_t act_max, uint32_t seed) {
  ref::AddSubQuantParams p;
  ASSERT_TRUE(ref::make_add_sub_quant_params(is_sub, sizeof(T) == 2, c.s1, c.z1, c.s2, c.z2, c.so, c.zo, act_min,
                                             act_max, &p));
  const std::vector<int32_t> sa = {3, 1, 5, 8}, sb = {1, 5, 1};
  const std::vector<int32_t> so = {3, 1, 5, 8};
  const std::vector<T> a = random_values<T>(count(sa), seed), b = random_values<T>(count(sb), seed + 1);
  std::vector<T> out(count(so));
  run_add_sub(is_sub, desc_of(sa, sb), p, a.data(), b.data(), out.data());
  const int sign = is_sub ? -1 : 1;
  for (int64_t i = 0; i < count(so); ++i) {
    const int64_t qa = a[broadcast_source(so, sa, i)], qb = b[broadcast_source(so, sb, i)];
    const int64_t ra = requant((qa - c.z1) * (int64_t(1) << p.left_shift), p.input1_multiplier, p.input1_shift);
    const int64_t rb = requant((qb - c.z2) * (int64_t(1) << p.left_shift), p.input2_multiplier, p.input2_shift);
    const int32_t exact = clamp(requant(ra + sign * rb, p.output_multiplier, p.output_shift) + c.zo, act_min, act_max);
    ASSERT_EQ(out[i], exact) << "element " << i;
    const double real = c.s1 * (qa - c.z1) + sign * c.s2 * (qb - c.z2);
    const int32_t ideal = clamp(llround(real / c.so) + c.zo, act_min, act_max);
    ASSERT_NEAR(out[i], ideal, 1) << "element " << i;
  }
}

TEST(AddKernel, Int8AndInt16MatchFixedPointAndRealMath) {
  const QuantCase cases[] = {{0.0407253653f, -2, 0.0412456132f, -1, 0.0583774112f, -3},  // simple_add_model
                             {0.1f, 10, 0.02f, -100, 0.15f, 5},
                             {0.5f, 0, 0.5f, 0, 1.0f, 0},
                             {0.003f, -128, 0.25f, 127, 0.3f, -20}};
  uint32_t seed = 1;
  for (const QuantCase& c : cases) {
    check_add_sub<int8_t>(false, c, -128, 127, seed++);
    check_add_sub<int8_t>(true, c, -128, 127, seed++);
    check_add_sub<int8_t>(false, c, c.zo, 127, seed++);  // RELU
  }
  const QuantCase cases16[] = {{0.001f, 0, 0.002f, 0, 0.003f, 0}, {1.0f / 32768, 0, 1.0f / 32768, 0, 2.0f / 32768, 0}};
  for (const QuantCase& c : cases16) {
    check_add_sub<int16_t>(false, c, -32768, 32767, seed++);
    check_add_sub<int16_t>(true, c, -32768, 32767, seed++);
  }
}

TEST(AddKernel, RejectsOutputScaleTooSmallForTheHeadroomShift) {
  ref::AddSubQuantParams p;
  // 2 * max_in / (2^20 * out) >= 1
  EXPECT_FALSE(ref::make_add_sub_quant_params(false, false, 1.0f, 0, 1.0f, 0, 1e-7f, 0, -128, 127, &p));
}

// --- quantized MUL -------------------------------------------------------------

void run_mul(const ref::BroadcastDesc& d, const ref::MulQuantParams& p, const int8_t* a, const int8_t* b,
             int8_t* out) {
  ref::mul_int8(d, p, a, b, out);
}

void run_mul(const ref::BroadcastDesc& d, const ref::MulQuantParams& p, const int16_t* a, const int16_t* b,
             int16_t* out) {
  ref::mul_int16(d, p, a, b, out);
}

template <typename T>
void check_mul(const QuantCase& c, int32_t act_min, int32_t act_max, uint32_t seed) {
  ref::MulQuantParams p;
  ref::make_mul_quant_params(c.s1, c.z1, c.s2, c.z2, c.so, c.zo, act_min, act_max, &p);
  const std::vector<int32_t> sa = {2, 3, 7}, sb = {2, 1, 7};
  const std::vector<T> a = random_values<T>(count(sa), seed), b = random_values<T>(count(sb), seed + 1);
  std::vector<T> out(count(sa));
  run_mul(desc_of(sa, sb), p, a.data(), b.data(), out.data());
  for (int64_t i = 0; i < count(sa); ++i) {
    const int64_t qa = a[i], qb = b[broadcast_source(sa, sb, i)];
    const int64_t product = (qa - c.z1) * (qb - c.z2);
    const int32_t exact = clamp(requant(product, p.output_multiplier, p.output_shift) + c.zo, act_min, act_max);
    ASSERT_EQ(out[i], exact) << "element " << i;
    const double real = double(c.s1) * (qa - c.z1) * double(c.s2) * (qb - c.z2);
    ASSERT_NEAR(out[i], clamp(llround(real / c.so) + c.zo, act_min, act_max), 1) << "element " << i;
  }
}

TEST(MulKernel, Int8AndInt16MatchFixedPointAndRealMath) {
  check_mul<int8_t>({0.05f, 3, 0.02f, -7, 0.01f, 4}, -128, 127, 11);    // multiplier > 1: left shift
  check_mul<int8_t>({0.1f, -128, 0.1f, 0, 20.0f, -50}, -128, 127, 12);  // < 1
  check_mul<int8_t>({0.05f, 0, 0.05f, 0, 0.01f, 0}, 0, 127, 13);        // RELU
  check_mul<int16_t>({1.0f / 4096, 0, 1.0f / 4096, 0, 1.0f / 512, 0}, -32768, 32767, 14);
  // Hand-checked: 0.5 * 0.5 on scale 0.25 -> q 1.
  ref::MulQuantParams p;
  ref::make_mul_quant_params(0.5f, 0, 0.5f, 0, 0.25f, 0, -128, 127, &p);
  const int8_t a[] = {1, -3}, b[] = {1, 3};
  int8_t out[2];
  ref::mul_int8(desc_of({2}, {2}), p, a, b, out);
  EXPECT_EQ(out[0], 1);
  EXPECT_EQ(out[1], -9);
}

// --- quantized DIV -------------------------------------------------------------

TEST(DivKernel, ReciprocalIsAccurate) {
  for (int64_t x = 0; x < (int64_t(1) << 31); x += 12345677) {
    const double want = std::ldexp(1.0 / (1.0 + std::ldexp(double(x), -31)), 31);
    EXPECT_NEAR(double(ref::one_over_one_plus_x_q31(int32_t(x))), want, 8.0) << x;
  }
}

TEST(DivKernel, Int8WithinOneStepOfRealQuotient) {
  // Scales with in1 / (in2 * out) >= 64 keep TFLite's final shift within
  // 31 bits for every input (see ZeroNumeratorFollowsTfliteShiftArithmetic).
  const QuantCase cases[] = {{1.0f / 128, 3, 1.0f / 128, -7, 1.0f / 64, 4}, {0.05f, -128, 0.05f, 10, 0.01f, -50}};
  uint32_t seed = 21;
  for (const QuantCase& c : cases) {
    ref::DivQuantParams p;
    ref::make_div_quant_params(c.s1, c.z1, c.s2, c.z2, c.so, c.zo, -128, 127, &p);
    const std::vector<int8_t> a = random_values<int8_t>(200, seed++);
    std::vector<int8_t> b = random_values<int8_t>(200, seed++);
    for (int8_t& v : b)
      if (v == c.z2) v = int8_t(v + 1);
    std::vector<int8_t> out(200);
    ref::div_int8(desc_of({200}, {200}), p, a.data(), b.data(), out.data());
    for (int i = 0; i < 200; ++i) {
      const double real = (c.s1 * (a[i] - c.z1)) / (c.s2 * (b[i] - c.z2));
      ASSERT_NEAR(out[i], clamp(llround(real / c.so) + c.zo, -128, 127), 1) << a[i] << " / " << b[i];
    }
  }
}

TEST(DivKernel, ZeroNumeratorFollowsTfliteShiftArithmetic) {
  // real multiplier 16 (shift 5). 0 / q: TFLite shifts right by
  // 31 (headroom of 0) + reciprocal shift (31 - clz(q)) - 5.
  ref::DivQuantParams p;
  ref::make_div_quant_params(1.0f / 128, 0, 1.0f / 128, 0, 1.0f / 16, 0, -128, 127, &p);
  ASSERT_EQ(p.output_shift, 5);
  const int8_t zero[] = {0, 0};
  const int8_t divisor[] = {10, 100};
  int8_t out[2];
  ref::div_int8(desc_of({2}, {2}), p, zero, divisor, out);
  EXPECT_EQ(out[0], 0);  // shift 29: exact 0
  // shift 32: TFLite's int32 mask (2^32 - 1) truncates to all ones, so its
  // rounding adds 1 to the zero quotient.
  EXPECT_EQ(out[1], 1);
}

// --- MAXIMUM / MINIMUM -------------------------------------------------------------

TEST(MaximumMinimumKernel, AllTypesWithBroadcast) {
  const std::vector<int32_t> sa = {2, 1, 3}, sb = {4, 1};
  const std::vector<int32_t> so = {2, 4, 3};
  const std::vector<int16_t> a = random_values<int16_t>(6, 31), b = random_values<int16_t>(4, 32);
  std::vector<int16_t> mx(24), mn(24);
  const ref::BroadcastDesc d = desc_of(sa, sb);
  ref::maximum(d, a.data(), b.data(), mx.data());
  ref::minimum(d, a.data(), b.data(), mn.data());
  for (int64_t i = 0; i < 24; ++i) {
    const int16_t x = a[broadcast_source(so, sa, i)], y = b[broadcast_source(so, sb, i)];
    EXPECT_EQ(mx[i], x > y ? x : y);
    EXPECT_EQ(mn[i], x < y ? x : y);
  }
  const int64_t big_a[] = {INT64_MAX, -5}, big_b[] = {0, -4};
  int64_t big_out[2];
  ref::maximum(desc_of({2}, {2}), big_a, big_b, big_out);
  EXPECT_EQ(big_out[0], INT64_MAX);
  EXPECT_EQ(big_out[1], -4);
}

// --- RELU / RELU6 / LEAKY_RELU -------------------------------------------------

TEST(ReluKernel, FloatAndQuantized) {
  const float x[] = {-2.0f, -0.0f, 0.5f, 7.0f};
  float y[4];
  ref::relu_float(4, x, y);
  EXPECT_EQ(y[0], 0.0f);
  EXPECT_EQ(y[2], 0.5f);
  EXPECT_EQ(y[3], 7.0f);
  ref::relu6_float(4, x, y);
  EXPECT_EQ(y[0], 0.0f);
  EXPECT_EQ(y[3], 6.0f);

  // Requantizing RELU, every int8 input.
  const float si = 0.1f, so = 0.07f;
  const int32_t zi = -20, zo = 5;
  ref::ReluQuantParams p;
  ref::make_relu_quant_params(si, zi, so, zo, -128, 127, &p);
  EXPECT_EQ(p.activation_min, zo);
  std::vector<int8_t> in(256), out(256);
  for (int i = 0; i < 256; ++i) in[i] = int8_t(i - 128);
  ref::relu_int8(256, p, in.data(), out.data());
  for (int i = 0; i < 256; ++i) {
    const int32_t exact = clamp(requant(in[i] - zi, p.output_multiplier, p.output_shift) + zo, zo, 127);
    EXPECT_EQ(out[i], exact) << int(in[i]);
    const double real = si * (in[i] - zi);
    EXPECT_NEAR(out[i], clamp(llround((real > 0 ? real : 0) / so) + zo, -128, 127), 1) << int(in[i]);
  }
}

TEST(ReluKernel, Relu6ClampsToQuantizedZeroAndSix) {
  EXPECT_EQ(ref::quantized_six(0.05f, -10, -128, 127), 110);  // round(120) - 10
  EXPECT_EQ(ref::quantized_six(0.01f, 0, -128, 127), 127);    // 600 saturates
  EXPECT_EQ(ref::quantized_six(0.001f, 0, -32768, 32767), 6000);
  std::vector<int8_t> in(256), out(256);
  for (int i = 0; i < 256; ++i) in[i] = int8_t(i - 128);
  ref::relu6_int8(256, -10, 110, in.data(), out.data());
  for (int i = 0; i < 256; ++i) EXPECT_EQ(out[i], in[i] < -10 ? -10 : (in[i] > 110 ? 110 : in[i]));
}

TEST(LeakyReluKernel, FloatAndQuantized) {
  const float x[] = {-2.0f, 0.0f, 3.0f};
  float y[3];
  ref::leaky_relu_float(3, 0.25f, x, y);
  EXPECT_EQ(y[0], -0.5f);
  EXPECT_EQ(y[1], 0.0f);
  EXPECT_EQ(y[2], 3.0f);

  for (float alpha : {0.2f, 0.01f, 1.5f, -0.3f}) {
    const float si = 0.05f, so = 0.04f;
    const int32_t zi = 10, zo = -30;
    ref::LeakyReluQuantParams p;
    ref::make_leaky_relu_quant_params(si, zi, so, zo, alpha, &p);
    std::vector<int8_t> in(256), out(256);
    for (int i = 0; i < 256; ++i) in[i] = int8_t(i - 128);
    ref::leaky_relu_int8(256, p, in.data(), out.data());
    for (int i = 0; i < 256; ++i) {
      const int64_t xq = in[i] - zi;
      const int64_t scaled = xq >= 0 ? requant(xq, p.identity_multiplier, p.identity_shift)
                                     : requant(xq, p.alpha_multiplier, p.alpha_shift);
      EXPECT_EQ(out[i], clamp(scaled + zo, -128, 127)) << "alpha " << alpha << " q " << int(in[i]);
      const double real = si * xq;
      const double want = real >= 0 ? real : alpha * real;
      EXPECT_NEAR(out[i], clamp(llround(want / so) + zo, -128, 127), 1) << "alpha " << alpha;
    }
    std::vector<int16_t> in16 = random_values<int16_t>(300, 41), out16(300);
    ref::LeakyReluQuantParams p16;
    ref::make_leaky_relu_quant_params(1.0f / 1024, 0, 1.0f / 2048, 0, alpha, &p16);
    ref::leaky_relu_int16(300, p16, in16.data(), out16.data());
    for (int i = 0; i < 300; ++i) {
      const double real = in16[i] / 1024.0;
      const double want = real >= 0 ? real : alpha * real;
      EXPECT_NEAR(out16[i], clamp(llround(want * 2048), -32768, 32767), 1) << "alpha " << alpha;
    }
  }
}

// --- HARD_SWISH --------------------------------------------------------------

double hard_swish_real(double x) { return x * fmin(6.0, fmax(0.0, x + 3.0)) / 6.0; }

TEST(HardSwishKernel, Float) {
  const float x[] = {-4.0f, -3.0f, -1.5f, 0.0f, 1.0f, 3.0f, 10.0f};
  float y[7];
  ref::hard_swish_float(7, x, y);
  for (int i = 0; i < 7; ++i) EXPECT_EQ(y[i], x[i] * fminf(6.0f, fmaxf(0.0f, x[i] + 3.0f)) / 6.0f);
  EXPECT_EQ(y[0], 0.0f);
  EXPECT_EQ(y[6], 10.0f);
}

TEST(HardSwishKernel, Int8CloseToRealOnEveryInput) {
  struct Case {
    float si;
    int32_t zi;
    float so;
    int32_t zo;
  };
  // Input ranges of +-4, +-10 and 0..20; outputs sized to the result range.
  const Case cases[] = {{8.0f / 255, 0, 6.0f / 255, -128 + 48}, {20.0f / 255, -1, 13.0f / 255, -100},
                        {20.0f / 255, -128, 20.0f / 255, -128}};
  for (const Case& c : cases) {
    ref::HardSwishQuantParams p;
    ASSERT_TRUE(ref::make_hard_swish_quant_params(c.si, c.zi, c.so, c.zo, &p));
    std::vector<int8_t> in(256), out(256);
    for (int i = 0; i < 256; ++i) in[i] = int8_t(i - 128);
    ref::hard_swish_int8(256, p, in.data(), out.data());
    for (int i = 0; i < 256; ++i) {
      const double want = hard_swish_real(c.si * (in[i] - c.zi)) / c.so + c.zo;
      // TFLite's own tests allow about one output step of error here.
      EXPECT_NEAR(out[i], clamp(llround(want), -128, 127), 1) << "input scale " << c.si << " q " << int(in[i]);
    }
    // Real 0 maps to the output zero point exactly.
    const int8_t zero = int8_t(c.zi);
    int8_t y;
    ref::hard_swish_int8(1, p, &zero, &y);
    EXPECT_EQ(y, c.zo);
  }
}

// TFLite's int8 hard-swish steps restated with int64 arithmetic: 16-bit
// high multiplies rounding half up (or truncating for the final product),
// saturating shifts, round-half-away right shifts.
int64_t sat16(int64_t v) { return v < -32768 ? -32768 : (v > 32767 ? 32767 : v); }
int64_t high_mul16(int64_t a, int64_t b) {
  if (a == -32768 && b == -32768) return 32767;
  return floor_div(a * b + (1 << 14), 1 << 15);
}
int64_t high_mul16_truncating(int64_t a, int64_t b) {
  if (a == -32768 && b == -32768) return 32767;
  const int64_t p = a * b;
  return p >= 0 ? p / (1 << 15) : -((-p) / (1 << 15));
}

int32_t hard_swish_steps(const ref::HardSwishQuantParams& p, int8_t q) {
  const int64_t hires = int64_t(q - p.input_zero_point) * 128;
  const int64_t preshift = high_mul16(hires, p.output_multiplier);
  int64_t r = hires;
  if (p.reluish_exponent > 0) r = sat16(r * (int64_t(1) << (p.reluish_exponent - 1)));
  r = high_mul16(r, p.reluish_multiplier);
  if (p.reluish_exponent > 0) r = sat16(r * 2);
  if (p.reluish_exponent < 0) r = shift_round(r, -p.reluish_exponent);
  r = (r + 32768) / 2;  // [-1, 1] -> [0, 1]
  const int64_t product = high_mul16_truncating(r, preshift);
  return clamp(shift_round(product, -p.output_exponent) + p.output_zero_point, -128, 127);
}

TEST(HardSwishKernel, Int8MatchesTfliteSteps) {
  const float scales[][2] = {{8.0f / 255, 6.0f / 255}, {20.0f / 255, 13.0f / 255}, {0.5f, 0.25f}, {0.002f, 0.001f},
                             {0.1f, 0.5f}};
  const int32_t zero_points[] = {-7, 33, 73, -100, 0};
  for (int k = 0; k < 5; ++k) {
    const auto& s = scales[k];
    const int32_t zp = zero_points[k];
    ref::HardSwishQuantParams p;
    ASSERT_TRUE(ref::make_hard_swish_quant_params(s[0], zp, s[1], -zp, &p));
    for (int q = -128; q < 128; ++q) {
      int8_t x = int8_t(q), y;
      ref::hard_swish_int8(1, p, &x, &y);
      ASSERT_EQ(y, hard_swish_steps(p, x)) << "scales " << s[0] << ", " << s[1] << " q " << q;
    }
  }
  // Random scales and zero points: the rounding details (e.g. the final
  // truncating multiply) change only a few outputs per configuration.
  std::mt19937 rng(97);
  std::uniform_real_distribution<float> log_scale(-7.0f, -1.0f);
  std::uniform_real_distribution<float> ratio(0.3f, 1.5f);
  for (int k = 0; k < 200; ++k) {
    const float si = exp2f(log_scale(rng));
    const float so = si * ratio(rng);
    const int32_t zi = int32_t(rng() % 256) - 128, zo = int32_t(rng() % 256) - 128;
    ref::HardSwishQuantParams p;
    ASSERT_TRUE(ref::make_hard_swish_quant_params(si, zi, so, zo, &p));
    for (int q = -128; q < 128; ++q) {
      int8_t x = int8_t(q), y;
      ref::hard_swish_int8(1, p, &x, &y);
      ASSERT_EQ(y, hard_swish_steps(p, x)) << "scales " << si << ", " << so << " q " << q;
    }
  }
}

TEST(HardSwishKernel, ParamsAreQ15RoundedMultipliers) {
  ref::HardSwishQuantParams p;
  // hires scale = 0.5 / 128; output multiplier 0.5/128 / 0.25 = 2^-6 ->
  // Q31 2^30 with exponent -5 -> Q15 2^14.
  ASSERT_TRUE(ref::make_hard_swish_quant_params(0.5f, 0, 0.25f, 0, &p));
  EXPECT_EQ(p.output_multiplier, 1 << 14);
  EXPECT_EQ(p.output_exponent, -5);
  // reluish multiplier (0.5/128) / (3/32768) = 42.67 = 0.667 * 2^6.
  EXPECT_EQ(p.reluish_exponent, 6);
  EXPECT_EQ(p.reluish_multiplier, int16_t(lround(32768.0 * (0.5 / 128) / (3.0 / 32768) / 64)));
  EXPECT_FALSE(ref::make_hard_swish_quant_params(1.0f, 0, 0.001f, 0, &p));  // would need a left shift
}

// --- QUANTIZE / DEQUANTIZE ------------------------------------------------------

TEST(QuantizeKernel, FloatRoundsHalfAwayFromZeroAndSaturates) {
  const float x[] = {0.25f, -0.25f, 0.75f, -0.75f, 100.0f, -100.0f, 1e30f, -1e30f, 0.0f};
  int8_t q[9];
  ref::quantize_float_to_int8(9, 0.5f, -1, x, q);
  const int8_t want[] = {0, -2, 1, -3, 127, -128, 127, -128, -1};
  for (int i = 0; i < 9; ++i) EXPECT_EQ(q[i], want[i]) << x[i];
  uint8_t u[9];
  ref::quantize_float_to_uint8(9, 0.5f, 128, x, u);
  EXPECT_EQ(u[0], 129);
  EXPECT_EQ(u[1], 127);
  EXPECT_EQ(u[5], 0);
  const std::vector<float> r = random_floats(1000, 51, -3, 3);
  std::vector<int16_t> q16(1000);
  ref::quantize_float_to_int16(1000, 1.0f / 8192, 3, r.data(), q16.data());
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(q16[i], clamp(int64_t(roundf(r[i] / (1.0f / 8192))) + 3, -32768, 32767));
}

TEST(QuantizeKernel, RequantizeMatchesFixedPointMath) {
  // keyword_scrambled's int16 -> int8 input quantization and its int16 ->
  // int32 output one.
  struct Case {
    float si;
    int32_t zi;
    float so;
    int32_t zo;
  };
  const Case cases[] = {{0.000624999986f, 0, 0.0592083335f, -128}, {1.52590219e-05f, -32768, 3.05185094e-05f, 0}};
  for (const Case& c : cases) {
    ref::RequantizeParams p;
    int shift = 0;
    mote::fixedpoint::quantize_multiplier(double(c.si) / double(c.so), &p.multiplier, &shift);
    p.shift = shift;
    p.input_zero_point = c.zi;
    p.output_zero_point = c.zo;
    const std::vector<int16_t> in = random_values<int16_t>(500, 61);
    std::vector<int8_t> out8(500);
    std::vector<int32_t> out32(500);
    ref::requantize(500, p, in.data(), out8.data());
    ref::requantize(500, p, in.data(), out32.data());
    for (int i = 0; i < 500; ++i) {
      const int64_t exact = requant(in[i] - c.zi, p.multiplier, p.shift) + c.zo;
      EXPECT_EQ(out8[i], clamp(exact, -128, 127));
      EXPECT_EQ(out32[i], exact);
      EXPECT_NEAR(double(out32[i]), c.si * (in[i] - c.zi) / c.so + c.zo, 1.0);
    }
  }
  // Same scale, zero points 128 apart: int8 <-> uint8 is a shift by 128.
  ref::RequantizeParams same = {1 << 30, 1, -128, 0};
  std::vector<int8_t> in8(256), back(256);
  std::vector<uint8_t> as_u8(256);
  for (int i = 0; i < 256; ++i) in8[i] = int8_t(i - 128);
  ref::requantize(256, same, in8.data(), as_u8.data());
  ref::RequantizeParams reverse = {1 << 30, 1, 0, -128};
  ref::requantize(256, reverse, as_u8.data(), back.data());
  for (int i = 0; i < 256; ++i) {
    EXPECT_EQ(as_u8[i], i);
    EXPECT_EQ(back[i], in8[i]);
  }
}

TEST(DequantizeKernel, ScaleTimesOffsetValue) {
  std::vector<int8_t> in(256);
  for (int i = 0; i < 256; ++i) in[i] = int8_t(i - 128);
  std::vector<float> out(256);
  const float scale = 0.00304806675f;
  ref::dequantize(256, scale, 16, in.data(), out.data());
  // A float product of exact operands is correctly rounded, like TFLite's
  // double product rounded to float.
  for (int i = 0; i < 256; ++i) EXPECT_EQ(out[i], scale * float(in[i] - 16));
  const int16_t in16[] = {-32768, 0, 32767};
  float out16[3];
  ref::dequantize(3, 0.5f, 0, in16, out16);
  EXPECT_EQ(out16[0], -16384.0f);
  EXPECT_EQ(out16[2], 16383.5f);
}

// --- CAST ----------------------------------------------------------------------

TEST(CastKernel, ConversionsFollowCpp) {
  const int32_t i32[] = {300, -1, 127, -129};
  int8_t i8[4];
  ref::cast(DType::kInt32, i32, DType::kInt8, i8, 4);
  EXPECT_EQ(i8[0], 44);  // 300 - 256
  EXPECT_EQ(i8[1], -1);
  EXPECT_EQ(i8[3], 127);
  uint32_t u32[4];
  ref::cast(DType::kInt32, i32, DType::kUInt32, u32, 4);
  EXPECT_EQ(u32[1], 0xFFFFFFFFu);
  int32_t back[4];
  ref::cast(DType::kUInt32, u32, DType::kInt32, back, 4);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(back[i], i32[i]);

  const float f[] = {2.7f, -2.7f, 1e10f, -1e10f, NAN, 0.0f};
  int32_t fi[6];
  ref::cast(DType::kFloat32, f, DType::kInt32, fi, 6);
  EXPECT_EQ(fi[0], 2);
  EXPECT_EQ(fi[1], -2);
  EXPECT_EQ(fi[2], INT32_MAX);
  EXPECT_EQ(fi[3], INT32_MIN);
  EXPECT_EQ(fi[4], 0);
  bool b[6];
  ref::cast(DType::kFloat32, f, DType::kBool, b, 6);
  EXPECT_TRUE(b[0]);
  EXPECT_FALSE(b[5]);
  const int16_t s[] = {-32768, 5};
  float sf[2];
  ref::cast(DType::kInt16, s, DType::kFloat32, sf, 2);
  EXPECT_EQ(sf[0], -32768.0f);
  EXPECT_EQ(sf[1], 5.0f);
  EXPECT_FALSE(ref::cast_supported(DType::kString));
}

// --- one-op models ----------------------------------------------------------------

// A model with one binary op: inputs a, b -> out.
std::vector<uint8_t> binary_model(schema::BuiltinOp op, const TensorSpec& a, const TensorSpec& b,
                                  const TensorSpec& out, Options options) {
  ModelBuilder builder;
  const int ia = builder.add_tensor(a), ib = builder.add_tensor(b), io = builder.add_tensor(out);
  builder.add_operator(op, {ia, ib}, {io}, std::move(options));
  builder.set_inputs({ia, ib});
  builder.set_outputs({io});
  return builder.serialize();
}

std::vector<uint8_t> unary_model(schema::BuiltinOp op, const TensorSpec& in, const TensorSpec& out,
                                 Options options = Options()) {
  ModelBuilder builder;
  const int ii = builder.add_tensor(in), io = builder.add_tensor(out);
  builder.add_operator(op, {ii}, {io}, std::move(options));
  builder.set_inputs({ii});
  builder.set_outputs({io});
  return builder.serialize();
}

// Scales 2^40 apart (1e6 / 1e-6) would need a requantization left shift of
// 40, undefined past 31: each op refuses them in prepare. A NaN LEAKY_RELU
// alpha or SOFTMAX beta (once converted to an integer in prepare) is refused.
TEST(ElementwiseModel, RequantizationsBeyondThirtyOneBitsAreRefused) {
  const std::vector<int8_t> x = {-3, 0, 5, 9};
  const TensorSpec in = tensor("x", DType::kInt8, {4}, 1e6f, 0), out = tensor("y", DType::kInt8, {4}, 1e-6f, 0);
  const Options leaky = Options(schema::OptionsType::kLeakyRelu).f32(schema::leaky_relu_options::alpha, 0.5f);
  struct Case {
    schema::BuiltinOp op;
    Options options;
    const char* error;
  };
  for (const Case& c : {Case{schema::BuiltinOp::kQuantize, Options(), "left shift of 40"},
                        Case{schema::BuiltinOp::kRelu, Options(), "left shift of 40"},
                        Case{schema::BuiltinOp::kLeakyRelu, leaky, "alpha / output scale needs a left shift of 39"}}) {
    const RunResult r = run_model(unary_model(c.op, in, out, c.options), {bytes_of(x)});
    ASSERT_FALSE(r.ok()) << int(c.op);
    EXPECT_NE(r.error.find(c.error), std::string::npos) << r.error;
  }
  // HARD_SWISH compares input scale / 128 with 3 / 32768: 1e12 is 2^47 above.
  const RunResult h = run_model(unary_model(schema::BuiltinOp::kHardSwish, tensor("x", DType::kInt8, {4}, 1e12f, 0),
                                            tensor("y", DType::kInt8, {4}, 1e12f, 0)),
                                {bytes_of(x)});
  ASSERT_FALSE(h.ok());
  EXPECT_NE(h.error.find("left shift of 47"), std::string::npos) << h.error;
  const RunResult nan_alpha = run_model(
      unary_model(schema::BuiltinOp::kLeakyRelu, tensor("x", DType::kInt8, {4}, 0.1f, 0),
                  tensor("y", DType::kInt8, {4}, 0.1f, 0),
                  Options(schema::OptionsType::kLeakyRelu).f32(schema::leaky_relu_options::alpha, NAN)),
      {bytes_of(x)});
  ASSERT_FALSE(nan_alpha.ok());
  EXPECT_NE(nan_alpha.error.find("alpha nan is not a finite number"), std::string::npos) << nan_alpha.error;
  // SOFTMAX's beta is an option too: a NaN one gives no usable multiplier.
  const RunResult nan_beta = run_model(
      unary_model(schema::BuiltinOp::kSoftmax, tensor("x", DType::kInt8, {4}, 0.1f, 0),
                  tensor("y", DType::kInt8, {4}, 1.0f / 256, -128),
                  Options(schema::OptionsType::kSoftmax).f32(schema::softmax_options::beta, NAN)),
      {bytes_of(x)});
  ASSERT_FALSE(nan_beta.ok());
  EXPECT_NE(nan_beta.error.find("beta * input scale (nan)"), std::string::npos) << nan_beta.error;
}

// A zero point outside the tensor type's range is refused when the model
// loads: the kernels add it to stored values in 32-bit arithmetic (a fuzzed
// ADD with zero point -1026093263 overflowed there).
TEST(ElementwiseModel, ZeroPointOutsideTheTypeIsACorruptModel) {
  const auto model = binary_model(schema::BuiltinOp::kAdd, tensor("a", DType::kInt8, {4}, 0.05f, -1026093263),
                                  tensor("b", DType::kInt8, {4}, 0.1f, 7), tensor("y", DType::kInt8, {4}, 0.08f, 0),
                                  Options(schema::OptionsType::kAdd));
  const RunResult r = run_model(model, {bytes_of(std::vector<int8_t>(4, 1)), bytes_of(std::vector<int8_t>(4, 2))});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error.find("zero point -1026093263, outside [-128, 127]"), std::string::npos) << r.error;
  const auto wide = binary_model(schema::BuiltinOp::kAdd, tensor("a", DType::kInt16, {4}, 0.05f, 0),
                                 tensor("b", DType::kInt16, {4}, 0.1f, 0), tensor("y", DType::kInt16, {4}, 0.08f, 40000),
                                 Options(schema::OptionsType::kAdd));
  const RunResult w = run_model(wide, {bytes_of(std::vector<int16_t>(4, 1)), bytes_of(std::vector<int16_t>(4, 2))});
  ASSERT_FALSE(w.ok());
  EXPECT_NE(w.error.find("outside [-32768, 32767]"), std::string::npos) << w.error;
}

TEST(ElementwiseModel, AddInt8BroadcastWithRelu) {
  const QuantCase c = {0.05f, -3, 0.1f, 7, 0.08f, -10};
  const std::vector<int8_t> a = random_values<int8_t>(2 * 3 * 4, 71), b = random_values<int8_t>(4, 72);
  const auto model = binary_model(
      schema::BuiltinOp::kAdd, tensor("a", DType::kInt8, {1, 2, 3, 4}, c.s1, c.z1),
      tensor("b", DType::kInt8, {4}, c.s2, c.z2), tensor("y", DType::kInt8, {1, 2, 3, 4}, c.so, c.zo),
      Options(schema::OptionsType::kAdd).i8(schema::add_options::fused_activation_function, 1));
  const RunResult r = run_model(model, {bytes_of(a), bytes_of(b)});
  ASSERT_TRUE(r.ok()) << r.error;
  ref::AddSubQuantParams p;
  ASSERT_TRUE(ref::make_add_sub_quant_params(false, false, c.s1, c.z1, c.s2, c.z2, c.so, c.zo, c.zo, 127, &p));
  // The same sums without broadcasting: b expanded by hand.
  std::vector<int8_t> want(24), b_expanded(24);
  for (int i = 0; i < 24; ++i) b_expanded[i] = b[i % 4];
  ref::add_int8(desc_of({24}, {24}), p, a.data(), b_expanded.data(), want.data());
  EXPECT_EQ(r.output<int8_t>(0), want);
  for (int8_t v : r.output<int8_t>(0)) EXPECT_GE(v, c.zo);  // RELU clamps at real 0
}

// Scales so small that RELU6's 6.0 lies far beyond int8 (6 / 1e-10 exceeds
// int32): the fused RELU6 clamps like RELU, where it once converted an
// out-of-range float to int32 in prepare.
TEST(ElementwiseModel, AddInt8Relu6WithTinyScales) {
  const std::vector<int8_t> a = random_values<int8_t>(16, 73), b = random_values<int8_t>(16, 74);
  auto run = [&](int activation) {
    const auto model = binary_model(
        schema::BuiltinOp::kAdd, tensor("a", DType::kInt8, {16}, 2e-12f, 3), tensor("b", DType::kInt8, {16}, 3e-12f, -4),
        tensor("y", DType::kInt8, {16}, 1e-10f, 5),
        Options(schema::OptionsType::kAdd).i8(schema::add_options::fused_activation_function, int8_t(activation)));
    const RunResult r = run_model(model, {bytes_of(a), bytes_of(b)});
    EXPECT_TRUE(r.ok()) << r.error;
    return r.output<int8_t>(0);
  };
  const std::vector<int8_t> relu6 = run(3), relu = run(1);
  EXPECT_EQ(relu6, relu);
  int above_zero = 0;
  for (int8_t v : relu6) {
    EXPECT_GE(v, 5);
    above_zero += v > 5;
  }
  EXPECT_GT(above_zero, 0);
}

TEST(ElementwiseModel, FloatSubMulDivMaxMin) {
  const std::vector<float> a = random_floats(6, 81, -4, 4), b = random_floats(3, 82, 1, 3);
  struct OpCase {
    schema::BuiltinOp op;
    schema::OptionsType options;
    int activation_field;
  };
  const OpCase ops[] = {{schema::BuiltinOp::kSub, schema::OptionsType::kSub, schema::sub_options::fused_activation_function},
                        {schema::BuiltinOp::kMul, schema::OptionsType::kMul, schema::mul_options::fused_activation_function},
                        {schema::BuiltinOp::kDiv, schema::OptionsType::kDiv, schema::div_options::fused_activation_function},
                        {schema::BuiltinOp::kMaximum, schema::OptionsType::kMaximumMinimum, -1},
                        {schema::BuiltinOp::kMinimum, schema::OptionsType::kMaximumMinimum, -1}};
  for (const OpCase& oc : ops) {
    Options options(oc.options);
    if (oc.activation_field >= 0) options.i8(oc.activation_field, 3);  // RELU6
    const auto model = binary_model(oc.op, tensor("a", DType::kFloat32, {2, 3}), tensor("b", DType::kFloat32, {3}),
                                    tensor("y", DType::kFloat32, {2, 3}), options);
    const RunResult r = run_model(model, {bytes_of(a), bytes_of(b)});
    ASSERT_TRUE(r.ok()) << r.error;
    const std::vector<float> y = r.output<float>(0);
    for (int i = 0; i < 6; ++i) {
      const float x = a[i], z = b[i % 3];
      float want = 0;
      switch (oc.op) {
        case schema::BuiltinOp::kSub: want = fminf(fmaxf(x - z, 0.0f), 6.0f); break;
        case schema::BuiltinOp::kMul: want = fminf(fmaxf(x * z, 0.0f), 6.0f); break;
        case schema::BuiltinOp::kDiv: want = fminf(fmaxf(x / z, 0.0f), 6.0f); break;
        case schema::BuiltinOp::kMaximum: want = fmaxf(x, z); break;
        default: want = fminf(x, z); break;
      }
      EXPECT_EQ(y[i], want) << "op " << int(oc.op) << " element " << i;
    }
  }
}

TEST(ElementwiseModel, Int32ArithmeticChain) {
  // The int32 ops of audio_preprocessor_int8: MUL, ADD, DIV, MINIMUM, MAXIMUM.
  const std::vector<int32_t> x = {-1000, 0, 17, 123456};
  const std::vector<int32_t> k = {3};
  auto run = [&](schema::BuiltinOp op, schema::OptionsType type) {
    const auto model = binary_model(op, tensor("x", DType::kInt32, {4}), tensor("k", DType::kInt32, {1}),
                                    tensor("y", DType::kInt32, {4}), Options(type));
    const RunResult r = run_model(model, {bytes_of(x), bytes_of(k)});
    EXPECT_TRUE(r.ok()) << r.error;
    return r.output<int32_t>(0);
  };
  EXPECT_EQ(run(schema::BuiltinOp::kMul, schema::OptionsType::kMul), (std::vector<int32_t>{-3000, 0, 51, 370368}));
  EXPECT_EQ(run(schema::BuiltinOp::kAdd, schema::OptionsType::kAdd), (std::vector<int32_t>{-997, 3, 20, 123459}));
  EXPECT_EQ(run(schema::BuiltinOp::kDiv, schema::OptionsType::kDiv), (std::vector<int32_t>{-333, 0, 5, 41152}));
  EXPECT_EQ(run(schema::BuiltinOp::kMinimum, schema::OptionsType::kMaximumMinimum),
            (std::vector<int32_t>{-1000, 0, 3, 3}));
  EXPECT_EQ(run(schema::BuiltinOp::kMaximum, schema::OptionsType::kMaximumMinimum),
            (std::vector<int32_t>{3, 3, 17, 123456}));
}

TEST(ElementwiseModel, Int16MulAndAdd) {
  const std::vector<int16_t> a = random_values<int16_t>(8, 91), b = random_values<int16_t>(8, 92);
  const float s = 1.0f / 4096;
  auto model = binary_model(schema::BuiltinOp::kMul, tensor("a", DType::kInt16, {8}, s, 0),
                            tensor("b", DType::kInt16, {8}, s, 0), tensor("y", DType::kInt16, {8}, 8 * s, 0),
                            Options(schema::OptionsType::kMul));
  RunResult r = run_model(model, {bytes_of(a), bytes_of(b)});
  ASSERT_TRUE(r.ok()) << r.error;
  std::vector<int16_t> y = r.output<int16_t>(0);
  for (int i = 0; i < 8; ++i) {
    EXPECT_NEAR(y[i], clamp(llround(double(s) * a[i] * s * b[i] / (8 * s)), -32768, 32767), 1);
  }
  model = binary_model(schema::BuiltinOp::kAdd, tensor("a", DType::kInt16, {8}, s, 0),
                       tensor("b", DType::kInt16, {8}, s, 0), tensor("y", DType::kInt16, {8}, 2 * s, 0),
                       Options(schema::OptionsType::kAdd));
  r = run_model(model, {bytes_of(a), bytes_of(b)});
  ASSERT_TRUE(r.ok()) << r.error;
  y = r.output<int16_t>(0);
  for (int i = 0; i < 8; ++i) EXPECT_NEAR(y[i], clamp(llround((a[i] + b[i]) / 2.0), -32768, 32767), 1);
}

TEST(ElementwiseModel, ActivationOps) {
  const std::vector<int8_t> x = {-128, -50, -1, 0, 1, 60, 127};
  const float s = 0.05f;
  // RELU6 int8 clamps at the input's quantized 0 (zp) and 6 (zp + 120).
  RunResult r = run_model(unary_model(schema::BuiltinOp::kRelu6, tensor("x", DType::kInt8, {7}, s, -10),
                                      tensor("y", DType::kInt8, {7}, s, -10)),
                          {bytes_of(x)});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.output<int8_t>(0), (std::vector<int8_t>{-10, -10, -1, 0, 1, 60, 110}));

  // RELU with a different output scale requantizes.
  r = run_model(unary_model(schema::BuiltinOp::kRelu, tensor("x", DType::kInt8, {7}, s, 0),
                            tensor("y", DType::kInt8, {7}, 2 * s, -128)),
                {bytes_of(x)});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.output<int8_t>(0), (std::vector<int8_t>{-128, -128, -128, -128, -127, -98, -64}));

  // LEAKY_RELU float reads alpha from its options.
  const std::vector<float> xf = {-2.0f, 4.0f};
  r = run_model(unary_model(schema::BuiltinOp::kLeakyRelu, tensor("x", DType::kFloat32, {2}),
                            tensor("y", DType::kFloat32, {2}),
                            Options(schema::OptionsType::kLeakyRelu).f32(schema::leaky_relu_options::alpha, 0.1f)),
                {bytes_of(xf)});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.output<float>(0), (std::vector<float>{-2.0f * 0.1f, 4.0f}));

  // HARD_SWISH int8 through the interpreter equals the kernel.
  r = run_model(unary_model(schema::BuiltinOp::kHardSwish, tensor("x", DType::kInt8, {7}, 0.04f, 0),
                            tensor("y", DType::kInt8, {7}, 0.03f, -20)),
                {bytes_of(x)});
  ASSERT_TRUE(r.ok()) << r.error;
  ref::HardSwishQuantParams hp;
  ASSERT_TRUE(ref::make_hard_swish_quant_params(0.04f, 0, 0.03f, -20, &hp));
  std::vector<int8_t> want(7);
  ref::hard_swish_int8(7, hp, x.data(), want.data());
  EXPECT_EQ(r.output<int8_t>(0), want);
}

TEST(ElementwiseModel, QuantizeDequantizeCast) {
  const std::vector<float> xf = {-1.0f, -0.5f, 0.0f, 0.25f, 1.0f};
  RunResult r = run_model(unary_model(schema::BuiltinOp::kQuantize, tensor("x", DType::kFloat32, {5}),
                                      tensor("q", DType::kInt8, {5}, 1.0f / 128, 0)),
                          {bytes_of(xf)});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.output<int8_t>(0), (std::vector<int8_t>{-128, -64, 0, 32, 127}));

  const std::vector<int8_t> q = {-128, 0, 16, 127};
  r = run_model(unary_model(schema::BuiltinOp::kDequantize, tensor("q", DType::kInt8, {4}, 0.25f, 16),
                            tensor("x", DType::kFloat32, {4})),
                {bytes_of(q)});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.output<float>(0), (std::vector<float>{-36.0f, -4.0f, 0.0f, 27.75f}));

  // int8 -> int8 requantization (scale x2, zero point shift).
  r = run_model(unary_model(schema::BuiltinOp::kQuantize, tensor("q", DType::kInt8, {4}, 0.25f, 16),
                            tensor("r", DType::kInt8, {4}, 0.5f, -4)),
                {bytes_of(q)});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.output<int8_t>(0), (std::vector<int8_t>{-76, -12, -4, 52}));  // (q - 16) / 2 - 4, .5 away from 0

  const std::vector<int16_t> s = {-300, 7};
  r = run_model(unary_model(schema::BuiltinOp::kCast, tensor("s", DType::kInt16, {2}), tensor("i", DType::kInt32, {2})),
                {bytes_of(s)});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.output<int32_t>(0), (std::vector<int32_t>{-300, 7}));
}

TEST(ElementwiseModel, PrepareRejectsInvalidNodes) {
  // Shapes that do not broadcast.
  RunResult r = run_model(binary_model(schema::BuiltinOp::kAdd, tensor("a", DType::kFloat32, {2, 3}),
                                       tensor("b", DType::kFloat32, {2}), tensor("y", DType::kFloat32, {2, 3}),
                                       Options(schema::OptionsType::kAdd)),
                          {bytes_of(std::vector<float>(6)), bytes_of(std::vector<float>(2))});
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("broadcast"), std::string::npos) << r.error;
  // Output with the wrong number of elements.
  r = run_model(binary_model(schema::BuiltinOp::kMul, tensor("a", DType::kFloat32, {2, 3}),
                             tensor("b", DType::kFloat32, {3}), tensor("y", DType::kFloat32, {3}),
                             Options(schema::OptionsType::kMul)),
                {bytes_of(std::vector<float>(6)), bytes_of(std::vector<float>(3))});
  EXPECT_FALSE(r.ok());
  // int16 MUL with a non-zero zero point.
  r = run_model(binary_model(schema::BuiltinOp::kMul, tensor("a", DType::kInt16, {2}, 0.1f, 1),
                             tensor("b", DType::kInt16, {2}, 0.1f, 0), tensor("y", DType::kInt16, {2}, 0.1f, 0),
                             Options(schema::OptionsType::kMul)),
                {bytes_of(std::vector<int16_t>(2)), bytes_of(std::vector<int16_t>(2))});
  EXPECT_FALSE(r.ok());
  // Unsupported types / type pairs.
  r = run_model(unary_model(schema::BuiltinOp::kHardSwish, tensor("x", DType::kInt16, {2}, 0.1f, 0),
                            tensor("y", DType::kInt16, {2}, 0.1f, 0)),
                {bytes_of(std::vector<int16_t>(2))});
  EXPECT_FALSE(r.ok());
  r = run_model(unary_model(schema::BuiltinOp::kQuantize, tensor("x", DType::kFloat32, {2}),
                            tensor("y", DType::kInt32, {2}, 0.1f, 0)),
                {bytes_of(std::vector<float>(2))});
  EXPECT_FALSE(r.ok());
  // Quantized ADD without quantization parameters.
  r = run_model(binary_model(schema::BuiltinOp::kAdd, tensor("a", DType::kInt8, {2}), tensor("b", DType::kInt8, {2}),
                             tensor("y", DType::kInt8, {2}), Options(schema::OptionsType::kAdd)),
                {bytes_of(std::vector<int8_t>(2)), bytes_of(std::vector<int8_t>(2))});
  EXPECT_FALSE(r.ok());
  // TANH as a fused activation is not a clamp.
  r = run_model(binary_model(schema::BuiltinOp::kAdd, tensor("a", DType::kFloat32, {2}),
                             tensor("b", DType::kFloat32, {2}), tensor("y", DType::kFloat32, {2}),
                             Options(schema::OptionsType::kAdd).i8(schema::add_options::fused_activation_function, 4)),
                {bytes_of(std::vector<float>(2)), bytes_of(std::vector<float>(2))});
  EXPECT_FALSE(r.ok());
}

}  // namespace
