#include "tools/quantizer/graph.h"

#include <math.h>

#include <memory>

namespace mote {
namespace tools {
namespace quantizer {
namespace {

float half_to_float(uint16_t h) {
  const int sign = (h >> 15) & 1;
  const int exponent = (h >> 10) & 0x1f;
  const int mantissa = h & 0x3ff;
  float value;
  if (exponent == 0) {
    value = ldexpf(float(mantissa), -24);
  } else if (exponent == 31) {
    value = mantissa == 0 ? INFINITY : NAN;
  } else {
    value = ldexpf(float(mantissa | 0x400), exponent - 25);
  }
  return sign ? -value : value;
}

}  // namespace

int32_t Graph::producer(int32_t tensor) const {
  for (size_t i = 0; i < ops.size(); ++i)
    for (int32_t out : ops[i].outputs)
      if (out == tensor) return int32_t(i);
  return -1;
}

std::vector<int32_t> Graph::consumers(int32_t tensor) const {
  std::vector<int32_t> result;
  for (size_t i = 0; i < ops.size(); ++i) {
    for (int32_t in : ops[i].inputs) {
      if (in == tensor) {
        result.push_back(int32_t(i));
        break;
      }
    }
  }
  return result;
}

bool Graph::is_model_input(int32_t tensor) const {
  for (int32_t t : inputs)
    if (t == tensor) return true;
  return false;
}

bool Graph::is_model_output(int32_t tensor) const {
  for (int32_t t : outputs)
    if (t == tensor) return true;
  return false;
}

Graph read_graph(const uint8_t* data, size_t size) {
  std::string error;
  const std::unique_ptr<tflite::ModelT> model = unpack_model(data, size, &error);
  if (model == nullptr) throw UserError(error);
  if (model->subgraphs.size() != 1)
    throw UserError("the model has " + std::to_string(model->subgraphs.size()) +
                        " subgraphs (control flow such as WHILE/IF); mote quantize handles single-subgraph models");
  const tflite::SubGraphT& subgraph = *model->subgraphs[0];
  Graph g;
  g.description = model->description;
  for (const std::unique_ptr<tflite::TensorT>& info : subgraph.tensors) {
    Tensor t;
    t.name = info->name;
    t.type = DType(info->type);
    t.shape = info->shape;
    t.is_variable = info->is_variable;
    // As the device reader: a variable's buffer only initializes it, so it is
    // not constant data (mote::Model::tensor).
    if (info->buffer >= model->buffers.size() && info->buffer != 0)
      throw UserError("tensor '" + t.name + "' refers to a buffer the model does not have");
    if (info->buffer != 0 && !t.is_variable) {
      const tflite::BufferT& buffer = *model->buffers[info->buffer];
      std::vector<uint8_t> bytes = buffer.data;
      if (bytes.empty() && buffer.offset > 1) {  // stored after the flatbuffer (models over 2 GiB)
        if (buffer.offset > size || buffer.size > size - buffer.offset)
          throw UserError("buffer " + std::to_string(info->buffer) + " lies outside the file");
        bytes.assign(data + buffer.offset, data + buffer.offset + buffer.size);
      }
      if (int64_t(bytes.size()) == t.num_elements() * int64_t(dtype_size(t.type))) t.data = std::move(bytes);
    }
    const tflite::QuantizationParametersT* q = info->quantization.get();
    if (q != nullptr && !q->scale.empty()) {
      t.scales = q->scale;
      t.zero_points = q->zero_point.size() == q->scale.size() ? q->zero_point : std::vector<int64_t>(q->scale.size(), 0);
      t.quantized_dimension = q->quantized_dimension;
    }
    g.tensors.push_back(std::move(t));
  }
  for (const std::unique_ptr<tflite::OperatorT>& info : subgraph.operators) {
    if (info->opcode_index >= model->operator_codes.size())
      throw UserError("an operator refers to an operator code the model does not have");
    const tflite::OperatorCodeT& code = *model->operator_codes[info->opcode_index];
    Operator op;
    op.code = builtin_code(code);
    op.version = code.version;
    op.custom_code = code.custom_code;
    op.inputs = info->inputs;
    op.outputs = info->outputs;
    op.intermediates = info->intermediates;
    op.options = info->builtin_options;
    op.custom_options = info->custom_options;
    g.ops.push_back(std::move(op));
  }
  g.inputs = subgraph.inputs;
  g.outputs = subgraph.outputs;
  return g;
}

std::vector<uint8_t> write_graph(const Graph& graph) {
  ModelBuilder b;
  for (const Tensor& t : graph.tensors) b.add_tensor(t);
  for (size_t i = 0; i < graph.ops.size(); ++i) {
    const Operator& op = graph.ops[i];
    b.add_operator(schema::BuiltinOp(op.code), op.inputs, op.outputs, op.options, op.version, op.intermediates,
                   op.custom_code, op.custom_options);
  }
  b.set_inputs(graph.inputs);
  b.set_outputs(graph.outputs);
  b.set_description(graph.description);
  for (const auto& [name, data] : graph.metadata) b.add_metadata(name, data);
  return b.serialize();
}

std::string op_name(const Operator& op) {
  if (op.code == int32_t(schema::BuiltinOp::kCustom)) return "CUSTOM:" + op.custom_code;
  const char* name = schema::builtin_op_name(op.code);
  if (name == nullptr || std::string(name) == "UNKNOWN") return "OP_" + std::to_string(op.code);
  return name;
}

std::string node_label(const Graph& graph, int32_t node) {
  return "node " + std::to_string(node) + " (" + op_name(graph.ops[size_t(node)]) + ")";
}

std::vector<float> constant_as_float(const Tensor& t) {
  const int64_t n = t.num_elements();
  std::vector<float> values(size_t(n > 0 ? n : 0));
  auto load = [&](auto zero, int64_t i) {
    decltype(zero) v;
    memcpy(&v, t.data.data() + size_t(i) * sizeof(v), sizeof(v));
    return v;
  };
  if (t.type == DType::kFloat32) {
    for (int64_t i = 0; i < n; ++i) values[size_t(i)] = load(float(), i);
    return values;
  }
  if (t.type == DType::kFloat16) {
    for (int64_t i = 0; i < n; ++i) values[size_t(i)] = half_to_float(load(uint16_t(), i));
    return values;
  }
  if (!t.quantized())
    throw UserError("constant tensor '" + t.name + "' is " + dtype_name(t.type) +
                    " without quantization parameters; it cannot be read as real values");
  // Per-channel parameters run along quantized_dimension.
  const int32_t channels = int32_t(t.scales.size());
  int64_t inner = 1;
  if (channels > 1) {
    const int32_t axis = t.quantized_dimension;
    if (axis < 0 || axis >= int32_t(t.shape.size()) || t.shape[size_t(axis)] != channels)
      throw UserError("tensor '" + t.name + "' has " + std::to_string(channels) +
                      " scales that do not match its quantized dimension");
    for (size_t d = size_t(axis) + 1; d < t.shape.size(); ++d) inner *= t.shape[d];
  }
  for (int64_t i = 0; i < n; ++i) {
    const int32_t c = channels > 1 ? int32_t((i / inner) % channels) : 0;
    const double scale = t.scales[size_t(c)];
    const int64_t zp = t.zero_points.empty() ? 0 : t.zero_points[size_t(c)];
    int64_t q;
    switch (t.type) {
      case DType::kInt8: q = load(int8_t(), i); break;
      case DType::kUInt8: q = load(uint8_t(), i); break;
      case DType::kInt16: q = load(int16_t(), i); break;
      case DType::kInt32: q = load(int32_t(), i); break;
      default:
        throw UserError("constant tensor '" + t.name + "' has type " + dtype_name(t.type) +
                        ", which cannot be dequantized");
    }
    values[size_t(i)] = float(scale * double(q - zp));
  }
  return values;
}

}  // namespace quantizer
}  // namespace tools
}  // namespace mote
