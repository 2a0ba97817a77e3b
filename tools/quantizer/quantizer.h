// Post-training full-integer quantization of a float .tflite model, following
// TFLite's int8 quantization specification (what TensorFlow's converter does
// with Optimize.DEFAULT, TFLITE_BUILTINS_INT8 and a representative dataset):
//
//   FloatModel fm = prepare_float_model(file_bytes);           // checks, hybrid -> float
//   std::vector<Sample> data = load_calibration_data(paths, input_specs(fm), ...);
//   QuantizedModel q = quantize_model(fm, data, options);       // calibrate + rewrite
//   QuantizeReport r = evaluate_quantization(fm, q, data, {});  // SQNR per tensor, output agreement
//
// Every failure throws UserError with a message for the user.
#pragma once

#include <stdint.h>

#include <string>
#include <utility>
#include <vector>

#include "tools/quantizer/calibration.h"
#include "tools/quantizer/calibration_data.h"
#include "tools/quantizer/evaluation.h"
#include "tools/quantizer/float_model.h"
#include "tools/quantizer/model_rewriter.h"
#include "tools/quantizer/quantize_report.h"

namespace mote {
namespace tools {
namespace quantizer {

struct QuantizeOptions {
  RewriteOptions rewrite;
  CalibrationSettings calibration;
  // Metadata entries (name, bytes) for the int8 model, e.g. the
  // preprocessing_metadata() of the calibration data.
  std::vector<std::pair<std::string, std::vector<uint8_t>>> metadata;
};

struct QuantizedModel {
  std::vector<uint8_t> bytes;       // the int8 .tflite file
  std::vector<int32_t> tensor_map;  // float-model tensor -> int8-model tensor (-1: none)
  Calibration calibration;
  // Operators of the float model by name with their count, sorted by name.
  std::vector<std::pair<std::string, int>> quantized_ops;
  int requantize_ops = 0;
  int io_ops = 0;
};

// Calibrates on `samples`, builds the int8 model and checks that mote can
// load and allocate it.
QuantizedModel quantize_model(const FloatModel& model, const std::vector<Sample>& samples,
                              const QuantizeOptions& options);

}  // namespace quantizer
}  // namespace tools
}  // namespace mote
