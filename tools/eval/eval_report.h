// The report of `mote eval`: per model the accuracy and confusion matrix
// (classification) or the error against the targets / the reconstructed input
// (regression, reconstruction), and how far the second model is from the
// first; as terminal text, JSON ("mote-eval-report/1") and a self-contained
// HTML page with SVG pictures (the confusion matrices as heat maps, the
// per-sample error distribution as a histogram).
#pragma once

#include <stdint.h>

#include <string>
#include <vector>

#include "tools/eval/model_evaluation.h"
#include "tools/quantizer/calibration_data.h"

namespace mote {
namespace tools {
namespace eval {

struct EvalReport {
  std::string task, task_reason;  // "classification", "SOFTMAX output"
  std::string output_name;
  size_t output_index = 0;
  int64_t output_values = 0;
  std::string reconstructs;  // reconstruction: "input 'x'"
  int samples = 0;
  std::vector<DataPreprocessing> data;  // one per model input
  std::string labels;                   // where the labels came from; empty: none
  std::vector<std::string> class_names;
  ModelEvaluations results;
};

// Histogram of every model's per-sample MSE over common bins [0, largest
// finite]; the largest and any non-finite error fall in the last bin.
struct ErrorHistogram {
  double bin_width = 0;
  std::vector<std::vector<int64_t>> counts;  // [model][bin]
};
ErrorHistogram error_histogram(const std::vector<ModelEvaluation>& models, int bins);

std::string eval_report_text(const EvalReport& report);
std::string eval_report_json(const EvalReport& report);
std::string eval_report_html(const EvalReport& report);

// Rows: true class, columns: predicted; cells shaded by the share of their row.
std::string confusion_matrix_svg(const std::vector<std::string>& class_names,
                                 const std::vector<std::vector<int64_t>>& confusion);
std::string error_histogram_svg(const EvalReport& report);

}  // namespace eval
}  // namespace tools
}  // namespace mote
