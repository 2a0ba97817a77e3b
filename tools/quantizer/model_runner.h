// Runs a model in memory with mote's interpreter (every op registered, a host
// arena large enough for any model) and reads tensors as real values. Used by
// calibration (the float model) and by the accuracy report (both models).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "mote/interpreter.h"
#include "mote/op_resolver.h"
#include "tools/common/host_interpreter.h"

namespace mote {
namespace tools {
namespace quantizer {

class ModelRunner {
 public:
  // Loads and allocates; throws UserError with the interpreter's message
  // (prefixed by `what`, e.g. "the float model") on failure.
  ModelRunner(const std::vector<uint8_t>& model, const std::string& what);
  ~ModelRunner();
  ModelRunner(const ModelRunner&) = delete;
  ModelRunner& operator=(const ModelRunner&) = delete;

  const Model& model() const { return interpreter().model(); }
  const Interpreter& interpreter() const { return host_->interpreter(); }

  // Writes real values into input i: copied for float32 inputs, quantized
  // with the input's parameters for int8 / uint8 / int16 inputs.
  void set_input(size_t i, const std::vector<float>& values);
  // Invokes once; `after_node(node)` runs after every node (tensors written
  // by that node are valid then). Throws UserError on failure.
  void run(const std::function<void(int node)>& after_node = nullptr);
  // Variable tensors back to their initial values.
  void reset_state();

  // The tensor's current values as real numbers (dequantized when quantized).
  std::vector<float> tensor_values(int32_t tensor) const;

 private:
  static void observe(void* user, int node, const Interpreter& interpreter);

  Interpreter& mutable_interpreter() { return host_->interpreter(); }

  std::string what_;
  AlignedBuffer model_data_;
  std::unique_ptr<HostInterpreter> host_;
  const std::function<void(int)>* after_node_ = nullptr;
};

// Values of a tensor view as real numbers with its quantization.
std::vector<float> dequantized_values(const TensorView& view, const QuantView& quant);

}  // namespace quantizer
}  // namespace tools
}  // namespace mote
