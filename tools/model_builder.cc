// Writes the TFLite schema by hand with FlatBufferBuilder's table API (no
// generated code): every field id comes from mote/schema.h.
//
// The builder writes what it is given without checking indices or sizes, so
// tests can also build malformed models for the loader to reject.
#include "tools/model_builder.h"

#include <flatbuffers/flatbuffers.h>

#include <algorithm>
#include <stdexcept>
#include <tuple>

namespace mote {
namespace tools {
namespace {

using flatbuffers::FlatBufferBuilder;
using flatbuffers::Offset;
using flatbuffers::uoffset_t;
using flatbuffers::voffset_t;

constexpr uint32_t kSchemaVersion = 3;
constexpr size_t kBufferDataAlignment = 16;
constexpr int32_t kLastDeprecatedBuiltinCode = 127;

voffset_t slot(int field_id) { return flatbuffers::FieldIndexToOffset(static_cast<voffset_t>(field_id)); }

template <typename T>
Offset<flatbuffers::Vector<T>> vector_of(FlatBufferBuilder& fbb, const std::vector<T>& v) {
  return fbb.CreateVector(v.data(), v.size());
}

// A Buffer table; `data` empty gives a buffer without a data field.
Offset<void> write_buffer(FlatBufferBuilder& fbb, const std::vector<uint8_t>& data) {
  Offset<flatbuffers::Vector<uint8_t>> data_offset;
  if (!data.empty()) {
    fbb.ForceVectorAlignment(data.size(), 1, kBufferDataAlignment);
    data_offset = fbb.CreateVector(data.data(), data.size());
  }
  uoffset_t start = fbb.StartTable();
  fbb.AddOffset(slot(schema::buffer::data), data_offset);
  return Offset<void>(fbb.EndTable(start));
}

Offset<void> write_quantization(FlatBufferBuilder& fbb, const TensorSpec& t) {
  auto scales = vector_of(fbb, t.scales);
  Offset<flatbuffers::Vector<int64_t>> zero_points;
  if (!t.zero_points.empty()) zero_points = vector_of(fbb, t.zero_points);
  uoffset_t start = fbb.StartTable();
  fbb.AddOffset(slot(schema::quantization::scale), scales);
  fbb.AddOffset(slot(schema::quantization::zero_point), zero_points);
  fbb.AddElement<int32_t>(slot(schema::quantization::quantized_dimension), t.quantized_dimension, 0);
  return Offset<void>(fbb.EndTable(start));
}

Offset<void> write_tensor(FlatBufferBuilder& fbb, const TensorSpec& t, uint32_t buffer_index) {
  auto shape = vector_of(fbb, t.shape);
  auto name = fbb.CreateString(t.name);
  Offset<void> quantization;
  if (!t.scales.empty() || !t.zero_points.empty()) quantization = write_quantization(fbb, t);
  uoffset_t start = fbb.StartTable();
  fbb.AddOffset(slot(schema::tensor::shape), shape);
  fbb.AddElement<int8_t>(slot(schema::tensor::type), static_cast<int8_t>(t.type), 0);
  fbb.AddElement<uint32_t>(slot(schema::tensor::buffer), buffer_index, 0);
  fbb.AddOffset(slot(schema::tensor::name), name);
  fbb.AddOffset(slot(schema::tensor::quantization), quantization);
  fbb.AddElement<uint8_t>(slot(schema::tensor::is_variable), t.is_variable ? 1 : 0, 0);
  return Offset<void>(fbb.EndTable(start));
}

// Every field the caller set is written, even when it equals the schema
// default, so a test can check that the reader takes the stored value.
Offset<void> write_options(FlatBufferBuilder& fbb, const Options& options) {
  std::vector<Offset<flatbuffers::Vector<int32_t>>> vectors(options.fields().size());
  for (size_t i = 0; i < options.fields().size(); ++i) {
    const Options::Field& f = options.fields()[i];
    if (f.kind == Options::Field::kInt32Vector) vectors[i] = vector_of(fbb, f.vec);
  }
  uoffset_t start = fbb.StartTable();
  for (size_t i = 0; i < options.fields().size(); ++i) {
    const Options::Field& f = options.fields()[i];
    voffset_t s = slot(f.id);
    switch (f.kind) {
      case Options::Field::kInt8: fbb.AddElement<int8_t>(s, static_cast<int8_t>(f.i)); break;
      case Options::Field::kUInt8: fbb.AddElement<uint8_t>(s, static_cast<uint8_t>(f.i)); break;
      case Options::Field::kBool: fbb.AddElement<uint8_t>(s, f.i ? 1 : 0); break;
      case Options::Field::kInt32: fbb.AddElement<int32_t>(s, static_cast<int32_t>(f.i)); break;
      case Options::Field::kFloat: fbb.AddElement<float>(s, f.f); break;
      case Options::Field::kInt32Vector: fbb.AddOffset(s, vectors[i]); break;
    }
  }
  return Offset<void>(fbb.EndTable(start));
}

}  // namespace

// --- Options ---

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

Options& Options::i8(int id, int8_t v) {
  field(id, Field::kInt8).i = v;
  return *this;
}
Options& Options::u8(int id, uint8_t v) {
  field(id, Field::kUInt8).i = v;
  return *this;
}
Options& Options::boolean(int id, bool v) {
  field(id, Field::kBool).i = v ? 1 : 0;
  return *this;
}
Options& Options::i32(int id, int32_t v) {
  field(id, Field::kInt32).i = v;
  return *this;
}
Options& Options::f32(int id, float v) {
  field(id, Field::kFloat).f = v;
  return *this;
}
Options& Options::i32_vector(int id, std::vector<int32_t> v) {
  field(id, Field::kInt32Vector).vec = std::move(v);
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
  auto same = [&](const OpcodeSpec& c) {
    return std::tie(c.builtin, c.version, c.custom_code) == std::tie(code, version, custom_code);
  };
  auto it = std::find_if(opcodes_.begin(), opcodes_.end(), same);
  int32_t opcode_index = static_cast<int32_t>(it - opcodes_.begin());
  if (it == opcodes_.end()) opcodes_.push_back(OpcodeSpec{code, version, std::move(custom_code)});

  OperatorSpec spec;
  spec.opcode = opcode_index;
  spec.inputs = std::move(inputs);
  spec.outputs = std::move(outputs);
  spec.intermediates = std::move(intermediates);
  spec.options = std::move(options);
  spec.custom_options = std::move(custom_options);
  operators_.push_back(std::move(spec));
  return static_cast<int>(operators_.size()) - 1;
}

void ModelBuilder::add_metadata(std::string name, std::vector<uint8_t> data) {
  metadata_.emplace_back(std::move(name), std::move(data));
}

std::vector<uint8_t> ModelBuilder::serialize() const {
  FlatBufferBuilder fbb(1024 + 2 * [this] {
    size_t n = 0;
    for (const TensorSpec& t : tensors_) n += t.data.size();
    for (const auto& m : metadata_) n += m.second.size();
    return n;
  }());

  // Buffers: 0 is the empty sentinel, then one per constant tensor, then one
  // per metadata entry.
  std::vector<Offset<void>> buffers;
  std::vector<uint32_t> tensor_buffer(tensors_.size(), 0);
  buffers.push_back(write_buffer(fbb, {}));
  for (size_t i = 0; i < tensors_.size(); ++i) {
    if (tensors_[i].data.empty()) continue;
    tensor_buffer[i] = static_cast<uint32_t>(buffers.size());
    buffers.push_back(write_buffer(fbb, tensors_[i].data));
  }
  std::vector<Offset<void>> metadata;
  for (const auto& m : metadata_) {
    uint32_t buffer_index = static_cast<uint32_t>(buffers.size());
    buffers.push_back(write_buffer(fbb, m.second));
    auto name = fbb.CreateString(m.first);
    uoffset_t start = fbb.StartTable();
    fbb.AddOffset(slot(schema::metadata::name), name);
    fbb.AddElement<uint32_t>(slot(schema::metadata::buffer), buffer_index, 0);
    metadata.push_back(Offset<void>(fbb.EndTable(start)));
  }

  std::vector<Offset<void>> tensors;
  for (size_t i = 0; i < tensors_.size(); ++i) tensors.push_back(write_tensor(fbb, tensors_[i], tensor_buffer[i]));

  std::vector<Offset<void>> operators;
  for (const OperatorSpec& op : operators_) {
    auto inputs = vector_of(fbb, op.inputs);
    auto outputs = vector_of(fbb, op.outputs);
    Offset<flatbuffers::Vector<int32_t>> intermediates;
    if (!op.intermediates.empty()) intermediates = vector_of(fbb, op.intermediates);
    Offset<flatbuffers::Vector<uint8_t>> custom_options;
    if (!op.custom_options.empty()) custom_options = vector_of(fbb, op.custom_options);
    Offset<void> options;
    if (op.options.type() != schema::OptionsType::kNone) options = write_options(fbb, op.options);

    uoffset_t start = fbb.StartTable();
    fbb.AddElement<uint32_t>(slot(schema::operator_::opcode_index), static_cast<uint32_t>(op.opcode), 0);
    fbb.AddOffset(slot(schema::operator_::inputs), inputs);
    fbb.AddOffset(slot(schema::operator_::outputs), outputs);
    fbb.AddElement<uint8_t>(slot(schema::operator_::builtin_options_type),
                            static_cast<uint8_t>(op.options.type()), 0);
    fbb.AddOffset(slot(schema::operator_::builtin_options), options);
    fbb.AddOffset(slot(schema::operator_::custom_options), custom_options);
    fbb.AddOffset(slot(schema::operator_::intermediates), intermediates);
    operators.push_back(Offset<void>(fbb.EndTable(start)));
  }

  std::vector<Offset<void>> opcodes;
  for (const OpcodeSpec& c : opcodes_) {
    Offset<flatbuffers::String> custom_code;
    if (!c.custom_code.empty()) custom_code = fbb.CreateString(c.custom_code);
    uoffset_t start = fbb.StartTable();
    fbb.AddElement<int8_t>(slot(schema::operator_code::deprecated_builtin_code),
                           static_cast<int8_t>(std::min(c.builtin, kLastDeprecatedBuiltinCode)), 0);
    fbb.AddOffset(slot(schema::operator_code::custom_code), custom_code);
    fbb.AddElement<int32_t>(slot(schema::operator_code::version), c.version, 1);
    fbb.AddElement<int32_t>(slot(schema::operator_code::builtin_code), c.builtin, 0);
    opcodes.push_back(Offset<void>(fbb.EndTable(start)));
  }

  Offset<void> subgraph;
  {
    auto tensors_vec = fbb.CreateVector(tensors);
    auto inputs = vector_of(fbb, inputs_);
    auto outputs = vector_of(fbb, outputs_);
    auto operators_vec = fbb.CreateVector(operators);
    auto name = fbb.CreateString("main");
    uoffset_t start = fbb.StartTable();
    fbb.AddOffset(slot(schema::subgraph::tensors), tensors_vec);
    fbb.AddOffset(slot(schema::subgraph::inputs), inputs);
    fbb.AddOffset(slot(schema::subgraph::outputs), outputs);
    fbb.AddOffset(slot(schema::subgraph::operators), operators_vec);
    fbb.AddOffset(slot(schema::subgraph::name), name);
    subgraph = Offset<void>(fbb.EndTable(start));
  }

  auto opcodes_vec = fbb.CreateVector(opcodes);
  auto subgraphs_vec = fbb.CreateVector(std::vector<Offset<void>>{subgraph});
  auto description = fbb.CreateString(description_);
  auto buffers_vec = fbb.CreateVector(buffers);
  Offset<flatbuffers::Vector<Offset<void>>> metadata_vec;
  if (!metadata.empty()) metadata_vec = fbb.CreateVector(metadata);

  uoffset_t start = fbb.StartTable();
  fbb.AddElement<uint32_t>(slot(schema::model::version), kSchemaVersion, 0);
  fbb.AddOffset(slot(schema::model::operator_codes), opcodes_vec);
  fbb.AddOffset(slot(schema::model::subgraphs), subgraphs_vec);
  fbb.AddOffset(slot(schema::model::description), description);
  fbb.AddOffset(slot(schema::model::buffers), buffers_vec);
  fbb.AddOffset(slot(schema::model::metadata), metadata_vec);
  Offset<void> model(fbb.EndTable(start));
  fbb.Finish(model, "TFL3");

  return std::vector<uint8_t>(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
}

}  // namespace tools
}  // namespace mote
