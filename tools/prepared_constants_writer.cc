#include "tools/prepared_constants_writer.h"

#include <string.h>

#include <map>
#include <string>

#include "mote/interpreter.h"
#include "mote/model.h"
#include "mote/prepared_constants.h"
#include "tools/common/host_interpreter.h"
#include "tools/common/user_error.h"
#include "tools/model/tflite_model.h"

namespace mote {
namespace tools {
namespace {

constexpr char kName[] = "mote";

std::unique_ptr<tflite::ModelT> unpack_or_throw(const uint8_t* model, size_t size) {
  std::string error;
  std::unique_ptr<tflite::ModelT> m = unpack_model(model, size, &error);
  if (m == nullptr)
    throw UserError("cannot rewrite the model: " + error,
                    "mote adds its metadata by rewriting the model with its own schema (tools/model/tflite.fbs)");
  return m;
}

// Drops the "mote" entries, and their buffers when nothing else uses them
// and they are last (where add_prepared_constants puts them), so preparing a
// prepared model again gives the same bytes.
void strip(tflite::ModelT* model) {
  std::vector<uint32_t> freed;
  auto& entries = model->metadata;
  for (size_t i = 0; i < entries.size();) {
    if (entries[i]->name == kName) {
      freed.push_back(entries[i]->buffer);
      entries.erase(entries.begin() + long(i));
    } else {
      ++i;
    }
  }
  auto in_use = [&](uint32_t b) {
    for (const auto& e : model->metadata)
      if (e->buffer == b) return true;
    for (const auto& sg : model->subgraphs)
      for (const auto& t : sg->tensors)
        if (t->buffer == b) return true;
    for (uint32_t m : model->metadata_buffer)
      if (uint32_t(m) == b) return true;
    return false;
  };
  for (uint32_t b : freed) {
    if (b >= model->buffers.size() || in_use(b)) continue;
    if (b + 1 == model->buffers.size()) {
      model->buffers.pop_back();
    } else {
      model->buffers[b]->data.clear();
    }
  }
}

std::vector<uint8_t> pack(const tflite::ModelT& model) {
  flatbuffers::FlatBufferBuilder fbb(1 << 16);
  tflite::FinishModelBuffer(fbb, tflite::Model::Pack(fbb, &model));
  return std::vector<uint8_t>(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
}

// By node: HostInterpreter may retry allocate() with a larger arena, and
// then the last call of a node is the one whose arrays stay alive.
using Records = std::map<int, Interpreter::ChannelConstantsRecord>;

void collect(void* user, const Interpreter::ChannelConstantsRecord& record) {
  (*static_cast<Records*>(user))[record.node] = record;
}

void put_word(std::vector<uint8_t>* out, size_t at, uint32_t v) { memcpy(out->data() + at, &v, 4); }

}  // namespace

bool has_prepared_constants(const uint8_t* model, size_t size) {
  Model m;
  char error[256];
  if (!ok(m.load(model, size, error, sizeof(error)))) return false;
  for (uint32_t i = 0; i < m.num_metadata(); ++i) {
    const fb::Bytes name = m.metadata(i).name;
    if (name.size == strlen(kName) && memcmp(name.data, kName, name.size) == 0) return true;
  }
  return false;
}

std::vector<uint8_t> remove_prepared_constants(const uint8_t* model, size_t size) {
  if (!has_prepared_constants(model, size)) return std::vector<uint8_t>(model, model + size);
  std::unique_ptr<tflite::ModelT> m = unpack_or_throw(model, size);
  strip(m.get());
  return pack(*m);
}

PreparedModel add_prepared_constants(const uint8_t* model, size_t size) {
  std::unique_ptr<tflite::ModelT> m = unpack_or_throw(model, size);
  strip(m.get());
  const std::vector<uint8_t> plain_bytes = pack(*m);
  AlignedBuffer plain = aligned_buffer(plain_bytes.size());
  memcpy(plain.get(), plain_bytes.data(), plain_bytes.size());

  // The constants as the host runtime computes them, node by node.
  Records records;
  HostInterpreter host(plain.get(), plain_bytes.size());
  host.set_channel_constants_observer(collect, &records);
  if (!ok(host.allocate()))
    throw UserError(std::string("the model does not allocate on mote: ") + host.error_message(),
                    "run `mote inspect MODEL` for the operator table and the node the message names");
  const uint32_t num_nodes = host.interpreter().model().num_operators();

  PreparedModel result;
  if (records.empty()) {
    result.bytes = plain_bytes;
    return result;
  }
  const size_t table = sizeof(prepared::Header) + num_nodes * sizeof(prepared::NodeEntry);
  size_t total = table;
  for (const auto& [node, r] : records) total += 8 * size_t(r.channels);
  if (total > 0x7fffffff) throw UserError("the model's precomputed constants exceed 2 GiB");
  std::vector<uint8_t> payload(total, 0);
  size_t at = table;
  for (const auto& [node, r] : records) {
    const size_t entry = sizeof(prepared::Header) + size_t(r.node) * sizeof(prepared::NodeEntry);
    put_word(&payload, entry + 0, uint32_t(r.form) + 1);
    put_word(&payload, entry + 4, uint32_t(r.channels));
    put_word(&payload, entry + 8, r.dependency_hash);
    put_word(&payload, entry + 12, uint32_t(at));
    memcpy(payload.data() + at, r.multipliers, 4 * size_t(r.channels));
    memcpy(payload.data() + at + 4 * size_t(r.channels), r.shifts, 4 * size_t(r.channels));
    at += 8 * size_t(r.channels);
    ++result.nodes_with_constants;
  }
  result.constant_bytes = total - table;
  put_word(&payload, 0, prepared::kMagic);
  put_word(&payload, 4, prepared::kVersion);
  put_word(&payload, 8, uint32_t(total));
  put_word(&payload, 16, num_nodes);
  put_word(&payload, 12, prepared::hash_bytes(prepared::kHashSeed, payload.data() + prepared::kChecksumStart,
                                              total - prepared::kChecksumStart));

  auto buffer = std::make_unique<tflite::BufferT>();
  buffer->data = std::move(payload);
  auto entry = std::make_unique<tflite::MetadataT>();
  entry->name = kName;
  entry->buffer = uint32_t(m->buffers.size());
  m->buffers.push_back(std::move(buffer));
  m->metadata.push_back(std::move(entry));
  result.bytes = pack(*m);

  // The device's view: the entry is found, aligned and used by every node.
  AlignedBuffer check = aligned_buffer(result.bytes.size());
  memcpy(check.get(), result.bytes.data(), result.bytes.size());
  HostInterpreter prepared_host(check.get(), result.bytes.size());
  Records computed_again;
  prepared_host.set_channel_constants_observer(collect, &computed_again);
  if (!ok(prepared_host.allocate()) || !prepared_host.interpreter().has_prepared_constants() ||
      !computed_again.empty())
    throw UserError(std::string("internal error: the model with its \"mote\" metadata does not use it: ") +
                        prepared_host.error_message(),
                    "please report this with the model");
  return result;
}

}  // namespace tools
}  // namespace mote
