// The attributes of a node that say what it computes, read from its builtin
// options and weight shapes, for `mote inspect`: kernel size, stride, padding,
// dilation, depth multiplier, fused activation, axis, beta, ...
#pragma once

#include <stdint.h>

#include <string>
#include <vector>

#include "mote/model.h"
#include "mote/schema.h"

namespace mote {
namespace tools {

struct OpAttribute {
  std::string name;             // "kernel", "stride", "padding", "activation", ...
  std::vector<int64_t> values;  // numbers, e.g. {3, 3} for a 3x3 kernel (height x width)
  std::string text;             // for names and reals: "SAME", "RELU6", "0.5"
};

// In a fixed order per op; empty for ops without attributes worth showing.
// A default (dilation 1x1, activation NONE, depth multiplier 1) is left out.
std::vector<OpAttribute> op_attributes(const Model& model, uint32_t node);

// "kernel 3x3, stride 2x2, SAME, RELU6"
std::string attributes_text(const std::vector<OpAttribute>& attributes);

// The fused activation of CONV_2D, DEPTHWISE_CONV_2D, pooling,
// FULLY_CONNECTED, ADD, SUB, MUL, DIV, CONCATENATION; kNone for other ops.
schema::Activation fused_activation(const OperatorInfo& op);

// "RELU6", "NONE", ...
const char* activation_name(schema::Activation activation);

}  // namespace tools
}  // namespace mote
