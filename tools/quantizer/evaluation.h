// The accuracy report: runs the float and the int8 model on the same samples
// (each from a fresh state) and measures, per tensor, the SQNR of the
// dequantized int8 values against the float ones; per output the mean / max
// absolute error, the SQNR and, for classifier-like outputs (last dimension
// > 1), the share of samples (rows) whose argmax agrees.
#pragma once

#include <vector>

#include "tools/quantizer/calibration.h"
#include "tools/quantizer/calibration_data.h"
#include "tools/quantizer/float_model.h"
#include "tools/quantizer/quantize_report.h"

namespace mote {
namespace tools {
namespace quantizer {

struct QuantizedModel;

// Fills `samples`, `tensors` and `outputs` of the report (the caller sets the
// file names and method). Throws UserError when a model fails to run.
QuantizeReport evaluate_quantization(const FloatModel& model, const QuantizedModel& quantized,
                                     const std::vector<Sample>& samples, const ProgressCallback& progress);

}  // namespace quantizer
}  // namespace tools
}  // namespace mote
