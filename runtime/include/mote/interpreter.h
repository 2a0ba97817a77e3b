// Runs one model over a caller-given arena. No heap, no exceptions.
//
//   mote::OpResolver resolver;
//   resolver.add(mote::ops::conv_2d());          // or mote::register_all_ops(resolver)
//   alignas(16) static uint8_t arena[MODEL_ARENA_BYTES];
//   mote::Interpreter interp(model_data, model_size, resolver, arena, sizeof(arena));
//   if (interp.allocate() != mote::Status::kOk) puts(interp.error_message());
//   memcpy(interp.input(0).data, features, interp.input(0).bytes);
//   interp.invoke();
//
// Arena layout after allocate(): [ activations + scratch (planned) | ... | persistent ]
// During allocate() the planned section first holds the ops' overlap hints
// and the planner's work memory.
// The persistent section (tensor and node records, op data, variable tensors)
// grows down from the end of the arena; arena_used_bytes() is the sum of both
// sections and is the exact size to give on the device. Records in the arena
// contain no pointers, so that size is the same on a 64-bit host and a 32-bit
// MCU.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "mote/memory_planner.h"
#include "mote/model.h"
#include "mote/op.h"
#include "mote/op_resolver.h"
#include "mote/prepared_constants.h"
#include "mote/status.h"
#include "mote/tensor.h"

namespace mote {

struct OverlapHint;  // src/arena_records.h
class TensorTable;
struct StageRecord;
struct StageChain;   // src/interpreter_patch.h
struct StageChoice;  // src/interpreter_patch.h
struct StripView;

// Alignment of every planned buffer and of the arena base.
constexpr uint32_t kBufferAlignment = 16;

// One entry of the memory plan, for printing and checks.
struct PlannedBuffer {
  int32_t tensor = -1;  // tensor index, or -1 for a scratch buffer
  int32_t node = -1;    // for scratch: the node that requested it
  PlanBuffer placement;
};

// Patch-based execution of the first stage (MCUNetV2): a chain of window ops
// (CONV_2D, DEPTHWISE_CONV_2D, pooling) from the first one in the model
// computes its last output in strips of whole rows, so the arena holds the
// stage's input and output and a few rows of each tensor between them instead
// of those whole tensors. Halo rows are kept from one strip to the next:
// every row is computed once, with the same bytes.
enum class PatchMode : uint8_t {
  kOff,   // layer by layer
  kAuto,  // the stage and strip height that give the smallest arena, when smaller (the default)
  kRows,  // strips of `rows` output rows, the stage length that gives the smallest arena
};

struct PatchOptions {
  PatchMode mode = PatchMode::kAuto;
  int32_t rows = 0;  // kRows only
};

// What the planner may share between buffers. Both on by default; turning one
// off measures what it saves (`mote inspect` does), the kernels work either way.
struct MemoryOptions {
  bool overlaps = true;        // an output written over (or streaming over) an input that dies at its node
  bool shared_buffers = true;  // RESHAPE, SQUEEZE, EXPAND_DIMS outputs as their input's bytes
};

// Where the persistent section's bytes went, alignment padding included.
struct PersistentBytes {
  size_t records = 0;    // tensor, node, scratch and patch stage records
  size_t op_data = 0;    // each op's prepared parameters
  size_t constants = 0;  // per-channel multipliers/shifts and tables computed in prepare
  size_t state = 0;      // variable tensors
};

// The stage allocate() chose; num_layers == 0 when none.
struct PatchStage {
  int32_t first_node = -1;
  int32_t num_layers = 0;
  int32_t rows_per_strip = 0;
  int32_t num_strips = 0;
  size_t arena_bytes_without = 0;  // arena_used_bytes() the same model needs layer by layer
};

class Interpreter {
 public:
  Interpreter(const uint8_t* model_data, size_t model_size, const OpResolver& resolver, uint8_t* arena,
              size_t arena_bytes);

  // Before allocate(): whether and how to run the first stage patch by patch.
  void set_patch_options(const PatchOptions& options) { patch_options_ = options; }
  // Before allocate(): what the planner may share (see MemoryOptions).
  void set_memory_options(const MemoryOptions& options) { memory_options_ = options; }

  // Loads and checks the model, runs every op's prepare, plans memory.
  Status allocate();
  Status invoke();
  // Sets every variable (state) tensor back to its initial value.
  Status reset_state();

  size_t num_inputs() const;
  size_t num_outputs() const;
  TensorView input(size_t i) const;
  TensorView output(size_t i) const;
  QuantView input_quant(size_t i) const;
  QuantView output_quant(size_t i) const;
  // Typed data of an input/output; nullptr when the index is out of range or
  // the tensor's type is not T.
  template <typename T>
  T* input_data(size_t i) const { return typed<T>(input(i)); }
  template <typename T>
  T* output_data(size_t i) const { return typed<T>(output(i)); }

  // Any tensor, by index in subgraph 0 (e.g. to capture intermediates). The
  // tensors between the layers of a patch stage have no whole buffer: their
  // data is nullptr (allocate with PatchMode::kOff to capture them).
  TensorView tensor(int32_t index) const;

  size_t arena_used_bytes() const { return used_bytes_; }
  PatchStage patch_stage() const;
  size_t arena_planned_bytes() const { return head_bytes_; }
  // No placement of this model's planned buffers is smaller (the most bytes
  // alive at any node, less what allowed overlaps share there); the plan
  // reaches it unless the graph defeats the planner's search.
  size_t arena_planned_bound_bytes() const { return planned_bound_bytes_; }
  size_t arena_persistent_bytes() const { return tail_bytes_; }
  const PersistentBytes& arena_persistent_breakdown() const { return persistent_; }
  const char* error_message() const { return error_; }
  const Model& model() const { return model_; }

  // The memory plan: fills up to `capacity` entries, returns how many exist.
  // One entry per planned buffer: a tensor sharing another's buffer (the
  // output of RESHAPE, SQUEEZE, EXPAND_DIMS) has none, its uses are in that
  // buffer's lifetime; an output written in place over (or streaming over)
  // its input has its own entry, overlapping the input's at its first node.
  int memory_plan(PlannedBuffer* out, int capacity) const;

  // Called after each node during invoke() when set (tensor capture, profiling).
  using NodeObserver = void (*)(void* user, int node, const Interpreter& interpreter);
  void set_node_observer(NodeObserver observer, void* user) {
    observer_ = observer;
    observer_user_ = user;
  }

  // Host tools (`mote prepare`): called in allocate() for every node whose
  // per-channel constants are computed into the arena (OpContext::
  // channel_constants), with where they are; the arrays hold their final
  // values once allocate() returns.
  struct ChannelConstantsRecord {
    int node;
    int32_t form;
    int32_t channels;
    uint32_t dependency_hash;
    const int32_t* multipliers;
    const int32_t* shifts;
  };
  using ChannelConstantsObserver = void (*)(void* user, const ChannelConstantsRecord& record);
  void set_channel_constants_observer(ChannelConstantsObserver observer, void* user) {
    constants_observer_ = observer;
    constants_observer_user_ = user;
  }
  // True after allocate() when the model's "mote" metadata was found and can
  // be read in place.
  bool has_prepared_constants() const { return prepared_.present(); }

 private:
  // OpContext (src/op_context.cc) reads and writes the arena records.
  friend class OpContext;

  template <typename T>
  static T* typed(const TensorView& v);

  Status set_error(const char* format, ...)
#if defined(__GNUC__)
      __attribute__((format(printf, 2, 3)))
#endif
      ;
  // Reserves persistent bytes from the tail; what it takes (padding
  // included) is added to *account (one of persistent_'s fields).
  void* tail_alloc(size_t bytes, size_t align, uint32_t* offset, size_t* account);
  Status check_arena_for(size_t bytes);
  Status init_tensors();
  Status init_nodes();
  Status prepare_nodes();
  Status plan_memory();
  Status share_buffer(int32_t input, int32_t output);
  Status add_overlap_hint(const OverlapHint& hint);
  // The overlap hints the plan allows, none of nodes [skip_first, skip_last].
  int collect_overlaps(const PlanBuffer* plan, int n, int32_t skip_first, int32_t skip_last,
                       PlanOverlap* overlaps) const;
  // During plan_memory(): the index of the tensor's buffer, -1 when it has none.
  int32_t planned_buffer(int32_t tensor) const;
  // Patch stage (src/interpreter_patch.cc).
  int find_stage_chain(StageChain* chain) const;
  // The shortest strips PatchMode::kAuto tries for a stage of `layers` layers
  // (kMinStripPixels).
  int32_t shortest_auto_strips(const StageChain& chain, int layers) const;
  // The plan of a stage of `layers` layers in strips of `rows` rows (into
  // `out`) and the overlaps it allows; returns their count.
  int stage_plan(const StageChain& chain, int layers, int32_t rows, const PlanBuffer* plan, int n, PlanBuffer* out,
                 PlanOverlap* overlaps) const;
  // The one overlap a stage's plan allows among the stage's buffers: its
  // output over its input (stage_output_max_lead()), when the input's buffer
  // dies in the stage, is no model output, and only layer 0 reads it there.
  bool stage_input_overlap(const StageChain& chain, int layers, int32_t rows, const PlanBuffer* plan, int n,
                           PlanOverlap* overlap) const;
  // The stage whose placed plan is smallest, among one candidate per stage
  // length (the tallest strips that keep one-row strips' lower bound, or
  // strips of the rows PatchMode::kRows asks for), at most
  // kMaxStagePlacements of them placed and none whose bound is not below
  // `limit`; `out` holds its placed plan. layers == 0 when none is placed.
  StageChoice choose_stage(const StageChain& chain, const PlanBuffer* plan, int n, uint32_t limit, PlanBuffer* out,
                           PlanOverlap* overlaps, void* planner_work) const;
  Status run_stage(const StageRecord& stage);
  bool is_stage_inner_tensor(int32_t tensor) const;
  // The lifetime and size a buffer has in the plan of the chosen stage.
  void stage_buffer(int32_t owner, PlanBuffer* buffer) const;
  TensorTable tensor_table() const;
  uint8_t location(int32_t tensor) const;
  // The tensor whose planned buffer holds this tensor's bytes.
  int32_t buffer_root(int32_t tensor) const;
  bool in_model_outputs(int32_t root) const;
  // Calls visit(user, i, owner, buffer) for every planned buffer i, where owner
  // is the tensor index, or -1 - node for a scratch buffer. Returns the count.
  using BufferVisitor = void (*)(void* user, int i, int32_t owner, const PlanBuffer& buffer);
  int visit_buffers(BufferVisitor visit, void* user) const;
  TensorView view(int32_t tensor_index) const;
  int32_t node_tensor(uint32_t vector_pos, int i) const;

  const uint8_t* model_data_;
  size_t model_size_;
  const OpResolver& resolver_;
  uint8_t* arena_;        // aligned base
  size_t arena_bytes_;    // usable bytes from the aligned base
  Model model_;
  bool allocated_ = false;
  bool in_prepare_ = false;
  size_t tail_offset_ = 0;  // start of the persistent section
  size_t head_bytes_ = 0;
  size_t planned_bound_bytes_ = 0;
  size_t tail_bytes_ = 0;
  size_t used_bytes_ = 0;
  uint32_t tensors_ = 0;  // arena offset of the TensorTable (src/arena_records.h)
  uint32_t num_records_ = 0;
  uint32_t nodes_ = 0;    // arena offset of NodeRecord[num_operators]
  uint32_t first_scratch_ = 0;
  uint32_t last_scratch_ = 0;
  uint32_t state_block_ = 0;  // arena offset and bytes of the variable tensors' block
  uint32_t state_block_bytes_ = 0;
  uint32_t num_hints_ = 0;    // OverlapHint[num_hints_] at the arena start, during allocate()
  size_t head_reserved_ = 0;  // bytes those hints take
  PatchOptions patch_options_;
  MemoryOptions memory_options_;
  PersistentBytes persistent_;
  uint32_t stage_ = 0;  // arena offset of the StageRecord, 0 when layer by layer
  size_t arena_without_stage_ = 0;
  const StripView* strip_ = nullptr;  // the node's strip during a patch stage's invoke
  NodeObserver observer_ = nullptr;
  void* observer_user_ = nullptr;
  ChannelConstantsObserver constants_observer_ = nullptr;
  void* constants_observer_user_ = nullptr;
  prepared::View prepared_;
  char error_[256] = {};
};

template <typename T>
struct DTypeOf;
template <> struct DTypeOf<float> { static constexpr DType value = DType::kFloat32; };
template <> struct DTypeOf<int8_t> { static constexpr DType value = DType::kInt8; };
template <> struct DTypeOf<uint8_t> { static constexpr DType value = DType::kUInt8; };
template <> struct DTypeOf<int16_t> { static constexpr DType value = DType::kInt16; };
template <> struct DTypeOf<int32_t> { static constexpr DType value = DType::kInt32; };
template <> struct DTypeOf<int64_t> { static constexpr DType value = DType::kInt64; };
template <> struct DTypeOf<bool> { static constexpr DType value = DType::kBool; };

template <typename T>
T* Interpreter::typed(const TensorView& v) {
  if (v.data == nullptr || v.type != DTypeOf<T>::value) return nullptr;
  return static_cast<T*>(v.data);
}

}  // namespace mote
