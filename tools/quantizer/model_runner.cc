#include "tools/quantizer/model_runner.h"

#include <string.h>


#include "tools/quantizer/graph.h"
#include "tools/quantizer/quant_params.h"

namespace mote {
namespace tools {
namespace quantizer {
namespace {

template <typename T>
T load(const void* data, int64_t i) {
  T v;
  memcpy(&v, static_cast<const uint8_t*>(data) + size_t(i) * sizeof(T), sizeof(T));
  return v;
}

}  // namespace

ModelRunner::ModelRunner(const std::vector<uint8_t>& model, const std::string& what)
    : what_(what), model_data_(aligned_buffer(model.size())) {
  if (!model.empty()) memcpy(model_data_.get(), model.data(), model.size());
  host_ = std::make_unique<HostInterpreter>(model_data_.get(), model.size());
  // Layer by layer: observers read every activation whole after its node,
  // which a patch stage's inner tensors never are.
  if (!ok(host_->allocate({PatchMode::kOff, 0})))
    throw UserError(what_ + " does not run in mote: " + host_->error_message());
}

ModelRunner::~ModelRunner() = default;

void ModelRunner::set_input(size_t i, const std::vector<float>& values) {
  const TensorView in = mutable_interpreter().input(i);
  const QuantView q = mutable_interpreter().input_quant(i);
  if (int64_t(values.size()) != in.num_elements())
    throw UserError(what_ + ": input " + std::to_string(i) + " needs " + std::to_string(in.num_elements()) +
                    " values, got " + std::to_string(values.size()));
  const int64_t n = in.num_elements();
  QuantParams p;
  if (q.quantized()) {
    p.scale = q.scale();
    p.zero_point = q.zero_point();
  }
  switch (in.type) {
    case DType::kFloat32: memcpy(in.data, values.data(), size_t(n) * sizeof(float)); return;
    case DType::kInt8:
      for (int64_t k = 0; k < n; ++k) in.as<int8_t>()[k] = int8_t(quantize_value(values[size_t(k)], p, -128, 127));
      return;
    case DType::kUInt8:
      for (int64_t k = 0; k < n; ++k) in.as<uint8_t>()[k] = uint8_t(quantize_value(values[size_t(k)], p, 0, 255));
      return;
    case DType::kInt16:
      for (int64_t k = 0; k < n; ++k)
        in.as<int16_t>()[k] = int16_t(quantize_value(values[size_t(k)], p, -32768, 32767));
      return;
    default:
      throw UserError(what_ + ": input " + std::to_string(i) + " has type " + dtype_name(in.type) +
                      ", which mote quantize cannot feed");
  }
}

void ModelRunner::observe(void* user, int node, const Interpreter&) {
  auto* self = static_cast<ModelRunner*>(user);
  (*self->after_node_)(node);
}

void ModelRunner::run(const std::function<void(int node)>& after_node) {
  if (after_node) {
    after_node_ = &after_node;
    mutable_interpreter().set_node_observer(&ModelRunner::observe, this);
  } else {
    mutable_interpreter().set_node_observer(nullptr, nullptr);
  }
  const Status status = mutable_interpreter().invoke();
  mutable_interpreter().set_node_observer(nullptr, nullptr);
  after_node_ = nullptr;
  if (!ok(status)) throw UserError(what_ + " failed to run: " + mutable_interpreter().error_message());
}

void ModelRunner::reset_state() { mutable_interpreter().reset_state(); }

std::vector<float> ModelRunner::tensor_values(int32_t tensor) const {
  return dequantized_values(interpreter().tensor(tensor), model().tensor(uint32_t(tensor)).quant);
}

std::vector<float> dequantized_values(const TensorView& view, const QuantView& quant) {
  const int64_t n = view.data == nullptr ? 0 : view.num_elements();
  std::vector<float> out(size_t(n > 0 ? n : 0));
  const float scale = quant.quantized() ? quant.scale() : 1.0f;
  const int32_t zp = quant.quantized() ? quant.zero_point() : 0;
  auto convert = [&](auto zero) {
    for (int64_t i = 0; i < n; ++i) out[size_t(i)] = scale * float(int64_t(load<decltype(zero)>(view.data, i)) - zp);
  };
  switch (view.type) {
    case DType::kFloat32:
      for (int64_t i = 0; i < n; ++i) out[size_t(i)] = load<float>(view.data, i);
      break;
    case DType::kInt8: convert(int8_t()); break;
    case DType::kUInt8: convert(uint8_t()); break;
    case DType::kInt16: convert(int16_t()); break;
    case DType::kInt32: convert(int32_t()); break;
    default: out.clear(); break;
  }
  return out;
}

}  // namespace quantizer
}  // namespace tools
}  // namespace mote
