// Builds the int8 graph from the float graph and its calibration:
//   1. activation parameters: tensors tied by "same scale" ops share one set
//      of parameters (from the union of their calibrated ranges, or the fixed
//      parameters of SOFTMAX/LOGISTIC/TANH); an input of CONCATENATION /
//      MAXIMUM / MINIMUM / PADV2 with fixed parameters keeps them and gets a
//      requantizing QUANTIZE op (unless all inputs share the same fixed ones,
//      which the output then takes over);
//   2. weights, biases, constant operands, LSTMs and SVDFs quantized in place;
//   3. the model's inputs and outputs get the requested type: int8 as is,
//      uint8 through QUANTIZE ops (zero point + 128), float32 through
//      QUANTIZE / DEQUANTIZE ops;
//   4. operator versions as TensorFlow writes them for int8.
#pragma once

#include <stdint.h>

#include <string>
#include <vector>

#include "tools/quantizer/calibration.h"
#include "tools/quantizer/float_model.h"
#include "tools/quantizer/graph.h"

namespace mote {
namespace tools {
namespace quantizer {

enum class IoType { kInt8, kUInt8, kFloat32 };

// "int8", "uint8", "float"
const char* io_type_name(IoType type);
// Accepts int8, uint8, float / float32; throws UserError otherwise.
IoType parse_io_type(const std::string& name);

struct RewriteOptions {
  IoType input_type = IoType::kInt8;
  IoType output_type = IoType::kInt8;
  bool per_channel_fc = false;
};

struct QuantizedGraph {
  Graph graph;
  // Float-model tensor index -> the int8 model's tensor holding the same
  // values (-1 when none, e.g. weights).
  std::vector<int32_t> tensor_map;
  int requantize_ops = 0;  // QUANTIZE ops added between same-scale ops
  int io_ops = 0;          // QUANTIZE / DEQUANTIZE ops added at the inputs and outputs
};

QuantizedGraph build_quantized_graph(const FloatModel& model, const Calibration& calibration,
                                     const RewriteOptions& options);

}  // namespace quantizer
}  // namespace tools
}  // namespace mote
