// SVDF: the kernels and one-op models against an independent model of the op
// written the other way round (an explicit per-filter history of the last
// memory_size feature activations instead of one shifted buffer), over
// several invokes; TFLM's state-narrowing quirk checked by hand; float
// against double precision; validation in prepare.
#include "kernels/reference/svdf.h"

#include <gtest/gtest.h>
#include <math.h>
#include <stdint.h>

#include <deque>
#include <limits>
#include <random>
#include <vector>

#include "kernels/fixedpoint.h"
#include "op_harness.h"
#include "tools/model_builder.h"

namespace {

using mote::DType;
using mote::tools::ModelBuilder;
using mote::tools::Options;
using mote::tools::TensorSpec;
namespace fp = mote::fixedpoint;
namespace ref = mote::reference;
namespace schema = mote::schema;

struct Shape {
  int32_t batches, input_size, num_filters, rank, memory_size;
  int32_t num_units() const { return num_filters / rank; }
};

ref::SvdfDims dims_of(const Shape& s) {
  ref::SvdfDims d;
  d.batches = s.batches;
  d.input_size = s.input_size;
  d.num_filters = s.num_filters;
  d.num_units = s.num_units();
  d.rank = s.rank;
  d.memory_size = s.memory_size;
  return d;
}

template <typename T>
std::vector<T> random_values(size_t n, int lo, int hi, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> dist(lo, hi);
  std::vector<T> v(n);
  for (T& x : v) x = T(dist(rng));
  return v;
}

// v reduced modulo 2^bits into State's range (two's complement narrowing).
template <typename State>
int32_t narrow(int64_t v) {
  const int64_t lo = std::numeric_limits<State>::min();
  const int64_t span = int64_t(std::numeric_limits<State>::max()) - lo + 1;
  int64_t m = (v - lo) % span;
  if (m < 0) m += span;
  return int32_t(m + lo);
}

// The integer SVDF as TFLM defines it, kept as a history per (batch, filter).
template <typename State>
class IntegerSvdfModel {
 public:
  IntegerSvdfModel(const Shape& s, const ref::SvdfQuantParams& q, std::vector<int8_t> wf, std::vector<State> wt,
                   std::vector<int32_t> bias)
      : s_(s), q_(q), wf_(std::move(wf)), wt_(std::move(wt)), bias_(std::move(bias)) {
    history_.assign(size_t(s.batches * s.num_filters), std::deque<int32_t>(size_t(s.memory_size), q.state_zero_point));
  }

  std::vector<int8_t> step(const std::vector<int8_t>& input) {
    const int32_t lo = std::numeric_limits<State>::min(), hi = std::numeric_limits<State>::max();
    for (int32_t b = 0; b < s_.batches; ++b) {
      for (int32_t f = 0; f < s_.num_filters; ++f) {
        int64_t dot = 0;
        for (int32_t i = 0; i < s_.input_size; ++i)
          dot += int64_t(wf_[f * s_.input_size + i]) * (input[b * s_.input_size + i] - q_.input_zero_point);
        int32_t v = fp::multiply_by_quantized_multiplier(int32_t(dot), q_.feature_multiplier, q_.feature_shift);
        v = v < lo ? lo : (v > hi ? hi : v);
        auto& h = history_[size_t(b * s_.num_filters + f)];
        h.pop_front();
        h.push_back(narrow<State>(int64_t(v) + q_.state_zero_point));
      }
    }
    std::vector<int8_t> out;
    for (int32_t b = 0; b < s_.batches; ++b) {
      for (int32_t u = 0; u < s_.num_units(); ++u) {
        int64_t acc = bias_.empty() ? 0 : bias_[u];
        for (int32_t r = 0; r < s_.rank; ++r) {
          const int32_t f = u * s_.rank + r;
          const auto& h = history_[size_t(b * s_.num_filters + f)];
          for (int32_t t = 0; t < s_.memory_size; ++t)
            acc += int64_t(wt_[f * s_.memory_size + t]) * (h[t] - q_.state_zero_point);
        }
        const int32_t y = fp::multiply_by_quantized_multiplier(int32_t(acc), q_.output_multiplier, q_.output_shift) +
                          q_.output_zero_point;
        out.push_back(fp::saturate<int8_t>(y));
      }
    }
    return out;
  }

  // The state in the op's layout: [batch][filter][time], oldest first.
  std::vector<State> state() const {
    std::vector<State> st;
    for (const auto& h : history_)
      for (int32_t v : h) st.push_back(State(v));
    return st;
  }

 private:
  Shape s_;
  ref::SvdfQuantParams q_;
  std::vector<int8_t> wf_;
  std::vector<State> wt_;
  std::vector<int32_t> bias_;
  std::vector<std::deque<int32_t>> history_;
};

double activate(schema::Activation a, double x) {
  switch (a) {
    case schema::Activation::kRelu:
      return x < 0 ? 0 : x;
    case schema::Activation::kRelu6:
      return x < 0 ? 0 : (x > 6 ? 6 : x);
    case schema::Activation::kReluN1To1:
      return x < -1 ? -1 : (x > 1 ? 1 : x);
    case schema::Activation::kTanh:
      return ::tanh(x);
    default:
      return x;
  }
}

// Float SVDF in double precision.
class FloatSvdfModel {
 public:
  FloatSvdfModel(const Shape& s, schema::Activation act, std::vector<float> wf, std::vector<float> wt,
                 std::vector<float> bias)
      : s_(s), act_(act), wf_(std::move(wf)), wt_(std::move(wt)), bias_(std::move(bias)) {
    history_.assign(size_t(s.batches * s.num_filters), std::deque<double>(size_t(s.memory_size), 0.0));
  }
  std::vector<double> step(const std::vector<float>& input) {
    for (int32_t b = 0; b < s_.batches; ++b)
      for (int32_t f = 0; f < s_.num_filters; ++f) {
        double dot = 0;
        for (int32_t i = 0; i < s_.input_size; ++i)
          dot += double(wf_[f * s_.input_size + i]) * input[b * s_.input_size + i];
        auto& h = history_[size_t(b * s_.num_filters + f)];
        h.pop_front();
        h.push_back(dot);
      }
    std::vector<double> out;
    for (int32_t b = 0; b < s_.batches; ++b)
      for (int32_t u = 0; u < s_.num_units(); ++u) {
        double acc = bias_.empty() ? 0 : bias_[u];
        for (int32_t r = 0; r < s_.rank; ++r) {
          const int32_t f = u * s_.rank + r;
          for (int32_t t = 0; t < s_.memory_size; ++t)
            acc += double(wt_[f * s_.memory_size + t]) * history_[size_t(b * s_.num_filters + f)][t];
        }
        out.push_back(activate(act_, acc));
      }
    return out;
  }

 private:
  Shape s_;
  schema::Activation act_;
  std::vector<float> wf_, wt_, bias_;
  std::vector<std::deque<double>> history_;
};

ref::SvdfQuantParams quant_params(float input_scale, int32_t input_zp, float wf_scale, float wt_scale,
                                  float state_scale, int32_t state_zp, float output_scale, int32_t output_zp) {
  ref::SvdfQuantParams q;
  q.input_zero_point = int8_t(input_zp);
  q.state_zero_point = int16_t(state_zp);
  q.output_zero_point = int8_t(output_zp);
  int shift = 0;
  // TFLM takes both scale products in float.
  fp::quantize_multiplier(double(input_scale * wf_scale / state_scale), &q.feature_multiplier, &shift);
  q.feature_shift = int8_t(shift);
  fp::quantize_multiplier(double(state_scale * wt_scale / output_scale), &q.output_multiplier, &shift);
  q.output_shift = int8_t(shift);
  return q;
}

// --- kernels -------------------------------------------------------------------

template <typename State>
void check_integer_kernel_against_model(const Shape& s, const ref::SvdfQuantParams& q, int weights_time_range,
                                        bool with_bias, uint32_t seed) {
  const ref::SvdfDims d = dims_of(s);
  const auto wf = random_values<int8_t>(size_t(s.num_filters * s.input_size), -127, 127, seed);
  const auto wt =
      random_values<State>(size_t(s.num_filters * s.memory_size), -weights_time_range, weights_time_range, seed + 1);
  const auto bias =
      with_bias ? random_values<int32_t>(size_t(s.num_units()), -20000, 20000, seed + 2) : std::vector<int32_t>();
  IntegerSvdfModel<State> model(s, q, wf, wt, bias);
  std::vector<State> state(size_t(s.batches * s.num_filters * s.memory_size), State(q.state_zero_point));
  for (int step = 0; step < 2 * s.memory_size + 1; ++step) {
    const auto input = random_values<int8_t>(size_t(s.batches * s.input_size), -128, 127, seed + 10 + uint32_t(step));
    std::vector<int8_t> out(size_t(s.batches * s.num_units()));
    if constexpr (sizeof(State) == 2) {
      ref::svdf_int8_state16(d, q, input.data(), wf.data(), wt.data(), with_bias ? bias.data() : nullptr, state.data(),
                             out.data());
    } else {
      ref::svdf_int8_state8(d, q, input.data(), wf.data(), wt.data(), with_bias ? bias.data() : nullptr, state.data(),
                            out.data());
    }
    ASSERT_EQ(out, model.step(input)) << "step " << step;
    ASSERT_EQ(state, model.state()) << "step " << step;
  }
}

TEST(SvdfKernel, Int8WithInt16StateMatchesHistoryModel) {
  const Shape s{2, 7, 6, 2, 4};
  // Scales like keyword_scrambled's first SVDF.
  const ref::SvdfQuantParams q =
      quant_params(0.0592083335f, -128, 0.0091712065f, 0.0037055062f, 0.0043701651f, 0, 0.236183375f, -128);
  check_integer_kernel_against_model<int16_t>(s, q, 20000, true, 11);
  check_integer_kernel_against_model<int16_t>(s, q, 20000, false, 12);
  // A large feature multiplier drives the state into its clamp.
  const ref::SvdfQuantParams loud = quant_params(0.5f, 3, 0.05f, 0.0037f, 0.0001f, 0, 0.5f, 10);
  check_integer_kernel_against_model<int16_t>({1, 9, 3, 1, 5}, loud, 3000, true, 13);
}

TEST(SvdfKernel, Int8WithInt8StateMatchesHistoryModel) {
  const Shape s{2, 5, 8, 4, 3};
  // keyword_scrambled_8bit's first SVDF: state zero point -50.
  const ref::SvdfQuantParams q =
      quant_params(0.0592083335f, -128, 0.0091712065f, 0.0149387335f, 0.807311416f, -50, 0.236183375f, -128);
  check_integer_kernel_against_model<int8_t>(s, q, 127, true, 21);
  const ref::SvdfQuantParams loud = quant_params(0.2f, 0, 0.05f, 0.02f, 0.03f, 40, 0.1f, -3);
  check_integer_kernel_against_model<int8_t>({3, 4, 2, 1, 6}, loud, 127, false, 22);
}

TEST(SvdfKernel, Int8StateIsClampedBeforeTheZeroPointAndWraps) {
  // One filter, memory 2, feature multiplier exactly 1, state zero point -50.
  ref::SvdfDims d;
  d.batches = 1;
  d.input_size = 1;
  d.num_filters = 1;
  d.num_units = 1;
  d.rank = 1;
  d.memory_size = 2;
  ref::SvdfQuantParams q;
  q.state_zero_point = -50;
  int shift = 0;
  fp::quantize_multiplier(1.0, &q.feature_multiplier, &shift);
  q.feature_shift = int8_t(shift);
  fp::quantize_multiplier(1.0 / 128, &q.output_multiplier, &shift);
  q.output_shift = int8_t(shift);
  const int8_t input = 100, weights_feature = -100;
  const int8_t weights_time[2] = {1, 1};
  int8_t state[2] = {-50, -50};
  int8_t output = 0;
  ref::svdf_int8_state8(d, q, &input, &weights_feature, weights_time, nullptr, state, &output);
  // -10000 clamps to -128; -128 + (-50) = -178 wraps to 78 in int8.
  EXPECT_EQ(state[0], -50);
  EXPECT_EQ(state[1], 78);
  // (78 + 50) / 128 = 1.
  EXPECT_EQ(output, 1);

  // The same in an int16 state: -10000 fits, so the state holds -10050.
  const int16_t weights_time16[2] = {1, 1};
  int16_t state16[2] = {-50, -50};
  ref::svdf_int8_state16(d, q, &input, &weights_feature, weights_time16, nullptr, state16, &output);
  EXPECT_EQ(state16[0], -50);
  EXPECT_EQ(state16[1], -10050);
  EXPECT_EQ(output, -78);  // -10000 / 128 = -78.1
}

// n values drawn uniformly from [-1, 1).
std::vector<float> random_floats(std::mt19937& rng, size_t n) {
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::vector<float> v(n);
  for (float& x : v) x = u(rng);
  return v;
}

TEST(SvdfKernel, FloatMatchesDouble) {
  const Shape s{2, 6, 6, 3, 5};
  std::mt19937 rng(31);
  for (schema::Activation act : {schema::Activation::kNone, schema::Activation::kRelu, schema::Activation::kTanh,
                                 schema::Activation::kReluN1To1}) {
    const auto wf = random_floats(rng, size_t(s.num_filters * s.input_size));
    const auto wt = random_floats(rng, size_t(s.num_filters * s.memory_size));
    const auto bias = random_floats(rng, size_t(s.num_units()));
    FloatSvdfModel model(s, act, wf, wt, bias);
    std::vector<float> state(size_t(s.batches * s.num_filters * s.memory_size), 0.0f);
    for (int step = 0; step < 8; ++step) {
      const auto input = random_floats(rng, size_t(s.batches * s.input_size));
      std::vector<float> out(size_t(s.batches * s.num_units()));
      ref::svdf_float(dims_of(s), act, input.data(), wf.data(), wt.data(), bias.data(), state.data(), out.data());
      const std::vector<double> want = model.step(input);
      for (size_t i = 0; i < out.size(); ++i) ASSERT_NEAR(out[i], want[i], 1e-5) << "step " << step;
    }
  }
}

// TFLM's float time step as written there: each filter's sum into a buffer,
// then the output starts from the bias and adds the unit's filters in order.
std::vector<float> float_time_step_in_tflm_order(const Shape& s, const std::vector<float>& wt,
                                                 const std::vector<float>& bias, const std::vector<float>& state) {
  std::vector<float> filters(size_t(s.batches * s.num_filters));
  for (int32_t b = 0; b < s.batches; ++b)
    for (int32_t f = 0; f < s.num_filters; ++f) {
      float& sum = filters[size_t(b * s.num_filters + f)];
      sum = 0.0f;
      for (int32_t t = 0; t < s.memory_size; ++t)
        sum += wt[size_t(f * s.memory_size + t)] * state[size_t((b * s.num_filters + f) * s.memory_size + t)];
    }
  std::vector<float> out(size_t(s.batches * s.num_units()));
  for (int32_t b = 0; b < s.batches; ++b)
    for (int32_t u = 0; u < s.num_units(); ++u) {
      float& o = out[size_t(b * s.num_units() + u)];
      o = bias[size_t(u)];
      for (int32_t r = 0; r < s.rank; ++r) o += filters[size_t(b * s.num_filters + u * s.rank + r)];
    }
  return out;
}

TEST(SvdfKernel, FloatSumsInTflmOrder) {
  // Values of very different magnitudes, so another order of additions would
  // round differently somewhere.
  const Shape s{2, 3, 12, 4, 7};
  std::mt19937 rng(71);
  std::uniform_real_distribution<float> mantissa(-1.0f, 1.0f);
  std::uniform_int_distribution<int> exponent(-12, 12);
  auto spread = [&](size_t n) {
    std::vector<float> v(n);
    for (float& x : v) x = ldexpf(mantissa(rng), exponent(rng));
    return v;
  };
  const auto wf = spread(size_t(s.num_filters * s.input_size));
  const auto wt = spread(size_t(s.num_filters * s.memory_size));
  const auto bias = spread(size_t(s.num_units()));
  std::vector<float> state(size_t(s.batches * s.num_filters * s.memory_size), 0.0f);
  int differs_from_one_sum = 0;
  for (int step = 0; step < 2 * s.memory_size; ++step) {
    const auto input = spread(size_t(s.batches * s.input_size));
    std::vector<float> out(size_t(s.batches * s.num_units()));
    ref::svdf_float(dims_of(s), schema::Activation::kNone, input.data(), wf.data(), wt.data(), bias.data(),
                    state.data(), out.data());
    const std::vector<float> want = float_time_step_in_tflm_order(s, wt, bias, state);
    ASSERT_EQ(out.size(), want.size());
    for (size_t i = 0; i < out.size(); ++i) ASSERT_EQ(out[i], want[i]) << "step " << step << " output " << i;
    // The check has teeth: one running sum over the unit's products rounds
    // differently for some outputs.
    for (int32_t b = 0; b < s.batches; ++b)
      for (int32_t u = 0; u < s.num_units(); ++u) {
        float acc = bias[size_t(u)];
        for (int32_t k = 0; k < s.rank * s.memory_size; ++k)
          acc += wt[size_t(u * s.rank * s.memory_size + k)] *
                 state[size_t((b * s.num_filters + u * s.rank) * s.memory_size + k)];
        differs_from_one_sum += acc != out[size_t(b * s.num_units() + u)];
      }
  }
  EXPECT_GT(differs_from_one_sum, 0);
}

// --- one-op models --------------------------------------------------------------

struct IntegerModelSpec {
  Shape shape;
  DType state_type;
  float input_scale;
  int32_t input_zp;
  float wf_scale, wt_scale, state_scale;
  int32_t state_zp;
  float output_scale;
  int32_t output_zp;
  bool with_bias;
  int weights_time_range;
};

template <typename State>
void check_integer_model(const IntegerModelSpec& m, uint32_t seed) {
  const Shape& s = m.shape;
  const auto wf = random_values<int8_t>(size_t(s.num_filters * s.input_size), -127, 127, seed);
  const auto wt = random_values<State>(size_t(s.num_filters * s.memory_size), -m.weights_time_range,
                                       m.weights_time_range, seed + 1);
  const auto bias = random_values<int32_t>(size_t(s.num_units()), -2000, 2000, seed + 2);

  ModelBuilder b;
  const int in = b.add_tensor({"in", DType::kInt8, {s.batches, s.input_size}, {m.input_scale}, {m.input_zp}});
  const int wf_t = b.add_tensor(
      TensorSpec::constant<int8_t>("wf", DType::kInt8, {s.num_filters, s.input_size}, wf, {m.wf_scale}, {0}));
  const int wt_t = b.add_tensor(
      TensorSpec::constant<State>("wt", m.state_type, {s.num_filters, s.memory_size}, wt, {m.wt_scale}, {0}));
  const int bias_t = m.with_bias ? b.add_tensor(TensorSpec::constant<int32_t>("bias", DType::kInt32, {s.num_units()},
                                                                              bias, {m.state_scale * m.wt_scale}, {0}))
                                 : -1;
  TensorSpec state{"state", m.state_type, {s.batches, s.memory_size * s.num_filters}, {m.state_scale}, {m.state_zp}};
  state.is_variable = true;
  const int st = b.add_tensor(state);
  const int out = b.add_tensor({"out", DType::kInt8, {s.batches, s.num_units()}, {m.output_scale}, {m.output_zp}});
  // RELU is ignored by TFLM's integer SVDF; the int8 clamp is all there is.
  b.add_operator(schema::BuiltinOp::kSvdf, {in, wf_t, wt_t, bias_t, st}, {out},
                 Options(schema::OptionsType::kSvdf)
                     .i32(schema::svdf_options::rank, s.rank)
                     .i8(schema::svdf_options::fused_activation_function, int8_t(schema::Activation::kRelu)),
                 3);
  b.set_inputs({in});
  b.set_outputs({out});

  const ref::SvdfQuantParams q = quant_params(m.input_scale, m.input_zp, m.wf_scale, m.wt_scale, m.state_scale,
                                              m.state_zp, m.output_scale, m.output_zp);
  IntegerSvdfModel<State> model(s, q, wf, wt, m.with_bias ? bias : std::vector<int32_t>());
  std::vector<std::vector<std::vector<uint8_t>>> steps;
  std::vector<std::vector<int8_t>> inputs;
  for (int k = 0; k < 2 * s.memory_size + 2; ++k) {
    inputs.push_back(random_values<int8_t>(size_t(s.batches * s.input_size), -128, 127, seed + 100 + uint32_t(k)));
    steps.push_back({bytes_of(inputs.back())});
  }
  const std::vector<RunResult> results = run_model_steps(b.serialize(), steps);
  ASSERT_EQ(results.size(), steps.size());
  bool saw_negative = false, saw_positive = false;
  for (size_t k = 0; k < steps.size(); ++k) {
    ASSERT_TRUE(results[k].ok()) << results[k].error;
    const std::vector<int8_t> want = model.step(inputs[k]);
    ASSERT_EQ(results[k].output<int8_t>(0), want) << "step " << k;
    for (int8_t v : want) {
      saw_negative |= v < m.output_zp && v > -128;
      saw_positive |= v > m.output_zp && v < 127;
    }
  }
  // The data should reach unsaturated values on both sides of zero (so RELU
  // being ignored is exercised).
  EXPECT_TRUE(saw_negative);
  EXPECT_TRUE(saw_positive);
}

TEST(SvdfOp, Int8WithInt16StateOverSeveralInvokes) {
  check_integer_model<int16_t>(
      {{1, 10, 8, 1, 4}, DType::kInt16, 0.06f, -128, 0.009f, 0.0037f, 0.0044f, 0, 0.5f, 0, true, 300}, 41);
  check_integer_model<int16_t>(
      {{2, 6, 6, 3, 3}, DType::kInt16, 0.1f, 5, 0.01f, 0.002f, 0.003f, 0, 0.5f, -10, false, 300}, 42);
}

TEST(SvdfOp, Int8WithInt8StateOverSeveralInvokes) {
  check_integer_model<int8_t>(
      {{1, 10, 8, 2, 4}, DType::kInt8, 0.06f, -128, 0.009f, 0.015f, 0.8f, -50, 2.0f, 0, true, 127}, 51);
  check_integer_model<int8_t>({{2, 5, 4, 1, 5}, DType::kInt8, 0.1f, 0, 0.02f, 0.02f, 0.05f, 25, 1.0f, 3, true, 127},
                              52);
}

TEST(SvdfOp, FloatOverSeveralInvokes) {
  const Shape s{2, 4, 6, 2, 3};
  std::mt19937 rng(61);
  const auto wf = random_floats(rng, size_t(s.num_filters * s.input_size));
  const auto wt = random_floats(rng, size_t(s.num_filters * s.memory_size));
  const auto bias = random_floats(rng, size_t(s.num_units()));
  ModelBuilder b;
  const int in = b.add_tensor({"in", DType::kFloat32, {s.batches, s.input_size}});
  const int wf_t = b.add_tensor(TensorSpec::constant<float>("wf", DType::kFloat32, {s.num_filters, s.input_size}, wf));
  const int wt_t = b.add_tensor(TensorSpec::constant<float>("wt", DType::kFloat32, {s.num_filters, s.memory_size}, wt));
  const int bias_t = b.add_tensor(TensorSpec::constant<float>("bias", DType::kFloat32, {s.num_units()}, bias));
  TensorSpec state{"state", DType::kFloat32, {s.batches, s.memory_size * s.num_filters}};
  state.is_variable = true;
  const int st = b.add_tensor(state);
  const int out = b.add_tensor({"out", DType::kFloat32, {s.batches, s.num_units()}});
  b.add_operator(schema::BuiltinOp::kSvdf, {in, wf_t, wt_t, bias_t, st}, {out},
                 Options(schema::OptionsType::kSvdf)
                     .i32(schema::svdf_options::rank, s.rank)
                     .i8(schema::svdf_options::fused_activation_function, int8_t(schema::Activation::kRelu6)),
                 1);
  b.set_inputs({in});
  b.set_outputs({out});

  FloatSvdfModel model(s, schema::Activation::kRelu6, wf, wt, bias);
  std::vector<std::vector<std::vector<uint8_t>>> steps;
  std::vector<std::vector<float>> inputs;
  for (int k = 0; k < 6; ++k) {
    inputs.push_back(random_floats(rng, size_t(s.batches * s.input_size)));
    steps.push_back({bytes_of(inputs.back())});
  }
  const std::vector<RunResult> results = run_model_steps(b.serialize(), steps);
  ASSERT_EQ(results.size(), steps.size());
  for (size_t k = 0; k < steps.size(); ++k) {
    ASSERT_TRUE(results[k].ok()) << results[k].error;
    const std::vector<float> got = results[k].output<float>(0);
    const std::vector<double> want = model.step(inputs[k]);
    ASSERT_EQ(got.size(), want.size());
    for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-5) << "step " << k;
  }
}

// A float SVDF model with one thing changed, for the validation tests.
struct FloatModelKnobs {
  int32_t rank = 1;
  bool state_variable = true;
  int32_t state_width = 12;  // memory 3 * 4 filters
  DType weights_time_type = DType::kFloat32;
};

std::vector<uint8_t> float_model(const FloatModelKnobs& k) {
  ModelBuilder b;
  const int in = b.add_tensor({"in", DType::kFloat32, {1, 2}});
  const int wf = b.add_tensor(TensorSpec::constant<float>("wf", DType::kFloat32, {4, 2}, std::vector<float>(8, 0.5f)));
  const int wt =
      k.weights_time_type == DType::kFloat32
          ? b.add_tensor(TensorSpec::constant<float>("wt", DType::kFloat32, {4, 3}, std::vector<float>(12, 1)))
          : b.add_tensor(
                TensorSpec::constant<int16_t>("wt", DType::kInt16, {4, 3}, std::vector<int16_t>(12, 1), {0.1f}, {0}));
  TensorSpec state{"state", DType::kFloat32, {1, k.state_width}};
  state.is_variable = k.state_variable;
  if (!k.state_variable) {
    std::vector<float> zeros(size_t(k.state_width), 0.0f);
    state = TensorSpec::constant<float>("state", DType::kFloat32, {1, k.state_width}, zeros);
  }
  const int st = b.add_tensor(state);
  const int out = b.add_tensor({"out", DType::kFloat32, {1, 4 / (k.rank > 0 ? k.rank : 1)}});
  b.add_operator(schema::BuiltinOp::kSvdf, {in, wf, wt, -1, st}, {out},
                 Options(schema::OptionsType::kSvdf).i32(schema::svdf_options::rank, k.rank), 1);
  b.set_inputs({in});
  b.set_outputs({out});
  return b.serialize();
}

TEST(SvdfOp, ValidModelWithoutBiasRuns) {
  // wf rows . [1, 1] = 1 per filter; time weights all 1 over memory 3.
  const auto model = float_model(FloatModelKnobs());
  const std::vector<RunResult> r =
      run_model_steps(model, {{bytes_of<float>({1.0f, 1.0f})}, {bytes_of<float>({2.0f, 0.0f})}});
  ASSERT_EQ(r.size(), 2u);
  ASSERT_TRUE(r[0].ok()) << r[0].error;
  EXPECT_EQ(r[0].output<float>(0), std::vector<float>(4, 1.0f));
  ASSERT_TRUE(r[1].ok()) << r[1].error;
  EXPECT_EQ(r[1].output<float>(0), std::vector<float>(4, 2.0f));  // 1 + 1 from the history
}

TEST(SvdfOp, RejectsInconsistentModels) {
  FloatModelKnobs rank3;
  rank3.rank = 3;  // 4 filters
  RunResult r = run_model(float_model(rank3), {bytes_of<float>({0, 0})});
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("rank"), std::string::npos) << r.error;

  FloatModelKnobs constant_state;
  constant_state.state_variable = false;
  r = run_model(float_model(constant_state), {bytes_of<float>({0, 0})});
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("variable"), std::string::npos) << r.error;

  FloatModelKnobs wrong_state;
  wrong_state.state_width = 10;
  EXPECT_FALSE(run_model(float_model(wrong_state), {bytes_of<float>({0, 0})}).ok());

  FloatModelKnobs mixed_types;
  mixed_types.weights_time_type = DType::kInt16;
  EXPECT_FALSE(run_model(float_model(mixed_types), {bytes_of<float>({0, 0})}).ok());
}

}  // namespace
