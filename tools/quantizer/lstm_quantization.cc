#include "tools/quantizer/lstm_quantization.h"

#include "tools/quantizer/weight_quantization.h"

namespace mote {
namespace tools {
namespace quantizer {
namespace {

constexpr int kFirstInputWeights = 1;
constexpr int kFirstRecurrentWeights = 5;
constexpr int kFirstGateBias = 12;
constexpr int kHiddenState = 18;
constexpr int kCellState = 19;
constexpr int kGates = 4;

const char* const kIntermediateNames[] = {"input_to_input_intermediate", "input_to_forget_intermediate",
                                          "input_to_cell_intermediate", "input_to_output_intermediate",
                                          "effective_hidden_scale_intermediate"};

}  // namespace

void quantize_lstm(Graph& g, int32_t node, QuantParams input, QuantParams output, const TensorRange& cell_range) {
  // Copies: adding tensors below may move g.tensors.
  const std::vector<int32_t> inputs = g.ops[size_t(node)].inputs;
  for (int gate = 0; gate < kGates; ++gate) {
    Tensor& input_weights = g.tensors[size_t(inputs[size_t(kFirstInputWeights + gate)])];
    quantize_weights(input_weights, -1);
    const float input_weight_scale = input_weights.scales[0];
    quantize_weights(g.tensors[size_t(inputs[size_t(kFirstRecurrentWeights + gate)])], -1);
    quantize_bias(g.tensors[size_t(inputs[size_t(kFirstGateBias + gate)])], input.scale, {input_weight_scale});
  }

  Tensor& hidden = g.tensors[size_t(inputs[kHiddenState])];
  hidden.type = DType::kInt8;
  hidden.scales = {output.scale};
  hidden.zero_points = {output.zero_point};
  hidden.data.clear();

  Tensor& cell = g.tensors[size_t(inputs[kCellState])];
  cell.type = DType::kInt16;
  const TensorRange range = cell_range.seen() ? cell_range : TensorRange{0.0f, 0.0f};
  cell.scales = {power_of_two_int16_scale(range.min, range.max)};
  cell.zero_points = {0};
  cell.data.clear();

  std::vector<int32_t> intermediates;
  for (int i = 0; i < 5; ++i) {
    Tensor t;
    t.name = kIntermediateNames[i];
    t.shape = {0};
    if (i == 4) {
      t.type = DType::kInt8;
      t.scales = {output.scale};
      t.zero_points = {output.zero_point};
    }
    intermediates.push_back(g.add_tensor(std::move(t)));
  }
  g.ops[size_t(node)].intermediates = intermediates;
}

}  // namespace quantizer
}  // namespace tools
}  // namespace mote
