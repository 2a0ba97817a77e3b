#include "tools/op_attributes.h"

#include <stdio.h>

namespace mote {
namespace tools {
namespace {

using schema::BuiltinOp;

bool is(const OperatorInfo& op, BuiltinOp code) { return op.builtin_code == int32_t(code); }

// Field id of the fused activation in the op's options table, or -1.
int activation_field(const OperatorInfo& op) {
  if (is(op, BuiltinOp::kConv2D)) return schema::conv2d_options::fused_activation_function;
  if (is(op, BuiltinOp::kDepthwiseConv2D)) return schema::depthwise_conv2d_options::fused_activation_function;
  if (is(op, BuiltinOp::kAveragePool2D) || is(op, BuiltinOp::kMaxPool2D))
    return schema::pool2d_options::fused_activation_function;
  if (is(op, BuiltinOp::kFullyConnected)) return schema::fully_connected_options::fused_activation_function;
  if (is(op, BuiltinOp::kAdd)) return schema::add_options::fused_activation_function;
  if (is(op, BuiltinOp::kSub)) return schema::sub_options::fused_activation_function;
  if (is(op, BuiltinOp::kMul)) return schema::mul_options::fused_activation_function;
  if (is(op, BuiltinOp::kDiv)) return schema::div_options::fused_activation_function;
  if (is(op, BuiltinOp::kConcatenation)) return schema::concatenation_options::fused_activation_function;
  return -1;
}

OpAttribute pair(const char* name, int64_t h, int64_t w) { return {name, {h, w}, ""}; }

OpAttribute padding(const OperatorInfo& op, int field) {
  const auto p = schema::Padding(op.options.scalar<int8_t>(field, 0));
  return {"padding", {}, p == schema::Padding::kSame ? "SAME" : "VALID"};
}

// Filter height and width of a [out, h, w, in] (conv) or [1, h, w, c] (depthwise) weight tensor.
void add_kernel(const Model& m, const OperatorInfo& op, std::vector<OpAttribute>* out) {
  if (op.inputs.size() < 2 || op.inputs[1] < 0) return;
  const TensorInfo w = m.tensor(uint32_t(op.inputs[1]));
  if (w.shape.rank == 4) out->push_back(pair("kernel", w.shape.dims[1], w.shape.dims[2]));
}

void add_dilation(const OperatorInfo& op, int h_field, int w_field, std::vector<OpAttribute>* out) {
  const int32_t h = op.options.scalar<int32_t>(h_field, 1), w = op.options.scalar<int32_t>(w_field, 1);
  if (h != 1 || w != 1) out->push_back(pair("dilation", h, w));
}

}  // namespace

schema::Activation fused_activation(const OperatorInfo& op) {
  const int field = activation_field(op);
  return field < 0 ? schema::Activation::kNone : schema::Activation(op.options.scalar<int8_t>(field, 0));
}

const char* activation_name(schema::Activation activation) {
  switch (activation) {
    case schema::Activation::kNone: return "NONE";
    case schema::Activation::kRelu: return "RELU";
    case schema::Activation::kReluN1To1: return "RELU_N1_TO_1";
    case schema::Activation::kRelu6: return "RELU6";
    case schema::Activation::kTanh: return "TANH";
    case schema::Activation::kSignBit: return "SIGN_BIT";
  }
  return "UNKNOWN";
}

std::vector<OpAttribute> op_attributes(const Model& m, uint32_t node) {
  const OperatorInfo op = m.op(node);
  std::vector<OpAttribute> out;
  const fb::Table& o = op.options;
  if (is(op, BuiltinOp::kConv2D)) {
    add_kernel(m, op, &out);
    out.push_back(pair("stride", o.scalar<int32_t>(schema::conv2d_options::stride_h, 1),
                       o.scalar<int32_t>(schema::conv2d_options::stride_w, 1)));
    out.push_back(padding(op, schema::conv2d_options::padding));
    add_dilation(op, schema::conv2d_options::dilation_h_factor, schema::conv2d_options::dilation_w_factor, &out);
  } else if (is(op, BuiltinOp::kDepthwiseConv2D)) {
    add_kernel(m, op, &out);
    out.push_back(pair("stride", o.scalar<int32_t>(schema::depthwise_conv2d_options::stride_h, 1),
                       o.scalar<int32_t>(schema::depthwise_conv2d_options::stride_w, 1)));
    out.push_back(padding(op, schema::depthwise_conv2d_options::padding));
    add_dilation(op, schema::depthwise_conv2d_options::dilation_h_factor,
                 schema::depthwise_conv2d_options::dilation_w_factor, &out);
    const int32_t multiplier = o.scalar<int32_t>(schema::depthwise_conv2d_options::depth_multiplier, 1);
    if (multiplier != 1) out.push_back({"depth multiplier", {multiplier}, ""});
  } else if (is(op, BuiltinOp::kAveragePool2D) || is(op, BuiltinOp::kMaxPool2D)) {
    out.push_back(pair("kernel", o.scalar<int32_t>(schema::pool2d_options::filter_height, 1),
                       o.scalar<int32_t>(schema::pool2d_options::filter_width, 1)));
    out.push_back(pair("stride", o.scalar<int32_t>(schema::pool2d_options::stride_h, 1),
                       o.scalar<int32_t>(schema::pool2d_options::stride_w, 1)));
    out.push_back(padding(op, schema::pool2d_options::padding));
  } else if (is(op, BuiltinOp::kFullyConnected)) {
    if (op.inputs.size() >= 2 && op.inputs[1] >= 0) {
      const TensorInfo w = m.tensor(uint32_t(op.inputs[1]));
      if (w.shape.rank == 2) out.push_back({"units", {w.shape.dims[0]}, ""});
    }
    if (o.scalar<uint8_t>(schema::fully_connected_options::keep_num_dims, 0) != 0)
      out.push_back({"keep_num_dims", {}, "true"});
  } else if (is(op, BuiltinOp::kConcatenation)) {
    out.push_back({"axis", {o.scalar<int32_t>(schema::concatenation_options::axis, 0)}, ""});
  } else if (is(op, BuiltinOp::kSoftmax)) {
    char beta[32];
    snprintf(beta, sizeof(beta), "%g", double(o.scalar<float>(schema::softmax_options::beta, 1.0f)));
    out.push_back({"beta", {}, beta});
  }
  const schema::Activation activation = fused_activation(op);
  if (activation != schema::Activation::kNone) out.push_back({"activation", {}, activation_name(activation)});
  return out;
}

std::string attributes_text(const std::vector<OpAttribute>& attributes) {
  std::string text;
  for (const OpAttribute& a : attributes) {
    std::string value = a.text;
    for (size_t i = 0; i < a.values.size(); ++i) value += (i ? "x" : "") + std::to_string(a.values[i]);
    const bool bare = a.name == "padding" || a.name == "activation";  // "SAME", "RELU6" speak for themselves
    text += (text.empty() ? "" : ", ") + (bare ? value : a.name + " " + value);
  }
  return text;
}

}  // namespace tools
}  // namespace mote
