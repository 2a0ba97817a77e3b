// How each operator is quantized: which inputs are activations, weights and
// biases, where its output parameters come from, and the operator version
// TensorFlow's converter writes for the int8 op.
#pragma once

#include <stdint.h>

#include <string>
#include <vector>

#include "tools/quantizer/graph.h"
#include "tools/quantizer/quant_params.h"

namespace mote {
namespace tools {
namespace quantizer {

enum class OutputRule {
  kCalibrated,    // the output's own calibrated range
  kSameAsInput,   // output keeps input 0's parameters (RESHAPE, MAX_POOL_2D, ...)
  kSameAsOutput,  // every activation input takes the output's parameters (CONCATENATION, ...)
  kFixed,         // parameters fixed by the int8 kernel (SOFTMAX, LOGISTIC, TANH)
  kLstm,          // see lstm_quantization.h
  kSvdf,          // own output range; constants and state: see svdf_quantization.h
};

struct OpRule {
  int32_t code;
  OutputRule output;
  QuantParams fixed;                   // kFixed only
  std::vector<int> activation_inputs;  // inputs that become int8; -1 = every input
  int weight_input = -1;               // symmetric int8 constant
  int weight_axis = -1;                // per-channel axis, -1 = per tensor
  int bias_input = -1;                 // int32 constant, scale = input scale x weight scale
};

// The rule for an op, nullptr when mote quantize does not support it.
const OpRule* find_rule(int32_t code);

// Names of every supported op, comma separated (for messages).
std::string supported_op_names();

// True when input `i` of an op with `rule` becomes an int8 activation.
bool is_activation_input(const OpRule& rule, int i);

// Version of the quantized op as TensorFlow writes it (needs the op's final
// tensor types and parameters in `graph`).
int32_t quantized_op_version(const Graph& graph, const Operator& op);

}  // namespace quantizer
}  // namespace tools
}  // namespace mote
