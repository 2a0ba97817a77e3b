// SVDF as TensorFlow quantizes it for the int8 kernels of TFLite and TFLM:
//   input 1  weights_feature: int8, symmetric, per tensor
//   input 2  weights_time: int16 holding 10-bit values, scale = max|w| / 512
//            (6 bits stay free for the sum over the memory)
//   input 3  bias (optional): int32, scale = state scale x weights_time scale
//   input 4  activation state (variable): int16, symmetric, scale =
//            max|state| / 32767 over the calibrated state values
// The input and output are int8 activations like any other.
#pragma once

#include "tools/quantizer/calibration.h"
#include "tools/quantizer/graph.h"

namespace mote {
namespace tools {
namespace quantizer {

void quantize_svdf(Graph& graph, int32_t node, const TensorRange& state_range);

}  // namespace quantizer
}  // namespace tools
}  // namespace mote
