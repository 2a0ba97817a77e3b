// Static figures of a loaded model that need no interpreter: compute cost per
// operator (multiply-accumulates), weight bytes, and the operators it needs.
// Shared by `mote inspect`, `mote bench` and the exporter.
//
// MAC counts (one multiply-accumulate = 1):
//   CONV_2D            batch * out_h * out_w * out_c * k_h * k_w * filter_in_c
//   DEPTHWISE_CONV_2D  output elements * k_h * k_w
//   TRANSPOSE_CONV     input elements * k_h * k_w * out_c
//   FULLY_CONNECTED    batch * units * input depth
//   SVDF               batch * filters * (input size + memory size)
//   UNIDIRECTIONAL_SEQUENCE_LSTM
//                      per step and batch: gates * (n_input + n_output) * n_cell
//                      (gates = 3 with CIFG, else 4), + n_cell * n_output with a
//                      projection, + n_cell per peephole
//   pools              output elements * window size (one accumulate or compare each)
//   MEAN               input elements
//   elementwise math   output elements (ADD, MUL, SOFTMAX, LOGISTIC, QUANTIZE, ...)
//   data movement      0 (RESHAPE, PAD, TRANSPOSE, CONCATENATION, CAST, ...)
//   CUSTOM / unknown   0
#pragma once

#include <stdint.h>

#include <string>
#include <vector>

#include "mote/model.h"

namespace mote {
namespace tools {

// Multiply-accumulates of one node (see above); 0 when the node's tensors do
// not have the shapes the op expects.
int64_t macs_of_node(const Model& model, uint32_t node);
int64_t total_macs(const Model& model);

// Bytes of constant (weight/bias/table) data stored in the model, counting a
// buffer shared by several tensors once.
int64_t weight_bytes(const Model& model);
// Number of constant tensors.
int32_t weight_tensor_count(const Model& model);
// Bytes of constant data one node reads.
int64_t weight_bytes_of_node(const Model& model, uint32_t node);

// "CONV_2D", or "CUSTOM:<name>" for custom ops.
std::string op_display_name(const Model& model, uint32_t node);

// "conv_2d": the name of the mote::ops registration function for a builtin
// op (mote/op_registry.def); empty for ops mote has no kernel for.
std::string op_registration_function(int32_t builtin_code);

struct RequiredOp {
  std::string name;      // as op_display_name()
  int32_t builtin_code;  // schema::BuiltinOp value
  std::string custom_code;
  int32_t max_version;   // highest version any node uses
  int32_t count;         // nodes using it
};
// The distinct ops the model's nodes use (unused operator codes are left
// out), sorted by name.
std::vector<RequiredOp> required_ops(const Model& model);

// "constant", "variable" or "activation".
const char* tensor_kind(const TensorInfo& info);

// "int8[1,96,96,1]"
std::string type_and_shape(const TensorInfo& info);
std::string name_of(fb::Bytes bytes);

}  // namespace tools
}  // namespace mote
