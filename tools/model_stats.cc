#include "tools/model_stats.h"

#include <stdint.h>

#include <algorithm>
#include <map>
#include <set>

#include "mote/ops.h"
#include "mote/schema.h"
#include "tools/common/shapes.h"

namespace mote {
namespace tools {
namespace {

using schema::BuiltinOp;

// Products and sums of dims saturate instead of overflowing: a malformed
// model can have a 0-sized tensor whose other dims are huge.
constexpr int64_t kSaturated = INT64_MAX;
int64_t mul(int64_t a, int64_t b) {
  int64_t r;
  return __builtin_mul_overflow(a, b, &r) ? kSaturated : r;
}
int64_t mul(int64_t a, int64_t b, int64_t c) { return mul(mul(a, b), c); }
int64_t mul(int64_t a, int64_t b, int64_t c, int64_t d) { return mul(mul(a, b), mul(c, d)); }
int64_t add(int64_t a, int64_t b) {
  int64_t r;
  return __builtin_add_overflow(a, b, &r) ? kSaturated : r;
}

// Shape of the node's k-th input (or output); rank 0 when absent.
Shape input_shape(const Model& model, const OperatorInfo& op, uint32_t k) {
  if (k >= op.inputs.size() || op.inputs[k] < 0 || uint32_t(op.inputs[k]) >= model.num_tensors()) return Shape();
  return model.tensor(uint32_t(op.inputs[k])).shape;
}
Shape output_shape(const Model& model, const OperatorInfo& op, uint32_t k) {
  if (k >= op.outputs.size() || op.outputs[k] < 0 || uint32_t(op.outputs[k]) >= model.num_tensors()) return Shape();
  return model.tensor(uint32_t(op.outputs[k])).shape;
}
bool has_input(const Model& model, const OperatorInfo& op, uint32_t k) {
  return k < op.inputs.size() && op.inputs[k] >= 0 && uint32_t(op.inputs[k]) < model.num_tensors();
}

int64_t conv_2d_macs(const Model& model, const OperatorInfo& op) {
  const Shape filter = input_shape(model, op, 1);  // [out_c, k_h, k_w, in_c / groups]
  const Shape out = output_shape(model, op, 0);    // [batch, out_h, out_w, out_c]
  if (filter.rank != 4 || out.rank != 4) return 0;
  return mul(out.num_elements(), filter.dims[1], filter.dims[2], filter.dims[3]);
}

int64_t depthwise_conv_2d_macs(const Model& model, const OperatorInfo& op) {
  const Shape filter = input_shape(model, op, 1);  // [1, k_h, k_w, out_c]
  const Shape out = output_shape(model, op, 0);
  if (filter.rank != 4) return 0;
  return mul(out.num_elements(), filter.dims[1], filter.dims[2]);
}

int64_t transpose_conv_macs(const Model& model, const OperatorInfo& op) {
  const Shape filter = input_shape(model, op, 1);  // [out_c, k_h, k_w, in_c]
  const Shape in = input_shape(model, op, 2);      // [batch, h, w, in_c]
  if (filter.rank != 4 || in.rank != 4) return 0;
  return mul(in.num_elements(), filter.dims[0], filter.dims[1], filter.dims[2]);
}

int64_t fully_connected_macs(const Model& model, const OperatorInfo& op) {
  const Shape weights = input_shape(model, op, 1);  // [units, depth]
  const Shape out = output_shape(model, op, 0);
  if (weights.rank != 2) return 0;
  // Output elements = batch * units, whatever keep_num_dims did to the shape.
  return mul(out.num_elements(), weights.dims[1]);
}

int64_t svdf_macs(const Model& model, const OperatorInfo& op) {
  const Shape in = input_shape(model, op, 0);               // [batch, input_size]
  const Shape weights_feature = input_shape(model, op, 1);  // [filters, input_size]
  const Shape weights_time = input_shape(model, op, 2);     // [filters, memory_size]
  if (in.rank != 2 || weights_feature.rank != 2 || weights_time.rank != 2) return 0;
  return mul(in.dims[0], weights_feature.dims[0], int64_t(weights_feature.dims[1]) + weights_time.dims[1]);
}

int64_t lstm_macs(const Model& model, const OperatorInfo& op) {
  // Inputs: 0 input, 1-4 input-to-gate weights [n_cell, n_input] (1 absent
  // with CIFG), 5-8 recurrent weights [n_cell, n_output], 9-11 peepholes,
  // 16 projection weights [n_output, n_cell].
  const Shape in = input_shape(model, op, 0);
  const Shape input_to_forget = input_shape(model, op, 2);
  const Shape recurrent_to_forget = input_shape(model, op, 6);
  if (in.rank < 2 || input_to_forget.rank != 2 || recurrent_to_forget.rank != 2) return 0;
  const int64_t n_cell = input_to_forget.dims[0];
  const int64_t n_input = input_to_forget.dims[1];
  const int64_t n_output = recurrent_to_forget.dims[1];
  const int64_t last_dim = in.dims[in.rank - 1];
  const int64_t steps_times_batch = last_dim > 0 ? in.num_elements() / last_dim : 0;
  const int64_t gates = has_input(model, op, 1) ? 4 : 3;
  int64_t per_step = mul(gates, n_input + n_output, n_cell);
  for (uint32_t k = 9; k <= 11; ++k)
    if (has_input(model, op, k)) per_step = add(per_step, n_cell);
  if (has_input(model, op, 16)) per_step = add(per_step, mul(n_cell, n_output));
  return mul(steps_times_batch, per_step);
}

int64_t pool_macs(const Model& model, const OperatorInfo& op) {
  namespace opt = schema::pool2d_options;
  const int64_t window =
      mul(op.options.scalar<int32_t>(opt::filter_width, 0), op.options.scalar<int32_t>(opt::filter_height, 0));
  return window > 0 ? mul(output_shape(model, op, 0).num_elements(), window) : 0;
}

int64_t input_elements(const Model& model, const OperatorInfo& op) { return input_shape(model, op, 0).num_elements(); }
int64_t output_elements(const Model& model, const OperatorInfo& op) {
  return output_shape(model, op, 0).num_elements();
}
int64_t no_macs(const Model&, const OperatorInfo&) { return 0; }

}  // namespace

int64_t macs_of_node(const Model& model, uint32_t node) {
  if (node >= model.num_operators()) return 0;
  const OperatorInfo op = model.op(node);
  switch (op.builtin_code) {
#define MOTE_OP(NAME, function, Enum, code, Options, quantization, int8_version, macs) \
  case code: return macs(model, op);
#include "mote/op_registry.def"
#undef MOTE_OP
    default: break;
  }
  // Ops mote has no kernel for, counted for `mote inspect`.
  if (op.builtin_code == int32_t(BuiltinOp::kReluN1To1)) return output_elements(model, op);
  if (op.builtin_code == 67) return transpose_conv_macs(model, op);  // TRANSPOSE_CONV
  return 0;
}

int64_t total_macs(const Model& model) {
  int64_t total = 0;
  for (uint32_t j = 0; j < model.num_operators(); ++j) total = add(total, macs_of_node(model, j));
  return total;
}

int64_t weight_bytes(const Model& model) {
  std::set<uint32_t> buffers;
  int64_t total = 0;
  for (uint32_t t = 0; t < model.num_tensors(); ++t) {
    const TensorInfo info = model.tensor(t);
    if (info.data == nullptr) continue;
    if (!buffers.insert(info.buffer).second) continue;
    total += info.bytes;
  }
  return total;
}

int32_t weight_tensor_count(const Model& model) {
  int32_t n = 0;
  for (uint32_t t = 0; t < model.num_tensors(); ++t)
    if (model.tensor(t).data != nullptr) ++n;
  return n;
}

int64_t weight_bytes_of_node(const Model& model, uint32_t node) {
  if (node >= model.num_operators()) return 0;
  const OperatorInfo op = model.op(node);
  int64_t total = 0;
  for (uint32_t k = 0; k < op.inputs.size(); ++k) {
    if (!has_input(model, op, k)) continue;
    const TensorInfo info = model.tensor(uint32_t(op.inputs[k]));
    if (info.data != nullptr) total += info.bytes;
  }
  return total;
}

std::string name_of(fb::Bytes bytes) {
  if (bytes.data == nullptr) return std::string();
  return std::string(reinterpret_cast<const char*>(bytes.data), bytes.size);
}

std::string op_display_name(const Model& model, uint32_t node) {
  const OperatorInfo op = model.op(node);
  if (op.builtin_code == int32_t(BuiltinOp::kCustom)) return "CUSTOM:" + name_of(op.custom_code);
  std::string name = schema::builtin_op_name(op.builtin_code);
  if (name == "UNKNOWN") name = "BUILTIN_" + std::to_string(op.builtin_code);
  return name;
}

std::string op_registration_function(int32_t builtin_code) {
  const char* function = registration_function_name(builtin_code);
  return function == nullptr ? std::string() : function;
}

std::vector<RequiredOp> required_ops(const Model& model) {
  std::map<std::string, RequiredOp> by_name;
  for (uint32_t j = 0; j < model.num_operators(); ++j) {
    const OperatorInfo op = model.op(j);
    const std::string name = op_display_name(model, j);
    auto it = by_name.find(name);
    if (it == by_name.end()) {
      RequiredOp r{name, op.builtin_code, name_of(op.custom_code), op.version, 1};
      by_name.emplace(name, r);
    } else {
      it->second.max_version = std::max(it->second.max_version, op.version);
      ++it->second.count;
    }
  }
  std::vector<RequiredOp> out;
  for (auto& [name, r] : by_name) out.push_back(r);
  return out;
}

const char* tensor_kind(const TensorInfo& info) {
  if (info.data != nullptr) return "constant";
  if (info.is_variable) return "variable";
  return "activation";
}

std::string type_and_shape(const TensorInfo& info) {
  return std::string(dtype_name(info.type)) + shape_text(info.shape);
}

}  // namespace tools
}  // namespace mote
