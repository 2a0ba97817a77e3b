#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mote/flatbuffer.h"
#include "src/prepared_constants_reader.h"

namespace mote {
namespace prepared {

uint32_t hash_word(uint32_t h, uint32_t word) {
  h ^= word;
  h = (h << 13) | (h >> 19);
  return h * 0x9e3779b1u;  // odd: invertible, like the xor and the rotation
}

uint32_t hash_bytes(uint32_t h, const uint8_t* data, size_t size) {
  h = hash_word(h, uint32_t(size));
  size_t i = 0;
  for (; i + 4 <= size; i += 4) h = hash_word(h, fb::load<uint32_t>(data + i));
  if (i < size) {
    uint32_t tail = 0;
    memcpy(&tail, data + i, size - i);
    h = hash_word(h, tail);
  }
  return h;
}

}  // namespace prepared

namespace {

Status fail(char* error, size_t error_size, const char* format, ...) {
  if (error != nullptr && error_size > 0) {
    int n = snprintf(error, error_size, "the model's \"mote\" metadata ");
    if (n > 0 && size_t(n) < error_size) {
      va_list args;
      va_start(args, format);
      vsnprintf(error + n, error_size - size_t(n), format, args);
      va_end(args);
    }
  }
  return Status::kError;
}

constexpr char kHint[] = "; re-run `mote prepare` or `mote export` on the plain model";

bool named_mote(const fb::Bytes& name) {
  const size_t n = sizeof(prepared::kMetadataName) - 1;
  return name.data != nullptr && name.size == n && memcmp(name.data, prepared::kMetadataName, n) == 0;
}

}  // namespace

namespace prepared {
NodeEntry View::entry(uint32_t node) const {
  NodeEntry e = {};
  if (!present() || node >= num_nodes) return e;
  memcpy(&e, data + sizeof(Header) + size_t(node) * sizeof(NodeEntry), sizeof(e));
  return e;
}
}  // namespace prepared

Status read_prepared_constants(const Model& model, prepared::View* view, char* error, size_t error_size) {
  *view = prepared::View();
  fb::Bytes bytes;
  bool found = false;
  for (uint32_t i = 0; i < model.num_metadata(); ++i) {
    const MetadataInfo m = model.metadata(i);
    if (!named_mote(m.name)) continue;
    if (found) return fail(error, error_size, "appears twice%s", kHint);
    found = true;
    bytes = m.data;
  }
  if (!found) return Status::kOk;

  prepared::Header h;
  if (bytes.data == nullptr || bytes.size < sizeof(h))
    return fail(error, error_size, "is %zu bytes, shorter than its header%s", bytes.size, kHint);
  memcpy(&h, bytes.data, sizeof(h));
  if (h.magic != prepared::kMagic) return fail(error, error_size, "does not start with \"MOTE\"%s", kHint);
  if (h.version != prepared::kVersion)
    return fail(error, error_size, "has version %u; this runtime reads version %u%s", unsigned(h.version),
                unsigned(prepared::kVersion), kHint);
  if (h.size != bytes.size)
    return fail(error, error_size, "says it is %u bytes but its buffer holds %zu%s", unsigned(h.size), bytes.size,
                kHint);
  if (prepared::hash_bytes(prepared::kHashSeed, bytes.data + prepared::kChecksumStart,
                           bytes.size - prepared::kChecksumStart) != h.checksum)
    return fail(error, error_size, "is corrupt: its checksum does not match%s", kHint);
  if (h.num_nodes != model.num_operators())
    return fail(error, error_size, "describes %u operators but the model has %u%s", unsigned(h.num_nodes),
                unsigned(model.num_operators()), kHint);
  const uint64_t arrays_start = sizeof(h) + uint64_t(h.num_nodes) * sizeof(prepared::NodeEntry);
  if (arrays_start > bytes.size) return fail(error, error_size, "is cut short in its node table%s", kHint);

  prepared::View v;
  v.data = bytes.data;
  v.size = h.size;
  v.num_nodes = h.num_nodes;
  for (uint32_t node = 0; node < h.num_nodes; ++node) {
    const prepared::NodeEntry e = v.entry(node);
    if (e.form == 0) continue;
    const uint64_t end = uint64_t(e.offset) + 8 * uint64_t(e.channels);
    if (e.channels == 0 || e.offset % 4 != 0 || e.offset < arrays_start || end > bytes.size)
      return fail(error, error_size, "has an entry for node %u outside its bounds%s", unsigned(node), kHint);
  }
  // The flatbuffer aligns buffer data to 16 bytes from the model's start; a
  // model placed at an unaligned address cannot be read in place.
  if (reinterpret_cast<uintptr_t>(bytes.data) % 4 != 0) return Status::kOk;
  *view = v;
  return Status::kOk;
}

}  // namespace mote
