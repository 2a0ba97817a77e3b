// What `mote run` accepts as a model input, and how it becomes the tensor's
// bytes:
//   - the tensor's own type: .bin with exactly its bytes, .npy of its dtype
//     (copied as they are);
//   - real values for a quantized (int8 / uint8 / int16) or float input:
//     float32/float64 .npy, float32 .bin (elements * 4 bytes), .csv, or an
//     image (.png .bmp .jpg .jpeg, resized and normalised as `mote quantize`
//     does: --scale default 1/255, --mean, --color); quantized with the input's
//     scale and zero point, q = clamp(round(x / scale) + zero_point).
#pragma once

#include <stdint.h>

#include <string>
#include <vector>

#include "mote/model.h"

namespace mote {
namespace cli {

// --scale / --mean / --color as given (empty: defaults).
struct InputPreprocessing {
  std::string scale, mean;
  std::string color = "auto";
};

struct ModelInput {
  std::vector<uint8_t> bytes;  // the tensor's bytes
  std::string how;             // "", or how it was converted, e.g. "float32 .npy quantized (scale 0.0039, zero point -128)"
};

// Reads input i of the model from `path`; throws UserError saying what the input
// expects and which files are accepted.
ModelInput read_model_input(const std::string& path, uint32_t i, const TensorInfo& info,
                            const InputPreprocessing& preprocessing);

// Whether `path` has an extension read_model_input() accepts.
bool is_input_file(const std::string& path);

// Real values of a tensor: dequantized with its scale and zero point when
// quantized, else the values as they are.
std::vector<float> real_values(const TensorView& view, const QuantView& quant);

}  // namespace cli
}  // namespace mote
