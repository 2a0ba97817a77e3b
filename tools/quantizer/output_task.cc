#include "tools/quantizer/output_task.h"

#include "mote/schema.h"
#include "tools/common/user_error.h"

namespace mote {
namespace tools {
namespace quantizer {
namespace {

int64_t elements(const std::vector<int32_t>& shape) {
  int64_t n = 1;
  for (int32_t d : shape) n *= d;
  return n;
}

// The model input with as many values as `output`, or -1.
int reconstructed_input(const Graph& g, int32_t output) {
  const int64_t n = elements(g.tensors[size_t(output)].shape);
  for (size_t i = 0; i < g.inputs.size(); ++i)
    if (n > 1 && elements(g.tensors[size_t(g.inputs[i])].shape) == n) return int(i);
  return -1;
}

// The op that computes `output`'s values, looking through ops that only
// reshape or (de)quantize them; -1 when there is none.
int32_t value_producer(const Graph& g, int32_t output) {
  int32_t t = output;
  for (int32_t p = g.producer(t); p >= 0; p = g.producer(t)) {
    const int32_t code = g.ops[size_t(p)].code;
    if (code != int32_t(schema::BuiltinOp::kReshape) && code != int32_t(schema::BuiltinOp::kSqueeze) &&
        code != int32_t(schema::BuiltinOp::kDequantize) && code != int32_t(schema::BuiltinOp::kQuantize))
      return p;
    t = g.ops[size_t(p)].input(0);
    if (t < 0) break;
  }
  return -1;
}

}  // namespace

const char* task_name(OutputTask task) {
  switch (task) {
    case OutputTask::kAuto: return "auto";
    case OutputTask::kClassification: return "classification";
    case OutputTask::kRegression: return "regression";
    case OutputTask::kReconstruction: return "reconstruction";
  }
  return "auto";
}

OutputTask parse_task(const std::string& name) {
  for (OutputTask t : {OutputTask::kAuto, OutputTask::kClassification, OutputTask::kRegression,
                       OutputTask::kReconstruction})
    if (name == task_name(t)) return t;
  throw UserError("unknown --task '" + name + "': use auto, classification, regression or reconstruction");
}

OutputKind output_kind(const Graph& g, size_t output, OutputTask forced) {
  const int32_t tensor = g.outputs[output];
  OutputKind kind;
  if (forced != OutputTask::kAuto) {
    kind.task = forced;
    kind.reason = "--task";
    if (forced == OutputTask::kReconstruction) {
      kind.reconstructs = reconstructed_input(g, tensor);
      if (kind.reconstructs < 0)
        throw UserError("--task reconstruction: output '" + g.tensors[size_t(tensor)].name + "' has " +
                        std::to_string(elements(g.tensors[size_t(tensor)].shape)) +
                        " values, no model input has as many");
    }
    return kind;
  }
  const std::vector<int32_t>& shape = g.tensors[size_t(tensor)].shape;
  const int32_t last = shape.empty() ? 1 : shape.back();
  const int32_t producer = value_producer(g, tensor);
  const int32_t code = producer >= 0 ? g.ops[size_t(producer)].code : -1;
  if (code == int32_t(schema::BuiltinOp::kSoftmax) && last > 1) {
    kind.task = OutputTask::kClassification;
    kind.reason = "SOFTMAX output";
    return kind;
  }
  if (code == int32_t(schema::BuiltinOp::kLogistic) && last > 1) {
    kind.task = OutputTask::kClassification;
    kind.reason = "LOGISTIC over " + std::to_string(last) + " values";
    return kind;
  }
  kind.reconstructs = reconstructed_input(g, tensor);
  if (kind.reconstructs >= 0) {
    kind.task = OutputTask::kReconstruction;
    kind.reason = "as many values as input '" + g.tensors[size_t(g.inputs[size_t(kind.reconstructs)])].name + "'";
    return kind;
  }
  kind.task = OutputTask::kRegression;
  kind.reason = "not SOFTMAX, not the size of an input";
  return kind;
}

}  // namespace quantizer
}  // namespace tools
}  // namespace mote
