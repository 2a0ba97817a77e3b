// The "mote" metadata entry of a .tflite: constants that ops would otherwise
// compute in prepare and keep in the persistent arena (per-channel
// requantization multipliers and shifts, in the form the chosen kernel reads
// them), precomputed on the host by `mote export` / `mote prepare` so the
// device reads them in place from the model's flash bytes. TFLite and TFLM
// ignore metadata they do not know.
//
// Layout (little-endian uint32 words; the buffer starts 4-byte aligned, as
// the flatbuffer's 16-byte aligned buffer data is, so the arrays are read in
// place as int32):
//   Header
//   NodeEntry[num_nodes]         one per operator of subgraph 0
//   arrays                       per entry with form != 0: int32 multipliers[channels],
//                                then int32 shift words[channels], at entry.offset
//
// Checks on load (src/prepared_constants_reader.cc, OpContext::channel_constants):
// magic, version, size, a checksum over everything after the checksum word,
// every entry's bounds and alignment; per node a hash of everything the
// constants were computed from (op, inputs' types, shapes, quantization and
// constant data, output quantization), so constants of an edited model are
// never used; and each value's range (ops/conv_prepare.h).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace mote {
namespace prepared {

// Name of the metadata entry (Model.metadata[i].name).
constexpr char kMetadataName[] = "mote";
constexpr uint32_t kMagic = 0x45544f4du;  // "MOTE" in file order
constexpr uint32_t kVersion = 1;

struct Header {
  uint32_t magic;
  uint32_t version;
  uint32_t size;      // bytes of the whole entry, header included
  uint32_t checksum;  // hash_bytes(kHashSeed, bytes [16, size))
  uint32_t num_nodes;
  uint32_t reserved;  // 0
};

struct NodeEntry {
  uint32_t form;             // the op's kernel variant + 1; 0: no constants for this node
  uint32_t channels;         // length of each of the two arrays
  uint32_t dependency_hash;  // see OpContext::channel_constants
  uint32_t offset;           // of the multipliers from the entry's start; shift words follow
};

constexpr size_t kChecksumStart = 16;  // offsetof(Header, num_nodes)
constexpr uint32_t kHashSeed = 0x811c9dc5u;

// A fast 32-bit hash (not cryptographic): each 4-byte word goes through an
// invertible mix, so changing any one word of the input always changes the
// result. Reads with memcpy (no alignment assumed).
uint32_t hash_bytes(uint32_t h, const uint8_t* data, size_t size);
uint32_t hash_word(uint32_t h, uint32_t word);

// A model's entry after the runtime's checks (src/prepared_constants_reader.h).
struct View {
  const uint8_t* data = nullptr;  // nullptr: none (absent, or not 4-byte aligned: ops compute the constants)
  uint32_t size = 0;
  uint32_t num_nodes = 0;

  bool present() const { return data != nullptr; }
  // Entry of `node` (bounds checked on load); form 0 when none.
  NodeEntry entry(uint32_t node) const;
};

}  // namespace prepared
}  // namespace mote
