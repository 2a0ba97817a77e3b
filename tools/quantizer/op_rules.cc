#include "tools/quantizer/op_rules.h"

#include <algorithm>

namespace mote {
namespace tools {
namespace quantizer {
namespace {

using Op = schema::BuiltinOp;

// Rule builders named in the quantization column of mote/op_registry.def.
// Output parameters follow TensorFlow's MLIR quantizer: ops with the "same
// operands and results scale" trait keep (single input) or impose (several
// inputs) one set of parameters; SOFTMAX/LOGISTIC/TANH have the fixed ranges
// their int8 kernels require.
constexpr int kEveryInput = -1;
constexpr int kPerTensor = -1;

struct RuleSpec {
  bool quantized = true;
  OpRule rule;
};

template <typename... Inputs>
RuleSpec with_output(OutputRule output, Inputs... activation_inputs) {
  RuleSpec s;
  s.rule.output = output;
  s.rule.activation_inputs = {activation_inputs...};
  return s;
}
template <typename... Inputs>
RuleSpec calibrated(Inputs... activation_inputs) {
  return with_output(OutputRule::kCalibrated, activation_inputs...);
}
RuleSpec same_as_input() { return with_output(OutputRule::kSameAsInput, 0); }
template <typename... Inputs>
RuleSpec same_as_output(Inputs... activation_inputs) {
  return with_output(OutputRule::kSameAsOutput, activation_inputs...);
}
RuleSpec weighted(int weight_axis) {
  RuleSpec s = calibrated(0);
  s.rule.weight_input = 1;
  s.rule.weight_axis = weight_axis;
  s.rule.bias_input = 2;
  return s;
}
RuleSpec fixed(float scale, int32_t zero_point) {
  RuleSpec s = with_output(OutputRule::kFixed, 0);
  s.rule.fixed.scale = scale;
  s.rule.fixed.zero_point = zero_point;
  return s;
}
RuleSpec lstm() { return with_output(OutputRule::kLstm, 0); }
RuleSpec svdf() { return with_output(OutputRule::kSvdf, 0); }
RuleSpec not_quantized() {
  RuleSpec s;
  s.quantized = false;
  return s;
}

const std::vector<OpRule>& rules() {
  static const std::vector<OpRule> table = [] {
    std::vector<OpRule> t;
    auto add = [&t](Op code, RuleSpec spec) {
      if (!spec.quantized) return;
      spec.rule.code = int32_t(code);
      t.push_back(spec.rule);
    };
#define MOTE_OP(NAME, function, Enum, code, Options, quantization, int8_version, macs) add(Op::k##Enum, quantization);
#include "mote/op_registry.def"
#undef MOTE_OP
    return t;
  }();
  return table;
}

// The int8_version column; 0 = keep the input model's version.
int32_t registry_int8_version(int32_t code) {
  switch (code) {
#define MOTE_OP(NAME, function, Enum, code, Options, quantization, int8_version, macs) \
  case code: return int8_version;
#include "mote/op_registry.def"
#undef MOTE_OP
    default: return 0;
  }
}

const Tensor* input_tensor(const Graph& g, const Operator& op, size_t i) {
  const int32_t t = op.input(i);
  return t >= 0 && size_t(t) < g.tensors.size() ? &g.tensors[size_t(t)] : nullptr;
}

bool same_shapes(const Graph& g, const Operator& op) {
  const Tensor* a = input_tensor(g, op, 0);
  const Tensor* b = input_tensor(g, op, 1);
  return a != nullptr && b != nullptr && a->shape == b->shape;
}

size_t max_input_rank(const Graph& g, const Operator& op) {
  size_t r = 0;
  for (size_t i = 0; i < op.inputs.size(); ++i)
    if (const Tensor* t = input_tensor(g, op, i)) r = std::max(r, t->shape.size());
  return r;
}

}  // namespace

const OpRule* find_rule(int32_t code) {
  for (const OpRule& r : rules())
    if (r.code == code) return &r;
  return nullptr;
}

std::string supported_op_names() {
  std::vector<std::string> names;
  for (const OpRule& r : rules()) names.push_back(schema::builtin_op_name(r.code));
  std::sort(names.begin(), names.end());
  std::string s;
  for (const std::string& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

bool is_activation_input(const OpRule& rule, int i) {
  for (int a : rule.activation_inputs)
    if (a == -1 || a == i) return true;
  return false;
}

int32_t quantized_op_version(const Graph& g, const Operator& op) {
  // Features that need a later version than the registry's.
  switch (Op(op.code)) {
    case Op::kFullyConnected: {
      if (op.input(2) < 0) return 6;
      const tflite::FullyConnectedOptionsT* options = op.options.AsFullyConnectedOptions();
      if (options != nullptr && options->keep_num_dims) return 5;
      break;
    }
    case Op::kMul: {
      const Tensor* a = input_tensor(g, op, 0);
      const Tensor* b = input_tensor(g, op, 1);
      const Tensor& out = g.tensors[size_t(op.outputs[0])];
      if (a != nullptr && b != nullptr && a->quantized() && b->quantized() && out.quantized() &&
          double(a->scales[0]) * double(b->scales[0]) / double(out.scales[0]) >= 1.0)
        return 3;
      break;
    }
    case Op::kSub:
    case Op::kMaximum:
    case Op::kMinimum:
      if (!same_shapes(g, op) && max_input_rank(g, op) > 4) return 3;
      break;
    case Op::kTranspose:
      if (max_input_rank(g, op) > 4) return 4;
      break;
    case Op::kPad:
    case Op::kPadV2: {
      const Tensor* in = input_tensor(g, op, 0);
      if (in != nullptr && in->shape.size() > 4) return 4;
      break;
    }
    case Op::kStridedSlice: {
      if (const tflite::StridedSliceOptionsT* options = op.options.AsStridedSliceOptions()) {
        if (options->offset) return 8;
        if (options->ellipsis_mask != 0 || options->new_axis_mask != 0) return 6;
      }
      const Tensor* in = input_tensor(g, op, 0);
      if (in != nullptr && in->shape.size() > 4) return 4;
      break;
    }
    case Op::kUnidirectionalSequenceLstm: {
      const tflite::UnidirectionalSequenceLSTMOptionsT* options = op.options.AsUnidirectionalSequenceLSTMOptions();
      if (options != nullptr && options->diagonal_recurrent_tensors) return 4;
      break;
    }
    default: break;
  }
  const int32_t version = registry_int8_version(op.code);
  return version > 0 ? version : op.version;
}

}  // namespace quantizer
}  // namespace tools
}  // namespace mote
