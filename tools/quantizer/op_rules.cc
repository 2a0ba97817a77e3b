#include "tools/quantizer/op_rules.h"

#include <algorithm>

namespace mote {
namespace tools {
namespace quantizer {
namespace {

using Op = schema::BuiltinOp;

OpRule rule(Op code, OutputRule output, std::vector<int> activations) {
  OpRule r;
  r.code = int32_t(code);
  r.output = output;
  r.activation_inputs = std::move(activations);
  return r;
}

OpRule weighted(Op code, int weight_axis) {
  OpRule r = rule(code, OutputRule::kCalibrated, {0});
  r.weight_input = 1;
  r.weight_axis = weight_axis;
  r.bias_input = 2;
  return r;
}

OpRule fixed(Op code, float scale, int32_t zero_point) {
  OpRule r = rule(code, OutputRule::kFixed, {0});
  r.fixed.scale = scale;
  r.fixed.zero_point = zero_point;
  return r;
}

// Output parameters follow TensorFlow's MLIR quantizer: ops with the
// "same operands and results scale" trait keep (single input) or impose
// (several inputs) one set of parameters; SOFTMAX/LOGISTIC/TANH have the
// fixed ranges their int8 kernels require.
const std::vector<OpRule>& rules() {
  static const std::vector<OpRule> table = {
      weighted(Op::kConv2D, 0),
      weighted(Op::kDepthwiseConv2D, 3),
      weighted(Op::kFullyConnected, -1),
      rule(Op::kAdd, OutputRule::kCalibrated, {0, 1}),
      rule(Op::kSub, OutputRule::kCalibrated, {0, 1}),
      rule(Op::kMul, OutputRule::kCalibrated, {0, 1}),
      rule(Op::kAveragePool2D, OutputRule::kSameAsInput, {0}),
      rule(Op::kMaxPool2D, OutputRule::kSameAsInput, {0}),
      rule(Op::kReshape, OutputRule::kSameAsInput, {0}),
      rule(Op::kSqueeze, OutputRule::kSameAsInput, {0}),
      rule(Op::kExpandDims, OutputRule::kSameAsInput, {0}),
      rule(Op::kPad, OutputRule::kSameAsInput, {0}),
      rule(Op::kTranspose, OutputRule::kSameAsInput, {0}),
      rule(Op::kStridedSlice, OutputRule::kSameAsInput, {0}),
      rule(Op::kPadV2, OutputRule::kSameAsOutput, {0, 2}),
      rule(Op::kConcatenation, OutputRule::kSameAsOutput, {-1}),
      rule(Op::kMaximum, OutputRule::kSameAsOutput, {0, 1}),
      rule(Op::kMinimum, OutputRule::kSameAsOutput, {0, 1}),
      rule(Op::kMean, OutputRule::kCalibrated, {0}),
      rule(Op::kRelu, OutputRule::kCalibrated, {0}),
      // TFLM's int8 RELU6 clamps without requantizing: output = input parameters.
      rule(Op::kRelu6, OutputRule::kSameAsInput, {0}),
      rule(Op::kLeakyRelu, OutputRule::kCalibrated, {0}),
      rule(Op::kHardSwish, OutputRule::kCalibrated, {0}),
      fixed(Op::kSoftmax, 1.0f / 256.0f, -128),
      fixed(Op::kLogistic, 1.0f / 256.0f, -128),
      fixed(Op::kTanh, 1.0f / 128.0f, 0),
      rule(Op::kUnidirectionalSequenceLstm, OutputRule::kLstm, {0}),
      rule(Op::kSvdf, OutputRule::kSvdf, {0}),
  };
  return table;
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
  namespace s = schema;
  switch (Op(op.code)) {
    case Op::kConv2D:
    case Op::kDepthwiseConv2D: return 3;
    case Op::kFullyConnected:
      if (op.input(2) < 0) return 6;
      if (option_int(op.options, s::fully_connected_options::keep_num_dims, 0) != 0) return 5;
      return 4;
    case Op::kMul: {
      const Tensor* a = input_tensor(g, op, 0);
      const Tensor* b = input_tensor(g, op, 1);
      const Tensor& out = g.tensors[size_t(op.outputs[0])];
      if (a != nullptr && b != nullptr && a->quantized() && b->quantized() && out.quantized() &&
          double(a->scales[0]) * double(b->scales[0]) / double(out.scales[0]) >= 1.0)
        return 3;
      return 2;
    }
    case Op::kSub: return !same_shapes(g, op) && max_input_rank(g, op) > 4 ? 3 : 2;
    case Op::kMaximum:
    case Op::kMinimum: return !same_shapes(g, op) && max_input_rank(g, op) > 4 ? 3 : 2;
    case Op::kTranspose: return max_input_rank(g, op) > 4 ? 4 : 2;
    case Op::kPad:
    case Op::kPadV2: {
      const Tensor* in = input_tensor(g, op, 0);
      return in != nullptr && in->shape.size() > 4 ? 4 : 2;
    }
    case Op::kStridedSlice: {
      if (option_int(op.options, s::strided_slice_options::offset, 0) != 0) return 8;
      if (option_int(op.options, s::strided_slice_options::ellipsis_mask, 0) != 0 ||
          option_int(op.options, s::strided_slice_options::new_axis_mask, 0) != 0)
        return 6;
      const Tensor* in = input_tensor(g, op, 0);
      return in != nullptr && in->shape.size() > 4 ? 4 : 2;
    }
    case Op::kSvdf: return 3;
    case Op::kUnidirectionalSequenceLstm:
      return option_int(op.options, s::unidirectional_sequence_lstm_options::diagonal_recurrent_tensors, 0) != 0 ? 4
                                                                                                                 : 1;
    case Op::kAdd:
    case Op::kAveragePool2D:
    case Op::kMaxPool2D:
    case Op::kConcatenation:
    case Op::kMean:
    case Op::kRelu:
    case Op::kRelu6:
    case Op::kSoftmax:
    case Op::kLogistic:
    case Op::kTanh: return 2;
    case Op::kDequantize: return 2;
    case Op::kReshape:
    case Op::kSqueeze:
    case Op::kExpandDims:
    case Op::kLeakyRelu:
    case Op::kHardSwish:
    case Op::kQuantize: return 1;
    default: return op.version;
  }
}

}  // namespace quantizer
}  // namespace tools
}  // namespace mote
