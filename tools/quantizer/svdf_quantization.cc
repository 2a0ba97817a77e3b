#include "tools/quantizer/svdf_quantization.h"

#include <math.h>

#include <algorithm>

#include "tools/quantizer/weight_quantization.h"

namespace mote {
namespace tools {
namespace quantizer {
namespace {

constexpr int kWeightsFeature = 1;
constexpr int kWeightsTime = 2;
constexpr int kBias = 3;
constexpr int kState = 4;
constexpr double kTimeWeightBound = 512.0;  // 10 bits

}  // namespace

void quantize_svdf(Graph& g, int32_t node, const TensorRange& state_range) {
  const std::vector<int32_t> inputs = g.ops[size_t(node)].inputs;
  quantize_weights(g.tensors[size_t(inputs[kWeightsFeature])], -1);

  Tensor& time = g.tensors[size_t(inputs[kWeightsTime])];
  const std::vector<float> time_values = constant_as_float(time);
  float max_abs = 0.0f;
  for (float v : time_values) max_abs = std::max(max_abs, fabsf(v));
  const float time_scale = max_abs > 0.0f ? float(double(max_abs) / kTimeWeightBound) : 1.0f;
  const float inverse = float(1.0 / double(time_scale));
  std::vector<int16_t> q(time_values.size());
  for (size_t i = 0; i < q.size(); ++i) {
    const float r = roundf(time_values[i] * inverse);
    q[i] = int16_t(std::min(kTimeWeightBound, std::max(-kTimeWeightBound, double(r))));
  }
  time.type = DType::kInt16;
  time.data = to_bytes(q);
  time.scales = {time_scale};
  time.zero_points = {0};
  time.quantized_dimension = 0;

  Tensor& state = g.tensors[size_t(inputs[kState])];
  const float state_max = state_range.seen() ? std::max(fabsf(state_range.min), fabsf(state_range.max)) : 0.0f;
  const float bound = std::max(state_max, 1e-6f);
  state.type = DType::kInt16;
  state.scales = {(bound + bound) / 65534.0f};
  state.zero_points = {0};
  state.data.clear();

  if (inputs.size() > size_t(kBias) && inputs[kBias] >= 0)
    quantize_bias(g.tensors[size_t(inputs[kBias])], state.scales[0], {time_scale});
}

}  // namespace quantizer
}  // namespace tools
}  // namespace mote
