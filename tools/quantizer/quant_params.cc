#include "tools/quantizer/quant_params.h"

#include <math.h>

#include <algorithm>
#include <limits>

namespace mote {
namespace tools {
namespace quantizer {
namespace {

// TensorFlow's kNearZeroTolerance.
constexpr double kNearZero = 1.0e-6;

// float -> int32 saturating, as TensorFlow's SafeCast.
int32_t saturating_int32(float x) {
  if (!(x == x)) return 0;
  if (x >= 2147483648.0f) return std::numeric_limits<int32_t>::max();
  if (x < -2147483648.0f) return std::numeric_limits<int32_t>::min();
  return int32_t(x);
}

}  // namespace

QuantParams activation_params(float min, float max) {
  double rmin = std::min(double(min), 0.0);
  double rmax = std::max(double(max), 0.0);
  if (fabs(rmax - rmin) < kNearZero) {
    rmin -= kNearZero;
    rmax += kNearZero;
  }
  QuantParams p;
  p.scale = (float(rmax) - float(rmin)) / 255.0f;
  const float zero_point_from_min = float(-128.0 - rmin / double(p.scale));
  if (zero_point_from_min < -128.0f) {
    p.zero_point = -128;
  } else if (zero_point_from_min > 127.0f) {
    p.zero_point = 127;
  } else {
    p.zero_point = int32_t(roundf(zero_point_from_min));
  }
  return p;
}

float symmetric_weight_scale(float max_abs) {
  double m = fabs(double(max_abs));
  if (2.0 * m <= kNearZero) m = std::max(m, kNearZero / 2.0);
  const float fm = float(m);
  return (fm + fm) / 254.0f;
}

std::vector<float> max_abs_per_channel(const std::vector<float>& values, const std::vector<int32_t>& shape,
                                       int32_t axis) {
  if (axis < 0) {
    float m = 0.0f;
    for (float v : values) m = std::max(m, fabsf(v));
    return {m};
  }
  const int32_t channels = shape[size_t(axis)];
  int64_t inner = 1;
  for (size_t d = size_t(axis) + 1; d < shape.size(); ++d) inner *= shape[d];
  std::vector<float> result(size_t(channels), 0.0f);
  for (size_t i = 0; i < values.size(); ++i) {
    const size_t c = size_t((int64_t(i) / inner) % channels);
    result[c] = std::max(result[c], fabsf(values[i]));
  }
  return result;
}

std::vector<int8_t> quantize_per_channel(const std::vector<float>& values, const std::vector<int32_t>& shape,
                                         int32_t axis, const std::vector<float>& scales) {
  const int32_t channels = shape[size_t(axis)];
  int64_t inner = 1;
  for (size_t d = size_t(axis) + 1; d < shape.size(); ++d) inner *= shape[d];
  std::vector<float> inverse(scales.size());
  for (size_t c = 0; c < scales.size(); ++c) inverse[c] = float(1.0 / double(scales[c]));
  std::vector<int8_t> q(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    const size_t c = size_t((int64_t(i) / inner) % channels);
    const int32_t v = saturating_int32(roundf(values[i] * inverse[c]));
    q[i] = int8_t(std::min(127, std::max(-127, v)));
  }
  return q;
}

std::vector<int8_t> quantize_per_tensor(const std::vector<float>& values, float scale) {
  float range = 0.0f;
  for (float v : values) range = std::max(range, fabsf(v));
  // TensorFlow multiplies by 127 / max|w|; for ranges it widened to 5e-7 the
  // stored scale is the only consistent choice.
  const bool widened = 2.0 * double(range) <= kNearZero;
  const float inverse = widened ? float(1.0 / double(scale)) : 127.0f / range;
  std::vector<int8_t> q(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    const int32_t v = saturating_int32(roundf(values[i] * inverse));
    q[i] = int8_t(std::min(127, std::max(-127, v)));
  }
  return q;
}

float bias_scale(float input_scale, float weight_scale) { return float(double(input_scale) * double(weight_scale)); }

std::vector<int32_t> quantize_bias(const std::vector<float>& values, const std::vector<float>& scales) {
  const int32_t kMax = std::numeric_limits<int32_t>::max();
  std::vector<int32_t> q(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    const float scale = scales[scales.size() == 1 ? 0 : i];
    const float inverse = scale == 0.0f ? 0.0f : float(1.0 / double(scale));
    const int32_t v = saturating_int32(roundf(values[i] * inverse));
    q[i] = std::min(kMax, std::max(-kMax, v));
  }
  return q;
}

float power_of_two_int16_scale(float min, float max) {
  const double m = std::max(fabs(double(min)), fabs(double(max)));
  const double bound = m > 0.0 ? pow(2.0, ceil(log2(m))) : 1.0;
  return float(bound / 32768.0);
}

int32_t quantize_value(float x, QuantParams params, int32_t qmin, int32_t qmax) {
  const int32_t q = saturating_int32(roundf(x / params.scale));
  const int64_t v = int64_t(q) + params.zero_point;
  return int32_t(std::min<int64_t>(qmax, std::max<int64_t>(qmin, v)));
}

}  // namespace quantizer
}  // namespace tools
}  // namespace mote
