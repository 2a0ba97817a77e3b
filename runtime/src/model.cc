#include "mote/model.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

namespace mote {
namespace {

namespace s = schema;

Status fail(char* error, size_t error_size, const char* format, ...) {
  if (error != nullptr && error_size > 0) {
    va_list args;
    va_start(args, format);
    vsnprintf(error, error_size, format, args);
    va_end(args);
  }
  return Status::kError;
}

// Largest tensor mote accepts: keeps every byte count and offset in 31 bits.
constexpr uint64_t kMaxTensorBytes = 0x7fffffff;

// The values an 8- or 16-bit integer tensor can hold (its zero point must be
// one of them); false for other types.
bool integer_range(DType type, int64_t* lo, int64_t* hi) {
  switch (type) {
    case DType::kInt8: *lo = -128; *hi = 127; return true;
    case DType::kUInt8: *lo = 0; *hi = 255; return true;
    case DType::kInt16: *lo = -32768; *hi = 32767; return true;
    default: return false;
  }
}

}  // namespace

Status Model::load(const uint8_t* data, size_t size, char* error, size_t error_size) {
  loaded_ = false;
  data_ = data;
  size_ = size;
  if (data == nullptr || size < 8) return fail(error, error_size, "model is empty or shorter than 8 bytes");
  if (size > kMaxTensorBytes) return fail(error, error_size, "model is %zu bytes; mote reads models up to 2 GiB", size);
  if (memcmp(data + 4, "TFL3", 4) != 0)
    return fail(error, error_size, "not a TensorFlow Lite model: bytes 4..8 are not the \"TFL3\" identifier");

  root_ = fb::Table::root(data, size);
  if (!root_.valid()) return fail(error, error_size, "corrupt model: root table is out of bounds");
  version_ = root_.scalar<uint32_t>(s::model::version, 0);
  if (version_ != 3)
    return fail(error, error_size, "model schema version %u is not supported (mote reads version 3)", unsigned(version_));

  fb::Vector<uint32_t> subgraphs = root_.vector<uint32_t>(s::model::subgraphs);
  if (!subgraphs.valid() || subgraphs.size() == 0) return fail(error, error_size, "corrupt model: no subgraphs");
  num_subgraphs_ = subgraphs.size();
  subgraph_ = root_.table_in(subgraphs, 0);
  if (!subgraph_.valid()) return fail(error, error_size, "corrupt model: subgraph 0 is out of bounds");

  opcodes_ = root_.vector<uint32_t>(s::model::operator_codes);
  buffers_ = root_.vector<uint32_t>(s::model::buffers);
  metadata_ = root_.vector<uint32_t>(s::model::metadata);
  tensors_ = subgraph_.vector<uint32_t>(s::subgraph::tensors);
  operators_ = subgraph_.vector<uint32_t>(s::subgraph::operators);
  inputs_ = subgraph_.vector<int32_t>(s::subgraph::inputs);
  outputs_ = subgraph_.vector<int32_t>(s::subgraph::outputs);
  if (root_.has(s::model::operator_codes) && !opcodes_.valid())
    return fail(error, error_size, "corrupt model: operator code list is out of bounds");
  if (root_.has(s::model::buffers) && !buffers_.valid())
    return fail(error, error_size, "corrupt model: buffer list is out of bounds");
  if (root_.has(s::model::metadata) && !metadata_.valid())
    return fail(error, error_size, "corrupt model: metadata list is out of bounds");
  if (!tensors_.valid()) return fail(error, error_size, "corrupt model: subgraph 0 has no valid tensor list");
  if (subgraph_.has(s::subgraph::operators) && !operators_.valid())
    return fail(error, error_size, "corrupt model: operator list is out of bounds");
  if (!inputs_.valid() || !outputs_.valid())
    return fail(error, error_size, "corrupt model: subgraph 0 input/output lists are missing or out of bounds");
  if (tensors_.size() > 0xffff || operators_.size() > 0xffff)
    return fail(error, error_size, "model has %u tensors and %u operators; mote supports up to 65535 of each",
                unsigned(tensors_.size()), unsigned(operators_.size()));

  for (uint32_t i = 0; i < inputs_.size(); ++i) {
    if (inputs_[i] < 0 || uint32_t(inputs_[i]) >= tensors_.size())
      return fail(error, error_size, "corrupt model: model input %u refers to tensor %d of %u", unsigned(i),
                  int(inputs_[i]), unsigned(tensors_.size()));
  }
  for (uint32_t i = 0; i < outputs_.size(); ++i) {
    if (outputs_[i] < 0 || uint32_t(outputs_[i]) >= tensors_.size())
      return fail(error, error_size, "corrupt model: model output %u refers to tensor %d of %u", unsigned(i),
                  int(outputs_[i]), unsigned(tensors_.size()));
  }
  for (uint32_t i = 0; i < opcodes_.size(); ++i) {
    fb::Table code = root_.table_in(opcodes_, i);
    if (!code.valid()) return fail(error, error_size, "corrupt model: operator code %u is out of bounds", unsigned(i));
    if (code.has(s::operator_code::custom_code) && code.string(s::operator_code::custom_code).data == nullptr)
      return fail(error, error_size, "corrupt model: custom code name of operator code %u is out of bounds",
                  unsigned(i));
  }
  for (uint32_t i = 0; i < buffers_.size(); ++i) {
    fb::Bytes b;
    if (!ok(buffer_bytes(i, &b)))
      return fail(error, error_size, "corrupt model: buffer %u is out of bounds", unsigned(i));
  }
  for (uint32_t i = 0; i < metadata_.size(); ++i) {
    fb::Table m = root_.table_in(metadata_, i);
    if (!m.valid() || m.scalar<uint32_t>(s::metadata::buffer, 0) >= buffers_.size())
      return fail(error, error_size, "corrupt model: metadata entry %u is out of bounds", unsigned(i));
  }
  for (uint32_t i = 0; i < tensors_.size(); ++i) MOTE_RETURN_IF_ERROR(check_tensor(i, error, error_size));
  for (uint32_t i = 0; i < operators_.size(); ++i) MOTE_RETURN_IF_ERROR(check_operator(i, error, error_size));
  for (uint32_t i = 0; i < inputs_.size(); ++i) {
    if (tensor(uint32_t(inputs_[i])).data != nullptr)
      return fail(error, error_size, "corrupt model: model input %u (tensor %d) is a constant", unsigned(i),
                  int(inputs_[i]));
  }
  loaded_ = true;
  return Status::kOk;
}

Status Model::buffer_bytes(uint32_t buffer_index, fb::Bytes* out) const {
  *out = fb::Bytes();
  if (buffer_index >= buffers_.size()) return Status::kError;
  fb::Table b = root_.table_in(buffers_, buffer_index);
  if (!b.valid()) return Status::kError;
  if (b.has(s::buffer::data)) {
    fb::Vector<uint8_t> v = b.vector<uint8_t>(s::buffer::data);
    if (!v.valid()) return Status::kError;
    *out = fb::Bytes{v.data(), v.size()};
    return Status::kOk;
  }
  // Large-model form: data stored after the flatbuffer, located by offset and
  // size from the start of the file. Offsets 0 and 1 mean "no data".
  uint64_t offset = b.scalar<uint64_t>(s::buffer::offset, 0);
  uint64_t size = b.scalar<uint64_t>(s::buffer::size, 0);
  if (offset > 1) {
    if (offset > size_ || size > size_ - offset) return Status::kError;
    *out = fb::Bytes{data_ + offset, size_t(size)};
  }
  return Status::kOk;
}

Status Model::check_tensor(uint32_t index, char* error, size_t error_size) const {
  fb::Table t = subgraph_.table_in(tensors_, index);
  if (!t.valid()) return fail(error, error_size, "corrupt model: tensor %u is out of bounds", unsigned(index));
  fb::Vector<int32_t> shape = t.vector<int32_t>(s::tensor::shape);
  if (t.has(s::tensor::shape) && !shape.valid())
    return fail(error, error_size, "corrupt model: shape of tensor %u is out of bounds", unsigned(index));
  if (shape.size() > uint32_t(kMaxDims))
    return fail(error, error_size, "tensor %u has rank %u; mote supports up to %d dimensions", unsigned(index),
                unsigned(shape.size()), kMaxDims);
  DType type = DType(t.scalar<int8_t>(s::tensor::type, 0));
  size_t elem = dtype_size(type);
  if (elem == 0)
    return fail(error, error_size, "tensor %u has type %s (%d), which mote does not support", unsigned(index),
                dtype_name(type), int(type));
  uint64_t count = 1;
  for (uint32_t d = 0; d < shape.size(); ++d) {
    int32_t dim = shape[d];
    if (dim < 0)
      return fail(error, error_size, "tensor %u has a dynamic dimension (%d); mote needs static shapes",
                  unsigned(index), int(dim));
    count *= uint64_t(dim);
    if (count * elem > kMaxTensorBytes)
      return fail(error, error_size, "tensor %u is larger than 2 GiB", unsigned(index));
  }
  if (t.has(s::tensor::name) && t.string(s::tensor::name).data == nullptr)
    return fail(error, error_size, "corrupt model: name of tensor %u is out of bounds", unsigned(index));
  if (t.has(s::tensor::sparsity))
    return fail(error, error_size, "tensor %u is sparse; mote supports dense tensors only", unsigned(index));

  uint32_t buffer = t.scalar<uint32_t>(s::tensor::buffer, 0);
  if (buffer != 0 && buffer >= buffers_.size())
    return fail(error, error_size, "corrupt model: tensor %u refers to buffer %u of %u", unsigned(index),
                unsigned(buffer), unsigned(buffers_.size()));
  fb::Bytes data;
  if (buffer != 0) buffer_bytes(buffer, &data);
  if (data.size != 0 && !t.scalar<uint8_t>(s::tensor::is_variable, 0)) {
    if (data.size != count * elem)
      return fail(error, error_size, "corrupt model: tensor %u needs %llu bytes but its buffer %u holds %zu",
                  unsigned(index), (unsigned long long)(count * elem), unsigned(buffer), data.size);
    if (reinterpret_cast<uintptr_t>(data.data) % (elem > 8 ? 8 : elem) != 0)
      return fail(error, error_size,
                  "constant data of tensor %u is not %zu-byte aligned: place the model at a 16-byte aligned address",
                  unsigned(index), elem > 8 ? size_t(8) : elem);
  }

  if (t.has(s::tensor::quantization)) {
    fb::Table q = t.table(s::tensor::quantization);
    if (!q.valid())
      return fail(error, error_size, "corrupt model: quantization of tensor %u is out of bounds", unsigned(index));
    fb::Vector<float> scales = q.vector<float>(s::quantization::scale);
    fb::Vector<int64_t> zps = q.vector<int64_t>(s::quantization::zero_point);
    if ((q.has(s::quantization::scale) && !scales.valid()) || (q.has(s::quantization::zero_point) && !zps.valid()))
      return fail(error, error_size, "corrupt model: quantization of tensor %u is out of bounds", unsigned(index));
    if (zps.size() != 0 && zps.size() != scales.size())
      return fail(error, error_size, "corrupt model: tensor %u has %u scales but %u zero points", unsigned(index),
                  unsigned(scales.size()), unsigned(zps.size()));
    // Kernels add zero points to stored values in 32-bit arithmetic; one
    // outside the type's range would make that overflow.
    int64_t zp_min = 0, zp_max = 0;
    if (integer_range(type, &zp_min, &zp_max)) {
      for (uint32_t i = 0; i < zps.size(); ++i) {
        if (zps[i] < zp_min || zps[i] > zp_max)
          return fail(error, error_size, "corrupt model: tensor %u (%s) has zero point %lld, outside [%lld, %lld]",
                      unsigned(index), dtype_name(type), (long long)zps[i], (long long)zp_min, (long long)zp_max);
      }
    }
    if (scales.size() > 1) {
      int32_t axis = q.scalar<int32_t>(s::quantization::quantized_dimension, 0);
      // Older converters copy the filter's quantized_dimension onto 1-D bias
      // tensors, so one scale per element is accepted whatever the axis says.
      bool axis_matches = axis >= 0 && uint32_t(axis) < shape.size() && uint32_t(shape[uint32_t(axis)]) == scales.size();
      if (!axis_matches && count != scales.size())
        return fail(error, error_size,
                    "corrupt model: tensor %u has %u per-channel scales that do not match its dimension %d",
                    unsigned(index), unsigned(scales.size()), int(axis));
    }
  }
  return Status::kOk;
}

Status Model::check_operator(uint32_t index, char* error, size_t error_size) const {
  fb::Table op = subgraph_.table_in(operators_, index);
  if (!op.valid()) return fail(error, error_size, "corrupt model: operator %u is out of bounds", unsigned(index));
  uint32_t opcode = op.scalar<uint32_t>(s::operator_::opcode_index, 0);
  if (opcode >= opcodes_.size())
    return fail(error, error_size, "corrupt model: operator %u uses operator code %u of %u", unsigned(index),
                unsigned(opcode), unsigned(opcodes_.size()));
  const int lists[3] = {s::operator_::inputs, s::operator_::outputs, s::operator_::intermediates};
  const char* names[3] = {"input", "output", "intermediate"};
  for (int l = 0; l < 3; ++l) {
    fb::Vector<int32_t> v = op.vector<int32_t>(lists[l]);
    if (op.has(lists[l]) && !v.valid())
      return fail(error, error_size, "corrupt model: %s list of operator %u is out of bounds", names[l],
                  unsigned(index));
    if (v.size() > 64)
      return fail(error, error_size, "operator %u has %u %ss; mote supports up to 64", unsigned(index),
                  unsigned(v.size()), names[l]);
    for (uint32_t i = 0; i < v.size(); ++i) {
      int32_t t = v[i];
      bool optional_ok = l != 1 && t == -1;
      if (!optional_ok && (t < 0 || uint32_t(t) >= tensors_.size()))
        return fail(error, error_size, "corrupt model: operator %u %s %u refers to tensor %d of %u",
                    unsigned(index), names[l], unsigned(i), int(t), unsigned(tensors_.size()));
      if (l == 1 && tensor(uint32_t(t)).data != nullptr)
        return fail(error, error_size, "corrupt model: operator %u writes constant tensor %d", unsigned(index),
                    int(t));
    }
  }
  if (op.has(s::operator_::builtin_options) && !op.table(s::operator_::builtin_options).valid())
    return fail(error, error_size, "corrupt model: options of operator %u are out of bounds", unsigned(index));
  if (op.has(s::operator_::custom_options) && !op.vector<uint8_t>(s::operator_::custom_options).valid())
    return fail(error, error_size, "corrupt model: custom options of operator %u are out of bounds",
                unsigned(index));
  return Status::kOk;
}

fb::Bytes Model::description() const { return root_.string(s::model::description); }

namespace {

// Type, shape and size of a tensor table; shape_offset as in TensorInfo.
void read_tensor_shape(const fb::Table& t, DType* type, Shape* shape, uint32_t* shape_offset, uint32_t* bytes) {
  *type = DType(t.scalar<int8_t>(s::tensor::type, 0));
  fb::Vector<int32_t> dims = t.vector<int32_t>(s::tensor::shape);
  const uint32_t rank = dims.size() <= uint32_t(kMaxDims) ? dims.size() : 0;
  shape->rank = int32_t(rank);
  *shape_offset = rank > 0 ? uint32_t(dims.position()) : 0;
  uint64_t count = 1;
  for (uint32_t d = 0; d < rank; ++d) {
    shape->dims[d] = dims[d] > 0 ? dims[d] : 0;
    count *= uint64_t(shape->dims[d]);
  }
  const uint64_t total = count * dtype_size(*type);
  *bytes = total <= kMaxTensorBytes ? uint32_t(total) : 0;
}

}  // namespace

const uint8_t* Model::constant_data(const fb::Table& t, uint32_t bytes) const {
  const uint32_t buffer = t.scalar<uint32_t>(s::tensor::buffer, 0);
  if (buffer == 0 || t.scalar<uint8_t>(s::tensor::is_variable, 0) != 0) return nullptr;
  fb::Bytes data;
  return ok(buffer_bytes(buffer, &data)) && data.size != 0 && data.size == bytes ? data.data : nullptr;
}

TensorView Model::tensor_view(uint32_t index) const {
  TensorView view;
  fb::Table t = subgraph_.table_in(tensors_, index);
  if (!t.valid()) return view;
  uint32_t shape_offset = 0;
  read_tensor_shape(t, &view.type, &view.shape, &shape_offset, &view.bytes);
  view.data = const_cast<uint8_t*>(constant_data(t, view.bytes));
  return view;
}

TensorInfo Model::tensor(uint32_t index) const {
  TensorInfo info;
  fb::Table t = subgraph_.table_in(tensors_, index);
  if (!t.valid()) return info;
  read_tensor_shape(t, &info.type, &info.shape, &info.shape_offset, &info.bytes);
  info.is_variable = t.scalar<uint8_t>(s::tensor::is_variable, 0) != 0;
  info.name = t.string(s::tensor::name);
  info.buffer = t.scalar<uint32_t>(s::tensor::buffer, 0);
  info.data = constant_data(t, info.bytes);
  fb::Table q = t.table(s::tensor::quantization);
  if (q.valid()) {
    fb::Vector<float> scales = q.vector<float>(s::quantization::scale);
    fb::Vector<int64_t> zps = q.vector<int64_t>(s::quantization::zero_point);
    if (scales.valid() && scales.size() > 0) {
      info.quant.count = int32_t(scales.size());
      info.quant.scales = reinterpret_cast<const uint8_t*>(scales.data());
      info.quant.zero_points = zps.size() == scales.size() ? reinterpret_cast<const uint8_t*>(zps.data()) : nullptr;
      info.quant.axis = q.scalar<int32_t>(s::quantization::quantized_dimension, 0);
    }
  }
  return info;
}

OperatorInfo Model::op(uint32_t index) const {
  OperatorInfo info;
  fb::Table op = subgraph_.table_in(operators_, index);
  if (!op.valid()) return info;
  info.opcode_index = op.scalar<uint32_t>(s::operator_::opcode_index, 0);
  fb::Table code = root_.table_in(opcodes_, info.opcode_index);
  int32_t deprecated = code.scalar<int8_t>(s::operator_code::deprecated_builtin_code, 0);
  int32_t builtin = code.scalar<int32_t>(s::operator_code::builtin_code, 0);
  info.builtin_code = deprecated > builtin ? deprecated : builtin;
  info.version = code.scalar<int32_t>(s::operator_code::version, 1);
  info.custom_code = code.string(s::operator_code::custom_code);
  info.inputs = op.vector<int32_t>(s::operator_::inputs);
  info.outputs = op.vector<int32_t>(s::operator_::outputs);
  info.intermediates = op.vector<int32_t>(s::operator_::intermediates);
  info.options_type = s::OptionsType(op.scalar<uint8_t>(s::operator_::builtin_options_type, 0));
  info.options = op.table(s::operator_::builtin_options);
  fb::Vector<uint8_t> custom = op.vector<uint8_t>(s::operator_::custom_options);
  if (custom.valid()) info.custom_options = fb::Bytes{custom.data(), custom.size()};
  return info;
}

MetadataInfo Model::metadata(uint32_t index) const {
  MetadataInfo info;
  fb::Table m = root_.table_in(metadata_, index);
  if (!m.valid()) return info;
  info.name = m.string(s::metadata::name);
  buffer_bytes(m.scalar<uint32_t>(s::metadata::buffer, 0), &info.data);
  return info;
}

}  // namespace mote
