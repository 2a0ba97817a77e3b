// Reading and checking the float model before quantization:
//   - refuses a model that is already quantized, an op mote quantize does not
//     support (named with its node), non-constant weights, NaN/Inf weights;
//   - turns a hybrid model back into a float one: int8/uint8/int16 or float16
//     constant weights and biases are dequantized to float32, and DEQUANTIZE
//     ops reading a constant are folded into float32 constants.
// The result is the float model calibration runs and the report compares
// against.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <string>
#include <vector>

#include "tools/quantizer/calibration_data.h"
#include "tools/quantizer/graph.h"

namespace mote {
namespace tools {
namespace quantizer {

struct FloatModel {
  Graph graph;                    // float32 activations and constants
  std::vector<uint8_t> bytes;     // `graph` serialized
  size_t original_bytes = 0;      // size of the file given
  int dequantized_constants = 0;  // hybrid weights/biases turned into float32
  int folded_dequantize_ops = 0;
};

// Throws UserError with a message for the user.
FloatModel prepare_float_model(const std::vector<uint8_t>& file);

// The model's inputs as the calibration data loader needs them.
std::vector<InputSpec> input_specs(const FloatModel& model);

}  // namespace quantizer
}  // namespace tools
}  // namespace mote
