// SOFTMAX, LOGISTIC and TANH: kernels against double-precision math (within
// one output step where TFLite's own integer arithmetic is approximate),
// hand-checked exact cases, the prepare-time parameters, and one-op models
// through the interpreter (op glue, options, validation).
#include <gtest/gtest.h>
#include <math.h>
#include <stdint.h>

#include <random>
#include <vector>

#include "kernels/reference/logistic.h"
#include "kernels/reference/softmax.h"
#include "kernels/reference/tanh.h"
#include "op_harness.h"
#include "tools/model_builder.h"

namespace {

using mote::DType;
using mote::tools::ModelBuilder;
using mote::tools::Options;
using mote::tools::TensorSpec;
namespace ref = mote::reference;
namespace schema = mote::schema;

int32_t clamp(int64_t v, int32_t lo, int32_t hi) { return int32_t(v < lo ? lo : (v > hi ? hi : v)); }

std::vector<double> softmax_double(const std::vector<double>& x, double beta) {
  double max = x[0];
  for (double v : x) max = v > max ? v : max;
  std::vector<double> e(x.size());
  double sum = 0;
  for (size_t i = 0; i < x.size(); ++i) sum += (e[i] = exp(beta * (x[i] - max)));
  for (double& v : e) v /= sum;
  return e;
}

std::vector<int8_t> random_int8(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<int8_t> v(n);
  for (int8_t& x : v) x = int8_t(int(rng() % 256) - 128);
  return v;
}

// --- SOFTMAX kernels ----------------------------------------------------------

struct SoftmaxCase {
  float input_scale;
  int32_t input_zero_point;
  float beta;
  int32_t depth;
};

TEST(SoftmaxKernel, Int8WithinOneStepOfExact) {
  const SoftmaxCase cases[] = {{0.05f, 0, 1.0f, 10}, {0.1f, -20, 1.0f, 2},   {0.25f, 14, 0.5f, 33},
                               {1.0f, 3, 1.0f, 7},   {0.0125f, -1, 1.0f, 2}, {0.5f, 0, 2.0f, 100}};
  for (const SoftmaxCase& c : cases) {
    ref::SoftmaxInt8Params params;
    ASSERT_TRUE(ref::softmax_int8_params(c.beta, c.input_scale, &params));
    const int32_t rows = 5;
    const std::vector<int8_t> input = random_int8(size_t(rows * c.depth), uint32_t(c.depth));
    std::vector<int8_t> out8(input.size());
    std::vector<int16_t> out16(input.size());
    ref::softmax_int8(params, rows, c.depth, input.data(), out8.data());
    ref::softmax_int8_int16(params, rows, c.depth, input.data(), out16.data());
    for (int32_t r = 0; r < rows; ++r) {
      std::vector<double> x(size_t(c.depth));
      for (int32_t i = 0; i < c.depth; ++i) x[i] = c.input_scale * (input[r * c.depth + i] - c.input_zero_point);
      const std::vector<double> p = softmax_double(x, c.beta);
      for (int32_t i = 0; i < c.depth; ++i) {
        const int32_t want8 = clamp(llround(p[i] * 256) - 128, -128, 127);
        const int32_t want16 = clamp(llround(p[i] * 65536) - 32768, -32768, 32767);
        EXPECT_NEAR(out8[r * c.depth + i], want8, 1) << "scale " << c.input_scale << " depth " << c.depth;
        EXPECT_NEAR(out16[r * c.depth + i], want16, 1) << "scale " << c.input_scale << " depth " << c.depth;
      }
    }
  }
}

TEST(SoftmaxKernel, Int8UniformRowsAreExact) {
  ref::SoftmaxInt8Params params;
  ASSERT_TRUE(ref::softmax_int8_params(1.0, 0.1, &params));
  const std::vector<int8_t> four(4, 17);
  std::vector<int8_t> out(4);
  ref::softmax_int8(params, 1, 4, four.data(), out.data());
  EXPECT_EQ(out, std::vector<int8_t>(4, -64));  // 0.25 * 256 - 128
  const std::vector<int8_t> two = {-5, -5};
  std::vector<int16_t> out16(2);
  ref::softmax_int8_int16(params, 1, 2, two.data(), out16.data());
  EXPECT_EQ(out16, std::vector<int16_t>(2, 0));  // 0.5 * 65536 - 32768
  const std::vector<int8_t> one = {-128};
  std::vector<int8_t> out1(1);
  ref::softmax_int8(params, 1, 1, one.data(), out1.data());
  EXPECT_EQ(out1[0], 127);  // 1.0 saturates
}

TEST(SoftmaxKernel, Int8DifferencesBelowDiffMinGiveZero) {
  ref::SoftmaxInt8Params params;
  // beta * scale = 0.5: 2^25 per step in Q5.26 = 0.5 * 2^26, so left shift 26
  // and diff_min = -floor(31 * 2^26 / 2^26).
  ASSERT_TRUE(ref::softmax_int8_params(1.0, 0.5, &params));
  EXPECT_EQ(params.input_multiplier, 1 << 30);
  EXPECT_EQ(params.input_left_shift, 26);
  EXPECT_EQ(params.diff_min, -31);
  // beta * scale = 1: 2^26 = 0.5 * 2^27, left shift 27, diff_min -15.
  ASSERT_TRUE(ref::softmax_int8_params(1.0, 1.0, &params));
  EXPECT_EQ(params.input_left_shift, 27);
  EXPECT_EQ(params.diff_min, -15);
  const std::vector<int8_t> input = {100, 99, 84, -100};  // differences 0, -1, -16, -200
  std::vector<int16_t> out(4);
  ref::softmax_int8_int16(params, 1, 4, input.data(), out.data());
  // 1 / (1 + e^-1) and e^-1 / (1 + e^-1) in 1/65536 steps; the rest is below diff_min.
  EXPECT_NEAR(out[0], llround(65536 / (1 + exp(-1.0))) - 32768, 1);
  EXPECT_NEAR(out[1], llround(65536 * exp(-1.0) / (1 + exp(-1.0))) - 32768, 1);
  EXPECT_EQ(out[2], -32768);
  EXPECT_EQ(out[3], -32768);
}

TEST(SoftmaxKernel, Int8LongUniformRowRoundsToZero) {
  // 600 equal values: p = 1/600 is 0.43 of an output step. The sum of exps
  // (600) exceeds what TFLite's shift handles (it stops there); mote rounds.
  ref::SoftmaxInt8Params params;
  ASSERT_TRUE(ref::softmax_int8_params(1.0, 0.1, &params));
  const std::vector<int8_t> in(600, 3);
  std::vector<int8_t> out(600, 0);
  ref::softmax_int8(params, 1, 600, in.data(), out.data());
  EXPECT_EQ(out, std::vector<int8_t>(600, -128));
  std::vector<int16_t> out16(600);
  ref::softmax_int8_int16(params, 1, 600, in.data(), out16.data());
  EXPECT_EQ(out16, std::vector<int16_t>(600, int16_t(llround(65536.0 / 600) - 32768)));
}

TEST(SoftmaxKernel, Int8ParamsRejectTinyBetaTimesScale) {
  ref::SoftmaxInt8Params params;
  EXPECT_FALSE(ref::softmax_int8_params(1.0, 1e-9, &params));
  EXPECT_TRUE(ref::softmax_int8_params(1.0, 1e-6, &params));
}

TEST(SoftmaxKernel, FloatMatchesDouble) {
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> u(-8.0f, 8.0f);
  for (float beta : {1.0f, 0.3f}) {
    std::vector<float> in(3 * 12);
    for (float& v : in) v = u(rng);
    std::vector<float> out(in.size());
    ref::softmax_float(3, 12, beta, in.data(), out.data());
    for (int r = 0; r < 3; ++r) {
      std::vector<double> x(in.begin() + r * 12, in.begin() + (r + 1) * 12);
      const std::vector<double> p = softmax_double(x, beta);
      for (int i = 0; i < 12; ++i) EXPECT_NEAR(out[r * 12 + i], p[i], 1e-6 * (1 + p[i]));
    }
  }
}

TEST(SoftmaxKernel, Int16LutLookupInterpolatesLinearly) {
  // A straight-line table (i - 256) * 64 makes lookup(v) = floor((v + 1) / 2)
  // for every int16 v.
  std::vector<int16_t> lut(ref::kSoftmaxLutSize);
  for (int i = 0; i < ref::kSoftmaxLutSize; ++i) lut[i] = int16_t((i - 256) * 64);
  for (int v = -32768; v <= 32767; ++v) {
    const int want = int(floor((v + 1) / 2.0));
    ASSERT_EQ(ref::int16_lut_lookup(int16_t(v), lut.data()), want) << v;
  }
}

TEST(SoftmaxKernel, Int16TablesFollowTheirFunctions) {
  std::vector<int16_t> exp_lut(ref::kSoftmaxLutSize), recip_lut(ref::kSoftmaxLutSize);
  ref::softmax_int16_build_luts(exp_lut.data(), recip_lut.data());
  for (int i = 0; i < ref::kSoftmaxLutSize; ++i) {
    const double x_exp = -10.0 + 10.0 * i / 512.0;
    const double x_recip = 1.0 * i / 512.0;
    // Each entry is the sampled value, shifted by at most one step to halve
    // the interpolation error at the segment midpoint.
    EXPECT_NEAR(exp_lut[i], fmin(32767.0, round(exp(x_exp) * 32768)), 1) << i;
    EXPECT_NEAR(recip_lut[i], fmin(32767.0, round(1.0 / (1.0 + x_recip) * 32768)), 1) << i;
  }
  EXPECT_EQ(exp_lut[512], 32767);    // exp(0) saturated
  EXPECT_EQ(recip_lut[512], 16384);  // 1/2
}

TEST(SoftmaxKernel, Int16CloseToExact) {
  std::vector<int16_t> exp_lut(ref::kSoftmaxLutSize), recip_lut(ref::kSoftmaxLutSize);
  ref::softmax_int16_build_luts(exp_lut.data(), recip_lut.data());
  std::mt19937 rng(9);
  for (float scale : {1.0f / 4096, 3.0f / 32768, 1.0f / 1000}) {
    ref::SoftmaxInt16Params params;
    ref::softmax_int16_multiplier(1.0, scale, &params.input_multiplier, &params.input_shift);
    params.exp_lut = exp_lut.data();
    params.one_over_one_plus_x_lut = recip_lut.data();
    const int32_t depth = 16;
    std::vector<int16_t> in(size_t(4 * depth)), out(in.size());
    // Differences stay within the exp table's [-10, 0]; beyond it TFLite
    // deliberately uses exp(-10).
    const int range = int(fmin(32767.0, 5.0 / scale));
    for (int16_t& v : in) v = int16_t(int(rng() % uint32_t(2 * range + 1)) - range);
    ref::softmax_int16(params, 4, depth, in.data(), out.data());
    for (int r = 0; r < 4; ++r) {
      std::vector<double> x(static_cast<size_t>(depth));
      for (int i = 0; i < depth; ++i) x[i] = double(scale) * in[r * depth + i];
      const std::vector<double> p = softmax_double(x, 1.0);
      for (int i = 0; i < depth; ++i) {
        // Two interpolated tables (exp, then 1/(1+x)) in Q0.15: TFLite's
        // method is a few output steps off (about 3.3 at worst here).
        EXPECT_NEAR(out[r * depth + i], p[i] * 32768, 4) << "scale " << scale;
      }
    }
  }
}

// --- LOGISTIC / TANH kernels ---------------------------------------------------

TEST(ActivationParams, Int8HandChecked) {
  ref::Int8ActivationParams p;
  // 0.1 * 2^27 ~ 0.8 * 2^24.
  ref::int8_activation_params(0.1f, 5, &p);
  EXPECT_EQ(p.input_shift, 24);
  // 0.1f is 13421773 * 2^-27, so the multiplier is 13421773 * 2^7 (~0.8 * 2^31).
  EXPECT_EQ(p.input_multiplier, 13421773 << 7);
  EXPECT_EQ(p.input_range_radius, 120);  // floor(15 * 2^27 / 2^24)
  EXPECT_EQ(p.input_zero_point, 5);
  ref::int8_activation_params(1.0f / 256, 0, &p);  // 2^19 = 0.5 * 2^20
  EXPECT_EQ(p.input_multiplier, 1 << 30);
  EXPECT_EQ(p.input_shift, 20);
  EXPECT_EQ(p.input_range_radius, 1920);  // 15 * 2^7
}

TEST(ActivationParams, Int16HandChecked) {
  ref::Int16ActivationParams p;
  ref::int16_activation_params(1.0f / 4096, 0, &p);  // Q3.12: the table's own format
  EXPECT_EQ(p.input_multiplier, 0);
  EXPECT_EQ(p.input_left_shift, 0);
  ref::int16_activation_params(1.0f / 2048, 1, &p);  // TANH also takes Q4.11 as power of two
  EXPECT_EQ(p.input_multiplier, 0);
  EXPECT_EQ(p.input_left_shift, 1);
  // LOGISTIC does not: 2^-11 * 4096 * 3 = 6, doubled 12 times to 24576.
  ref::int16_activation_params(1.0f / 2048, 0, &p);
  EXPECT_EQ(p.input_multiplier, 24576);
  EXPECT_EQ(p.input_left_shift, 12);
  // 0.001 * 12288 = 12.288, doubled 11 times = 25165.8 (truncated).
  ref::int16_activation_params(0.001f, 0, &p);
  EXPECT_EQ(p.input_multiplier, 25165);
  EXPECT_EQ(p.input_left_shift, 11);
  int32_t log2 = 0;
  EXPECT_TRUE(ref::checked_log2(1.0f / 32768, &log2));
  EXPECT_EQ(log2, -15);
  EXPECT_FALSE(ref::checked_log2(0.001f, &log2));
}

struct Int8Case {
  float scale;
  int32_t zero_point;
};
const Int8Case kInt8Cases[] = {{0.0387752913f, -2}, {0.1f, 0}, {1.0f / 16, -128}, {0.5f, 100}, {0.01f, 7}};

TEST(LogisticKernel, Int8WithinOneStepOfExactForEveryInput) {
  for (const Int8Case& c : kInt8Cases) {
    ref::Int8ActivationParams p;
    ref::int8_activation_params(c.scale, c.zero_point, &p);
    std::vector<int8_t> in(256), out(256);
    for (int i = 0; i < 256; ++i) in[i] = int8_t(i - 128);
    ref::logistic_int8(p, 256, in.data(), out.data());
    for (int i = 0; i < 256; ++i) {
      const double x = double(c.scale) * (in[i] - c.zero_point);
      const int32_t want = clamp(llround(256.0 / (1.0 + exp(-x))) - 128, -128, 127);
      EXPECT_NEAR(out[i], want, 1) << "scale " << c.scale << " x " << x;
    }
    // The zero point is exactly 0.5.
    const int8_t zp = int8_t(c.zero_point);
    int8_t half = 0;
    ref::logistic_int8(p, 1, &zp, &half);
    EXPECT_EQ(half, 0);
  }
}

TEST(TanhKernel, Int8WithinOneStepOfExactForEveryInput) {
  for (const Int8Case& c : kInt8Cases) {
    ref::Int8ActivationParams p;
    ref::int8_activation_params(c.scale, c.zero_point, &p);
    std::vector<int8_t> in(256), out(256);
    for (int i = 0; i < 256; ++i) in[i] = int8_t(i - 128);
    ref::tanh_int8(p, 256, in.data(), out.data());
    for (int i = 0; i < 256; ++i) {
      const double x = double(c.scale) * (in[i] - c.zero_point);
      const int32_t want = clamp(llround(128.0 * ::tanh(x)), -128, 127);
      EXPECT_NEAR(out[i], want, 1) << "scale " << c.scale << " x " << x;
    }
    const int8_t zp = int8_t(c.zero_point);
    int8_t zero = 1;
    ref::tanh_int8(p, 1, &zp, &zero);
    EXPECT_EQ(zero, 0);
  }
}

TEST(LogisticKernel, Int8SaturatesBeyondTheRadius) {
  ref::Int8ActivationParams p;
  ref::int8_activation_params(0.5f, 0, &p);  // 2^26 = 0.5 * 2^27: radius floor(15 * 2^27 / 2^27)
  EXPECT_EQ(p.input_range_radius, 15);
  const std::vector<int8_t> in = {-128, -15, 15, 127};
  std::vector<int8_t> out(4);
  ref::logistic_int8(p, 4, in.data(), out.data());
  EXPECT_EQ(out, (std::vector<int8_t>{-128, -128, 127, 127}));
  ref::tanh_int8(p, 4, in.data(), out.data());
  EXPECT_EQ(out, (std::vector<int8_t>{-128, -128, 127, 127}));
}

TEST(LogisticAndTanhKernel, Int16CloseToExact) {
  for (float scale : {1.0f / 4096, 1.0f / 2048, 0.001f, 1.0f / 3000}) {
    ref::Int16ActivationParams logistic_params, tanh_params;
    ref::int16_activation_params(scale, 0, &logistic_params);
    ref::int16_activation_params(scale, 1, &tanh_params);
    std::vector<int16_t> in(65536), sig(65536), th(65536);
    for (int i = 0; i < 65536; ++i) in[i] = int16_t(i - 32768);
    ref::logistic_int16(logistic_params, 65536, in.data(), sig.data());
    ref::tanh_int16(tanh_params, 65536, in.data(), th.data());
    int worst_sig = 0, worst_tanh = 0;
    for (int i = 0; i < 65536; ++i) {
      const double x = double(scale) * in[i];
      const long want_sig = fmin(32767, llround(32768.0 / (1.0 + exp(-x))));
      const long want_tanh = fmin(32767, fmax(-32768, llround(32768.0 * ::tanh(x))));
      worst_sig = std::max(worst_sig, int(labs(sig[i] - want_sig)));
      worst_tanh = std::max(worst_tanh, int(labs(th[i] - want_tanh)));
    }
    // Linear interpolation in a 1/24-step sigmoid table stored in Q0.16;
    // tanh reads it at 2x and doubles the error (observed: 1.3 and 2.7).
    EXPECT_LE(worst_sig, 2) << "scale " << scale;
    EXPECT_LE(worst_tanh, 3) << "scale " << scale;
  }
}

TEST(LogisticAndTanhKernel, FloatMatchesDouble) {
  std::vector<float> in;
  for (float x = -20.0f; x <= 20.0f; x += 0.37f) in.push_back(x);
  std::vector<float> sig(in.size()), th(in.size());
  ref::logistic_float(int32_t(in.size()), in.data(), sig.data());
  ref::tanh_float(int32_t(in.size()), in.data(), th.data());
  for (size_t i = 0; i < in.size(); ++i) {
    const double want = 1.0 / (1.0 + exp(-double(in[i])));
    EXPECT_NEAR(sig[i], want, 1e-6 * want + 1e-7) << in[i];
    EXPECT_NEAR(th[i], ::tanh(double(in[i])), 1e-6) << in[i];
  }
}

// --- One-op models --------------------------------------------------------------

std::vector<uint8_t> unary_model(schema::BuiltinOp op, const TensorSpec& in, const TensorSpec& out,
                                 Options options = Options()) {
  ModelBuilder b;
  const int i = b.add_tensor(in);
  const int o = b.add_tensor(out);
  b.add_operator(op, {i}, {o}, options, 1);
  b.set_inputs({i});
  b.set_outputs({o});
  return b.serialize();
}

Options softmax_options(float beta) {
  return Options(schema::OptionsType::kSoftmax).f32(schema::softmax_options::beta, beta);
}

TEST(SoftmaxOp, Int8ModelUsesBetaAndLastAxis) {
  const std::vector<int8_t> input = random_int8(2 * 3 * 5, 77);
  for (float beta : {1.0f, 2.0f}) {
    const auto model = unary_model(schema::BuiltinOp::kSoftmax, {"x", DType::kInt8, {2, 3, 5}, {0.2f}, {-3}},
                                   {"y", DType::kInt8, {2, 3, 5}, {1.0f / 256}, {-128}}, softmax_options(beta));
    RunResult r = run_model(model, {bytes_of(input)});
    ASSERT_TRUE(r.ok()) << r.error;
    ref::SoftmaxInt8Params params;
    ASSERT_TRUE(ref::softmax_int8_params(beta, 0.2f, &params));
    std::vector<int8_t> want(input.size());
    ref::softmax_int8(params, 6, 5, input.data(), want.data());
    EXPECT_EQ(r.output<int8_t>(0), want) << "beta " << beta;
    // And the rows are probabilities over the last axis.
    const std::vector<int8_t> got = r.output<int8_t>(0);
    for (int row = 0; row < 6; ++row) {
      double sum = 0;
      for (int i = 0; i < 5; ++i) sum += (got[row * 5 + i] + 128) / 256.0;
      EXPECT_NEAR(sum, 1.0, 5.0 / 256);
    }
  }
}

TEST(SoftmaxOp, Int8ToInt16AndFloatModels) {
  const std::vector<int8_t> input = {2, -100, 50, 51};
  const auto model = unary_model(schema::BuiltinOp::kSoftmax, {"x", DType::kInt8, {1, 4}, {0.0699627325f}, {2}},
                                 {"y", DType::kInt16, {1, 4}, {1.0f / 65536}, {-32768}}, softmax_options(1.0f));
  RunResult r = run_model(model, {bytes_of(input)});
  ASSERT_TRUE(r.ok()) << r.error;
  std::vector<double> x;
  for (int8_t v : input) x.push_back(0.0699627325 * (v - 2));
  const std::vector<double> p = softmax_double(x, 1.0);
  const std::vector<int16_t> got = r.output<int16_t>(0);
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(got[i], llround(p[i] * 65536) - 32768, 1);

  const std::vector<float> fin = {0.5f, -1.0f, 3.0f};
  const auto fmodel = unary_model(schema::BuiltinOp::kSoftmax, {"x", DType::kFloat32, {3}}, {"y", DType::kFloat32, {3}},
                                  softmax_options(0.5f));
  RunResult fr = run_model(fmodel, {bytes_of(fin)});
  ASSERT_TRUE(fr.ok()) << fr.error;
  const std::vector<double> fp = softmax_double({0.5, -1.0, 3.0}, 0.5);
  const std::vector<float> fgot = fr.output<float>(0);
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(fgot[i], fp[i], 1e-6);
}

TEST(SoftmaxOp, Int16Model) {
  const std::vector<int16_t> input = {0, 1000, -3000, 4096, 4000};
  const auto model = unary_model(schema::BuiltinOp::kSoftmax, {"x", DType::kInt16, {5}, {1.0f / 4096}, {0}},
                                 {"y", DType::kInt16, {5}, {1.0f / 32768}, {0}}, softmax_options(1.0f));
  RunResult r = run_model(model, {bytes_of(input)});
  ASSERT_TRUE(r.ok()) << r.error;
  std::vector<double> x;
  for (int16_t v : input) x.push_back(v / 4096.0);
  const std::vector<double> p = softmax_double(x, 1.0);
  const std::vector<int16_t> got = r.output<int16_t>(0);
  for (int i = 0; i < 5; ++i) EXPECT_NEAR(got[i], p[i] * 32768, 4);
}

TEST(SoftmaxOp, RejectsWrongOutputQuantization) {
  const auto bad_zp = unary_model(schema::BuiltinOp::kSoftmax, {"x", DType::kInt8, {4}, {0.1f}, {0}},
                                  {"y", DType::kInt8, {4}, {1.0f / 256}, {0}}, softmax_options(1.0f));
  RunResult r = run_model(bad_zp, {std::vector<uint8_t>(4)});
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("zero point -128"), std::string::npos) << r.error;
  const auto bad_scale = unary_model(schema::BuiltinOp::kSoftmax, {"x", DType::kInt16, {4}, {0.1f}, {0}},
                                     {"y", DType::kInt16, {4}, {1.0f / 16384}, {0}}, softmax_options(1.0f));
  EXPECT_FALSE(run_model(bad_scale, {std::vector<uint8_t>(8)}).ok());
  const auto too_deep = unary_model(schema::BuiltinOp::kSoftmax, {"x", DType::kInt8, {4096}, {0.1f}, {0}},
                                    {"y", DType::kInt8, {4096}, {1.0f / 256}, {-128}}, softmax_options(1.0f));
  EXPECT_FALSE(run_model(too_deep, {std::vector<uint8_t>(4096)}).ok());
  const auto mixed = unary_model(schema::BuiltinOp::kSoftmax, {"x", DType::kFloat32, {4}},
                                 {"y", DType::kInt8, {4}, {1.0f / 256}, {-128}}, softmax_options(1.0f));
  EXPECT_FALSE(run_model(mixed, {std::vector<uint8_t>(16)}).ok());
}

TEST(LogisticOp, Int8Int16AndFloatModels) {
  std::vector<int8_t> in8(256);
  for (int i = 0; i < 256; ++i) in8[i] = int8_t(i - 128);
  const auto model8 = unary_model(schema::BuiltinOp::kLogistic, {"x", DType::kInt8, {1, 1, 256}, {0.0387752913f}, {-2}},
                                  {"y", DType::kInt8, {1, 1, 256}, {1.0f / 256}, {-128}});
  RunResult r8 = run_model(model8, {bytes_of(in8)});
  ASSERT_TRUE(r8.ok()) << r8.error;
  const std::vector<int8_t> got8 = r8.output<int8_t>(0);
  for (int i = 0; i < 256; ++i) {
    const double x = 0.0387752913 * (in8[i] + 2);
    EXPECT_NEAR(got8[i], clamp(llround(256.0 / (1.0 + exp(-x))) - 128, -128, 127), 1) << x;
  }

  const std::vector<int16_t> in16 = {-32768, -4096, -1, 0, 1, 4096, 20000, 32767};
  const auto model16 = unary_model(schema::BuiltinOp::kLogistic, {"x", DType::kInt16, {8}, {1.0f / 4096}, {0}},
                                   {"y", DType::kInt16, {8}, {1.0f / 32768}, {0}});
  RunResult r16 = run_model(model16, {bytes_of(in16)});
  ASSERT_TRUE(r16.ok()) << r16.error;
  const std::vector<int16_t> got16 = r16.output<int16_t>(0);
  for (size_t i = 0; i < in16.size(); ++i)
    EXPECT_NEAR(got16[i], fmin(32767, 32768.0 / (1.0 + exp(-in16[i] / 4096.0))), 2) << in16[i];

  const std::vector<float> inf = {-30.0f, -9.5f, -1.0f, 0.0f, 2.0f, 17.0f};
  const auto modelf =
      unary_model(schema::BuiltinOp::kLogistic, {"x", DType::kFloat32, {6}}, {"y", DType::kFloat32, {6}});
  RunResult rf = run_model(modelf, {bytes_of(inf)});
  ASSERT_TRUE(rf.ok()) << rf.error;
  const std::vector<float> gotf = rf.output<float>(0);
  for (size_t i = 0; i < inf.size(); ++i) EXPECT_NEAR(gotf[i], 1.0 / (1.0 + exp(-double(inf[i]))), 1e-6);
}

TEST(LogisticOp, RejectsBadQuantization) {
  const auto bad_zp = unary_model(schema::BuiltinOp::kLogistic, {"x", DType::kInt8, {4}, {0.1f}, {0}},
                                  {"y", DType::kInt8, {4}, {1.0f / 256}, {0}});
  RunResult r = run_model(bad_zp, {std::vector<uint8_t>(4)});
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("-128"), std::string::npos) << r.error;
  const auto bad16 = unary_model(schema::BuiltinOp::kLogistic, {"x", DType::kInt16, {4}, {1.0f / 4096}, {0}},
                                 {"y", DType::kInt16, {4}, {1.0f / 1000}, {0}});
  EXPECT_FALSE(run_model(bad16, {std::vector<uint8_t>(8)}).ok());
  const auto mixed = unary_model(schema::BuiltinOp::kLogistic, {"x", DType::kInt8, {4}, {0.1f}, {0}},
                                 {"y", DType::kInt16, {4}, {1.0f / 32768}, {0}});
  EXPECT_FALSE(run_model(mixed, {std::vector<uint8_t>(4)}).ok());
}

TEST(TanhOp, Int8Int16AndFloatModels) {
  std::vector<int8_t> in8(256);
  for (int i = 0; i < 256; ++i) in8[i] = int8_t(i - 128);
  const auto model8 = unary_model(schema::BuiltinOp::kTanh, {"x", DType::kInt8, {2, 128}, {0.03f}, {10}},
                                  {"y", DType::kInt8, {2, 128}, {1.0f / 128}, {0}});
  RunResult r8 = run_model(model8, {bytes_of(in8)});
  ASSERT_TRUE(r8.ok()) << r8.error;
  const std::vector<int8_t> got8 = r8.output<int8_t>(0);
  for (int i = 0; i < 256; ++i) {
    const double x = 0.03 * (in8[i] - 10);
    EXPECT_NEAR(got8[i], clamp(llround(128 * ::tanh(x)), -128, 127), 1) << x;
  }

  // Q4.11 input: the power-of-two path with a left shift of one.
  const std::vector<int16_t> in16 = {-32768, -2048, -1, 0, 1, 2048, 10000, 32767};
  const auto model16 = unary_model(schema::BuiltinOp::kTanh, {"x", DType::kInt16, {8}, {1.0f / 2048}, {0}},
                                   {"y", DType::kInt16, {8}, {1.0f / 32768}, {0}});
  RunResult r16 = run_model(model16, {bytes_of(in16)});
  ASSERT_TRUE(r16.ok()) << r16.error;
  const std::vector<int16_t> got16 = r16.output<int16_t>(0);
  for (size_t i = 0; i < in16.size(); ++i)
    EXPECT_NEAR(got16[i], fmax(-32768, fmin(32767, 32768.0 * ::tanh(in16[i] / 2048.0))), 3) << in16[i];

  const std::vector<float> inf = {-3.0f, -0.5f, 0.0f, 0.25f, 9.0f};
  const auto modelf = unary_model(schema::BuiltinOp::kTanh, {"x", DType::kFloat32, {5}}, {"y", DType::kFloat32, {5}});
  RunResult rf = run_model(modelf, {bytes_of(inf)});
  ASSERT_TRUE(rf.ok()) << rf.error;
  const std::vector<float> gotf = rf.output<float>(0);
  for (size_t i = 0; i < inf.size(); ++i) EXPECT_NEAR(gotf[i], ::tanh(double(inf[i])), 1e-6);
}

TEST(TanhOp, RejectsUnsupportedTypes) {
  const auto int32_model = unary_model(schema::BuiltinOp::kTanh, {"x", DType::kInt32, {4}, {1.0f}, {0}},
                                       {"y", DType::kInt32, {4}, {1.0f}, {0}});
  RunResult r = run_model(int32_model, {std::vector<uint8_t>(16)});
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("not supported"), std::string::npos) << r.error;
}

}  // namespace
