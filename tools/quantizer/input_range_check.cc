#include "tools/quantizer/input_range_check.h"

#include <stdio.h>
#include <string.h>

#include <algorithm>
#include <cmath>

#include "tools/model_stats.h"
#include "tools/op_attributes.h"
#include "tools/quantizer/model_runner.h"

namespace mote {
namespace tools {
namespace quantizer {
namespace {

constexpr double kBiasDominance = 10.0;     // bias this many times the input's reach: "too small"
constexpr double kChannelShare = 0.75;      // share of channels that must look so
constexpr double kSaturatedShare = 0.5;     // share of outputs at the clamp: "too large"
constexpr size_t kSamplesRun = 16;

std::string number(double v) {
  char buf[32];
  snprintf(buf, sizeof(buf), "%.3g", v);
  return buf;
}

struct FirstLayer {
  uint32_t node = 0;
  size_t input = 0;  // which model input it reads
  int32_t code = 0;
};

std::vector<FirstLayer> first_layers(const Model& m) {
  std::vector<FirstLayer> layers;
  for (uint32_t n = 0; n < m.num_operators(); ++n) {
    const OperatorInfo op = m.op(n);
    const int32_t code = op.builtin_code;
    if (code != int32_t(schema::BuiltinOp::kConv2D) && code != int32_t(schema::BuiltinOp::kDepthwiseConv2D) &&
        code != int32_t(schema::BuiltinOp::kFullyConnected))
      continue;
    if (op.inputs.size() < 2) continue;
    for (uint32_t i = 0; i < m.num_inputs(); ++i)
      if (op.inputs[0] == m.input(i)) layers.push_back({n, i, code});
  }
  return layers;
}

std::vector<float> constant_floats(const Model& m, int32_t tensor) {
  if (tensor < 0) return {};
  const TensorInfo t = m.tensor(uint32_t(tensor));
  if (t.type != DType::kFloat32 || t.data == nullptr) return {};
  std::vector<float> values(t.bytes / sizeof(float));
  memcpy(values.data(), t.data, values.size() * sizeof(float));
  return values;
}

// max|x| * sum|w| per output channel; weights are [out, ...] (conv, FC) or
// [1, h, w, out] (depthwise).
std::vector<double> reach_per_channel(const Model& m, const FirstLayer& layer, double max_abs_input) {
  const OperatorInfo op = m.op(layer.node);
  const std::vector<float> w = constant_floats(m, op.inputs[1]);
  const TensorInfo wt = m.tensor(uint32_t(op.inputs[1]));
  if (w.empty() || wt.shape.rank < 2) return {};
  const bool depthwise = layer.code == int32_t(schema::BuiltinOp::kDepthwiseConv2D);
  const size_t channels = size_t(depthwise ? wt.shape.dims[wt.shape.rank - 1] : wt.shape.dims[0]);
  std::vector<double> reach(channels, 0.0);
  for (size_t i = 0; i < w.size(); ++i) {
    const size_t c = depthwise ? i % channels : i / (w.size() / channels);
    reach[c] += fabs(double(w[i])) * max_abs_input;
  }
  return reach;
}

// Clamp values of a fused activation, or false when it has none that clamps.
bool clamp_bounds(const OperatorInfo& op, float* lo, float* hi) {
  const schema::Activation activation = fused_activation(op);
  if (activation == schema::Activation::kRelu6) {
    *lo = 0.0f;
    *hi = 6.0f;
    return true;
  }
  if (activation == schema::Activation::kReluN1To1) {
    *lo = -1.0f;
    *hi = 1.0f;
    return true;
  }
  return false;
}

}  // namespace

std::vector<std::string> check_input_ranges(const FloatModel& model, const std::vector<Sample>& samples) {
  std::vector<std::string> messages;
  if (samples.empty()) return messages;
  ModelRunner runner(model.bytes, "the float model");
  const Model& m = runner.model();
  const std::vector<FirstLayer> layers = first_layers(m);
  if (layers.empty()) return messages;

  std::vector<float> lo(m.num_inputs(), 0.0f), hi(m.num_inputs(), 0.0f);
  for (size_t i = 0; i < m.num_inputs(); ++i) {
    lo[i] = hi[i] = samples[0][i].empty() ? 0.0f : samples[0][i][0];
    for (const Sample& s : samples)
      for (float v : s[i]) {
        lo[i] = std::min(lo[i], v);
        hi[i] = std::max(hi[i], v);
      }
  }
  auto data_range = [&](size_t i) { return "data in [" + number(lo[i]) + ", " + number(hi[i]) + "]"; };

  std::vector<int64_t> at_bound(layers.size(), 0), outputs(layers.size(), 0);
  std::vector<bool> clamps(layers.size(), false);
  std::vector<float> bound_lo(layers.size()), bound_hi(layers.size());
  for (size_t l = 0; l < layers.size(); ++l)
    clamps[l] = clamp_bounds(m.op(layers[l].node), &bound_lo[l], &bound_hi[l]);
  if (std::find(clamps.begin(), clamps.end(), true) != clamps.end()) {
    for (size_t k = 0; k < samples.size() && k < kSamplesRun; ++k) {
      runner.reset_state();
      for (size_t i = 0; i < samples[k].size(); ++i) runner.set_input(i, samples[k][i]);
      runner.run([&](int node) {
        for (size_t l = 0; l < layers.size(); ++l) {
          if (!clamps[l] || layers[l].node != uint32_t(node)) continue;
          for (float v : runner.tensor_values(m.op(layers[l].node).outputs[0])) {
            ++outputs[l];
            at_bound[l] += v == bound_hi[l] || (bound_lo[l] < 0 && v == bound_lo[l]);
          }
        }
      });
    }
  }

  for (size_t l = 0; l < layers.size(); ++l) {
    const FirstLayer& layer = layers[l];
    const OperatorInfo op = m.op(layer.node);
    const std::string where = "the first layer (node " + std::to_string(layer.node) + ", " +
                              op_display_name(m, layer.node) + ")";
    if (outputs[l] > 0 && double(at_bound[l]) > kSaturatedShare * double(outputs[l])) {
      messages.push_back(where + " saturates: " + number(100.0 * double(at_bound[l]) / double(outputs[l])) +
                         "% of its outputs sit at its activation's limit with " + data_range(layer.input) +
                         "; was the model trained on smaller values (e.g. 0..1 or -1..1: --scale 1/255)?");
      continue;
    }
    const double max_abs = std::max(fabs(double(lo[layer.input])), fabs(double(hi[layer.input])));
    const std::vector<double> reach = reach_per_channel(m, layer, max_abs);
    const std::vector<float> bias = op.inputs.size() > 2 ? constant_floats(m, op.inputs[2]) : std::vector<float>();
    if (reach.empty() || bias.size() != reach.size()) continue;
    size_t with_bias = 0, dominated = 0;
    for (size_t c = 0; c < reach.size(); ++c) {
      if (bias[c] == 0.0f) continue;
      ++with_bias;
      dominated += reach[c] * kBiasDominance < fabs(double(bias[c]));
    }
    if (with_bias * 2 >= reach.size() && double(dominated) >= kChannelShare * double(with_bias)) {
      messages.push_back("the inputs barely reach " + where + ": in " + std::to_string(dominated) + " of " +
                         std::to_string(reach.size()) + " channels its bias is over " + number(kBiasDominance) +
                         "x larger than anything " + data_range(layer.input) +
                         " can add; was the model trained on larger values (e.g. 0..255 pixels: --scale 1)?");
    }
  }
  return messages;
}

}  // namespace quantizer
}  // namespace tools
}  // namespace mote
