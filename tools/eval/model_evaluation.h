// `mote eval`'s measurements: runs one model, or two (float and int8), over
// the same samples, each from a fresh state, and judges one output by its task
// (tools/quantizer/output_task.h):
//   classification  predicted class = argmax of the output; with labels, the
//                   accuracy and the confusion matrix (rows: true class,
//                   columns: predicted);
//   regression      with target labels, the MSE, mean and max |error| over
//                   every value, and each sample's MSE;
//   reconstruction  the same against the input the output reconstructs (no
//                   labels needed).
// With two models, also how far the second's output is from the first's
// (same class, MSE, max |difference|), labels or not.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <functional>
#include <string>
#include <vector>

#include "tools/common/error_statistics.h"
#include "tools/quantizer/calibration_data.h"
#include "tools/quantizer/output_task.h"

namespace mote {
namespace tools {
namespace eval {

struct EvalModel {
  std::string path;
  std::vector<uint8_t> bytes;  // the .tflite file
};

// What is judged and against what.
struct EvalTarget {
  size_t output = 0;  // index into the models' outputs
  quantizer::OutputKind kind;
  int classes = 0;                             // classification: the output's values
  std::vector<int> sample_class;               // classification labels, one per sample (empty: none)
  std::vector<std::vector<float>> targets;     // regression labels, one per sample (empty: none)
};

struct ModelEvaluation {
  std::string path;
  // classification with labels
  int64_t correct = 0;
  std::vector<std::vector<int64_t>> confusion;  // [true class][predicted class]
  // regression with labels, reconstruction: against the targets / the input
  bool has_errors = false;
  double mse = 0, mean_abs_error = 0, max_abs_error = 0;
  std::vector<double> sample_mse;  // one per sample
  ErrorDistribution sample_mse_distribution;
};

// The second model's output against the first's.
struct ModelAgreement {
  double same_class = -1;  // classification: share of samples with the same predicted class
  double mse = 0, max_abs_difference = 0;
};

struct ModelEvaluations {
  std::vector<ModelEvaluation> models;
  bool compared = false;  // two models: `agreement` holds
  ModelAgreement agreement;
};

using EvalProgress = std::function<void(const std::string& phase, int done, int total)>;

// Throws UserError when a model cannot run.
ModelEvaluations evaluate_models(const std::vector<EvalModel>& models, const std::vector<Sample>& samples,
                                 const EvalTarget& target, const EvalProgress& progress);

}  // namespace eval
}  // namespace tools
}  // namespace mote
