// The contract between the interpreter and an operator.
//
// An operator is a pair of plain functions:
//   prepare(ctx): runs once in Interpreter::allocate(). Validates shapes and
//     types, reads builtin options, precomputes everything eval needs
//     (multipliers, shifts, padding, folded zero-point terms) into op data it
//     allocates from the arena, and requests scratch buffers.
//   eval(ctx): runs on every invoke(). Only math: it reads the op data and the
//     tensors, allocates nothing, and fails only on conditions it cannot know
//     in prepare.
//
// Arena-resident structs (op data) hold no pointers: use ArenaRef / offsets,
// so an arena plan computed on a 64-bit host is byte-exact on a 32-bit MCU.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "mote/flatbuffer.h"
#include "mote/memory_planner.h"
#include "mote/schema.h"
#include "mote/status.h"
#include "mote/tensor.h"

namespace mote {

class Interpreter;

// Where a node's input 0 and output 0 views begin, in rows of the whole
// tensors: both 0 except while the node runs on a strip of rows in a patch
// stage (OpContext::allow_row_strips).
struct RowWindow {
  int32_t input_row = 0;
  int32_t output_row = 0;
};

// A pointer-free reference to memory in the arena's persistent section.
template <typename T>
struct ArenaRef {
  uint32_t offset = 0;
};

// A pointer-free reference to read-only data an op keeps for eval: in the
// persistent arena, or (kInModel bit set) in the model's bytes, where the
// "mote" metadata's precomputed constants are read in place from flash.
template <typename T>
struct ConstantRef {
  static constexpr uint32_t kInModel = 0x80000000u;
  uint32_t offset = 0;
};

// Per-channel constants of an op (kept in op data): a multiplier word per
// channel, then a shift word per channel (shifts(channels) of them).
struct ChannelConstantRefs {
  ConstantRef<int32_t> multipliers;
};

// What OpContext::channel_constants() gives in prepare.
struct ChannelConstants {
  ChannelConstantRefs refs;
  // Non-null when the arrays were allocated in the arena: the op fills them.
  // Null when they are the model's precomputed ones: the op checks them.
  int32_t* fill_multipliers = nullptr;
  int32_t* fill_shifts = nullptr;
  bool from_model() const { return fill_multipliers == nullptr; }
};

class OpContext {
 public:
  OpContext(Interpreter* interpreter, int node) : interp_(interpreter), node_(node) {}

  int node_index() const { return node_; }
  int32_t op_version() const;

  // Inputs, outputs and intermediates of this node. An optional input the
  // model omits (index -1) reads as has_input() == false.
  int num_inputs() const;
  int num_outputs() const;
  int num_intermediates() const;
  bool has_input(int i) const;
  int32_t input_tensor_index(int i) const;
  int32_t output_tensor_index(int i) const;
  TensorView input(int i) const;
  TensorView output(int i) const;
  TensorView intermediate(int i) const;
  QuantView input_quant(int i) const;
  QuantView output_quant(int i) const;
  QuantView intermediate_quant(int i) const;
  // True when the input's data is stored in the model (weights, shapes, ...).
  bool input_is_constant(int i) const;

  // Builtin options table of this node (check options_type()) and custom
  // options bytes.
  schema::OptionsType options_type() const;
  fb::Table options() const;
  fb::Bytes custom_options() const;

  // --- prepare only ---
  // Allocates this node's op data (once), zero-filled; nullptr and an error
  // message when the arena is full.
  // Aligned to `align` (at least 4): only as much as the struct needs, so no
  // padding is spent between records.
  void* allocate_op_data(size_t bytes, size_t align = 8);
  template <typename T>
  T* allocate_op_data() { return static_cast<T*>(allocate_op_data(sizeof(T), alignof(T))); }
  // Allocates a persistent array, zero-filled; nullptr when the arena is full.
  template <typename T>
  T* allocate_array(size_t count, ArenaRef<T>* ref) {
    uint32_t off = 0;
    T* p = static_cast<T*>(
        allocate_persistent(count * sizeof(T), alignof(T) < 4 ? 4 : alignof(T), &off, PersistentUse::kConstants));
    ref->offset = off;
    return p;
  }
  // Two int32 arrays of `channels` each, a multiplier and a shift word per
  // channel in the form `form` (the op's kernel variant, >= 0) reads them,
  // the shifts right after the multipliers.
  // When the model's "mote" metadata (mote/prepared_constants.h) holds them
  // for this node and form, they point into the model: the op reads them in
  // place and never computes them (it must check each value's range). Else
  // they are allocated in the persistent arena for the op to fill. Fails
  // when the metadata's entry does not match what the node computes from
  // now (the model was edited after `mote prepare`).
  Status channel_constants(int32_t form, int32_t channels, ChannelConstants* out);
  // Requests `bytes` of scratch valid during this node's eval only; *index
  // identifies it in eval.
  Status request_scratch(size_t bytes, int32_t* index);

  // Memory plan hints. Each one lets the planner put tensors on the same
  // memory; it uses a hint only where that is safe for the rest of the graph
  // (the input is not read after this node, is not a model output, ...), so
  // eval must work both ways.
  //
  // Output 0 is input 0's bytes under another shape (RESHAPE, SQUEEZE,
  // EXPAND_DIMS): both get one buffer, alive as long as either is, and eval
  // finds output(0).data == input(0).data.
  Status share_input_buffer();
  // Element-wise ops: output element i is computed from element i of input
  // `input` (plus anything else) after reading it, so the output may be
  // written in place over that input. Ignored unless both have the same
  // element count (a broadcast input never qualifies) and the output's
  // element is no wider than the input's. A narrower output (QUANTIZE int16
  // -> int8) may also start below the input or up to the size difference
  // above it: the kernel must then walk front to back.
  Status allow_in_place(int input, int output = 0);
  // General form: the output may overlap the input when output offset -
  // input offset lies in [min_lead, max_lead] (min_lead may be
  // kUnboundedLead) and is a multiple of lead_step (when > 1); see
  // PlanOverlap in mote/memory_planner.h.
  Status allow_overlap(int input, int output, int32_t min_lead, int32_t max_lead, int32_t lead_step = 0);
  // Channel-separable window ops over NHWC input 0 and output 0 (pooling,
  // depthwise with multiplier 1) whose kernels follow the contract of
  // window_op_max_lead() (kernels/overlap_bounds.h). Ignored unless input and
  // output pixels have the same size.
  Status allow_window_overlap(int32_t stride_h, int32_t stride_w, int32_t pad_top, int32_t pad_left);
  // Window ops over NHWC input 0 and output 0 (CONV_2D, DEPTHWISE_CONV_2D)
  // whose kernel walks the output in order: pixel by pixel (block_rows 0,
  // window_op_max_lead()) or in blocks of block_rows output rows
  // (row_block_max_lead(), kernels/overlap_bounds.h). Any pixel sizes.
  Status allow_streaming_window_overlap(int32_t stride_h, int32_t stride_w, int32_t pad_top, int32_t pad_left,
                                        int32_t block_rows);
  // The same kernels when they can also walk back to front where the output
  // starts above the input (row_block_min_lead_back()): in blocks of
  // block_rows output rows from the last to the first, or with block_rows 0
  // channel-separable, each channel (block) from the last row to the first
  // (same pixel sizes only). extent_h/extent_w: the dilated filter size.
  // block_rows < 0: no such walk. A chain of equal layers may then alternate
  // directions instead of drifting down by each layer's lead.
  Status allow_window_overlap_back(int32_t stride_h, int32_t stride_w, int32_t pad_top, int32_t pad_left,
                                   int32_t extent_h, int32_t extent_w, int32_t block_rows);

  // Window ops over NHWC input 0 and output 0 whose output rows depend only
  // on input rows [row * stride - pad_top, row * stride - pad_top + extent)
  // (extent: the dilated filter height) and whose kernels treat rows outside
  // the input view as padding. The interpreter may then run the node on
  // strips of rows of a patch stage (src/patch_stage.h): input(0) and
  // output(0) are views of some rows only, and eval must take its top padding
  // from strip_pad_top(). Recorded only when the
  // interpreter's patch mode is not off.
  Status allow_row_strips(int32_t stride, int32_t extent, int32_t pad_top);

  // --- prepare and eval ---
  // The rows input(0) and output(0) start at (both 0 outside a patch stage).
  RowWindow row_window() const;
  // pad_top for a kernel run on the current views (pad_top itself outside a
  // patch stage): rows above the input view are padding exactly when they are
  // above the whole input.
  int32_t strip_pad_top(int32_t pad_top, int32_t stride) const {
    const RowWindow w = row_window();
    return pad_top + w.input_row - w.output_row * stride;
  }
  void* op_data() const;
  template <typename T>
  T* op_data() const { return static_cast<T*>(op_data()); }
  template <typename T>
  T* get(ArenaRef<T> ref) const { return static_cast<T*>(persistent(ref.offset)); }
  template <typename T>
  const T* get(ConstantRef<T> ref) const { return static_cast<const T*>(constant(ref.offset)); }
  void* scratch(int32_t index) const;

  // Records "node N (OP): <message>" as the interpreter's error and returns
  // Status::kError. printf-style.
  Status fail(const char* format, ...) const
#if defined(__GNUC__)
      __attribute__((format(printf, 2, 3)))
#endif
      ;

 private:
  enum class PersistentUse { kRecords, kOpData, kConstants };
  void* allocate_persistent(size_t bytes, size_t align, uint32_t* offset, PersistentUse use);
  void* persistent(uint32_t offset) const;
  const void* constant(uint32_t offset) const;
  uint32_t dependency_hash(int32_t form, int32_t channels) const;

  Interpreter* interp_;
  int node_;
};

// A prepare function that runs `Prepare` and then allows the output in place
// over each listed input (see OpContext::allow_in_place), for element-wise
// ops: {code, nullptr, "RELU", prepare_in_place<prepare, 0>, eval}.
template <Status (*Prepare)(OpContext&), int... Inputs>
Status prepare_in_place(OpContext& ctx) {
  Status status = Prepare(ctx);
  ((status = ok(status) ? ctx.allow_in_place(Inputs) : status), ...);
  return status;
}

struct OpRegistration {
  int32_t builtin_code;     // schema::BuiltinOp value; kCustom for custom ops
  const char* custom_name;  // name of a custom op, else nullptr
  const char* name;         // printable name, e.g. "CONV_2D"
  Status (*prepare)(OpContext& ctx);
  Status (*eval)(OpContext& ctx);
};

}  // namespace mote
