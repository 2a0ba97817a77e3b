#include "tools/quantizer/graph.h"

#include <math.h>

#include "tools/model_stats.h"

namespace mote {
namespace tools {
namespace quantizer {
namespace {

using Kind = Options::Field::Kind;

struct FieldSpec {
  int id;
  Kind kind;
};

using Fields = std::vector<FieldSpec>;

// The fields of every options table the quantizer copies (an empty list for
// tables without fields, such as PadOptions); nullptr for other tables.
const Fields* option_fields(schema::OptionsType type) {
  using T = schema::OptionsType;
  namespace s = schema;
  static const Fields kEmpty;
  switch (type) {
    case T::kNone: return &kEmpty;
    case T::kConv2D: {
      static const Fields f = {{s::conv2d_options::padding, Kind::kInt8},
                               {s::conv2d_options::stride_w, Kind::kInt32},
                               {s::conv2d_options::stride_h, Kind::kInt32},
                               {s::conv2d_options::fused_activation_function, Kind::kInt8},
                               {s::conv2d_options::dilation_w_factor, Kind::kInt32},
                               {s::conv2d_options::dilation_h_factor, Kind::kInt32},
                               {s::conv2d_options::quantized_bias_type, Kind::kInt8}};
      return &f;
    }
    case T::kDepthwiseConv2D: {
      static const Fields f = {{s::depthwise_conv2d_options::padding, Kind::kInt8},
                               {s::depthwise_conv2d_options::stride_w, Kind::kInt32},
                               {s::depthwise_conv2d_options::stride_h, Kind::kInt32},
                               {s::depthwise_conv2d_options::depth_multiplier, Kind::kInt32},
                               {s::depthwise_conv2d_options::fused_activation_function, Kind::kInt8},
                               {s::depthwise_conv2d_options::dilation_w_factor, Kind::kInt32},
                               {s::depthwise_conv2d_options::dilation_h_factor, Kind::kInt32}};
      return &f;
    }
    case T::kPool2D: {
      static const Fields f = {{s::pool2d_options::padding, Kind::kInt8},
                               {s::pool2d_options::stride_w, Kind::kInt32},
                               {s::pool2d_options::stride_h, Kind::kInt32},
                               {s::pool2d_options::filter_width, Kind::kInt32},
                               {s::pool2d_options::filter_height, Kind::kInt32},
                               {s::pool2d_options::fused_activation_function, Kind::kInt8}};
      return &f;
    }
    case T::kSvdf: {
      static const Fields f = {{s::svdf_options::rank, Kind::kInt32},
                               {s::svdf_options::fused_activation_function, Kind::kInt8},
                               {s::svdf_options::asymmetric_quantize_inputs, Kind::kBool}};
      return &f;
    }
    case T::kFullyConnected: {
      static const Fields f = {{s::fully_connected_options::fused_activation_function, Kind::kInt8},
                               {s::fully_connected_options::weights_format, Kind::kInt8},
                               {s::fully_connected_options::keep_num_dims, Kind::kBool},
                               {s::fully_connected_options::asymmetric_quantize_inputs, Kind::kBool},
                               {s::fully_connected_options::quantized_bias_type, Kind::kInt8}};
      return &f;
    }
    case T::kSoftmax: {
      static const Fields f = {{s::softmax_options::beta, Kind::kFloat}};
      return &f;
    }
    case T::kConcatenation: {
      static const Fields f = {{s::concatenation_options::axis, Kind::kInt32},
                               {s::concatenation_options::fused_activation_function, Kind::kInt8}};
      return &f;
    }
    case T::kAdd: {
      static const Fields f = {{s::add_options::fused_activation_function, Kind::kInt8},
                               {s::add_options::pot_scale_int16, Kind::kBool}};
      return &f;
    }
    case T::kSub: {
      static const Fields f = {{s::sub_options::fused_activation_function, Kind::kInt8},
                               {s::sub_options::pot_scale_int16, Kind::kBool}};
      return &f;
    }
    case T::kMul: {
      static const Fields f = {{s::mul_options::fused_activation_function, Kind::kInt8}};
      return &f;
    }
    case T::kDiv: {
      static const Fields f = {{s::div_options::fused_activation_function, Kind::kInt8}};
      return &f;
    }
    case T::kReshape: {
      static const Fields f = {{s::reshape_options::new_shape, Kind::kInt32Vector}};
      return &f;
    }
    case T::kReducer: {
      static const Fields f = {{s::reducer_options::keep_dims, Kind::kBool}};
      return &f;
    }
    case T::kSqueeze: {
      static const Fields f = {{s::squeeze_options::squeeze_dims, Kind::kInt32Vector}};
      return &f;
    }
    case T::kStridedSlice: {
      static const Fields f = {{s::strided_slice_options::begin_mask, Kind::kInt32},
                               {s::strided_slice_options::end_mask, Kind::kInt32},
                               {s::strided_slice_options::ellipsis_mask, Kind::kInt32},
                               {s::strided_slice_options::new_axis_mask, Kind::kInt32},
                               {s::strided_slice_options::shrink_axis_mask, Kind::kInt32},
                               {s::strided_slice_options::offset, Kind::kBool}};
      return &f;
    }
    case T::kCast: {
      static const Fields f = {{s::cast_options::in_data_type, Kind::kInt8},
                               {s::cast_options::out_data_type, Kind::kInt8}};
      return &f;
    }
    case T::kLeakyRelu: {
      static const Fields f = {{s::leaky_relu_options::alpha, Kind::kFloat}};
      return &f;
    }
    case T::kUnidirectionalSequenceLstm: {
      static const Fields f = {{s::unidirectional_sequence_lstm_options::fused_activation_function, Kind::kInt8},
                               {s::unidirectional_sequence_lstm_options::cell_clip, Kind::kFloat},
                               {s::unidirectional_sequence_lstm_options::proj_clip, Kind::kFloat},
                               {s::unidirectional_sequence_lstm_options::time_major, Kind::kBool},
                               {s::unidirectional_sequence_lstm_options::asymmetric_quantize_inputs, Kind::kBool},
                               {s::unidirectional_sequence_lstm_options::diagonal_recurrent_tensors, Kind::kBool}};
      return &f;
    }
    case T::kPad:
    case T::kPadV2:
    case T::kTranspose:
    case T::kDequantize:
    case T::kQuantize:
    case T::kMaximumMinimum:
    case T::kExpandDims:
    case T::kHardSwish: return &kEmpty;
    default: break;
  }
  return nullptr;
}

Options read_options(const OperatorInfo& info, bool* known) {
  const Fields* fields = option_fields(info.options_type);
  *known = fields != nullptr;
  Options options(info.options_type);
  if (!*known) return options;
  for (const FieldSpec& f : *fields) {
    if (!info.options.has(f.id) && f.kind != Kind::kInt32Vector) continue;
    switch (f.kind) {
      case Kind::kInt8: options.i8(f.id, info.options.scalar<int8_t>(f.id, 0)); break;
      case Kind::kUInt8: options.u8(f.id, info.options.scalar<uint8_t>(f.id, 0)); break;
      case Kind::kBool: options.boolean(f.id, info.options.scalar<uint8_t>(f.id, 0) != 0); break;
      case Kind::kInt32: options.i32(f.id, info.options.scalar<int32_t>(f.id, 0)); break;
      case Kind::kFloat: options.f32(f.id, info.options.scalar<float>(f.id, 0.0f)); break;
      case Kind::kInt32Vector: {
        fb::Vector<int32_t> v = info.options.vector<int32_t>(f.id);
        if (!v.valid()) break;
        std::vector<int32_t> values(v.size());
        for (uint32_t i = 0; i < v.size(); ++i) values[i] = v[i];
        options.i32_vector(f.id, values);
        break;
      }
    }
  }
  return options;
}

std::vector<int32_t> to_vector(const fb::Vector<int32_t>& v) {
  std::vector<int32_t> out;
  if (!v.valid()) return out;
  out.reserve(v.size());
  for (uint32_t i = 0; i < v.size(); ++i) out.push_back(v[i]);
  return out;
}

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

int64_t Tensor::num_elements() const {
  int64_t n = 1;
  for (int32_t d : shape) n *= d;
  return n;
}

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

Graph read_graph(const Model& model) {
  if (model.num_subgraphs() != 1)
    throw UserError("the model has " + std::to_string(model.num_subgraphs()) +
                    " subgraphs (control flow such as WHILE/IF); mote quantize handles single-subgraph models");
  Graph g;
  const fb::Bytes description = model.description();
  g.description = name_of(description);
  for (uint32_t i = 0; i < model.num_tensors(); ++i) {
    const TensorInfo info = model.tensor(i);
    Tensor t;
    t.name = name_of(info.name);
    t.type = info.type;
    t.shape.assign(info.shape.dims, info.shape.dims + info.shape.rank);
    if (info.data != nullptr && info.bytes > 0) t.data.assign(info.data, info.data + info.bytes);
    t.is_variable = info.is_variable;
    for (int32_t c = 0; c < info.quant.count; ++c) {
      t.scales.push_back(info.quant.scale(c));
      t.zero_points.push_back(info.quant.zero_point(c));
    }
    t.quantized_dimension = info.quant.axis;
    g.tensors.push_back(std::move(t));
  }
  for (uint32_t i = 0; i < model.num_operators(); ++i) {
    const OperatorInfo info = model.op(i);
    Operator op;
    op.code = info.builtin_code;
    op.version = info.version;
    if (info.custom_code.data != nullptr) op.custom_code = name_of(info.custom_code);
    op.inputs = to_vector(info.inputs);
    op.outputs = to_vector(info.outputs);
    op.intermediates = to_vector(info.intermediates);
    op.options = read_options(info, &op.options_known);
    if (info.custom_options.data != nullptr)
      op.custom_options.assign(info.custom_options.data, info.custom_options.data + info.custom_options.size);
    g.ops.push_back(std::move(op));
  }
  for (uint32_t i = 0; i < model.num_inputs(); ++i) g.inputs.push_back(model.input(i));
  for (uint32_t i = 0; i < model.num_outputs(); ++i) g.outputs.push_back(model.output(i));
  return g;
}

std::vector<uint8_t> write_graph(const Graph& graph) {
  ModelBuilder b;
  for (const Tensor& t : graph.tensors) {
    TensorSpec spec(t.name, t.type, t.shape, t.scales, t.zero_points, t.quantized_dimension, t.data, t.is_variable);
    b.add_tensor(spec);
  }
  for (size_t i = 0; i < graph.ops.size(); ++i) {
    const Operator& op = graph.ops[i];
    if (!op.options_known) throw UserError(node_label(graph, int32_t(i)) + " has builtin options mote cannot copy");
    b.add_operator(schema::BuiltinOp(op.code), op.inputs, op.outputs, op.options, op.version, op.intermediates,
                   op.custom_code, op.custom_options);
  }
  b.set_inputs(graph.inputs);
  b.set_outputs(graph.outputs);
  b.set_description(graph.description);
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

int64_t option_int(const Options& options, int field, int64_t fallback) {
  for (const Options::Field& f : options.fields())
    if (f.id == field) return f.i;
  return fallback;
}

float option_float(const Options& options, int field, float fallback) {
  for (const Options::Field& f : options.fields())
    if (f.id == field) return f.f;
  return fallback;
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
