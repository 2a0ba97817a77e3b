// UNIDIRECTIONAL_SEQUENCE_LSTM: the int16 sigmoid/tanh, the reference
// kernels (hand-checked steps, float against a plain double-precision LSTM,
// int8 against the dequantized float LSTM), the op through one-op models,
// and every LSTM node of the shared conformance models replayed on its own
// against the TFLM tensor dumps.
#include <gtest/gtest.h>
#include <math.h>
#include <string.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "kernels/fixedpoint.h"
#include "kernels/integer_activations.h"
#include "kernels/reference/lstm.h"
#include "mote/interpreter.h"
#include "mote/model.h"
#include "mote/op_resolver.h"
#include "mote/ops.h"
#include "op_harness.h"
#include "tools/model_builder.h"

namespace {

using mote::DType;
using mote::reference::LstmShape;
using mote::tools::ModelBuilder;
using mote::tools::Options;
using mote::tools::TensorSpec;
namespace integer_activations = mote::integer_activations;
namespace lstm_opt = mote::schema::unidirectional_sequence_lstm_options;

// ---------------------------------------------------------------------------
// int16 sigmoid / tanh

int16_t sigmoid16(int16_t x, int32_t multiplier = 0, int32_t shift = 0) {
  int16_t y;
  integer_activations::sigmoid_int16(&x, &y, 1, multiplier, shift);
  return y;
}
int16_t tanh16(int16_t x, int32_t multiplier = 0, int32_t shift = 0) {
  int16_t y;
  integer_activations::tanh_int16(&x, &y, 1, multiplier, shift);
  return y;
}

TEST(LstmIntegerActivations, TableIsSigmoidOfIOver24) {
  // Within about one unit of the function it tabulates, and non-decreasing.
  for (int i = 0; i < 256; ++i) {
    const double want = 65536.0 / (1.0 + exp(-i / 24.0));
    EXPECT_NEAR(double(integer_activations::kSigmoidTable[i]), std::min(want, 65535.0), 1.2) << i;
    if (i > 0) EXPECT_GE(integer_activations::kSigmoidTable[i], integer_activations::kSigmoidTable[i - 1]);
  }
}

TEST(LstmIntegerActivations, HandCheckedPoints) {
  EXPECT_EQ(sigmoid16(0), 16384);  // 0.5
  EXPECT_EQ(tanh16(0), 0);
  // x = 1.0 in Q3.12 lands exactly on table entry 24 (sigmoid) / 48 (tanh):
  // sigmoid: (47911 * 512 + 512) >> 10 = 23956; tanh: (57724 * 256 - 2^23 + 128) >> 8 = 24956.
  EXPECT_EQ(sigmoid16(4096), 23956);
  EXPECT_EQ(tanh16(4096), 24956);
  // sigmoid(-x) = 1 - sigmoid(x), tanh(-x) = -tanh(x) (exact at table points).
  EXPECT_EQ(sigmoid16(-4096), 32768 - 23956);
  EXPECT_EQ(tanh16(-4096), -24956);
  // Ends of the Q3.12 range. sigmoid(8) is still interpolated (entry 191);
  // tanh saturates from entry 255 on, to +-32767.
  EXPECT_EQ(sigmoid16(32767), 32757);
  EXPECT_EQ(sigmoid16(-32768), 11);
  EXPECT_EQ(tanh16(32767), 32767);
  EXPECT_EQ(tanh16(-32768), -32767);
}

TEST(LstmIntegerActivations, CloseToTheFunctionsOverTheRange) {
  for (int32_t x = -32768; x <= 32767; x += 7) {
    const double real = x / 4096.0;
    EXPECT_NEAR(sigmoid16(int16_t(x)) / 32768.0, 1.0 / (1.0 + exp(-real)), 2e-4) << x;
    EXPECT_NEAR(tanh16(int16_t(x)) / 32768.0, tanh(real), 4e-4) << x;
  }
}

TEST(LstmIntegerActivations, InputScaling) {
  // Power-of-two scale 2^-11 (Q4.11): left shift 1 doubles the input.
  EXPECT_EQ(tanh16(2048, 0, 1), tanh16(4096));
  EXPECT_EQ(sigmoid16(2048, 0, 1), sigmoid16(4096));
  // Scale 2^-15 (Q0.15): multiplier 3 with a rounding right shift by 3.
  for (int32_t x = -32768; x <= 32767; x += 101) {
    EXPECT_NEAR(tanh16(int16_t(x), 3, 3) / 32768.0, tanh(x / 32768.0), 4e-4) << x;
  }
  // In place.
  int16_t v[3] = {0, 4096, -4096};
  integer_activations::tanh_int16(v, v, 3, 0, 0);
  EXPECT_EQ(v[0], 0);
  EXPECT_EQ(v[1], 24956);
  EXPECT_EQ(v[2], -24956);
}

// ---------------------------------------------------------------------------
// A plain LSTM in double precision, for comparison. Weights indexed
// [gate][state][in]; gates in TFLite's input order (input, forget, cell, output).

struct PlainLstm {
  int batches, time_steps, input_size, state_size;
  bool time_major;
  std::vector<double> w[4], r[4], b[4];
  double cell_clip = 0;

  // input / output in the op's layout; h, c updated in place.
  void run(const std::vector<double>& input, std::vector<double>& h, std::vector<double>& c,
           std::vector<double>& output) const {
    output.assign(size_t(batches) * time_steps * state_size, 0.0);
    for (int t = 0; t < time_steps; ++t) {
      for (int bt = 0; bt < batches; ++bt) {
        const size_t in_row = time_major ? size_t(t) * batches + bt : size_t(bt) * time_steps + t;
        const double* x = &input[in_row * input_size];
        double* hb = &h[size_t(bt) * state_size];
        double* cb = &c[size_t(bt) * state_size];
        std::vector<double> gate[4];
        for (int g = 0; g < 4; ++g) {
          gate[g].resize(state_size);
          for (int o = 0; o < state_size; ++o) {
            double acc = b[g][o];
            for (int d = 0; d < input_size; ++d) acc += w[g][size_t(o) * input_size + d] * x[d];
            for (int d = 0; d < state_size; ++d) acc += r[g][size_t(o) * state_size + d] * hb[d];
            gate[g][o] = g == 2 ? tanh(acc) : 1.0 / (1.0 + exp(-acc));
          }
        }
        for (int o = 0; o < state_size; ++o) {
          double cell = gate[1][o] * cb[o] + gate[0][o] * gate[2][o];
          if (cell_clip > 0) cell = std::max(-cell_clip, std::min(cell_clip, cell));
          cb[o] = cell;
          hb[o] = gate[3][o] * tanh(cell);
          output[in_row * state_size + o] = hb[o];
        }
      }
    }
  }
};

PlainLstm random_plain_lstm(std::mt19937& rng, int batches, int time_steps, int input_size, int state_size,
                            bool time_major, double weight_range) {
  PlainLstm m{batches, time_steps, input_size, state_size, time_major, {}, {}, {}, 0.0};
  std::uniform_real_distribution<double> u(-weight_range, weight_range);
  for (int g = 0; g < 4; ++g) {
    m.w[g].resize(size_t(state_size) * input_size);
    m.r[g].resize(size_t(state_size) * state_size);
    m.b[g].resize(state_size);
    for (auto& v : m.w[g]) v = u(rng);
    for (auto& v : m.r[g]) v = u(rng);
    for (auto& v : m.b[g]) v = u(rng);
  }
  return m;
}

template <typename T>
std::vector<T> cast_all(const std::vector<double>& v) {
  return std::vector<T>(v.begin(), v.end());
}

// ---------------------------------------------------------------------------
// Float kernel

void check_float_kernel(bool time_major, float cell_clip, int state_size = 4) {
  std::mt19937 rng(7);
  const int S = state_size;
  PlainLstm plain = random_plain_lstm(rng, 2, 5, 3, S, time_major, 0.8);
  plain.cell_clip = cell_clip;
  std::vector<float> wf[4], rf[4], bf[4];
  mote::reference::LstmParamsFloat params;
  params.shape = LstmShape{2, 5, 3, S, time_major};
  params.cell_clip = cell_clip;
  for (int g = 0; g < 4; ++g) {
    wf[g] = cast_all<float>(plain.w[g]);
    rf[g] = cast_all<float>(plain.r[g]);
    bf[g] = cast_all<float>(plain.b[g]);
    // The plain model must see exactly the float weights.
    plain.w[g].assign(wf[g].begin(), wf[g].end());
    plain.r[g].assign(rf[g].begin(), rf[g].end());
    plain.b[g].assign(bf[g].begin(), bf[g].end());
    params.gates[g] = {wf[g].data(), rf[g].data(), bf[g].data()};
  }
  std::uniform_real_distribution<float> u(-2.0f, 2.0f);
  std::vector<float> input(2 * 5 * 3), h(size_t(2 * S)), c(size_t(2 * S));
  for (auto& v : input) v = u(rng);
  for (auto& v : h) v = u(rng) * 0.5f;
  for (auto& v : c) v = u(rng) * 3.0f;

  std::vector<double> hd(h.begin(), h.end()), cd(c.begin(), c.end()), out_d;
  plain.run(std::vector<double>(input.begin(), input.end()), hd, cd, out_d);

  std::vector<float> output(size_t(2 * 5 * S), -99.0f);
  std::vector<float> scratch(mote::reference::lstm_scratch_elements(params.shape));
  mote::reference::lstm_float(params, input.data(), h.data(), c.data(), output.data(), scratch.data());
  for (size_t i = 0; i < output.size(); ++i) EXPECT_NEAR(output[i], out_d[i], 2e-5) << i;
  for (size_t i = 0; i < h.size(); ++i) {
    EXPECT_NEAR(h[i], hd[i], 2e-5) << i;
    EXPECT_NEAR(c[i], cd[i], 2e-5) << i;
  }
}

TEST(LstmFloatKernel, MatchesPlainLstmBatchMajor) { check_float_kernel(false, 0.0f); }
TEST(LstmFloatKernel, MatchesPlainLstmTimeMajor) { check_float_kernel(true, 0.0f); }
TEST(LstmFloatKernel, CellClip) { check_float_kernel(false, 0.7f); }
// Several chunks of cells, the last one shorter (17 = 9 + 8, 37 = 13 + 13 + 11).
TEST(LstmFloatKernel, MatchesPlainLstmOverChunks) {
  for (const int state_size : {17, 37}) {
    SCOPED_TRACE(state_size);
    check_float_kernel(false, 0.0f, state_size);
    check_float_kernel(true, 0.9f, state_size);
  }
}

TEST(LstmFloatKernel, HandCheckedStep) {
  // One unit, zero weights: the gates are the activations of the biases.
  std::vector<float> zero(1, 0.0f), b_in{0.0f}, b_forget{1.0f}, b_cell{0.5f}, b_out{-1.0f};
  mote::reference::LstmParamsFloat params;
  params.shape = LstmShape{1, 1, 1, 1, false};
  params.gates[0] = {zero.data(), zero.data(), b_in.data()};
  params.gates[1] = {zero.data(), zero.data(), b_forget.data()};
  params.gates[2] = {zero.data(), zero.data(), b_cell.data()};
  params.gates[3] = {zero.data(), zero.data(), b_out.data()};
  float input = 3.0f, h = 0.25f, c = 2.0f, out = 0.0f;
  std::vector<float> scratch(4);
  mote::reference::lstm_float(params, &input, &h, &c, &out, scratch.data());
  const double sig1 = 1.0 / (1.0 + exp(-1.0)), sigm1 = 1.0 / (1.0 + exp(1.0));
  const double want_c = sig1 * 2.0 + 0.5 * tanh(0.5);
  EXPECT_NEAR(c, want_c, 1e-6);
  EXPECT_NEAR(h, sigm1 * tanh(want_c), 1e-6);
  EXPECT_EQ(out, h);
}

// ---------------------------------------------------------------------------
// Chunks of cells: the kernels run a step lstm_chunk_cells() cells at a time.

TEST(LstmChunks, FewestEqualChunksOfAtMostSixteenCells) {
  const auto chunk = [](int32_t state_size) {
    return mote::reference::lstm_chunk_cells(LstmShape{1, 1, 1, state_size, false});
  };
  EXPECT_EQ(chunk(1), 1);
  EXPECT_EQ(chunk(5), 5);
  EXPECT_EQ(chunk(16), 16);
  EXPECT_EQ(chunk(17), 9);
  EXPECT_EQ(chunk(20), 10);   // mnist_lstm
  EXPECT_EQ(chunk(37), 13);
  EXPECT_EQ(chunk(80), 16);   // micro_speech_lstm
  EXPECT_EQ(chunk(128), 16);  // dtln_noise_suppression
  EXPECT_EQ(chunk(129), 15);
  EXPECT_EQ(mote::reference::lstm_scratch_elements(LstmShape{3, 4, 7, 20, true}), 4 * 10);
}

// One int8 step over the whole state at once, the order TFLM computes it in
// (each gate over every cell, then the cells, then the hidden state): what
// the chunked kernel must reproduce.
void whole_state_int8_step(const mote::reference::LstmParamsInt8& p, const int8_t* x, int8_t* h, int16_t* c,
                           int8_t* out) {
  using mote::fixedpoint::multiply_by_quantized_multiplier;
  using mote::fixedpoint::saturate;
  const int32_t n = p.shape.state_size;
  std::vector<int16_t> gate[4];
  for (int g = 0; g < 4; ++g) {
    gate[g].resize(size_t(n));
    mote::reference::lstm_gate_preactivation_int8(p, p.gates[g], x, h, 0, n, gate[g].data());
    if (g == mote::reference::kLstmCellGate) {
      integer_activations::tanh_int16(gate[g].data(), gate[g].data(), n, 0, 0);
    } else {
      integer_activations::sigmoid_int16(gate[g].data(), gate[g].data(), n, 0, 0);
    }
  }
  const auto& in = gate[mote::reference::kLstmInputGate];
  const auto& forget = gate[mote::reference::kLstmForgetGate];
  const auto& cell = gate[mote::reference::kLstmCellGate];
  const auto& output = gate[mote::reference::kLstmOutputGate];
  for (int32_t i = 0; i < n; ++i) {
    const int32_t kept = saturate<int16_t>(
        multiply_by_quantized_multiplier(int32_t(forget[i]) * c[i], p.forget_cell_multiplier, p.forget_cell_shift));
    const int32_t added = saturate<int16_t>(
        multiply_by_quantized_multiplier(int32_t(in[i]) * cell[i], p.input_cell_multiplier, p.input_cell_shift));
    int16_t updated = int16_t(saturate<int16_t>(kept + added));
    if (p.use_cell_clip) updated = std::max(std::min(p.cell_clip, updated), int16_t(-p.cell_clip));
    c[i] = updated;
  }
  std::vector<int16_t> cell_tanh(static_cast<size_t>(n));
  integer_activations::tanh_int16(c, cell_tanh.data(), n, p.cell_tanh_multiplier, p.cell_tanh_left_shift);
  for (int32_t i = 0; i < n; ++i) {
    h[i] = int8_t(saturate<int8_t>(p.hidden_zero_point + multiply_by_quantized_multiplier(
                                                             int32_t(cell_tanh[i]) * output[i], p.hidden_multiplier,
                                                             p.hidden_shift)));
    out[i] = h[i];
  }
}

// The chunked int8 kernel against whole_state_int8_step over a sequence, for
// states shorter than a chunk, of exactly one, and of several chunks with a
// shorter last one; batch-major and time-major, with and without cell clip.
TEST(LstmChunks, Int8KernelEqualsWholeStateSteps) {
  std::mt19937 rng(31);
  const auto quantized = [&](double lo, double hi, int32_t* multiplier, int32_t* shift) {
    int s = 0;
    mote::fixedpoint::quantize_multiplier(std::uniform_real_distribution<double>(lo, hi)(rng), multiplier, &s);
    *shift = s;
  };
  for (const int32_t state_size : {5, 16, 17, 37}) {
    for (const bool time_major : {false, true}) {
      SCOPED_TRACE("state " + std::to_string(state_size) + (time_major ? " time-major" : " batch-major"));
      mote::reference::LstmParamsInt8 p;
      p.shape = LstmShape{2, 4, 11, state_size, time_major};
      std::vector<int8_t> weights[8];
      std::vector<int32_t> biases[4];
      for (int g = 0; g < 4; ++g) {
        weights[g].resize(size_t(state_size) * 11);
        weights[4 + g].resize(size_t(state_size) * state_size);
        biases[g].resize(size_t(state_size));
        for (auto* w : {&weights[g], &weights[4 + g]})
          for (int8_t& v : *w) v = int8_t(int(rng() % 256) - 128);
        for (int32_t& v : biases[g]) v = int32_t(rng() % 60001) - 30000;
        p.gates[g] = {weights[g].data(), weights[4 + g].data(), biases[g].data(), 0, 0, 0, 0};
        quantized(0.5, 1.0, &p.gates[g].input_multiplier, &p.gates[g].input_shift);
        p.gates[g].input_shift -= 2;  // typical products of ~2^15 land across the Q3.12 range
        quantized(0.5, 1.0, &p.gates[g].recurrent_multiplier, &p.gates[g].recurrent_shift);
        p.gates[g].recurrent_shift -= 3;
      }
      p.input_offset = 11;
      p.hidden_offset = -3;
      p.hidden_zero_point = 3;
      int s = 0;
      mote::fixedpoint::quantize_multiplier(1.0 / 32768.0, &p.forget_cell_multiplier, &s);
      p.forget_cell_shift = s;
      mote::fixedpoint::quantize_multiplier(1.0 / (1 << 18), &p.input_cell_multiplier, &s);
      p.input_cell_shift = s;
      mote::fixedpoint::quantize_multiplier(1.0 / (1 << 23), &p.hidden_multiplier, &s);
      p.hidden_shift = s;
      p.cell_tanh_left_shift = 1;
      p.use_cell_clip = state_size % 2 == 1;
      p.cell_clip = 6000;

      const int32_t rows = p.shape.batches * p.shape.time_steps;
      std::vector<int8_t> input(size_t(rows) * 11);
      for (int8_t& v : input) v = int8_t(int(rng() % 256) - 128);
      std::vector<int8_t> h0(size_t(2 * state_size));
      std::vector<int16_t> c0(size_t(2 * state_size));
      for (int8_t& v : h0) v = int8_t(int(rng() % 256) - 128);
      for (int16_t& v : c0) v = int16_t(int(rng() % 16001) - 8000);

      std::vector<int8_t> h = h0, out(size_t(rows) * state_size);
      std::vector<int16_t> c = c0, scratch(size_t(mote::reference::lstm_scratch_elements(p.shape)));
      mote::reference::lstm_int8(p, input.data(), h.data(), c.data(), out.data(), scratch.data());

      std::vector<int8_t> want_h = h0, want_out(out.size());
      std::vector<int16_t> want_c = c0;
      for (int32_t r = 0; r < rows; ++r) {
        const int32_t batch = time_major ? r % 2 : r / p.shape.time_steps;
        whole_state_int8_step(p, &input[size_t(r) * 11], &want_h[size_t(batch) * state_size],
                              &want_c[size_t(batch) * state_size], &want_out[size_t(r) * state_size]);
      }
      EXPECT_EQ(out, want_out);
      EXPECT_EQ(h, want_h);
      EXPECT_EQ(c, want_c);
      // The gates and cells vary: the comparison is not between saturated ends.
      EXPECT_GT(std::set<int8_t>(out.begin(), out.end()).size(), 20u);
      EXPECT_GT(std::set<int16_t>(c.begin(), c.end()).size(), size_t(state_size));
    }
  }
}

// ---------------------------------------------------------------------------
// int8 kernel, hand-checked: one unit, zero weights, input scale x weight
// scale = 2^-12 so every bias is its gate's Q3.12 pre-activation; cell state
// scale 2^-11, hidden scale 2^-7 with zero point 5.

mote::reference::LstmParamsInt8 hand_checked_int8_params(const int8_t* zero_w, const int32_t* biases) {
  mote::reference::LstmParamsInt8 p;
  p.shape = LstmShape{1, 2, 1, 1, false};
  for (int g = 0; g < 4; ++g) {
    auto& gate = p.gates[g];
    gate.input_weights = zero_w;
    gate.recurrent_weights = zero_w;
    gate.bias = &biases[g];
    int shift;
    mote::fixedpoint::quantize_multiplier(1.0, &gate.input_multiplier, &shift);
    gate.input_shift = shift;
    mote::fixedpoint::quantize_multiplier(1.0, &gate.recurrent_multiplier, &shift);
    gate.recurrent_shift = shift;
  }
  int shift;
  mote::fixedpoint::quantize_multiplier(1.0 / 32768.0, &p.forget_cell_multiplier, &shift);
  p.forget_cell_shift = shift;
  mote::fixedpoint::quantize_multiplier(1.0 / (1 << 19), &p.input_cell_multiplier, &shift);
  p.input_cell_shift = shift;
  mote::fixedpoint::quantize_multiplier(1.0 / (1 << 23), &p.hidden_multiplier, &shift);
  p.hidden_shift = shift;
  p.hidden_zero_point = 5;
  p.input_offset = 9;  // irrelevant with zero weights
  p.hidden_offset = -5;
  p.cell_tanh_multiplier = 0;
  p.cell_tanh_left_shift = 1;  // 15 + (-11) - 3
  return p;
}

TEST(LstmInt8Kernel, HandCheckedTwoSteps) {
  const int8_t zero_w = 0;
  // input, forget, cell, output pre-activations: 0, 0, 1.0, 0.
  const int32_t biases[4] = {0, 0, 4096, 0};
  const auto p = hand_checked_int8_params(&zero_w, biases);
  int8_t input[2] = {17, -3};  // ignored: zero weights
  int8_t h = 5, out[2] = {0, 0};
  int16_t c = 0;
  std::vector<int16_t> scratch(mote::reference::lstm_scratch_elements(p.shape));
  mote::reference::lstm_int8(p, input, &h, &c, out, scratch.data());
  // Step 1: i = f = o = 16384 (0.5), g = tanh(1) = 24956.
  //   c = 0.5 * 0 + round(16384 * 24956 / 2^19) = 780
  //   tanh(c): 780 * 6 = 4680 -> entry 18, fraction 72: (44511 * 256 + 72 * 591 - 2^23 + 128) >> 8 = 11909
  //   h = 5 + round(11909 * 16384 / 2^23) = 5 + 23 = 28
  // Step 2: c = round(16384 * 780 / 2^15) + 780 = 390 + 780 = 1170
  //   tanh(c): 7020 -> entry 27, fraction 108: (49475 * 256 + 108 * 500 - 2^23 + 128) >> 8 = 16918
  //   h = 5 + round(16918 * 16384 / 2^23) = 5 + 33 = 38
  EXPECT_EQ(out[0], 28);
  EXPECT_EQ(c, 1170);
  EXPECT_EQ(out[1], 38);
  EXPECT_EQ(h, 38);
}

TEST(LstmInt8Kernel, CellClip) {
  const int8_t zero_w = 0;
  const int32_t biases[4] = {0, 0, 4096, 0};
  auto p = hand_checked_int8_params(&zero_w, biases);
  p.use_cell_clip = true;
  p.cell_clip = 1000;
  int8_t input[2] = {0, 0}, h = 5, out[2];
  int16_t c = 0;
  std::vector<int16_t> scratch(mote::reference::lstm_scratch_elements(p.shape));
  mote::reference::lstm_int8(p, input, &h, &c, out, scratch.data());
  EXPECT_EQ(c, 1000);  // 1170 clipped
  // A clip of zero still clips when enabled (TFLM tests the float clip > 0).
  p.cell_clip = 0;
  c = 0;
  mote::reference::lstm_int8(p, input, &h, &c, out, scratch.data());
  EXPECT_EQ(c, 0);
  EXPECT_EQ(out[1], 5);
}

// ---------------------------------------------------------------------------
// One-op models

struct LstmModelSpec {
  DType type = DType::kInt8;
  int batches = 1, time_steps = 1, input_size = 1, state_size = 1;
  bool time_major = false;
  float cell_clip = 0.0f;
  int8_t activation = 4;  // TANH
  // Quantization (int8): scales and zero points.
  float input_scale = 1.0f / 64, weight_scale = 1.0f / 64, hidden_scale = 1.0f / 128, cell_scale = 1.0f / 2048;
  int32_t input_zp = 0, hidden_zp = 0;
  // Real values, [gate][state * in], [gate][state * state], [gate][state].
  std::vector<double> w[4], r[4], b[4];
  bool peephole = false;
  bool cifg = false;
};

std::vector<uint8_t> build_lstm_model(const LstmModelSpec& s) {
  ModelBuilder mb;
  const bool q = s.type == DType::kInt8;
  auto qs = [&](float scale, int64_t zp) { return q ? std::vector<float>{scale} : std::vector<float>{}; };
  auto qz = [&](int64_t zp) { return q ? std::vector<int64_t>{zp} : std::vector<int64_t>{}; };
  std::vector<int32_t> in_shape = s.time_major ? std::vector<int32_t>{s.time_steps, s.batches, s.input_size}
                                               : std::vector<int32_t>{s.batches, s.time_steps, s.input_size};
  std::vector<int32_t> out_shape = in_shape;
  out_shape[2] = s.state_size;
  TensorSpec in_spec{"input", s.type, in_shape, qs(s.input_scale, s.input_zp), qz(s.input_zp)};
  const int input = mb.add_tensor(in_spec);
  auto weights = [&](const std::string& name, const std::vector<double>& v, int cols) {
    std::vector<int32_t> shape{s.state_size, cols};
    if (q) {
      std::vector<int8_t> qv;
      for (double x : v) qv.push_back(int8_t(std::max(-127.0, std::min(127.0, std::round(x / s.weight_scale)))));
      return mb.add_tensor(TensorSpec::constant<int8_t>(name, DType::kInt8, shape, qv, {s.weight_scale}, {0}));
    }
    return mb.add_tensor(TensorSpec::constant<float>(name, DType::kFloat32, shape, cast_all<float>(v)));
  };
  auto bias = [&](const std::string& name, const std::vector<double>& v) {
    std::vector<int32_t> shape{s.state_size};
    if (q) {
      const float bias_scale = s.input_scale * s.weight_scale;
      std::vector<int32_t> qv;
      for (double x : v) qv.push_back(int32_t(std::round(x / bias_scale)));
      return mb.add_tensor(TensorSpec::constant<int32_t>(name, DType::kInt32, shape, qv, {bias_scale}, {0}));
    }
    return mb.add_tensor(TensorSpec::constant<float>(name, DType::kFloat32, shape, cast_all<float>(v)));
  };
  std::vector<int32_t> inputs(24, -1);
  inputs[0] = input;
  const char* names[4] = {"input", "forget", "cell", "output"};
  for (int g = 0; g < 4; ++g) {
    if (s.cifg && g == 0) continue;
    inputs[1 + g] = weights(std::string("w_") + names[g], s.w[g], s.input_size);
    inputs[5 + g] = weights(std::string("r_") + names[g], s.r[g], s.state_size);
    inputs[12 + g] = bias(std::string("b_") + names[g], s.b[g]);
  }
  if (s.peephole) {
    for (int g = 9; g < 12; ++g) {
      inputs[g] = q ? mb.add_tensor(TensorSpec::constant<int16_t>("peephole", DType::kInt16, {s.state_size},
                                                                 std::vector<int16_t>(s.state_size, 1), {1.0f}, {0}))
                    : mb.add_tensor(TensorSpec::constant<float>("peephole", DType::kFloat32, {s.state_size},
                                                                std::vector<float>(s.state_size, 0.1f)));
    }
  }
  TensorSpec hidden{"hidden", s.type, {s.batches, s.state_size}, qs(s.hidden_scale, s.hidden_zp), qz(s.hidden_zp)};
  hidden.is_variable = true;
  TensorSpec cell{"cell", q ? DType::kInt16 : DType::kFloat32, {s.batches, s.state_size}, qs(s.cell_scale, 0),
                  qz(0)};
  cell.is_variable = true;
  inputs[18] = mb.add_tensor(hidden);
  inputs[19] = mb.add_tensor(cell);
  const int output =
      mb.add_tensor({"output", s.type, out_shape, qs(s.hidden_scale, s.hidden_zp), qz(s.hidden_zp)});
  mb.add_operator(mote::schema::BuiltinOp::kUnidirectionalSequenceLstm, inputs, {output},
                  Options(mote::schema::OptionsType::kUnidirectionalSequenceLstm)
                      .i8(lstm_opt::fused_activation_function, s.activation)
                      .f32(lstm_opt::cell_clip, s.cell_clip)
                      .boolean(lstm_opt::time_major, s.time_major),
                  q ? 4 : 1);
  mb.set_inputs({input});
  mb.set_outputs({output});
  return mb.serialize();
}

TEST(LstmOp, Int8HandCheckedTwoInvokes) {
  // The kernel's hand-checked case through prepare: input scale x weight scale
  // = 2^-12, so the multipliers are exactly 1 and each bias is its gate's
  // Q3.12 pre-activation (bias scale 2^-12: 1.0 -> 4096).
  LstmModelSpec s;
  s.time_steps = 2;
  s.hidden_zp = 5;
  for (int g = 0; g < 4; ++g) {
    s.w[g] = {0.0};
    s.r[g] = {0.0};
    s.b[g] = {g == 2 ? 1.0 : 0.0};
  }
  auto model = build_lstm_model(s);
  // Two invokes of a 2-step sequence: the state carries over (the second
  // invoke continues from c = 1170).
  auto runs = run_model_steps(model, {{bytes_of<int8_t>({1, 2})}, {bytes_of<int8_t>({3, 4})}});
  ASSERT_EQ(runs.size(), 2u);
  ASSERT_TRUE(runs[0].ok()) << runs[0].error;
  EXPECT_EQ(runs[0].output<int8_t>(0), (std::vector<int8_t>{28, 38}));
  ASSERT_TRUE(runs[1].ok()) << runs[1].error;
  // Step 3: c = round(16384 * 1170 / 2^15) + 780 = 585 + 780 = 1365; 8190 -> entry 31,
  //   fraction 254: (51409 * 256 + 254 * 456 - 2^23 + 128) >> 8 = 19093; h = 5 + round(19093 / 2^9) = 5 + 37 = 42
  EXPECT_EQ(runs[1].output<int8_t>(0)[0], 42);
}

TEST(LstmOp, StateCarriesAcrossInvokes) {
  // Running a sequence in two invokes equals running it in one.
  std::mt19937 rng(11);
  for (DType type : {DType::kFloat32, DType::kInt8}) {
    PlainLstm plain = random_plain_lstm(rng, 1, 4, 3, 5, false, 0.5);
    LstmModelSpec whole;
    whole.type = type;
    whole.time_steps = 4;
    whole.input_size = 3;
    whole.state_size = 5;
    whole.input_zp = 3;
    whole.hidden_zp = -2;
    whole.cell_clip = 3.0f;
    for (int g = 0; g < 4; ++g) {
      whole.w[g] = plain.w[g];
      whole.r[g] = plain.r[g];
      whole.b[g] = plain.b[g];
    }
    LstmModelSpec half = whole;
    half.time_steps = 2;
    std::vector<uint8_t> in_bytes, first, second;
    if (type == DType::kInt8) {
      std::vector<int8_t> x(12);
      for (auto& v : x) v = int8_t(int(rng() % 256) - 128);
      in_bytes = bytes_of(x);
    } else {
      std::vector<float> x(12);
      for (auto& v : x) v = float(int(rng() % 200) - 100) / 50.0f;
      in_bytes = bytes_of(x);
    }
    const size_t half_bytes = in_bytes.size() / 2;
    first.assign(in_bytes.begin(), in_bytes.begin() + half_bytes);
    second.assign(in_bytes.begin() + half_bytes, in_bytes.end());
    RunResult one = run_model(build_lstm_model(whole), {in_bytes});
    ASSERT_TRUE(one.ok()) << one.error;
    auto two = run_model_steps(build_lstm_model(half), {{first}, {second}});
    ASSERT_EQ(two.size(), 2u);
    ASSERT_TRUE(two[1].ok()) << two[1].error;
    std::vector<uint8_t> joined = two[0].outputs[0];
    joined.insert(joined.end(), two[1].outputs[0].begin(), two[1].outputs[0].end());
    EXPECT_EQ(joined, one.outputs[0]) << mote::dtype_name(type);
  }
}

// The int8 op against the plain LSTM on the dequantized weights and inputs.
void check_int8_against_plain(bool time_major, int batches) {
  std::mt19937 rng(23);
  const int T = 6, I = 7, S = 9;
  PlainLstm plain = random_plain_lstm(rng, batches, T, I, S, time_major, 0.6);
  LstmModelSpec s;
  s.batches = batches;
  s.time_steps = T;
  s.input_size = I;
  s.state_size = S;
  s.time_major = time_major;
  s.input_scale = 0.02f;
  s.input_zp = -7;
  s.weight_scale = 0.6f / 127;
  s.hidden_scale = 1.0f / 128;
  s.hidden_zp = 3;
  s.cell_scale = 1.0f / 4096;
  for (int g = 0; g < 4; ++g) {
    s.w[g] = plain.w[g];
    s.r[g] = plain.r[g];
    s.b[g] = plain.b[g];
    // The plain model sees the weights as the op will (quantized).
    for (auto& v : plain.w[g]) v = std::round(v / s.weight_scale) * s.weight_scale;
    for (auto& v : plain.r[g]) v = std::round(v / s.weight_scale) * s.weight_scale;
  }
  std::vector<int8_t> x(size_t(batches) * T * I);
  std::vector<double> xd(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    x[i] = int8_t(int(rng() % 256) - 128);
    xd[i] = (x[i] - s.input_zp) * double(s.input_scale);
  }
  RunResult r = run_model(build_lstm_model(s), {bytes_of(x)});
  ASSERT_TRUE(r.ok()) << r.error;
  std::vector<double> h(size_t(batches) * S, 0.0), c(size_t(batches) * S, 0.0), want;
  plain.run(xd, h, c, want);
  auto got = r.output<int8_t>(0);
  ASSERT_EQ(got.size(), want.size());
  int max_diff = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    const double want_q = want[i] / s.hidden_scale + s.hidden_zp;
    max_diff = std::max(max_diff, int(std::lround(std::fabs(got[i] - want_q))));
  }
  // A few LSB of the hidden state: quantized hidden feedback and int16 gates.
  EXPECT_LE(max_diff, 3);
}

TEST(LstmOp, Int8CloseToFloatBatchMajor) { check_int8_against_plain(false, 2); }
TEST(LstmOp, Int8CloseToFloatTimeMajor) { check_int8_against_plain(true, 3); }

TEST(LstmOp, FloatMatchesPlainLstm) {
  std::mt19937 rng(5);
  PlainLstm plain = random_plain_lstm(rng, 2, 3, 4, 3, true, 0.7);
  LstmModelSpec s;
  s.type = DType::kFloat32;
  s.batches = 2;
  s.time_steps = 3;
  s.input_size = 4;
  s.state_size = 3;
  s.time_major = true;
  for (int g = 0; g < 4; ++g) {
    for (auto* v : {&plain.w[g], &plain.r[g], &plain.b[g]})
      for (auto& e : *v) e = double(float(e));
    s.w[g] = plain.w[g];
    s.r[g] = plain.r[g];
    s.b[g] = plain.b[g];
  }
  std::vector<float> x(24);
  for (auto& v : x) v = float(int(rng() % 200) - 100) / 40.0f;
  RunResult r = run_model(build_lstm_model(s), {bytes_of(x)});
  ASSERT_TRUE(r.ok()) << r.error;
  std::vector<double> h(6, 0.0), c(6, 0.0), want;
  plain.run(std::vector<double>(x.begin(), x.end()), h, c, want);
  auto got = r.output<float>(0);
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 2e-5) << i;
}

LstmModelSpec small_spec(DType type) {
  LstmModelSpec s;
  s.type = type;
  for (int g = 0; g < 4; ++g) {
    s.w[g] = {0.1};
    s.r[g] = {0.1};
    s.b[g] = {0.0};
  }
  return s;
}

TEST(LstmOp, RejectsVariantsTflmDoesNotSupport) {
  for (DType type : {DType::kFloat32, DType::kInt8}) {
    LstmModelSpec s = small_spec(type);
    s.peephole = true;
    RunResult r = run_model(build_lstm_model(s), {std::vector<uint8_t>(type == DType::kInt8 ? 1 : 4, 0)});
    EXPECT_FALSE(r.ok());
    EXPECT_NE(r.error.find("peephole"), std::string::npos) << r.error;

    s = small_spec(type);
    s.cifg = true;
    r = run_model(build_lstm_model(s), {std::vector<uint8_t>(type == DType::kInt8 ? 1 : 4, 0)});
    EXPECT_FALSE(r.ok());
    EXPECT_NE(r.error.find("CIFG"), std::string::npos) << r.error;

    s = small_spec(type);
    s.activation = 1;  // RELU
    r = run_model(build_lstm_model(s), {std::vector<uint8_t>(type == DType::kInt8 ? 1 : 4, 0)});
    EXPECT_FALSE(r.ok());
    EXPECT_NE(r.error.find("TANH"), std::string::npos) << r.error;
  }
}

// ---------------------------------------------------------------------------
// Every LSTM node of the shared conformance models, run alone on the TFLM
// dump of its input; its output and both state tensors after the first
// invoke must match the dumps byte for byte.

struct NodeCheck {
  std::string what;
  bool exact = true;
  double max_abs = 0;
};

std::vector<NodeCheck> replay_lstm_nodes(const std::string& model_name) {
  std::vector<NodeCheck> checks;
  const std::string dir = shared_dir() + "/conformance/" + model_name;
  const std::vector<uint8_t> bytes = read_file(shared_dir() + "/models/" + model_name + ".tflite");
  mote::Model model;
  char err[256];
  if (model.load(bytes.data(), bytes.size(), err, sizeof(err)) != mote::Status::kOk) {
    ADD_FAILURE() << err;
    return checks;
  }
  for (uint32_t n = 0; n < model.num_operators(); ++n) {
    const mote::OperatorInfo op = model.op(n);
    if (op.builtin_code != int32_t(mote::schema::BuiltinOp::kUnidirectionalSequenceLstm)) continue;
    ModelBuilder mb;
    std::map<int32_t, int32_t> remap;
    auto add = [&](int32_t t) -> int32_t {
      if (t < 0) return -1;
      auto it = remap.find(t);
      if (it != remap.end()) return it->second;
      const mote::TensorInfo info = model.tensor(uint32_t(t));
      TensorSpec spec;
      spec.name = std::string(reinterpret_cast<const char*>(info.name.data), info.name.size);
      spec.type = info.type;
      spec.shape.assign(info.shape.dims, info.shape.dims + info.shape.rank);
      for (int32_t i = 0; i < info.quant.count; ++i) {
        spec.scales.push_back(info.quant.scale(i));
        spec.zero_points.push_back(info.quant.zero_point(i));
      }
      spec.quantized_dimension = info.quant.axis;
      if (info.data != nullptr) spec.data.assign(info.data, info.data + info.bytes);
      spec.is_variable = info.is_variable;
      return remap[t] = mb.add_tensor(spec);
    };
    std::vector<int32_t> inputs, outputs, intermediates;
    for (uint32_t i = 0; i < op.inputs.size(); ++i) inputs.push_back(add(op.inputs[i]));
    for (uint32_t i = 0; i < op.outputs.size(); ++i) outputs.push_back(add(op.outputs[i]));
    for (uint32_t i = 0; i < op.intermediates.size(); ++i) intermediates.push_back(add(op.intermediates[i]));
    Options options(mote::schema::OptionsType::kUnidirectionalSequenceLstm);
    options.i8(lstm_opt::fused_activation_function, op.options.scalar<int8_t>(lstm_opt::fused_activation_function, 0))
        .f32(lstm_opt::cell_clip, op.options.scalar<float>(lstm_opt::cell_clip, 0.0f))
        .f32(lstm_opt::proj_clip, op.options.scalar<float>(lstm_opt::proj_clip, 0.0f))
        .boolean(lstm_opt::time_major, op.options.scalar<uint8_t>(lstm_opt::time_major, 0) != 0)
        .boolean(lstm_opt::asymmetric_quantize_inputs,
                 op.options.scalar<uint8_t>(lstm_opt::asymmetric_quantize_inputs, 0) != 0);
    mb.add_operator(mote::schema::BuiltinOp::kUnidirectionalSequenceLstm, inputs, outputs, options, op.version,
                    intermediates);
    mb.set_inputs({inputs[0]});
    mb.set_outputs(outputs);
    const std::vector<uint8_t> one_op = mb.serialize();

    mote::OpResolver resolver;
    EXPECT_EQ(resolver.add(mote::ops::unidirectional_sequence_lstm()), mote::Status::kOk);
    std::vector<uint8_t> arena(1 << 20);
    mote::Interpreter interp(one_op.data(), one_op.size(), resolver, arena.data(), arena.size());
    if (interp.allocate() != mote::Status::kOk) {
      ADD_FAILURE() << model_name << " node " << n << ": " << interp.error_message();
      continue;
    }
    const std::vector<uint8_t> in = read_file(dir + "/tensors/t" + std::to_string(op.inputs[0]) + ".bin");
    mote::TensorView in_view = interp.input(0);
    EXPECT_EQ(in.size(), in_view.bytes);
    memcpy(in_view.data, in.data(), std::min<size_t>(in.size(), in_view.bytes));
    if (interp.invoke() != mote::Status::kOk) {
      ADD_FAILURE() << model_name << " node " << n << ": " << interp.error_message();
      continue;
    }
    const std::pair<const char*, int32_t> compared[] = {
        {"output", op.outputs[0]}, {"hidden state", op.inputs[18]}, {"cell state", op.inputs[19]}};
    for (const auto& [what, t] : compared) {
      NodeCheck check;
      check.what = model_name + " node " + std::to_string(n) + " " + what;
      const std::vector<uint8_t> want = read_file(dir + "/tensors/t" + std::to_string(t) + ".bin");
      const mote::TensorView v = interp.tensor(remap[t]);
      const std::vector<uint8_t> got(static_cast<uint8_t*>(v.data), static_cast<uint8_t*>(v.data) + v.bytes);
      EXPECT_EQ(got.size(), want.size()) << check.what;
      check.exact = got == want;
      if (v.type == DType::kFloat32) {
        for (size_t i = 0; i + 4 <= std::min(got.size(), want.size()); i += 4) {
          float a, b;
          memcpy(&a, &got[i], 4);
          memcpy(&b, &want[i], 4);
          check.max_abs = std::max(check.max_abs, double(fabsf(a - b)));
        }
      } else if (!check.exact) {
        size_t first = 0;
        while (first < got.size() && got[first] == want[first]) ++first;
        check.what += " (first differing byte " + std::to_string(first) + ")";
      }
      checks.push_back(check);
    }
  }
  return checks;
}

class LstmConformanceNodes : public ::testing::TestWithParam<std::string> {};

TEST_P(LstmConformanceNodes, BitExactAgainstTflmDumps) {
  MOTE_REQUIRE_SHARED();
  const std::vector<NodeCheck> checks = replay_lstm_nodes(GetParam());
  EXPECT_FALSE(checks.empty());
  for (const NodeCheck& c : checks) {
    EXPECT_TRUE(c.exact) << c.what << " differs from TFLM"
                         << (c.max_abs > 0 ? " (max abs diff " + std::to_string(c.max_abs) + ")" : "");
  }
}

INSTANTIATE_TEST_SUITE_P(SharedModels, LstmConformanceNodes,
                         ::testing::Values("mnist_lstm_int8", "micro_speech_lstm", "dtln_noise_suppression",
                                           "mnist_lstm_float"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
