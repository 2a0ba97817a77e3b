// An editable copy of a .tflite model's subgraph 0, for the quantizer: read
// into the typed host model (tools/model/tflite_model.h), changed in memory,
// written back with ModelBuilder. Builtin options stay typed options tables.
//
// Reading refuses a model with data mote's schema does not declare (it could
// not be written back); what the graph deliberately leaves out (metadata,
// signature defs, shape signatures, ...) is listed in docs/architecture.md.
#pragma once

#include <stdint.h>
#include <string.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "tools/common/user_error.h"
#include "tools/model_builder.h"

namespace mote {
namespace tools {
namespace quantizer {

// The quantizer edits the model builder's tensors.
using Tensor = TensorSpec;

struct Operator {
  int32_t code = 0;  // schema::BuiltinOp value
  int32_t version = 1;
  std::string custom_code;
  std::vector<int32_t> inputs, outputs, intermediates;  // -1: omitted optional input
  tflite::BuiltinOptionsUnion options;
  std::vector<uint8_t> custom_options;

  int32_t input(size_t i) const { return i < inputs.size() ? inputs[i] : -1; }
};

struct Graph {
  std::vector<Tensor> tensors;
  std::vector<Operator> ops;
  std::vector<int32_t> inputs, outputs;
  std::string description;
  // Metadata entries (name, bytes) written into the model; a graph read from
  // a file starts without any.
  std::vector<std::pair<std::string, std::vector<uint8_t>>> metadata;

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

// Copies subgraph 0 of a .tflite file (one mote::Model::load accepted).
// Throws UserError for models with more than one subgraph or with data
// mote's schema does not declare.
Graph read_graph(const uint8_t* data, size_t size);

// Serializes the graph (constant data 16-byte aligned, one buffer per constant
// tensor).
std::vector<uint8_t> write_graph(const Graph& graph);

// "CONV_2D", "CUSTOM:name", or "OP_<code>".
std::string op_name(const Operator& op);
// "node 3 (CONV_2D)"
std::string node_label(const Graph& graph, int32_t node);

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
