// The arithmetic of TFLite's int8 quantization spec, computed the way
// TensorFlow's converter computes it (the MLIR quantizer with
// legacy_float_scale, as the Python converter runs it), so that scales and
// quantized weights match TensorFlow's bit for bit or within one step:
//
//   activations  int8, asymmetric: the range is widened to contain 0 (and to
//                at least 2e-6 wide), scale = float(max - min) / 255 in float32,
//                zero_point = round(-128 - min / scale) clamped to [-128, 127].
//   weights      int8, symmetric in [-127, 127]: scale = float(2 * max|w|) / 254
//                (max|w| at least 5e-7), per channel or per tensor.
//   bias         int32, zero point 0, scale = float(double(input_scale) *
//                double(weight_scale)).
//   LSTM cell    int16, symmetric with a power-of-two range: 2^ceil(log2
//                max|c|) / 32768.
// Quantized values are computed with float32 reciprocals as TensorFlow does
// (q = round(float(x * float(1 / scale)))), which can differ from a division in
// the last step.
#pragma once

#include <stdint.h>

#include <vector>

namespace mote {
namespace tools {
namespace quantizer {

struct QuantParams {
  float scale = 0.0f;
  int32_t zero_point = 0;
};

// int8 asymmetric parameters for a calibrated range [min, max].
QuantParams activation_params(float min, float max);

// Symmetric int8 weight scale for the largest magnitude of a tensor or channel.
float symmetric_weight_scale(float max_abs);

// Largest |value| per channel along `axis` of a tensor of `shape` (one value
// for axis < 0).
std::vector<float> max_abs_per_channel(const std::vector<float>& values, const std::vector<int32_t>& shape,
                                       int32_t axis);

// int8 weights with one scale per channel along `axis` (TensorFlow's
// per-channel rounding).
std::vector<int8_t> quantize_per_channel(const std::vector<float>& values, const std::vector<int32_t>& shape,
                                         int32_t axis, const std::vector<float>& scales);

// int8 weights with one scale; follows TensorFlow's per-tensor rounding
// (reciprocal 127 / max|w|).
std::vector<int8_t> quantize_per_tensor(const std::vector<float>& values, float scale);

// Bias scale for an input scale and a weight scale.
float bias_scale(float input_scale, float weight_scale);

// int32 bias; `scales` has one entry, or one per element of the (1-D) bias.
std::vector<int32_t> quantize_bias(const std::vector<float>& values, const std::vector<float>& scales);

// Power-of-two int16 scale for a range (the LSTM cell state).
float power_of_two_int16_scale(float min, float max);

// One value with the rounding of TFLite's QUANTIZE kernel: round(x / scale) +
// zero_point, clamped to [qmin, qmax].
int32_t quantize_value(float x, QuantParams params, int32_t qmin, int32_t qmax);
inline int8_t quantize_int8(float x, QuantParams params) { return int8_t(quantize_value(x, params, -128, 127)); }
inline float dequantize(int32_t q, QuantParams params) { return params.scale * float(q - params.zero_point); }

}  // namespace quantizer
}  // namespace tools
}  // namespace mote
