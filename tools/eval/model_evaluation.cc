#include "tools/eval/model_evaluation.h"

#include <math.h>

#include <algorithm>
#include <memory>

#include "tools/quantizer/model_runner.h"

namespace mote {
namespace tools {
namespace eval {
namespace {

using quantizer::ModelRunner;
using quantizer::OutputTask;

int predicted_class(const std::vector<float>& scores) {
  return int(std::max_element(scores.begin(), scores.end()) - scores.begin());
}

// Sums over every value of every sample, and the per-sample MSE.
struct ErrorSums {
  double squared = 0, absolute = 0, max_absolute = 0;
  int64_t count = 0;
  std::vector<double> sample_mse;

  void add(const std::vector<float>& values, const std::vector<float>& reference) {
    const size_t n = std::min(values.size(), reference.size());
    double sample_squared = 0;
    for (size_t i = 0; i < n; ++i) {
      const double d = fabs(double(values[i]) - double(reference[i]));
      sample_squared += d * d;
      absolute += d;
      max_absolute = std::max(max_absolute, d);
    }
    squared += sample_squared;
    count += int64_t(n);
    sample_mse.push_back(n > 0 ? sample_squared / double(n) : 0.0);
  }
};

}  // namespace

ModelEvaluations evaluate_models(const std::vector<EvalModel>& models, const std::vector<Sample>& samples,
                                 const EvalTarget& target, const EvalProgress& progress) {
  std::vector<std::unique_ptr<ModelRunner>> runners;
  for (const EvalModel& m : models) runners.push_back(std::make_unique<ModelRunner>(m.bytes, "'" + m.path + "'"));
  const bool classification = target.kind.task == OutputTask::kClassification;
  const bool labelled_classes = classification && !target.sample_class.empty();
  const bool reconstruction = target.kind.task == OutputTask::kReconstruction;
  const bool has_reference = reconstruction || (target.kind.task == OutputTask::kRegression && !target.targets.empty());

  std::vector<ErrorSums> errors(models.size());
  ErrorSums difference;
  int64_t same_class = 0;
  ModelEvaluations result;
  result.models.resize(models.size());
  for (size_t m = 0; m < models.size(); ++m) {
    result.models[m].path = models[m].path;
    if (labelled_classes)
      result.models[m].confusion.assign(size_t(target.classes), std::vector<int64_t>(size_t(target.classes), 0));
  }

  const int total = int(samples.size());
  for (size_t k = 0; k < samples.size(); ++k) {
    std::vector<std::vector<float>> outputs(models.size());
    for (size_t m = 0; m < models.size(); ++m) {
      ModelRunner& runner = *runners[m];
      runner.reset_state();
      for (size_t i = 0; i < samples[k].size(); ++i) runner.set_input(i, samples[k][i]);
      runner.run();
      outputs[m] = runner.tensor_values(runner.model().output(uint32_t(target.output)));
      if (labelled_classes) {
        const int predicted = predicted_class(outputs[m]);
        const int truth = target.sample_class[k];
        ++result.models[m].confusion[size_t(truth)][size_t(predicted)];
        result.models[m].correct += predicted == truth;
      }
      if (has_reference)
        errors[m].add(outputs[m], reconstruction ? samples[k][size_t(target.kind.reconstructs)] : target.targets[k]);
    }
    if (models.size() == 2) {
      difference.add(outputs[1], outputs[0]);
      if (classification) same_class += predicted_class(outputs[1]) == predicted_class(outputs[0]);
    }
    if (progress) progress("evaluating", int(k) + 1, total);
  }

  for (size_t m = 0; m < models.size() && has_reference; ++m) {
    ModelEvaluation& e = result.models[m];
    const ErrorSums& s = errors[m];
    e.has_errors = true;
    e.mse = s.count > 0 ? s.squared / double(s.count) : 0.0;
    e.mean_abs_error = s.count > 0 ? s.absolute / double(s.count) : 0.0;
    e.max_abs_error = s.max_absolute;
    e.sample_mse = s.sample_mse;
    e.sample_mse_distribution = error_distribution(s.sample_mse);
  }
  if (models.size() == 2) {
    result.compared = true;
    result.agreement.mse = difference.count > 0 ? difference.squared / double(difference.count) : 0.0;
    result.agreement.max_abs_difference = difference.max_absolute;
    if (classification && total > 0) result.agreement.same_class = double(same_class) / double(total);
  }
  return result;
}

}  // namespace eval
}  // namespace tools
}  // namespace mote
