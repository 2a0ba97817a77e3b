// Optimized AVERAGE_POOL_2D / MAX_POOL_2D, ADD / MUL and int8 SOFTMAX kernels
// against the reference kernels: the same random data through both, outputs
// required byte-identical. Sweeps cover channel blocks (16, 8, odd, 8 mod
// 16), windows clipped by SAME padding on either side, strides larger than
// the filter, same-shape / scalar / per-channel / two-sided broadcasts, row
// lengths around the softmax cache limit, and quantization parameters from
// random scales. Buffers sit 1..3 bytes off alignment with guard bytes after
// every output.
#include <gtest/gtest.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <limits>
#include <random>
#include <string>
#include <vector>

#include "guarded_buffer.h"
#include "kernels/optimized/add.h"
#include "kernels/optimized/mul.h"
#include "kernels/optimized/pooling.h"
#include "kernels/optimized/softmax.h"
#include "kernels/reference/add.h"
#include "kernels/reference/elementwise_broadcast.h"
#include "kernels/reference/mul.h"
#include "kernels/reference/pooling.h"
#include "kernels/reference/softmax.h"

namespace {

template <typename T>
void fill_random(GuardedBuffer<T>& buffer, std::mt19937& rng) {
  std::uniform_int_distribution<int32_t> value(std::numeric_limits<T>::min(), std::numeric_limits<T>::max());
  for (size_t i = 0; i < buffer.size(); ++i) buffer.data()[i] = T(value(rng));
}

void fill_random(GuardedBuffer<float>& buffer, std::mt19937& rng) {
  std::uniform_real_distribution<float> value(-10.0f, 10.0f);
  for (size_t i = 0; i < buffer.size(); ++i) buffer.data()[i] = value(rng);
}

// ------------------------------------------------------------------ pooling

using mote::reference::PoolParams;

struct PoolCase {
  int32_t batches, height, width, channels, filter_h, filter_w, stride_h, stride_w;
  bool same;
};

PoolParams pool_params(const PoolCase& c) {
  PoolParams p{};
  p.batches = c.batches;
  p.input_height = c.height;
  p.input_width = c.width;
  p.channels = c.channels;
  p.filter_height = c.filter_h;
  p.filter_width = c.filter_w;
  p.stride_height = c.stride_h;
  p.stride_width = c.stride_w;
  mote::reference::pool_output_size(c.same, c.height, c.filter_h, c.stride_h, &p.output_height, &p.padding_height);
  mote::reference::pool_output_size(c.same, c.width, c.filter_w, c.stride_w, &p.output_width, &p.padding_width);
  return p;
}

std::string pool_name(const PoolCase& c) {
  char buf[160];
  snprintf(buf, sizeof(buf), "n%d %dx%dx%d filter %dx%d stride %d,%d %s", int(c.batches), int(c.height),
           int(c.width), int(c.channels), int(c.filter_h), int(c.filter_w), int(c.stride_h), int(c.stride_w),
           c.same ? "SAME" : "VALID");
  return buf;
}

std::vector<PoolCase> pool_sweep() {
  std::vector<PoolCase> cases;
  const int32_t channels[] = {1, 3, 8, 15, 16, 17, 24, 40};
  const int32_t filters[][2] = {{1, 1}, {2, 2}, {3, 3}, {2, 3}, {5, 5}, {4, 1}};
  const int32_t strides[][2] = {{1, 1}, {2, 2}, {3, 1}, {5, 5}};
  const int32_t sizes[][2] = {{1, 1}, {4, 4}, {5, 7}, {9, 6}};
  int i = 0;
  for (int32_t ch : channels)
    for (const auto& f : filters)
      for (const auto& s : strides)
        for (const auto& hw : sizes) {
          ++i;
          cases.push_back(PoolCase{1 + i % 2, hw[0], hw[1], ch, f[0], f[1], s[0], s[1], i % 3 != 0});
        }
  // The conformance models' global average pools.
  cases.push_back(PoolCase{1, 3, 3, 256, 3, 3, 2, 2, false});
  cases.push_back(PoolCase{1, 25, 5, 64, 25, 5, 2, 2, false});
  return cases;
}

template <typename T, typename Act>
void check_pool(const PoolCase& c, std::mt19937& rng, Act act_min, Act act_max) {
  SCOPED_TRACE(pool_name(c));
  const PoolParams p = pool_params(c);
  if (p.output_height <= 0 || p.output_width <= 0) return;
  const size_t in_count = size_t(p.batches) * p.input_height * p.input_width * p.channels;
  const size_t out_count = size_t(p.batches) * p.output_height * p.output_width * p.channels;
  const size_t misalign = sizeof(T) == 1 ? size_t(rng() % 4) : 0;
  GuardedBuffer<T> input(in_count, misalign);
  fill_random(input, rng);
  GuardedBuffer<T> ref_avg(out_count, 0), opt_avg(out_count, sizeof(T) == 1 ? 3 - misalign : 0);
  GuardedBuffer<T> ref_max(out_count, 0), opt_max(out_count, sizeof(T) == 1 ? (misalign + 1) % 4 : 0);
  bool ref_ok, opt_ok;
  if constexpr (sizeof(T) == 1) {
    ref_ok = mote::reference::average_pool_int8(p, act_min, act_max, input.data(), ref_avg.data());
    opt_ok = mote::optimized::average_pool_int8(p, act_min, act_max, input.data(), opt_avg.data());
    mote::reference::max_pool_int8(p, act_min, act_max, input.data(), ref_max.data());
    mote::optimized::max_pool_int8(p, act_min, act_max, input.data(), opt_max.data());
  } else {
    ref_ok = mote::reference::average_pool_float(p, act_min, act_max, input.data(), ref_avg.data());
    opt_ok = mote::optimized::average_pool_float(p, act_min, act_max, input.data(), opt_avg.data());
    mote::reference::max_pool_float(p, act_min, act_max, input.data(), ref_max.data());
    mote::optimized::max_pool_float(p, act_min, act_max, input.data(), opt_max.data());
  }
  EXPECT_EQ(ref_ok, opt_ok);
  // A failed average leaves the empty windows' outputs unwritten in both;
  // the guard pattern fills them identically.
  EXPECT_TRUE(same_bytes(ref_avg, opt_avg)) << "average differs";
  EXPECT_TRUE(same_bytes(ref_max, opt_max)) << "max differs";
  EXPECT_TRUE(opt_avg.guard_intact());
  EXPECT_TRUE(opt_max.guard_intact());
}

TEST(OptimizedPooling, Int8MatchesReference) {
  std::mt19937 rng(11);
  int i = 0;
  for (const PoolCase& c : pool_sweep()) {
    // Alternate the full range with a RELU6-like clamp.
    if (++i % 2) {
      check_pool<int8_t, int32_t>(c, rng, -128, 127);
    } else {
      check_pool<int8_t, int32_t>(c, rng, -20, 90);
    }
  }
}

TEST(OptimizedPooling, FloatMatchesReferenceBytes) {
  std::mt19937 rng(12);
  int i = 0;
  for (const PoolCase& c : pool_sweep()) {
    if (++i % 2) {
      check_pool<float, float>(c, rng, std::numeric_limits<float>::lowest(), std::numeric_limits<float>::max());
    } else {
      check_pool<float, float>(c, rng, 0.0f, 6.0f);
    }
  }
}

TEST(OptimizedPooling, AverageRoundsHalfAwayFromZero) {
  // Two taps summing to +-1 and +-3: averages of +-0.5 and +-1.5.
  PoolCase c{1, 1, 2, 4, 1, 2, 1, 2, false};
  const PoolParams p = pool_params(c);
  const int8_t input[8] = {0, 1, -1, 3, 1, 0, 0, 0};
  int8_t output[4] = {};
  ASSERT_TRUE(mote::optimized::average_pool_int8(p, -128, 127, input, output));
  EXPECT_EQ(output[0], 1);   // (0 + 1) / 2
  EXPECT_EQ(output[1], 1);   // (1 + 0) / 2
  EXPECT_EQ(output[2], -1);  // (-1 + 0) / 2
  EXPECT_EQ(output[3], 2);   // (3 + 0) / 2
}

// ------------------------------------------------------------------ ADD / MUL

mote::Shape shape(std::initializer_list<int32_t> dims) {
  mote::Shape s;
  s.rank = int32_t(dims.size());
  int i = 0;
  for (int32_t d : dims) s.dims[i++] = d;
  return s;
}

struct BroadcastCase {
  mote::Shape a, b;
};

std::vector<BroadcastCase> broadcast_sweep() {
  return {
      {shape({1, 5, 5, 24}), shape({1, 5, 5, 24})},  // same shape
      {shape({1, 4, 4, 17}), shape({1, 4, 4, 17})},
      {shape({37}), shape({37})},
      {shape({1, 6, 6, 16}), shape({16})},  // per channel
      {shape({16}), shape({1, 6, 6, 16})},
      {shape({2, 3, 3, 5}), shape({1, 1, 1, 5})},
      {shape({1, 7, 9}), shape({1})},  // scalar
      {shape({1}), shape({1, 7, 9})},
      {shape({1, 1}), shape({1, 1})},
      {shape({2, 1, 3}), shape({1, 4, 1})},  // both broadcast
      {shape({3, 1}), shape({1, 5})},
      {shape({2, 3, 1, 4}), shape({3, 5, 1})},
      {shape({1, 2, 1, 2, 1, 3}), shape({2, 1, 4, 1, 5, 1})},
  };
}

std::string broadcast_name(const BroadcastCase& c) {
  std::string s = "[";
  for (int i = 0; i < c.a.rank; ++i) s += std::to_string(c.a.dims[i]) + (i + 1 < c.a.rank ? "," : "");
  s += "] x [";
  for (int i = 0; i < c.b.rank; ++i) s += std::to_string(c.b.dims[i]) + (i + 1 < c.b.rank ? "," : "");
  return s + "]";
}

// Random scales with input scales within a factor 8 of each other (so
// ADD's rescale multipliers stay below one, as prepare requires).
struct Scales {
  float s1, s2, so;
  int32_t z1, z2, zo;
};

template <typename T>
Scales random_scales(std::mt19937& rng) {
  std::uniform_real_distribution<float> exponent(-8.0f, 1.0f);
  std::uniform_real_distribution<float> ratio(-3.0f, 3.0f);
  Scales s;
  s.s1 = std::exp2(exponent(rng));
  s.s2 = s.s1 * std::exp2(ratio(rng));
  s.so = s.s1 * std::exp2(ratio(rng) + 1.0f);
  if (sizeof(T) == 1) {
    std::uniform_int_distribution<int32_t> zp(-128, 127);
    s.z1 = zp(rng);
    s.z2 = zp(rng);
    s.zo = zp(rng);
  } else {
    s.z1 = s.z2 = s.zo = 0;
  }
  return s;
}

template <typename T>
void activation_bounds(std::mt19937& rng, int32_t* lo, int32_t* hi) {
  *lo = std::numeric_limits<T>::min();
  *hi = std::numeric_limits<T>::max();
  if (rng() % 2) {
    *lo = std::uniform_int_distribution<int32_t>(*lo, 0)(rng);
    *hi = std::uniform_int_distribution<int32_t>(*lo, *hi)(rng);
  }
}

template <typename T>
void check_add_mul(const BroadcastCase& c, std::mt19937& rng) {
  SCOPED_TRACE(broadcast_name(c));
  mote::Shape out_shape;
  ASSERT_TRUE(mote::reference::broadcast_shape(c.a, c.b, &out_shape));
  mote::reference::BroadcastDesc d;
  ASSERT_TRUE(mote::reference::make_broadcast_desc(c.a, c.b, &d));
  const size_t misalign = sizeof(T) == 1 ? size_t(rng() % 4) : 2 * size_t(rng() % 2);
  GuardedBuffer<T> a(size_t(c.a.num_elements()), misalign), b(size_t(c.b.num_elements()), (misalign + 1) % 4);
  fill_random(a, rng);
  fill_random(b, rng);
  const size_t n = size_t(out_shape.num_elements());

  const Scales s = random_scales<T>(rng);
  int32_t lo, hi;
  activation_bounds<T>(rng, &lo, &hi);
  mote::reference::AddSubQuantParams add;
  ASSERT_TRUE(mote::reference::make_add_sub_quant_params(false, sizeof(T) == 2, s.s1, s.z1, s.s2, s.z2, s.so, s.zo,
                                                         lo, hi, &add));
  mote::reference::MulQuantParams mul;
  mote::reference::make_mul_quant_params(s.s1, s.z1, s.s2, s.z2, s.so * 4.0f, s.zo, lo, hi, &mul);

  GuardedBuffer<T> ref_add(n, 0), opt_add(n, sizeof(T) == 1 ? 3 : 2), ref_mul(n, 0), opt_mul(n, 1 % sizeof(T));
  if constexpr (sizeof(T) == 1) {
    mote::reference::add_int8(d, add, a.data(), b.data(), ref_add.data());
    mote::optimized::add_int8(d, add, a.data(), b.data(), opt_add.data());
    mote::reference::mul_int8(d, mul, a.data(), b.data(), ref_mul.data());
    mote::optimized::mul_int8(d, mul, a.data(), b.data(), opt_mul.data());
  } else {
    mote::reference::add_int16(d, add, a.data(), b.data(), ref_add.data());
    mote::optimized::add_int16(d, add, a.data(), b.data(), opt_add.data());
    mote::reference::mul_int16(d, mul, a.data(), b.data(), ref_mul.data());
    mote::optimized::mul_int16(d, mul, a.data(), b.data(), opt_mul.data());
  }
  EXPECT_TRUE(same_bytes(ref_add, opt_add)) << "ADD differs";
  EXPECT_TRUE(same_bytes(ref_mul, opt_mul)) << "MUL differs";
  EXPECT_TRUE(opt_add.guard_intact());
  EXPECT_TRUE(opt_mul.guard_intact());
}

TEST(OptimizedAddMul, Int8MatchesReference) {
  std::mt19937 rng(21);
  for (int round = 0; round < 20; ++round)
    for (const BroadcastCase& c : broadcast_sweep()) check_add_mul<int8_t>(c, rng);
}

TEST(OptimizedAddMul, Int16MatchesReference) {
  std::mt19937 rng(22);
  for (int round = 0; round < 20; ++round)
    for (const BroadcastCase& c : broadcast_sweep()) check_add_mul<int16_t>(c, rng);
}

TEST(OptimizedAddMul, InPlaceMatchesReference) {
  // Output written over input 1, as an in-place memory plan does.
  std::mt19937 rng(23);
  const mote::Shape s = shape({1, 4, 4, 19});
  mote::reference::BroadcastDesc d;
  ASSERT_TRUE(mote::reference::make_broadcast_desc(s, s, &d));
  const Scales q = random_scales<int8_t>(rng);
  mote::reference::AddSubQuantParams add;
  ASSERT_TRUE(mote::reference::make_add_sub_quant_params(false, false, q.s1, q.z1, q.s2, q.z2, q.so, q.zo, -128, 127,
                                                         &add));
  std::vector<int8_t> a(size_t(s.num_elements())), b(a.size());
  for (auto& v : a) v = int8_t(rng());
  for (auto& v : b) v = int8_t(rng());
  std::vector<int8_t> expected(a.size());
  mote::reference::add_int8(d, add, a.data(), b.data(), expected.data());
  mote::optimized::add_int8(d, add, a.data(), b.data(), a.data());
  EXPECT_EQ(a, expected);
}

// ------------------------------------------------------------------ SOFTMAX

template <typename Output>
void check_softmax(int32_t rows, int32_t depth, double beta, double input_scale, std::mt19937& rng) {
  char name[120];
  snprintf(name, sizeof(name), "%dx%d beta %g input scale %g output int%d", int(rows), int(depth), beta, input_scale,
           int(8 * sizeof(Output)));
  SCOPED_TRACE(name);
  mote::reference::SoftmaxInt8Params params;
  ASSERT_TRUE(mote::reference::softmax_int8_params(beta, input_scale, &params));
  const size_t n = size_t(rows) * size_t(depth);
  GuardedBuffer<int8_t> input(n, size_t(rng() % 4));
  // Narrow rows (all values close) as well as full-range ones.
  const int32_t spread = rng() % 2 ? 256 : 1 + int32_t(rng() % 12);
  const int32_t base = std::uniform_int_distribution<int32_t>(-128, 128 - spread)(rng);
  for (size_t i = 0; i < n; ++i) input.data()[i] = int8_t(base + int32_t(rng() % uint32_t(spread)));

  std::vector<int32_t> table(mote::optimized::kSoftmaxExpTableSize);
  mote::optimized::softmax_int8_exp_table(params, table.data());
  const size_t misalign = sizeof(Output) == 1 ? 1 : 2;
  GuardedBuffer<Output> expected(n, 0), cached(n, misalign), with_table(n, misalign);
  if constexpr (sizeof(Output) == 1) {
    mote::reference::softmax_int8(params, rows, depth, input.data(), expected.data());
    mote::optimized::softmax_int8(params, rows, depth, input.data(), cached.data());
    mote::optimized::softmax_int8_with_table(table.data(), rows, depth, input.data(), with_table.data());
  } else {
    mote::reference::softmax_int8_int16(params, rows, depth, input.data(), expected.data());
    mote::optimized::softmax_int8_int16(params, rows, depth, input.data(), cached.data());
    mote::optimized::softmax_int8_int16_with_table(table.data(), rows, depth, input.data(), with_table.data());
  }
  EXPECT_TRUE(same_bytes(expected, cached)) << "table-less kernel differs";
  EXPECT_TRUE(same_bytes(expected, with_table)) << "table kernel differs";
  EXPECT_TRUE(cached.guard_intact());
  EXPECT_TRUE(with_table.guard_intact());
}

TEST(OptimizedSoftmax, Int8MatchesReference) {
  std::mt19937 rng(31);
  const int32_t depths[] = {1, 2, 3, 12, 63, 64, 65, 100, 257, 1000};
  // Input scales from the conformance models' range to ones where diff_min
  // cuts off most differences, and beta != 1.
  const double scales[][2] = {{1.0, 0.0625}, {1.0, 0.5}, {1.0, 0.004}, {2.0, 0.1}, {0.5, 0.05}, {1.0, 3.0}};
  for (int32_t depth : depths) {
    for (const auto& s : scales) {
      const int32_t rows = depth > 100 ? 2 : 1 + int32_t(rng() % 5);
      check_softmax<int8_t>(rows, depth, s[0], s[1], rng);
      check_softmax<int16_t>(rows, depth, s[0], s[1], rng);
    }
  }
}

TEST(OptimizedSoftmax, TableEntriesFollowDiffMin) {
  mote::reference::SoftmaxInt8Params params;
  ASSERT_TRUE(mote::reference::softmax_int8_params(1.0, 1.0, &params));
  std::vector<int32_t> table(mote::optimized::kSoftmaxExpTableSize);
  mote::optimized::softmax_int8_exp_table(params, table.data());
  EXPECT_EQ(table[0], std::numeric_limits<int32_t>::max());  // exp(0) saturated in Q0.31
  ASSERT_GT(-params.diff_min, 0);
  ASSERT_LT(-params.diff_min, mote::optimized::kSoftmaxExpTableSize - 1);
  EXPECT_EQ(table[size_t(-params.diff_min) + 1], 0);
  // exp(-1) in Q0.31, within the fixed-point approximation's error.
  EXPECT_NEAR(double(table[1]) / 2147483648.0, exp(-1.0), 1e-6);
  for (size_t i = 1; i < table.size(); ++i) EXPECT_LE(table[i], table[i - 1]);
}

}  // namespace
