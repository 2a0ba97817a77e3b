#include "tools/quantizer/weight_quantization.h"

#include <algorithm>

namespace mote {
namespace tools {
namespace quantizer {

void quantize_weights(Tensor& t, int32_t axis) {
  const std::vector<float> values = constant_as_float(t);
  if (axis >= int32_t(t.shape.size()))
    throw UserError("weights '" + t.name + "' have rank " + std::to_string(t.shape.size()) +
                    ", too low for per-channel quantization along dimension " + std::to_string(axis));
  std::vector<float> scales;
  for (float m : max_abs_per_channel(values, t.shape, axis)) scales.push_back(symmetric_weight_scale(m));
  const std::vector<int8_t> q =
      axis >= 0 ? quantize_per_channel(values, t.shape, axis, scales) : quantize_per_tensor(values, scales[0]);
  t.type = DType::kInt8;
  t.data = to_bytes(q);
  t.scales = scales;
  t.zero_points.assign(scales.size(), 0);
  t.quantized_dimension = axis >= 0 ? axis : 0;
}

void quantize_bias(Tensor& t, float input_scale, const std::vector<float>& weight_scales) {
  const std::vector<float> values = constant_as_float(t);
  std::vector<float> scales;
  for (float w : weight_scales) scales.push_back(bias_scale(input_scale, w));
  if (scales.size() != 1 && scales.size() != values.size())
    throw UserError("bias '" + t.name + "' has " + std::to_string(values.size()) + " values for " +
                    std::to_string(scales.size()) + " weight channels");
  t.type = DType::kInt32;
  t.data = to_bytes(quantizer::quantize_bias(values, scales));
  t.scales = scales;
  t.zero_points.assign(scales.size(), 0);
  t.quantized_dimension = 0;
}

void quantize_constant(Tensor& t, QuantParams params) {
  const std::vector<float> values = constant_as_float(t);
  std::vector<int8_t> q(values.size());
  for (size_t i = 0; i < values.size(); ++i) q[i] = quantize_int8(values[i], params);
  t.type = DType::kInt8;
  t.data = to_bytes(q);
  t.scales = {params.scale};
  t.zero_points = {params.zero_point};
  t.quantized_dimension = 0;
}

QuantParams constant_params(const Tensor& t) {
  const std::vector<float> values = constant_as_float(t);
  float lo = 0.0f, hi = 0.0f;
  for (float v : values) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  return activation_params(lo, hi);
}

}  // namespace quantizer
}  // namespace tools
}  // namespace mote
