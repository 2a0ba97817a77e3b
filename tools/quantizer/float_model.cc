#include "tools/quantizer/float_model.h"

#include <math.h>

#include <memory>
#include <new>

#include "mote/model.h"
#include "tools/quantizer/op_rules.h"

namespace mote {
namespace tools {
namespace quantizer {
namespace {

using Op = schema::BuiltinOp;

constexpr int kLstmInputs = 24;

bool is_float(DType t) { return t == DType::kFloat32; }

bool is_quantized_int(DType t) {
  return t == DType::kInt8 || t == DType::kUInt8 || t == DType::kInt16 || t == DType::kInt4;
}

std::string describe_tensor(const Graph& g, int32_t t) {
  const Tensor& tensor = g.tensors[size_t(t)];
  std::string s = "tensor " + std::to_string(t) + " '" + tensor.name + "' (" + dtype_name(tensor.type);
  if (tensor.quantized()) s += ", quantized";
  return s + ")";
}

// A model whose activations are integers has been quantized already.
void refuse_quantized(const Graph& g) {
  for (size_t i = 0; i < g.inputs.size(); ++i) {
    const Tensor& t = g.tensors[size_t(g.inputs[i])];
    if (is_quantized_int(t.type) && t.quantized())
      throw UserError("the model is already quantized: input " + std::to_string(i) + " '" + t.name + "' is " +
                      dtype_name(t.type) +
                      "; mote quantize takes the float32 model (the one exported before quantization)");
  }
  for (size_t i = 0; i < g.tensors.size(); ++i) {
    const Tensor& t = g.tensors[i];
    if (!t.is_constant() && !t.is_variable && is_quantized_int(t.type) && t.quantized() && g.producer(int32_t(i)) >= 0)
      throw UserError("the model is already quantized: activation " + describe_tensor(g, int32_t(i)) + " is " +
                      dtype_name(t.type) +
                      "; mote quantize takes the float32 model (the one exported before quantization)");
  }
}

// DEQUANTIZE ops reading constants (float16 or int8 weights) become float32
// constants.
int fold_constant_dequantize(Graph& g) {
  int folded = 0;
  for (size_t i = 0; i < g.ops.size();) {
    Operator& op = g.ops[i];
    const int32_t in = op.input(0);
    if (op.code != int32_t(Op::kDequantize) || in < 0 || !g.tensors[size_t(in)].is_constant() ||
        op.outputs.size() != 1) {
      ++i;
      continue;
    }
    const int32_t out = op.outputs[0];
    Tensor& result = g.tensors[size_t(out)];
    result.type = DType::kFloat32;
    result.data = to_bytes(constant_as_float(g.tensors[size_t(in)]));
    result.scales.clear();
    result.zero_points.clear();
    g.ops.erase(g.ops.begin() + long(i));
    ++folded;
  }
  return folded;
}

void check_lstm(const Graph& g, int32_t node) {
  const Operator& op = g.ops[size_t(node)];
  const std::string where = node_label(g, node);
  if (op.inputs.size() != size_t(kLstmInputs))
    throw UserError(where + " has " + std::to_string(op.inputs.size()) + " inputs; expected 24");
  for (int i = 0; i < kLstmInputs; ++i) {
    const bool optional = (i >= 9 && i <= 11) || i == 16 || i == 17 || i >= 20;
    if (!optional && op.input(size_t(i)) < 0)
      throw UserError(where + ": LSTMs without input " + std::to_string(i) +
                      " (CIFG) cannot be quantized; mote's int8 LSTM (as TFLM's) needs all four gates");
    if (optional && op.input(size_t(i)) >= 0) {
      const char* variant = i <= 11 ? "peephole" : i <= 17 ? "projection" : "layer-norm";
      throw UserError(where + ": " + variant +
                      " LSTMs cannot be quantized (mote's int8 LSTM, as TFLM's, is the plain LSTM)");
    }
  }
  for (int i : {18, 19}) {
    const Tensor& state = g.tensors[size_t(op.input(size_t(i)))];
    if (!state.is_variable && !state.is_constant() && g.producer(op.input(size_t(i))) >= 0)
      throw UserError(where + ": the LSTM state (input " + std::to_string(i) + ") must be a variable tensor");
  }
}

void check_op(const Graph& g, int32_t node) {
  const Operator& op = g.ops[size_t(node)];
  const std::string where = node_label(g, node);
  const OpRule* rule = find_rule(op.code);
  if (rule == nullptr)
    throw UserError(where + " is an operator mote quantize does not support (" + op_name(op) +
                        " has no int8 recipe here); supported operators: " + supported_op_names());
  for (int32_t out : op.outputs) {
    if (out < 0) continue;
    if (!is_float(g.tensors[size_t(out)].type))
      throw UserError(where + " writes " + describe_tensor(g, out) + "; mote quantize expects float32 outputs");
  }
  if (op.code == int32_t(Op::kUnidirectionalSequenceLstm)) check_lstm(g, node);
  if (op.code == int32_t(Op::kSvdf)) {
    if (op.inputs.size() != 5 || op.input(4) < 0 || !g.tensors[size_t(op.input(4))].is_variable)
      throw UserError(where + ": an SVDF needs 5 inputs with a variable activation state (input 4)");
  }
  const tflite::ConcatenationOptionsT* concatenation = op.options.AsConcatenationOptions();
  if (op.code == int32_t(Op::kConcatenation) && concatenation != nullptr &&
      concatenation->fused_activation_function != tflite::ActivationFunctionType_NONE)
    throw UserError(where + " has a fused activation, which the int8 CONCATENATION kernel does not support");
  for (size_t i = 0; i < op.inputs.size(); ++i) {
    const int32_t t = op.inputs[i];
    if (t < 0) continue;
    const Tensor& tensor = g.tensors[size_t(t)];
    const bool lstm = rule->output == OutputRule::kLstm, svdf = rule->output == OutputRule::kSvdf;
    const bool weight = int(i) == rule->weight_input || (lstm && i >= 1 && i <= 8) || (svdf && (i == 1 || i == 2));
    const bool bias = int(i) == rule->bias_input || (lstm && i >= 12 && i <= 15) || (svdf && i == 3);
    if ((weight || bias) && !tensor.is_constant())
      throw UserError(where + ": its " + (weight ? "weights" : "bias") + " (input " + std::to_string(i) + ", " +
                      describe_tensor(g, t) + ") are not constant; mote quantize needs constant weights");
    if (tensor.is_constant()) continue;
    if (is_activation_input(*rule, int(i)) || weight || bias || tensor.is_variable) {
      if (!is_float(tensor.type))
        throw UserError(where + " reads " + describe_tensor(g, t) + "; mote quantize expects float32 activations");
    }
  }
}

// int8/int16/float16 constants read as real numbers by float ops become
// float32 (a hybrid model's weights).
int dequantize_constants(Graph& g) {
  int count = 0;
  for (Operator& op : g.ops) {
    const OpRule* rule = find_rule(op.code);
    for (size_t i = 0; i < op.inputs.size(); ++i) {
      const int32_t t = op.inputs[i];
      if (t < 0) continue;
      Tensor& tensor = g.tensors[size_t(t)];
      if (!tensor.is_constant() || tensor.type == DType::kFloat32) continue;
      const bool real_valued = int(i) == rule->weight_input || int(i) == rule->bias_input ||
                               is_activation_input(*rule, int(i)) ||
                               (rule->output == OutputRule::kLstm && i <= 23 && i != 18 && i != 19) ||
                               (rule->output == OutputRule::kSvdf && i >= 1 && i <= 3);
      const bool dequantizable = tensor.type == DType::kFloat16 || (tensor.quantized() && tensor.type != DType::kInt64);
      if (!real_valued || !dequantizable) continue;
      tensor.data = to_bytes(constant_as_float(tensor));
      tensor.type = DType::kFloat32;
      tensor.scales.clear();
      tensor.zero_points.clear();
      tensor.quantized_dimension = 0;
      ++count;
    }
  }
  return count;
}

void refuse_non_finite_constants(const Graph& g) {
  for (size_t i = 0; i < g.tensors.size(); ++i) {
    const Tensor& t = g.tensors[i];
    if (!t.is_constant() || t.type != DType::kFloat32) continue;
    const std::vector<float> values = from_bytes<float>(t.data);
    for (size_t k = 0; k < values.size(); ++k) {
      if (!isfinite(values[k]))
        throw UserError("constant " + describe_tensor(g, int32_t(i)) + " holds " +
                        (isnan(values[k]) ? std::string("NaN") : std::string("Inf")) + " at element " +
                        std::to_string(k) + "; the float model's weights must be finite numbers");
    }
  }
}

}  // namespace

FloatModel prepare_float_model(const std::vector<uint8_t>& file) {
  struct AlignedFree {
    void operator()(uint8_t* p) const { ::operator delete[](p, std::align_val_t(16)); }
  };
  std::unique_ptr<uint8_t[], AlignedFree> data(
      static_cast<uint8_t*>(::operator new[](file.empty() ? 1 : file.size(), std::align_val_t(16))));
  if (!file.empty()) memcpy(data.get(), file.data(), file.size());
  Model model;
  char error[256] = {};
  if (!ok(model.load(data.get(), file.size(), error, sizeof(error))))
    throw UserError(std::string("not a usable .tflite model: ") + error);

  FloatModel result;
  result.original_bytes = file.size();
  result.graph = read_graph(data.get(), file.size());
  Graph& g = result.graph;
  if (g.ops.empty()) throw UserError("the model has no operators");
  refuse_quantized(g);
  result.folded_dequantize_ops = fold_constant_dequantize(g);
  for (size_t i = 0; i < g.ops.size(); ++i) check_op(g, int32_t(i));
  for (size_t i = 0; i < g.outputs.size(); ++i) {
    const Tensor& t = g.tensors[size_t(g.outputs[i])];
    if (!is_float(t.type))
      throw UserError("output " + std::to_string(i) + " '" + t.name + "' is " + dtype_name(t.type) +
                      "; mote quantize expects a float32 model");
  }
  for (size_t i = 0; i < g.inputs.size(); ++i) {
    const Tensor& t = g.tensors[size_t(g.inputs[i])];
    if (!is_float(t.type))
      throw UserError("input " + std::to_string(i) + " '" + t.name + "' is " + dtype_name(t.type) +
                      "; mote quantize expects float32 model inputs");
  }
  result.dequantized_constants = dequantize_constants(g);
  refuse_non_finite_constants(g);
  result.bytes = write_graph(g);
  return result;
}

std::vector<InputSpec> input_specs(const FloatModel& model) {
  std::vector<InputSpec> specs;
  for (int32_t t : model.graph.inputs) {
    const Tensor& tensor = model.graph.tensors[size_t(t)];
    specs.push_back(InputSpec{tensor.name, tensor.shape});
  }
  return specs;
}

}  // namespace quantizer
}  // namespace tools
}  // namespace mote
