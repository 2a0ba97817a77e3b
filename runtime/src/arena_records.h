// What the interpreter keeps in the arena per tensor, node and scratch
// request, and the overlap hints of prepare. Private to the runtime
// (src/interpreter.cc, src/op_context.cc): the layout may change without
// touching the public API. Records hold 32-bit offsets, never pointers, so
// their size is the same on a 64-bit host and a 32-bit MCU.
#pragma once

#include <stdint.h>

#include "mote/flatbuffer.h"

namespace mote {

// Per tensor: 8 bytes here plus one kind byte (type, location, variable).
struct TensorRecord {
  uint32_t data;      // arena offset; model offset when kInModel; root tensor when kShared
  uint32_t dims_pos;  // model offset of the shape's first int32 (its length word precedes it), 0 for rank 0
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
