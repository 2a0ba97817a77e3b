// Clamp ranges of fused activations (the fused_activation_function option of
// CONV_2D, FULLY_CONNECTED, ADD, ...), computed as TFLite does.
#pragma once

#include <math.h>
#include <stdint.h>

#include <limits>

#include "mote/schema.h"

namespace mote {

// True for the fused activations a kernel implements by clamping: NONE, RELU,
// RELU_N1_TO_1 and RELU6. Ops reject the others (TANH, SIGN_BIT) in prepare.
inline bool is_clamp_activation(schema::Activation activation) {
  return activation == schema::Activation::kNone || activation == schema::Activation::kRelu ||
         activation == schema::Activation::kReluN1To1 || activation == schema::Activation::kRelu6;
}

// [*min, *max] in the quantized domain of an output with `scale` and
// `zero_point`, intersected with [qmin, qmax]. The bounds 0, 6 and +-1 are
// quantized as zero_point + round(bound / scale), with float division and
// rounding half away from zero.
inline void quantized_activation_range(schema::Activation activation, float scale, int32_t zero_point, int32_t qmin,
                                       int32_t qmax, int32_t* min, int32_t* max) {
  auto quantize = [scale, zero_point](float bound) { return zero_point + int32_t(roundf(bound / scale)); };
  *min = qmin;
  *max = qmax;
  switch (activation) {
    case schema::Activation::kRelu:
      *min = quantize(0.0f) > qmin ? quantize(0.0f) : qmin;
      break;
    case schema::Activation::kRelu6:
      *min = quantize(0.0f) > qmin ? quantize(0.0f) : qmin;
      *max = quantize(6.0f) < qmax ? quantize(6.0f) : qmax;
      break;
    case schema::Activation::kReluN1To1:
      *min = quantize(-1.0f) > qmin ? quantize(-1.0f) : qmin;
      *max = quantize(1.0f) < qmax ? quantize(1.0f) : qmax;
      break;
    default:
      break;
  }
}

inline void int8_activation_range(schema::Activation activation, float scale, int32_t zero_point, int32_t* min,
                                  int32_t* max) {
  quantized_activation_range(activation, scale, zero_point, -128, 127, min, max);
}

inline void int16_activation_range(schema::Activation activation, float scale, int32_t zero_point, int32_t* min,
                                   int32_t* max) {
  quantized_activation_range(activation, scale, zero_point, -32768, 32767, min, max);
}

inline void float_activation_range(schema::Activation activation, float* min, float* max) {
  *min = std::numeric_limits<float>::lowest();
  *max = std::numeric_limits<float>::max();
  switch (activation) {
    case schema::Activation::kRelu:
      *min = 0.0f;
      break;
    case schema::Activation::kRelu6:
      *min = 0.0f;
      *max = 6.0f;
      break;
    case schema::Activation::kReluN1To1:
      *min = -1.0f;
      *max = 1.0f;
      break;
    default:
      break;
  }
}

}  // namespace mote
