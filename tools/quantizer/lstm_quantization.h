// UNIDIRECTIONAL_SEQUENCE_LSTM as TensorFlow quantizes the plain LSTM (no
// CIFG, peephole, projection or layer norm) for the int8 kernels of TFLite and
// TFLM:
//   inputs 1-8    input / recurrent weights: int8, symmetric, per tensor
//   inputs 12-15  gate biases: int32, scale = input scale x that gate's input
//                 weight scale
//   input 18      hidden state (variable): int8, the output's parameters (the
//                 output range is taken over the output and the state)
//   input 19      cell state (variable): int16, symmetric, power-of-two range
//                 2^ceil(log2 max|c|)
//   intermediates five tensors of shape [0]: the four gate intermediates
//                 (float32, unquantized: only layer-norm LSTMs use them) and
//                 effective_hidden_scale_intermediate (int8, the output's
//                 parameters)
#pragma once

#include "tools/quantizer/calibration.h"
#include "tools/quantizer/graph.h"
#include "tools/quantizer/quant_params.h"

namespace mote {
namespace tools {
namespace quantizer {

// Quantizes node `node`'s constants and states and adds its intermediates.
// `input` / `output` are the activation parameters already chosen for
// inputs 0 and the output; `cell_range` is the calibrated cell-state range.
void quantize_lstm(Graph& graph, int32_t node, QuantParams input, QuantParams output, const TensorRange& cell_range);

}  // namespace quantizer
}  // namespace tools
}  // namespace mote
