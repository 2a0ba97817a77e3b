// The accuracy report: runs the float and the int8 model on the same samples
// (each from a fresh state) and measures, per tensor, the SQNR of the
// dequantized int8 values against the float ones; per output the mean / max
// absolute error, MSE, the SQNR, and the metric of the output's task:
//   classification  (the output comes from SOFTMAX, or LOGISTIC over > 1
//                   values) the share of samples (rows) whose argmax agrees;
//   reconstruction  (as many values as a model input, e.g. an autoencoder)
//                   the per-sample MSE against that input, float and int8;
//   regression      anything else: MSE and max |error| are the metric.
// `task` other than kAuto applies to every output.
#pragma once

#include <vector>

#include "tools/quantizer/calibration.h"
#include "tools/quantizer/calibration_data.h"
#include "tools/quantizer/float_model.h"
#include "tools/quantizer/output_task.h"
#include "tools/quantizer/quantize_report.h"

namespace mote {
namespace tools {
namespace quantizer {

struct QuantizedModel;

// Fills `evaluation_samples`, `tensors` and `outputs` of the report (the caller
// sets the file names and method). Throws UserError when a model fails to
// run, or for kReconstruction when an output has no input of its size.
QuantizeReport evaluate_quantization(const FloatModel& model, const QuantizedModel& quantized,
                                     const std::vector<Sample>& samples, const ProgressCallback& progress,
                                     OutputTask task = OutputTask::kAuto);

}  // namespace quantizer
}  // namespace tools
}  // namespace mote
