#include "tools/model/tflite_model.h"

#include <algorithm>

namespace mote {
namespace tools {
namespace {

using flatbuffers::FieldIndexToOffset;
using flatbuffers::Table;
using flatbuffers::TypeTable;
using flatbuffers::voffset_t;

std::string field_path(const std::string& where, const TypeTable* type, size_t field) {
  const std::string name = type->names != nullptr ? type->names[field] : "field " + std::to_string(field);
  return where.empty() ? name : where + "." + name;
}

// The verifier checks a vector's length word for 4-byte alignment only, while
// UnPack() reads 8-byte elements in place; a flatbuffers builder aligns them to
// 8 from the buffer's start. Zero points are the schema's only such vectors.
std::string find_misaligned_zero_points(const uint8_t* data) {
  const auto* subgraphs = tflite::GetModel(data)->subgraphs();
  for (flatbuffers::uoffset_t s = 0; subgraphs != nullptr && s < subgraphs->size(); ++s) {
    const auto* tensors = subgraphs->Get(s)->tensors();
    for (flatbuffers::uoffset_t t = 0; tensors != nullptr && t < tensors->size(); ++t) {
      const tflite::QuantizationParameters* q = tensors->Get(t)->quantization();
      if (q != nullptr && q->zero_point() != nullptr &&
          (q->zero_point()->Data() - data) % sizeof(int64_t) != 0)
        return "subgraphs[" + std::to_string(s) + "].tensors[" + std::to_string(t) + "].quantization.zero_point";
    }
  }
  return std::string();
}

}  // namespace

// Union members are listed in `values` when their numbers are not 0, 1, 2, ...
const TypeTable* union_member_type(const TypeTable* union_type, uint8_t value) {
  for (size_t i = 1; i < union_type->num_elems; ++i) {
    const int64_t v = union_type->values != nullptr ? union_type->values[i] : int64_t(i);
    if (v == value) return union_type->type_refs[union_type->type_codes[i].sequence_ref]();
  }
  return nullptr;
}

std::string find_undeclared_data(const Table* table, const TypeTable* type, const std::string& where) {
  // Vtable: its byte size, the table's size, then one offset per field slot.
  // The verifier accepts a vtable shorter than its two size words (no field
  // present), so the slot count is taken only past them.
  const uint8_t* vtable = table->GetVTable();
  const size_t vtable_bytes = flatbuffers::ReadScalar<voffset_t>(vtable);
  const size_t header_bytes = 2 * sizeof(voffset_t);
  const size_t slots = vtable_bytes > header_bytes ? (vtable_bytes - header_bytes) / sizeof(voffset_t) : 0;
  for (size_t i = type->num_elems; i < slots; ++i) {
    if (table->GetOptionalFieldOffset(FieldIndexToOffset(voffset_t(i))) != 0)
      return (where.empty() ? std::string("root") : where) + ": field " + std::to_string(i) +
             ", which mote's schema does not declare";
  }
  for (size_t i = 0; i < type->num_elems; ++i) {
    const flatbuffers::TypeCode code = type->type_codes[i];
    if (code.base_type != flatbuffers::ET_SEQUENCE || code.sequence_ref < 0) continue;
    const voffset_t slot = FieldIndexToOffset(voffset_t(i));
    const TypeTable* child = type->type_refs[code.sequence_ref]();
    const std::string path = field_path(where, type, i);
    if (child->st == flatbuffers::ST_UNION) {
      const Table* value = table->GetPointer<const Table*>(slot);
      if (value == nullptr) continue;
      const uint8_t member = table->GetField<uint8_t>(FieldIndexToOffset(voffset_t(i - 1)), 0);
      const TypeTable* member_type = union_member_type(child, member);
      if (member_type == nullptr)
        return path + ": union member " + std::to_string(member) + ", which mote's schema does not declare";
      std::string found = find_undeclared_data(value, member_type, path);
      if (!found.empty()) return found;
    } else if (child->st == flatbuffers::ST_TABLE) {
      if (code.is_repeating) {
        const auto* tables = table->GetPointer<const flatbuffers::Vector<flatbuffers::Offset<Table>>*>(slot);
        for (flatbuffers::uoffset_t k = 0; tables != nullptr && k < tables->size(); ++k) {
          std::string found = find_undeclared_data(tables->Get(k), child, path + "[" + std::to_string(k) + "]");
          if (!found.empty()) return found;
        }
      } else if (const Table* value = table->GetPointer<const Table*>(slot)) {
        std::string found = find_undeclared_data(value, child, path);
        if (!found.empty()) return found;
      }
    }
  }
  return std::string();
}

std::string find_undeclared_data(const uint8_t* model) {
  return find_undeclared_data(flatbuffers::GetRoot<Table>(model), tflite::ModelTypeTable(), std::string());
}

std::unique_ptr<tflite::ModelT> unpack_model(const uint8_t* data, size_t size, std::string* error) {
  // Every table starts with a 4-byte offset to its vtable, so a buffer whose
  // tables are each referenced once holds at most size / 4 of them. More table
  // visits mean tables referenced from many places (no converter writes that),
  // which would make the schema walk below and UnPack() exponential in time.
  const auto max_tables = flatbuffers::uoffset_t(std::min<size_t>(size / 4 + 1, 1000000));
  flatbuffers::Verifier verifier(data, size, /*max_depth=*/64, max_tables);
  if (!tflite::VerifyModelBuffer(verifier)) {
    *error = "not a valid TFLite flatbuffer";
    return nullptr;
  }
  const std::string undeclared = find_undeclared_data(data);
  if (!undeclared.empty()) {
    *error = "the model holds data mote's schema (tools/model/tflite.fbs) does not declare, which mote would lose "
             "when it writes the model: " + undeclared;
    return nullptr;
  }
  const std::string misaligned = find_misaligned_zero_points(data);
  if (!misaligned.empty()) {
    *error = "corrupt model: " + misaligned + " is not 8-byte aligned (no flatbuffers writer puts it there)";
    return nullptr;
  }
  return std::unique_ptr<tflite::ModelT>(tflite::GetModel(data)->UnPack());
}

int32_t builtin_code(const tflite::OperatorCodeT& code) {
  return std::max<int32_t>(code.deprecated_builtin_code, int32_t(code.builtin_code));
}

}  // namespace tools
}  // namespace mote
