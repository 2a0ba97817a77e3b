// Treats the fuzzer's bytes as a float .tflite model and runs
// `mote quantize --random --samples 3` on it end to end: prepare the float
// model, calibrate on three random samples, rewrite to int8 (which loads and
// allocates the result with mote), evaluate it and format the report. The
// input's size picks the calibration method, I/O types and per-channel FC, so
// the seeds cover every option. Only std::runtime_error (QuantizeError and
// I/O errors, messages for the user) may come out.
#include <stdint.h>

#include <stdexcept>
#include <vector>

#include "tools/quantizer/calibration_data.h"
#include "tools/quantizer/quantizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace tools = mote::tools;
  namespace q = mote::tools::quantizer;
  static const q::CalibrationMethod kMethods[] = {q::CalibrationMethod::kMinMax, q::CalibrationMethod::kPercentile,
                                                  q::CalibrationMethod::kMse};
  static const q::IoType kIoTypes[] = {q::IoType::kInt8, q::IoType::kUInt8, q::IoType::kFloat32};
  q::QuantizeOptions options;
  options.calibration.method = kMethods[size % 3];
  options.rewrite.input_type = kIoTypes[size / 3 % 3];
  options.rewrite.output_type = kIoTypes[size / 9 % 3];
  options.rewrite.per_channel_fc = size / 27 % 2;
  tools::CalibrationOptions data_options;
  data_options.random = true;
  data_options.max_samples = 3;
  try {
    const q::FloatModel model = q::prepare_float_model(std::vector<uint8_t>(data, data + size));
    const std::vector<tools::Sample> samples =
        tools::load_calibration_data({}, q::input_specs(model), data_options, nullptr);
    const q::QuantizedModel quantized = q::quantize_model(model, samples, options);
    const tools::QuantizeReport report = q::evaluate_quantization(model, quantized, samples, nullptr);
    tools::report_to_text(report, 10);
  } catch (const std::runtime_error&) {
  }
  return 0;
}
