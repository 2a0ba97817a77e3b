#include "tools/quantizer/model_rewriter.h"

#include <map>
#include <set>

#include "tools/quantizer/lstm_quantization.h"
#include "tools/quantizer/op_rules.h"
#include "tools/quantizer/svdf_quantization.h"
#include "tools/quantizer/weight_quantization.h"

namespace mote {
namespace tools {
namespace quantizer {
namespace {

using Op = schema::BuiltinOp;

constexpr int kLstmHiddenState = 18;
constexpr int kLstmCellState = 19;
constexpr int kSvdfState = 4;

class UnionFind {
 public:
  explicit UnionFind(size_t n) : parent_(n) {
    for (size_t i = 0; i < n; ++i) parent_[i] = int32_t(i);
  }
  int32_t find(int32_t x) {
    while (parent_[size_t(x)] != x) {
      parent_[size_t(x)] = parent_[size_t(parent_[size_t(x)])];
      x = parent_[size_t(x)];
    }
    return x;
  }
  void unite(int32_t a, int32_t b) {
    a = find(a);
    b = find(b);
    if (a != b) parent_[size_t(b)] = a;
  }

 private:
  std::vector<int32_t> parent_;
};

bool same_params(const QuantParams& a, const QuantParams& b) {
  return a.scale == b.scale && a.zero_point == b.zero_point;
}

// Activation parameters: groups of tensors tied by same-scale ops.
class ActivationParams {
 public:
  ActivationParams(const Graph& g, const Calibration& cal) : g_(g), cal_(cal), groups_(g.tensors.size()) {
    fixed_.resize(g.tensors.size());
    has_fixed_.assign(g.tensors.size(), false);
  }

  void tie(int32_t a, int32_t b) { groups_.unite(a, b); }
  void fix(int32_t t, QuantParams p) {
    fixed_[size_t(t)] = p;
    has_fixed_[size_t(t)] = true;
  }
  // Fixed parameters of t's group, if any member has them.
  bool group_fixed(int32_t t, QuantParams* p) {
    const int32_t root = groups_.find(t);
    for (size_t i = 0; i < g_.tensors.size(); ++i) {
      if (has_fixed_[i] && groups_.find(int32_t(i)) == root) {
        *p = fixed_[i];
        return true;
      }
    }
    return false;
  }
  bool same_group(int32_t a, int32_t b) { return groups_.find(a) == groups_.find(b); }

  // After all ties: the parameters of every group.
  void finish(const std::vector<bool>& activation) {
    std::map<int32_t, TensorRange> ranges;
    std::map<int32_t, QuantParams> fixed;
    for (size_t t = 0; t < g_.tensors.size(); ++t) {
      if (!activation[t]) continue;
      const int32_t root = groups_.find(int32_t(t));
      ranges[root].merge(cal_.ranges[t]);
      if (has_fixed_[t]) fixed[root] = fixed_[t];
    }
    for (const auto& [root, range] : ranges) {
      auto f = fixed.find(root);
      if (f != fixed.end()) {
        params_[root] = f->second;
      } else if (range.seen()) {
        params_[root] = activation_params(range.min, range.max);
      } else {
        params_[root] = activation_params(0.0f, 0.0f);
      }
    }
  }
  QuantParams of(int32_t t) { return params_.at(groups_.find(t)); }

 private:
  const Graph& g_;
  const Calibration& cal_;
  UnionFind groups_;
  std::vector<QuantParams> fixed_;
  std::vector<bool> has_fixed_;
  std::map<int32_t, QuantParams> params_;
};

void set_int8(Tensor& t, QuantParams p) {
  t.type = DType::kInt8;
  t.scales = {p.scale};
  t.zero_points = {p.zero_point};
  t.quantized_dimension = 0;
}

// A constant used by several ops may need several quantized forms: each use
// after the first gets its own copy of the float tensor.
class ConstantUses {
 public:
  ConstantUses(Graph& g, const Graph& float_graph) : g_(g), float_graph_(float_graph) {}
  // The tensor index to quantize for input `slot` of op `node`.
  int32_t claim(int32_t node, size_t slot) {
    const int32_t t = g_.ops[size_t(node)].inputs[slot];
    if (claimed_.insert(t).second) return t;
    Tensor copy = float_graph_.tensors[size_t(t)];
    copy.name += "_" + std::to_string(node);
    const int32_t fresh = g_.add_tensor(std::move(copy));
    g_.ops[size_t(node)].inputs[slot] = fresh;
    claimed_.insert(fresh);
    return fresh;
  }

 private:
  Graph& g_;
  const Graph& float_graph_;
  std::set<int32_t> claimed_;
};

struct Requantize {
  int32_t node;
  size_t slot;
};

}  // namespace

const char* io_type_name(IoType type) {
  switch (type) {
    case IoType::kInt8: return "int8";
    case IoType::kUInt8: return "uint8";
    case IoType::kFloat32: return "float";
  }
  return "int8";
}

IoType parse_io_type(const std::string& name) {
  if (name == "int8") return IoType::kInt8;
  if (name == "uint8") return IoType::kUInt8;
  if (name == "float" || name == "float32") return IoType::kFloat32;
  throw UserError("unknown input/output type '" + name + "' (use int8, uint8 or float)");
}

QuantizedGraph build_quantized_graph(const FloatModel& model, const Calibration& cal, const RewriteOptions& options) {
  const Graph& fg = model.graph;
  QuantizedGraph result;
  result.graph = fg;
  Graph& g = result.graph;
  const size_t float_tensors = fg.tensors.size();

  // Which tensors become int8 activations.
  std::vector<bool> activation(float_tensors, false);
  std::vector<bool> int16_state(float_tensors, false);  // LSTM cell / SVDF state
  auto mark = [&](int32_t t) {
    if (t >= 0 && !fg.tensors[size_t(t)].is_constant()) activation[size_t(t)] = true;
  };
  for (int32_t t : fg.inputs) mark(t);
  for (const Operator& op : fg.ops) {
    const OpRule& rule = *find_rule(op.code);
    for (int32_t t : op.outputs) mark(t);
    for (size_t i = 0; i < op.inputs.size(); ++i)
      if (is_activation_input(rule, int(i))) mark(op.inputs[i]);
    if (rule.output == OutputRule::kLstm) {
      mark(op.inputs[kLstmHiddenState]);
      int16_state[size_t(op.inputs[kLstmCellState])] = true;
    }
    if (rule.output == OutputRule::kSvdf) int16_state[size_t(op.inputs[kSvdfState])] = true;
  }

  // Parameter groups.
  ActivationParams params(fg, cal);
  for (const Operator& op : fg.ops) {
    const OpRule& rule = *find_rule(op.code);
    const int32_t out = op.outputs[0];
    switch (rule.output) {
      case OutputRule::kSameAsInput:
        if (activation[size_t(op.inputs[0])]) params.tie(op.inputs[0], out);
        break;
      case OutputRule::kFixed: params.fix(out, rule.fixed); break;
      case OutputRule::kLstm: params.tie(out, op.inputs[kLstmHiddenState]); break;
      default: break;
    }
  }
  // Ops whose inputs must share the output's parameters: inputs with other
  // fixed parameters (a LOGISTIC output, ...) keep them and are requantized,
  // unless every input has the same fixed parameters, which the output then
  // takes over.
  std::vector<Requantize> requantize;
  for (size_t n = 0; n < fg.ops.size(); ++n) {
    const Operator& op = fg.ops[n];
    const OpRule& rule = *find_rule(op.code);
    if (rule.output != OutputRule::kSameAsOutput) continue;
    const int32_t out = op.outputs[0];
    std::vector<size_t> slots;
    for (size_t i = 0; i < op.inputs.size(); ++i) {
      const int32_t t = op.inputs[i];
      if (t >= 0 && is_activation_input(rule, int(i)) && activation[size_t(t)]) slots.push_back(i);
    }
    bool all_same_fixed = !slots.empty();
    QuantParams first;
    for (size_t k = 0; k < slots.size() && all_same_fixed; ++k) {
      QuantParams p;
      all_same_fixed = params.group_fixed(op.inputs[slots[k]], &p) && (k == 0 || same_params(p, first));
      if (k == 0) first = p;
    }
    for (size_t slot : slots) {
      const int32_t t = op.inputs[slot];
      QuantParams fixed;
      if (!all_same_fixed && params.group_fixed(t, &fixed)) {
        requantize.push_back({int32_t(n), slot});
      } else {
        params.tie(out, t);
      }
    }
  }
  params.finish(activation);

  for (size_t t = 0; t < float_tensors; ++t)
    if (activation[t]) set_int8(g.tensors[t], params.of(int32_t(t)));

  // Constants, LSTMs and SVDFs.
  ConstantUses uses(g, fg);
  for (size_t n = 0; n < fg.ops.size(); ++n) {
    const int32_t node = int32_t(n);
    const OpRule& rule = *find_rule(fg.ops[n].code);
    const int32_t out = fg.ops[n].outputs[0];
    if (rule.output == OutputRule::kLstm) {
      const int32_t cell = fg.ops[n].inputs[kLstmCellState];
      quantize_lstm(g, node, params.of(fg.ops[n].inputs[0]), params.of(out), cal.observed[size_t(cell)]);
      continue;
    }
    if (rule.output == OutputRule::kSvdf) {
      quantize_svdf(g, node, cal.observed[size_t(fg.ops[n].inputs[kSvdfState])]);
      continue;
    }
    int weight_axis = rule.weight_axis;
    if (fg.ops[n].code == int32_t(Op::kFullyConnected) && options.per_channel_fc) weight_axis = 0;
    std::vector<float> weight_scales;
    if (rule.weight_input >= 0) {
      const int32_t w = uses.claim(node, size_t(rule.weight_input));
      quantize_weights(g.tensors[size_t(w)], weight_axis);
      weight_scales = g.tensors[size_t(w)].scales;
    }
    if (rule.bias_input >= 0 && g.ops[n].input(size_t(rule.bias_input)) >= 0) {
      const int32_t b = uses.claim(node, size_t(rule.bias_input));
      quantize_bias(g.tensors[size_t(b)], params.of(fg.ops[n].inputs[0]).scale, weight_scales);
    }
    for (size_t i = 0; i < fg.ops[n].inputs.size(); ++i) {
      const int32_t t = fg.ops[n].inputs[i];
      if (t < 0 || !is_activation_input(rule, int(i)) || !fg.tensors[size_t(t)].is_constant()) continue;
      if (fg.tensors[size_t(t)].type != DType::kFloat32) continue;
      const int32_t c = uses.claim(node, i);
      const bool takes_output_params =
          rule.output == OutputRule::kSameAsOutput || rule.output == OutputRule::kSameAsInput;
      const QuantParams p = takes_output_params ? params.of(out) : constant_params(g.tensors[size_t(c)]);
      quantize_constant(g.tensors[size_t(c)], p);
    }
  }

  // Requantizing QUANTIZE ops, each right before its consumer.
  std::vector<std::vector<Operator>> before(g.ops.size());
  for (const Requantize& r : requantize) {
    const int32_t source = g.ops[size_t(r.node)].inputs[r.slot];
    Tensor copy = g.tensors[size_t(source)];
    copy.name += "_requantized";
    set_int8(copy, params.of(g.ops[size_t(r.node)].outputs[0]));
    const int32_t fresh = g.add_tensor(std::move(copy));
    g.ops[size_t(r.node)].inputs[r.slot] = fresh;
    Operator quantize;
    quantize.code = int32_t(Op::kQuantize);
    quantize.inputs = {source};
    quantize.outputs = {fresh};
    before[size_t(r.node)].push_back(quantize);
    ++result.requantize_ops;
  }
  if (!requantize.empty()) {
    std::vector<Operator> ops;
    for (size_t n = 0; n < g.ops.size(); ++n) {
      ops.insert(ops.end(), before[n].begin(), before[n].end());
      ops.push_back(g.ops[n]);
    }
    g.ops = std::move(ops);
  }

  // Model inputs and outputs of the requested types.
  std::vector<Operator> head, tail;
  for (int32_t& input : g.inputs) {
    if (options.input_type == IoType::kInt8) break;
    Tensor& inner = g.tensors[size_t(input)];
    Tensor outer = inner;
    inner.name += "_int8";
    if (options.input_type == IoType::kUInt8) {
      outer.type = DType::kUInt8;
      outer.zero_points = {inner.zero_points[0] + 128};
    } else {
      outer.type = DType::kFloat32;
      outer.scales.clear();
      outer.zero_points.clear();
    }
    const int32_t inner_index = input;
    input = g.add_tensor(std::move(outer));
    Operator q;
    q.code = int32_t(Op::kQuantize);
    q.inputs = {input};
    q.outputs = {inner_index};
    head.push_back(q);
  }
  for (int32_t& output : g.outputs) {
    if (options.output_type == IoType::kInt8) break;
    Tensor& inner = g.tensors[size_t(output)];
    Tensor outer = inner;
    inner.name += "_int8";
    Operator q;
    if (options.output_type == IoType::kUInt8) {
      outer.type = DType::kUInt8;
      outer.zero_points = {inner.zero_points[0] + 128};
      q.code = int32_t(Op::kQuantize);
    } else {
      outer.type = DType::kFloat32;
      outer.scales.clear();
      outer.zero_points.clear();
      q.code = int32_t(Op::kDequantize);
    }
    q.inputs = {output};
    output = g.add_tensor(std::move(outer));
    q.outputs = {output};
    tail.push_back(q);
  }
  result.io_ops = int(head.size() + tail.size());
  g.ops.insert(g.ops.begin(), head.begin(), head.end());
  g.ops.insert(g.ops.end(), tail.begin(), tail.end());

  for (Operator& op : g.ops) op.version = quantized_op_version(g, op);

  result.tensor_map.assign(float_tensors, -1);
  for (size_t t = 0; t < float_tensors; ++t)
    if (activation[t] || int16_state[t]) result.tensor_map[t] = int32_t(t);
  return result;
}

}  // namespace quantizer
}  // namespace tools
}  // namespace mote
