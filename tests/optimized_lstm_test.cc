// Optimized int8 LSTM gate pre-activations against the reference: random
// weights, inputs, biases, zero points and scales through both, outputs
// required byte-identical (host path and the 32-bit-core path). Shapes cover
// cell blocks and their remainders (state 1..9, 16, 20), input lengths around
// the SIMD widths (1..35, 64, 100), all cells and random ranges of them (the
// kernels' chunks), a missing bias, and multipliers that saturate the int16
// products. Inputs sit 1..3 bytes off alignment; guard bytes after every
// output. Then whole LSTMs (lstm_int8 with each gate function) over several
// steps must agree too.
#include <gtest/gtest.h>
#include <stdint.h>

#include <random>
#include <vector>

#include "guarded_buffer.h"
#include "kernels/fixedpoint.h"
#include "kernels/optimized/lstm.h"
#include "kernels/reference/lstm.h"

namespace {

using mote::reference::LstmGateInt8;
using mote::reference::LstmParamsInt8;

int32_t uniform(std::mt19937& rng, int32_t lo, int32_t hi) {
  return std::uniform_int_distribution<int32_t>(lo, hi)(rng);
}

void fill_int8(std::mt19937& rng, int8_t* p, size_t n) {
  for (size_t i = 0; i < n; ++i) p[i] = int8_t(uniform(rng, -128, 127));
}

// (multiplier, shift) of a real scale drawn log-uniformly from [1e-6, 0.5]
// (gate products: weight scale x input scale / 2^-12), or a large one so
// that the int16 saturation is exercised.
void random_multiplier(std::mt19937& rng, bool large, int32_t* multiplier, int32_t* shift) {
  const double scale = large ? std::uniform_real_distribution<double>(1.0, 4.0)(rng)
                             : std::exp(std::uniform_real_distribution<double>(std::log(1e-6), std::log(0.5))(rng));
  int s = 0;
  mote::fixedpoint::quantize_multiplier(scale, multiplier, &s);
  *shift = s;
}

struct GateData {
  GuardedBuffer<int8_t> input_weights, recurrent_weights;
  std::vector<int32_t> bias;
  GateData(int32_t in, int32_t state, size_t misalign)
      : input_weights(size_t(in) * state, misalign), recurrent_weights(size_t(state) * state, (misalign + 1) % 4) {}
};

struct Case {
  int32_t input_size, state_size;
  bool with_bias, large_scales;
  size_t misalign;
};

class LstmGateSweep : public ::testing::TestWithParam<Case> {};

TEST_P(LstmGateSweep, OptimizedEqualsReference) {
  const Case c = GetParam();
  std::mt19937 rng(uint32_t(c.input_size * 131 + c.state_size * 17 + c.misalign));
  for (int trial = 0; trial < 4; ++trial) {
    LstmParamsInt8 params;
    params.shape.batches = 1;
    params.shape.time_steps = 1;
    params.shape.input_size = c.input_size;
    params.shape.state_size = c.state_size;
    params.input_offset = -uniform(rng, -128, 127);
    params.hidden_offset = -uniform(rng, -128, 127);
    GateData data(c.input_size, c.state_size, c.misalign);
    fill_int8(rng, data.input_weights.data(), data.input_weights.size());
    fill_int8(rng, data.recurrent_weights.data(), data.recurrent_weights.size());
    data.bias.resize(size_t(c.state_size));
    for (int32_t& b : data.bias) b = uniform(rng, -40000, 40000);
    LstmGateInt8 gate;
    gate.input_weights = data.input_weights.data();
    gate.recurrent_weights = data.recurrent_weights.data();
    gate.bias = c.with_bias ? data.bias.data() : nullptr;
    random_multiplier(rng, c.large_scales, &gate.input_multiplier, &gate.input_shift);
    random_multiplier(rng, c.large_scales && trial % 2 == 0, &gate.recurrent_multiplier, &gate.recurrent_shift);

    GuardedBuffer<int8_t> x(size_t(c.input_size), (c.misalign + 2) % 4);
    GuardedBuffer<int8_t> h(size_t(c.state_size), (c.misalign + 3) % 4);
    fill_int8(rng, x.data(), x.size());
    fill_int8(rng, h.data(), h.size());
    // All cells on even trials, a random range of them on odd ones.
    const int32_t first = trial % 2 == 0 ? 0 : uniform(rng, 0, c.state_size - 1);
    const int32_t cells = trial % 2 == 0 ? c.state_size : uniform(rng, 1, c.state_size - first);
    const size_t n = size_t(cells);
    GuardedBuffer<int16_t> expected(n, 0), optimized(n, 2), small_core(n, 2);
    mote::reference::lstm_gate_preactivation_int8(params, gate, x.data(), h.data(), first, cells, expected.data());
    mote::optimized::lstm_gate_preactivation_int8(params, gate, x.data(), h.data(), first, cells, optimized.data());
    mote::optimized::lstm_gate_preactivation_int8_32bit(params, gate, x.data(), h.data(), first, cells,
                                                        small_core.data());
    EXPECT_TRUE(same_bytes(expected, optimized)) << "trial " << trial << " cells " << first << "+" << cells;
    EXPECT_TRUE(same_bytes(expected, small_core)) << "32-bit path, trial " << trial;
    EXPECT_TRUE(optimized.guard_intact());
    EXPECT_TRUE(small_core.guard_intact());
  }
}

std::vector<Case> gate_cases() {
  std::vector<Case> cases;
  size_t misalign = 0;
  for (int32_t state : {1, 2, 3, 4, 5, 7, 8, 9, 16, 20}) {
    for (int32_t in : {1, 3, 4, 7, 8, 15, 16, 17, 31, 32, 35, 64, 100}) {
      cases.push_back({in, state, misalign % 5 != 4, misalign % 7 == 3, misalign % 4});
      ++misalign;
    }
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Shapes, LstmGateSweep, ::testing::ValuesIn(gate_cases()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           const Case& c = info.param;
                           return "in" + std::to_string(c.input_size) + "_state" +
                                  std::to_string(c.state_size) + (c.with_bias ? "" : "_nobias") +
                                  (c.large_scales ? "_saturating" : "");
                         });

// A whole int8 LSTM over several steps, batch-major and time-major, with one
// chunk of cells and with three (37 cells): the states and outputs of
// lstm_int8 with the optimized gate function must equal those with the
// reference one.
TEST(LstmInt8, OptimizedGatesGiveTheReferenceSequence) {
  std::mt19937 rng(2024);
  for (const int32_t state_size : {6, 37}) {
    for (const bool time_major : {false, true}) {
      LstmParamsInt8 params;
      params.shape = {2, 5, 13, state_size, time_major};
      params.input_offset = 3;
      params.hidden_offset = -7;
      std::vector<GateData> gates;
      for (int g = 0; g < mote::reference::kLstmGateCount; ++g) {
        gates.emplace_back(params.shape.input_size, params.shape.state_size, size_t(g) % 4);
        GateData& d = gates.back();
        fill_int8(rng, d.input_weights.data(), d.input_weights.size());
        fill_int8(rng, d.recurrent_weights.data(), d.recurrent_weights.size());
        d.bias.resize(size_t(params.shape.state_size));
        for (int32_t& b : d.bias) b = uniform(rng, -3000, 3000);
        LstmGateInt8& gate = params.gates[g];
        gate.input_weights = d.input_weights.data();
        gate.recurrent_weights = d.recurrent_weights.data();
        gate.bias = d.bias.data();
        random_multiplier(rng, false, &gate.input_multiplier, &gate.input_shift);
        random_multiplier(rng, false, &gate.recurrent_multiplier, &gate.recurrent_shift);
      }
      random_multiplier(rng, false, &params.forget_cell_multiplier, &params.forget_cell_shift);
      random_multiplier(rng, false, &params.input_cell_multiplier, &params.input_cell_shift);
      random_multiplier(rng, false, &params.hidden_multiplier, &params.hidden_shift);
      params.hidden_zero_point = 7;

      const size_t inputs = size_t(params.shape.batches) * params.shape.time_steps * params.shape.input_size;
      const size_t outputs = size_t(params.shape.batches) * params.shape.time_steps * params.shape.state_size;
      const size_t state = size_t(params.shape.batches) * params.shape.state_size;
      std::vector<int8_t> input(inputs);
      fill_int8(rng, input.data(), input.size());
      std::vector<int8_t> hidden0(state);
      fill_int8(rng, hidden0.data(), hidden0.size());
      std::vector<int16_t> cell0(state);
      for (int16_t& v : cell0) v = int16_t(uniform(rng, -20000, 20000));

      const auto run = [&](mote::reference::LstmGatePreactivationInt8 gate_fn, std::vector<int8_t>& hidden,
                           std::vector<int16_t>& cell, std::vector<int8_t>& output) {
        hidden = hidden0;
        cell = cell0;
        output.assign(outputs, 0);
        std::vector<int16_t> scratch(size_t(mote::reference::lstm_scratch_elements(params.shape)));
        mote::reference::lstm_int8(params, input.data(), hidden.data(), cell.data(), output.data(), scratch.data(),
                                   gate_fn);
      };
      std::vector<int8_t> ref_hidden, opt_hidden, ref_output, opt_output;
      std::vector<int16_t> ref_cell, opt_cell;
      run(mote::reference::lstm_gate_preactivation_int8, ref_hidden, ref_cell, ref_output);
      run(mote::optimized::lstm_gate_preactivation_int8, opt_hidden, opt_cell, opt_output);
      EXPECT_EQ(ref_output, opt_output) << "state " << state_size << " time_major " << time_major;
      EXPECT_EQ(ref_hidden, opt_hidden);
      EXPECT_EQ(ref_cell, opt_cell);
    }
  }
}

}  // namespace
