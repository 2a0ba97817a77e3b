// What `mote run` accepts as a model input, and how it becomes the tensor's
// bytes:
//   - the tensor's own type: .bin with exactly its bytes, .npy of its dtype
//     (copied as they are);
//   - real values for a quantized (int8 / uint8 / int16) or float input:
//     float32/float64 .npy, float32 .bin (elements * 4 bytes), .csv, or an
//     image (.png .bmp .jpg .jpeg, resized and normalised as `mote quantize`
//     does: --scale default 1/255, --mean, --color, or as `mote quantize`
//     recorded in the model); quantized with the input's scale and zero
//     point, q = clamp(round(x / scale) + zero_point).
#pragma once

#include <stdint.h>

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "mote/model.h"
#include "tools/quantizer/preprocessing_metadata.h"

namespace mote {
namespace cli {

// --scale / --mean / --color as given (empty: defaults), and what `mote
// quantize` recorded in the model for each input; a given option wins over
// the recorded one.
struct InputPreprocessing {
  std::string scale, mean;
  std::string color = "auto";
  std::vector<tools::RecordedPreprocessing> recorded;
};

// `given` with the preprocessing recorded in the model's metadata (see
// tools/quantizer/preprocessing_metadata.h). A recorded entry applies to data
// of the kind it was recorded for (images, or float values).
InputPreprocessing with_recorded_preprocessing(const InputPreprocessing& given, const Model& model);

struct ModelInput {
  std::vector<uint8_t> bytes;  // the tensor's bytes
  std::string how;             // "", or how it was converted, e.g. "float32 .npy quantized (scale 0.0039, zero point -128)"
};

// --scale, --mean and --color of `mote run` and `mote export`.
void add_preprocessing_options(CLI::App* cmd, InputPreprocessing* preprocessing);

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
