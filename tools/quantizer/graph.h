// An editable copy of a .tflite model's subgraph 0, for the quantizer: read
// from a validated mote::Model, changed in memory, written back with
// ModelBuilder.
//
// Builtin options are copied field by field for the option tables the
// quantizer knows (the ops it can quantize and a few more); an operator with
// another options table keeps `options_known == false` and cannot be written.
#pragma once

#include <stdint.h>
#include <string.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "mote/model.h"
#include "tools/common/user_error.h"
#include "tools/model_builder.h"

namespace mote {
namespace tools {
namespace quantizer {

struct Tensor {
  std::string name;
  DType type = DType::kFloat32;
  std::vector<int32_t> shape;
  std::vector<uint8_t> data;  // constant data stored in the model; empty otherwise
  bool is_variable = false;
  std::vector<float> scales;  // empty: not quantized
  std::vector<int64_t> zero_points;
  int32_t quantized_dimension = 0;

  bool is_constant() const { return !data.empty(); }
  bool quantized() const { return !scales.empty(); }
  int64_t num_elements() const;
};

struct Operator {
  int32_t code = 0;  // schema::BuiltinOp value
  int32_t version = 1;
  std::string custom_code;
  std::vector<int32_t> inputs, outputs, intermediates;  // -1: omitted optional input
  Options options;
  bool options_known = true;
  std::vector<uint8_t> custom_options;

  int32_t input(size_t i) const { return i < inputs.size() ? inputs[i] : -1; }
};

struct Graph {
  std::vector<Tensor> tensors;
  std::vector<Operator> ops;
  std::vector<int32_t> inputs, outputs;
  std::string description;

  int32_t add_tensor(Tensor t) {
    tensors.push_back(std::move(t));
    return int32_t(tensors.size()) - 1;
  }
  // Index of the op writing `tensor`, -1 for model inputs, constants and
  // variables.
  int32_t producer(int32_t tensor) const;
  // Ops reading `tensor` (as an input), in model order.
  std::vector<int32_t> consumers(int32_t tensor) const;
  bool is_model_input(int32_t tensor) const;
  bool is_model_output(int32_t tensor) const;
};

// Copies subgraph 0 of a loaded model. Throws UserError for models with
// more than one subgraph.
Graph read_graph(const Model& model);

// Serializes the graph (constant data 16-byte aligned, one buffer per constant
// tensor). Throws UserError when an op's options could not be read.
std::vector<uint8_t> write_graph(const Graph& graph);

// "CONV_2D", "CUSTOM:name", or "OP_<code>".
std::string op_name(const Operator& op);
// "node 3 (CONV_2D)"
std::string node_label(const Graph& graph, int32_t node);

// Value of an integer / float option field, or `fallback` when not set.
int64_t option_int(const Options& options, int field, int64_t fallback);
float option_float(const Options& options, int field, float fallback);

// Reads the tensor's constant data as float values (float32, float16, or a
// quantized int8/uint8/int16/int32 tensor dequantized per tensor or per
// channel). Throws UserError for other types.
std::vector<float> constant_as_float(const Tensor& tensor);

// Raw bytes of a vector of trivially copyable values.
template <typename T>
std::vector<uint8_t> to_bytes(const std::vector<T>& values) {
  std::vector<uint8_t> bytes(values.size() * sizeof(T));
  if (!values.empty()) memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

template <typename T>
std::vector<T> from_bytes(const std::vector<uint8_t>& bytes) {
  std::vector<T> values(bytes.size() / sizeof(T));
  if (!values.empty()) memcpy(values.data(), bytes.data(), values.size() * sizeof(T));
  return values;
}

}  // namespace quantizer
}  // namespace tools
}  // namespace mote
