// What a model output is, for choosing the metric that judges it (the quantize
// verdict and `mote eval`):
//   classification  the output comes from SOFTMAX, or LOGISTIC over > 1
//                   values (through RESHAPE / SQUEEZE / (DE)QUANTIZE): class
//                   scores, judged by the argmax;
//   reconstruction  as many values as a model input (e.g. an autoencoder):
//                   judged by its error against that input;
//   regression      anything else: judged by MSE and max |error|.
// Works on float and quantized models alike.
#pragma once

#include <stddef.h>

#include <string>

#include "tools/quantizer/graph.h"

namespace mote {
namespace tools {
namespace quantizer {

enum class OutputTask { kAuto, kClassification, kRegression, kReconstruction };

// "auto", "classification", "regression", "reconstruction"
const char* task_name(OutputTask task);
// Parses a task name; throws UserError for an unknown one.
OutputTask parse_task(const std::string& name);

struct OutputKind {
  OutputTask task = OutputTask::kRegression;
  std::string reason;    // why, e.g. "SOFTMAX output", "--task"
  int reconstructs = -1;  // kReconstruction: the index of the model input it reconstructs
};

// The kind of model output `output` (an index into graph.outputs); `forced`
// other than kAuto is taken as given (reason "--task"). Throws UserError when
// kReconstruction is forced on an output no model input has the size of.
OutputKind output_kind(const Graph& graph, size_t output, OutputTask forced = OutputTask::kAuto);

}  // namespace quantizer
}  // namespace tools
}  // namespace mote
