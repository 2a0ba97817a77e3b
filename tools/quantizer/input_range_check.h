// Checks that the calibration data's value range suits the float model, to
// catch the wrong --scale before it silently costs accuracy (the report's
// verdict cannot: it compares both models on the same mis-scaled data).
//
// Looks at the first layers (CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED reading
// a model input):
//   - too small: in most output channels the bias is over 10x larger than the
//     most the input can add, max|x| * sum|w| (e.g. a model trained on 0..255
//     pixels fed 0..1);
//   - too large: over half of the layer's outputs sit at the bound of its fused
//     RELU6 / RELU_N1_TO_1 (e.g. a model trained on 0..1 fed 0..255), measured
//     by running the float model on up to 16 samples.
#pragma once

#include <string>
#include <vector>

#include "tools/quantizer/calibration_data.h"
#include "tools/quantizer/float_model.h"

namespace mote {
namespace tools {
namespace quantizer {

// One message per suspicious layer (empty when the range looks right).
std::vector<std::string> check_input_ranges(const FloatModel& model, const std::vector<Sample>& samples);

}  // namespace quantizer
}  // namespace tools
}  // namespace mote
