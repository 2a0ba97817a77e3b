// What the interpreter keeps in the arena per tensor, node and scratch
// request, and the overlap hints of prepare. Private to the runtime
// (src/interpreter.cc, src/op_context.cc): the layout may change without
// touching the public API. Records hold 32-bit offsets, never pointers, so
// their size is the same on a 64-bit host and a 32-bit MCU.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "mote/flatbuffer.h"

namespace mote {

// Per tensor whose bytes are not in the model (activations, state, tensors
// without data): 8 bytes here plus one kind byte (type, location, variable).
// Constant tensors have no record: eval reads their type, shape and data from
// the model (Model::tensor_view).
struct TensorRecord {
  uint32_t data;      // arena offset when kInArena; root tensor when kShared
  uint32_t dims_pos;  // model offset of the shape's first int32 (its length word precedes it), 0 for rank 0
};

// The records of all tensors, at Interpreter::tensors_:
//   TensorRecord records[num_records]
//   uint32_t has_record[words]      bit t % 32 of word t / 32: tensor t has a record
//   uint16_t records_before[words - 1]  records of the tensors before word w + 1's first
//   uint8_t kinds[num_records]
// so a tensor's record is found in constant time and a constant costs 1 bit.
class TensorTable {
 public:
  static size_t bytes(uint32_t num_tensors, uint32_t num_records) {
    const size_t words = (num_tensors + 31) / 32;
    return num_records * (sizeof(TensorRecord) + 1) + words * sizeof(uint32_t) +
           (words > 0 ? words - 1 : 0) * sizeof(uint16_t);
  }
  TensorTable(uint8_t* base, uint32_t num_tensors, uint32_t num_records)
      : records(reinterpret_cast<TensorRecord*>(base)),
        has_record(reinterpret_cast<uint32_t*>(records + num_records)),
        records_before(reinterpret_cast<uint16_t*>(has_record + (num_tensors + 31) / 32)),
        kinds(reinterpret_cast<uint8_t*>(records_before + (num_tensors > 32 ? (num_tensors - 1) / 32 : 0))) {}

  // Index of the tensor's record, -1 for a constant.
  int32_t slot(int32_t tensor) const {
    const uint32_t w = uint32_t(tensor) / 32;
    const uint32_t word = has_record[w];
    const uint32_t bit = uint32_t(1) << (uint32_t(tensor) % 32);
    if ((word & bit) == 0) return -1;
    return int32_t((w == 0 ? 0 : records_before[w - 1]) + count_bits(word & (bit - 1)));
  }

  TensorRecord* records;
  uint32_t* has_record;
  uint16_t* records_before;
  uint8_t* kinds;

 private:
  // No __builtin_popcount: on cores without the instruction it is a libgcc call.
  static uint32_t count_bits(uint32_t v) {
    v = v - ((v >> 1) & 0x55555555u);
    v = (v & 0x33333333u) + ((v >> 2) & 0x33333333u);
    v = (v + (v >> 4)) & 0x0f0f0f0fu;
    return (v * 0x01010101u) >> 24;
  }
};

struct NodeRecord {
  uint32_t inputs_pos;  // model offset of the inputs vector's length word
  uint32_t outputs_pos;
  uint32_t op_data;       // arena offset, 0 when none
  uint16_t registration;  // index in the resolver
  uint16_t flags;         // kHasIntermediates
};

struct ScratchRecord {
  uint32_t size;
  uint32_t offset;
  int32_t node;
  uint32_t next;  // arena offset of the next record, 0 at the end
};

// An overlap a node allows between one of its inputs and one of its outputs
// (OpContext::allow_overlap). Kept at the arena's start during prepare only:
// the planner consumes them before any activation exists.
struct OverlapHint {
  int32_t node;
  int32_t input;  // tensor indices
  int32_t output;
  int32_t min_lead;
  int32_t max_lead;
  int32_t lead_step;
};

// A window op's row geometry (OpContext::allow_row_strips) is kept in the
// same array as the overlap hints: node holds ~node (so it is negative),
// input and output the tensors, min_lead the stride, max_lead the dilated
// filter height, lead_step the top padding.
inline bool is_row_strip_hint(const OverlapHint& hint) { return hint.node < 0; }

// The patch stage allocate() chose, in the persistent section; its
// num_layers StageLayer entries (src/patch_stage.h) follow it.
struct StageRecord {
  int32_t first_node;
  int32_t num_layers;
  int32_t rows_per_strip;
  int32_t num_strips;
};

// Where a tensor's bytes are (bits 5-6 of its kind byte).
enum : uint8_t { kNoData = 0, kInArena = 1, kInModel = 2, kShared = 3 };
enum : uint8_t { kTypeMask = 0x1f, kLocationShift = 5, kVariable = 0x80 };
enum : uint16_t { kHasIntermediates = 1 };

// Length of the int32 vector whose length word is at model offset
// `vector_pos` (a node's inputs or outputs; NodeRecord), 0 for none.
inline int32_t node_count(const uint8_t* model_data, uint32_t vector_pos) {
  return vector_pos == 0 ? 0 : int32_t(fb::load<uint32_t>(model_data + vector_pos));
}

}  // namespace mote
