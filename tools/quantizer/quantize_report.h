// The accuracy report of `mote quantize`: how far the int8 model's tensors and
// outputs are from the float model's over the calibration set, as a terminal
// table, JSON or a self-contained HTML page.
//
// Conventions for the producer:
//   - sqnr_db = 10 * log10(sum(float^2) / sum((float - dequantized)^2)); +inf
//     when the error is zero (printed "inf", JSON null), NaN when undefined.
//   - OutputQuality::task says what the output is and picks the verdict's
//     metric: "classification" (top-1 agreement), "regression" (MSE, max
//     |error|) or "reconstruction" (an output the size of an input, e.g. an
//     autoencoder's: its error against that input, float and int8 models).
//   - top1_agreement is a FRACTION in [0, 1] (share of samples whose argmax
//     matches the float model's), -1 for outputs that are not classifiers.
//   - TensorQuality::tensor is the tensor index in the quantized model (-1 if
//     none); the chart shows tensors in increasing index order (model order),
//     the tables worst SQNR first.
#pragma once

#include <stdint.h>

#include <string>
#include <vector>

#include "tools/common/error_statistics.h"
#include "tools/quantizer/calibration_data.h"

namespace mote {
namespace tools {

struct TensorQuality {
  std::string name;
  int32_t tensor = -1;
  std::string producer_op;
  double sqnr_db = 0;
  float float_min = 0, float_max = 0;
  float scale = 0;
  int32_t zero_point = 0;
};

struct OutputQuality {
  std::string name;
  std::string task = "regression";  // classification | regression | reconstruction
  std::string task_reason;          // e.g. "SOFTMAX output", "--task"
  double mean_abs_error = 0, max_abs_error = 0, mse = 0, sqnr_db = 0;
  double top1_agreement = -1;  // fraction in [0, 1]; -1: not a classifier
  // reconstruction only: per-sample MSE against the input `reconstructs`
  std::string reconstructs;
  ErrorDistribution float_reconstruction, int8_reconstruction;
};

struct QuantizeReport {
  std::string float_model, quantized_model, method;
  int calibration_samples = 0;  // samples the ranges were measured on
  int evaluation_samples = 0;   // samples the comparison below ran on
  bool held_out = false;        // evaluated on separate data, not the calibration samples
  std::vector<DataPreprocessing> calibration_data, evaluation_data;  // one per model input
  std::vector<std::string> warnings;  // e.g. data whose range looks wrong for the model
  std::vector<TensorQuality> tensors;
  std::vector<OutputQuality> outputs;
};

// Tensors under this SQNR are flagged as poor in every format.
constexpr double kPoorSqnrDb = 10.0;

// Header, outputs table, per-tensor table (worst SQNR first) and a one-line
// verdict. max_tensor_rows >= 0 limits the tensor table (a line says how many
// were left out).
std::string report_to_text(const QuantizeReport& report);
std::string report_to_text(const QuantizeReport& report, int max_tensor_rows);

// The metric of an output's task, e.g. "top-1 agreement 98.0%, SQNR 21.3 dB" or
// "MSE 0.0012, max |error| 0.21, SQNR 30.1 dB".
std::string output_metric_text(const OutputQuality& output);

// The one-line verdict, e.g. "2 of 31 tensors under 10 dB SQNR (worst: conv_3, 4.2 dB)".
std::string report_verdict(const QuantizeReport& report);

// The report as JSON text (keys: format, float_model, quantized_model, method,
// calibration_samples, evaluation_samples, evaluation_data, preprocessing,
// warnings[], poor_sqnr_db, verdict, outputs[], tensors[] worst first) and as a
// complete HTML page.
std::string report_to_json(const QuantizeReport& report);
std::string report_to_html(const QuantizeReport& report);

// Writes JSON (.json) or HTML (.html/.htm) by the path's extension; throws
// std::runtime_error for another extension or when the file can't be written.
void write_report(const QuantizeReport& report, const std::string& path);

}  // namespace tools
}  // namespace mote
