// The builder keeps operators and operator codes as host-model tables and
// turns its tensors into Tensor + Buffer tables when it packs the model. It
// writes what it is given without checking indices or sizes, so tests can
// also build malformed models for the loader to reject.
#include "tools/model_builder.h"

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace mote {
namespace tools {
namespace {

using flatbuffers::FlatBufferBuilder;
using flatbuffers::voffset_t;

constexpr uint32_t kSchemaVersion = 3;
constexpr int32_t kLastDeprecatedBuiltinCode = 127;

std::unique_ptr<tflite::BufferT> buffer_of(const std::vector<uint8_t>& data) {
  auto buffer = std::make_unique<tflite::BufferT>();
  buffer->data = data;
  return buffer;
}

std::unique_ptr<tflite::TensorT> tensor_of(const TensorSpec& t, uint32_t buffer_index) {
  auto tensor = std::make_unique<tflite::TensorT>();
  tensor->shape = t.shape;
  tensor->type = tflite::TensorType(t.type);
  tensor->buffer = buffer_index;
  tensor->name = t.name;
  tensor->is_variable = t.is_variable;
  if (!t.scales.empty() || !t.zero_points.empty()) {
    tensor->quantization = std::make_unique<tflite::QuantizationParametersT>();
    tensor->quantization->scale = t.scales;
    tensor->quantization->zero_point = t.zero_points;
    tensor->quantization->quantized_dimension = t.quantized_dimension;
  }
  return tensor;
}

}  // namespace

int64_t TensorSpec::num_elements() const {
  int64_t n = 1;
  for (int32_t d : shape) n *= d;
  return n;
}

// --- Options ---

Options::Options(schema::OptionsType type) {
  value_.type = tflite::BuiltinOptions(type);
  decode_fields();
}

Options::Field& Options::field(int id, Field::Kind kind) {
  if (id < 0) throw std::invalid_argument("Options: negative field id " + std::to_string(id));
  Field fresh;
  fresh.kind = kind;
  fresh.id = id;
  for (Field& f : fields_) {
    if (f.id == id) {  // setting a field twice keeps the last value
      f = fresh;
      return f;
    }
  }
  fields_.push_back(fresh);
  return fields_.back();
}

void Options::decode_fields() {
  const tflite::BuiltinOptions type = value_.type;
  if (type == tflite::BuiltinOptions_NONE) {
    if (!fields_.empty()) throw std::invalid_argument("Options: fields set without an options type");
    return;
  }
  FlatBufferBuilder fbb;
  std::vector<flatbuffers::Offset<flatbuffers::Vector<int32_t>>> vectors(fields_.size());
  for (size_t i = 0; i < fields_.size(); ++i)
    if (fields_[i].kind == Field::kInt32Vector) vectors[i] = fbb.CreateVector(fields_[i].vec);
  const flatbuffers::uoffset_t start = fbb.StartTable();
  for (size_t i = 0; i < fields_.size(); ++i) {
    const Field& f = fields_[i];
    const voffset_t slot = flatbuffers::FieldIndexToOffset(voffset_t(f.id));
    switch (f.kind) {
      case Field::kInt8: fbb.AddElement<int8_t>(slot, int8_t(f.i)); break;
      case Field::kUInt8: fbb.AddElement<uint8_t>(slot, uint8_t(f.i)); break;
      case Field::kBool: fbb.AddElement<uint8_t>(slot, f.i ? 1 : 0); break;
      case Field::kInt32: fbb.AddElement<int32_t>(slot, int32_t(f.i)); break;
      case Field::kFloat: fbb.AddElement<float>(slot, f.f); break;
      case Field::kInt32Vector: fbb.AddOffset(slot, vectors[i]); break;
    }
  }
  fbb.Finish(flatbuffers::Offset<flatbuffers::Table>(fbb.EndTable(start)));
  const auto* table = flatbuffers::GetRoot<flatbuffers::Table>(fbb.GetBufferPointer());

  const flatbuffers::TypeTable* table_type = union_member_type(tflite::BuiltinOptionsTypeTable(), type);
  if (table_type == nullptr)
    throw std::invalid_argument("Options: options type " + std::to_string(int(type)) +
                                " is not declared in mote's schema (tools/model/tflite.fbs)");
  const std::string undeclared = find_undeclared_data(table, table_type, "options");
  if (!undeclared.empty()) throw std::invalid_argument("Options: " + undeclared);
  tflite::BuiltinOptionsUnion decoded;
  decoded.type = type;
  decoded.value = tflite::BuiltinOptionsUnion::UnPack(table, type, nullptr);
  value_ = std::move(decoded);
}

Options& Options::i8(int id, int8_t v) {
  field(id, Field::kInt8).i = v;
  decode_fields();
  return *this;
}
Options& Options::u8(int id, uint8_t v) {
  field(id, Field::kUInt8).i = v;
  decode_fields();
  return *this;
}
Options& Options::boolean(int id, bool v) {
  field(id, Field::kBool).i = v ? 1 : 0;
  decode_fields();
  return *this;
}
Options& Options::i32(int id, int32_t v) {
  field(id, Field::kInt32).i = v;
  decode_fields();
  return *this;
}
Options& Options::f32(int id, float v) {
  field(id, Field::kFloat).f = v;
  decode_fields();
  return *this;
}
Options& Options::i32_vector(int id, std::vector<int32_t> v) {
  field(id, Field::kInt32Vector).vec = std::move(v);
  decode_fields();
  return *this;
}

// --- ModelBuilder ---

int ModelBuilder::add_tensor(const TensorSpec& spec) {
  tensors_.push_back(spec);
  return static_cast<int>(tensors_.size()) - 1;
}

int ModelBuilder::add_operator(schema::BuiltinOp op, std::vector<int32_t> inputs, std::vector<int32_t> outputs,
                               Options options, int32_t version, std::vector<int32_t> intermediates,
                               std::string custom_code, std::vector<uint8_t> custom_options) {
  const int32_t code = static_cast<int32_t>(op);
  auto same = [&](const tflite::OperatorCodeT& c) {
    return int32_t(c.builtin_code) == code && c.version == version && c.custom_code == custom_code;
  };
  auto it = std::find_if(opcodes_.begin(), opcodes_.end(), same);
  const uint32_t opcode_index = static_cast<uint32_t>(it - opcodes_.begin());
  if (it == opcodes_.end()) {
    tflite::OperatorCodeT c;
    c.deprecated_builtin_code = int8_t(std::min(code, kLastDeprecatedBuiltinCode));
    c.custom_code = std::move(custom_code);
    c.version = version;
    c.builtin_code = tflite::BuiltinOperator(code);
    opcodes_.push_back(std::move(c));
  }

  tflite::OperatorT o;
  o.opcode_index = opcode_index;
  o.inputs = std::move(inputs);
  o.outputs = std::move(outputs);
  o.builtin_options = options.value();
  o.custom_options = std::move(custom_options);
  o.intermediates = std::move(intermediates);
  operators_.push_back(std::move(o));
  return static_cast<int>(operators_.size()) - 1;
}

void ModelBuilder::add_metadata(std::string name, std::vector<uint8_t> data) {
  metadata_.emplace_back(std::move(name), std::move(data));
}

std::vector<uint8_t> ModelBuilder::serialize() const {
  tflite::ModelT model;
  model.version = kSchemaVersion;
  model.description = description_;
  for (const tflite::OperatorCodeT& c : opcodes_) model.operator_codes.push_back(std::make_unique<tflite::OperatorCodeT>(c));

  // Buffers: 0 is the empty sentinel, then one per constant tensor, then one
  // per metadata entry.
  model.buffers.push_back(std::make_unique<tflite::BufferT>());
  auto subgraph = std::make_unique<tflite::SubGraphT>();
  size_t data_bytes = 0;
  for (const TensorSpec& t : tensors_) {
    uint32_t buffer_index = 0;
    if (!t.data.empty()) {
      buffer_index = uint32_t(model.buffers.size());
      model.buffers.push_back(buffer_of(t.data));
      data_bytes += t.data.size();
    }
    subgraph->tensors.push_back(tensor_of(t, buffer_index));
  }
  for (const auto& m : metadata_) {
    auto entry = std::make_unique<tflite::MetadataT>();
    entry->name = m.first;
    entry->buffer = uint32_t(model.buffers.size());
    model.buffers.push_back(buffer_of(m.second));
    model.metadata.push_back(std::move(entry));
    data_bytes += m.second.size();
  }
  for (const tflite::OperatorT& op : operators_) subgraph->operators.push_back(std::make_unique<tflite::OperatorT>(op));
  subgraph->inputs = inputs_;
  subgraph->outputs = outputs_;
  subgraph->name = "main";
  model.subgraphs.push_back(std::move(subgraph));

  FlatBufferBuilder fbb(1024 + 2 * data_bytes);
  tflite::FinishModelBuffer(fbb, tflite::Model::Pack(fbb, &model));
  return std::vector<uint8_t>(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
}

}  // namespace tools
}  // namespace mote
