#include "mote/interpreter.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mote/ops.h"
#include "src/arena_records.h"
#include "src/interpreter_patch.h"
#include "src/prepared_constants_reader.h"

namespace mote {
namespace {

size_t align_up(size_t v, size_t a) { return (v + a - 1) / a * a; }

}  // namespace

Interpreter::Interpreter(const uint8_t* model_data, size_t model_size, const OpResolver& resolver, uint8_t* arena,
                         size_t arena_bytes)
    : model_data_(model_data), model_size_(model_size), resolver_(resolver) {
  uintptr_t base = reinterpret_cast<uintptr_t>(arena);
  uintptr_t aligned = (base + kBufferAlignment - 1) & ~uintptr_t(kBufferAlignment - 1);
  size_t lost = size_t(aligned - base);
  arena_ = arena == nullptr ? nullptr : reinterpret_cast<uint8_t*>(aligned);
  arena_bytes_ = (arena == nullptr || arena_bytes < lost) ? 0 : (arena_bytes - lost) / kBufferAlignment * kBufferAlignment;
}

Status Interpreter::set_error(const char* format, ...) {
  va_list args;
  va_start(args, format);
  vsnprintf(error_, sizeof(error_), format, args);
  va_end(args);
  return Status::kError;
}

void* Interpreter::tail_alloc(size_t bytes, size_t align, uint32_t* offset, size_t* account) {
  if (align < 4) align = 4;
  if (bytes > tail_offset_) return nullptr;
  size_t start = (tail_offset_ - bytes) & ~(align - 1);
  if (start < head_reserved_) return nullptr;
  *account += tail_offset_ - start;
  tail_offset_ = start;
  tail_bytes_ = arena_bytes_ - tail_offset_;
  memset(arena_ + start, 0, bytes);
  if (offset != nullptr) *offset = uint32_t(start);
  return arena_ + start;
}

Status Interpreter::allocate() {
  if (allocated_) return Status::kOk;
  error_[0] = 0;
  if (arena_ == nullptr || arena_bytes_ == 0) return set_error("no arena given (or fewer than 16 bytes)");
  if (!ok(model_.load(model_data_, model_size_, error_, sizeof(error_)))) return Status::kError;
  if (!ok(read_prepared_constants(model_, &prepared_, error_, sizeof(error_)))) return Status::kError;
  tail_offset_ = arena_bytes_;
  tail_bytes_ = 0;
  persistent_ = PersistentBytes();
  head_bytes_ = 0;
  first_scratch_ = last_scratch_ = 0;
  num_hints_ = 0;
  head_reserved_ = 0;
  stage_ = 0;
  MOTE_RETURN_IF_ERROR(init_tensors());
  MOTE_RETURN_IF_ERROR(init_nodes());
  MOTE_RETURN_IF_ERROR(prepare_nodes());
  MOTE_RETURN_IF_ERROR(plan_memory());
  allocated_ = true;
  return reset_state();
}

Status Interpreter::check_arena_for(size_t bytes) {
  return set_error(
      "arena of %zu bytes is too small: it ran out while reserving %zu more bytes of persistent data; run "
      "`mote inspect MODEL` for the exact size this model needs",
      arena_bytes_, bytes);
}

Status Interpreter::init_tensors() {
  const uint32_t n = model_.num_tensors();
  uint32_t num_records = 0;
  for (uint32_t i = 0; i < n; ++i) {
    const TensorView v = model_.tensor_view(i);
    if (uint8_t(v.type) > kTypeMask) return set_error("tensor %u has an unsupported type %d", unsigned(i), int(v.type));
    if (v.data == nullptr) ++num_records;
  }
  const size_t bytes = TensorTable::bytes(n, num_records);
  if (tail_alloc(bytes, 4, &tensors_, &persistent_.records) == nullptr) return check_arena_for(bytes);
  num_records_ = num_records;
  // The table stays valid: tail allocations only move the tail start, never
  // what is already placed.
  const TensorTable table = tensor_table();
  // The variable tensors follow one another down from here (nothing else is
  // placed in between): one block, see plan_memory().
  const size_t state_end = tail_offset_;
  uint32_t slot = 0;
  for (uint32_t i = 0; i < n; ++i) {
    if (i % 32 == 0 && i > 0) table.records_before[i / 32 - 1] = uint16_t(slot);
    TensorInfo info = model_.tensor(i);
    if (info.data != nullptr) continue;
    table.has_record[i / 32] |= uint32_t(1) << (i % 32);
    TensorRecord& r = table.records[slot];
    uint8_t location = kNoData;
    r.dims_pos = info.shape_offset;
    r.data = 0;
    if (info.is_variable) {
      uint32_t off = 0;
      if (tail_alloc(info.bytes, kBufferAlignment, &off, &persistent_.state) == nullptr) return check_arena_for(info.bytes);
      location = kInArena;
      r.data = off;
    }
    table.kinds[slot++] =
        uint8_t(uint8_t(info.type) | (location << kLocationShift) | (info.is_variable ? kVariable : 0));
  }
  state_block_ = uint32_t(tail_offset_);
  state_block_bytes_ = uint32_t(state_end - tail_offset_);
  return Status::kOk;
}

TensorTable Interpreter::tensor_table() const { return TensorTable(arena_ + tensors_, model_.num_tensors(), num_records_); }

Status Interpreter::init_nodes() {
  const uint32_t n = model_.num_operators();
  NodeRecord* nodes = static_cast<NodeRecord*>(tail_alloc(n * sizeof(NodeRecord), 4, &nodes_, &persistent_.records));
  if (nodes == nullptr && n > 0) return check_arena_for(n * sizeof(NodeRecord));
  for (uint32_t j = 0; j < n; ++j) {
    OperatorInfo op = model_.op(j);
    const OpRegistration* reg = resolver_.find(op.builtin_code, op.custom_code);
    if (reg == nullptr) {
      if (op.builtin_code == int32_t(schema::BuiltinOp::kCustom)) {
        return set_error(
            "node %u uses custom op '%.*s', which is not registered: mote has no kernel for it; write an "
            "OpRegistration for it and add it with resolver.add()",
            unsigned(j), int(op.custom_code.size), op.custom_code.data ? (const char*)op.custom_code.data : "");
      }
      const char* function = registration_function_name(op.builtin_code);
      if (function == nullptr) {
        return set_error("node %u uses builtin op %s (code %d, version %d), for which mote has no kernel", unsigned(j),
                         schema::builtin_op_name(op.builtin_code), int(op.builtin_code), int(op.version));
      }
      return set_error(
          "node %u needs op %s (code %d, version %d), which is not registered: add "
          "resolver.add(mote::ops::%s()) or call mote::register_all_ops(resolver); `mote inspect MODEL` lists the "
          "ops a model needs",
          unsigned(j), schema::builtin_op_name(op.builtin_code), int(op.builtin_code), int(op.version), function);
    }
    int reg_index = 0;
    while (&resolver_.at(reg_index) != reg) ++reg_index;
    NodeRecord& r = nodes[j];
    r.inputs_pos = op.inputs.valid() ? uint32_t(op.inputs.position() - 4) : 0;
    r.outputs_pos = op.outputs.valid() ? uint32_t(op.outputs.position() - 4) : 0;
    r.op_data = 0;
    r.registration = uint16_t(reg_index);
    r.flags = op.intermediates.valid() && op.intermediates.size() > 0 ? kHasIntermediates : 0;
  }
  return Status::kOk;
}

Status Interpreter::prepare_nodes() {
  in_prepare_ = true;
  const NodeRecord* nodes = reinterpret_cast<const NodeRecord*>(arena_ + nodes_);
  for (uint32_t j = 0; j < model_.num_operators(); ++j) {
    const OpRegistration& reg = resolver_.at(nodes[j].registration);
    if (reg.prepare == nullptr) continue;
    OpContext ctx(this, int(j));
    error_[0] = 0;
    if (!ok(reg.prepare(ctx))) {
      in_prepare_ = false;
      if (error_[0] == 0) set_error("node %u (%s): prepare failed", unsigned(j), reg.name);
      return Status::kError;
    }
  }
  in_prepare_ = false;
  return Status::kOk;
}

int32_t Interpreter::node_tensor(uint32_t vector_pos, int i) const {
  if (vector_pos == 0 || i < 0 || i >= node_count(model_data_, vector_pos)) return -1;
  return fb::load<int32_t>(model_data_ + vector_pos + 4 + 4 * size_t(i));
}

uint8_t Interpreter::location(int32_t tensor) const {
  const TensorTable table = tensor_table();
  const int32_t slot = table.slot(tensor);
  return slot < 0 ? uint8_t(kInModel) : uint8_t((table.kinds[slot] >> kLocationShift) & 3);
}

int32_t Interpreter::buffer_root(int32_t tensor) const {
  if (tensor < 0) return tensor;
  const TensorTable table = tensor_table();
  const int32_t slot = table.slot(tensor);
  if (slot < 0 || ((table.kinds[slot] >> kLocationShift) & 3) != kShared) return tensor;
  return int32_t(table.records[slot].data);
}

bool Interpreter::in_model_outputs(int32_t root) const {
  for (uint32_t i = 0; i < model_.num_outputs(); ++i)
    if (buffer_root(model_.output(i)) == root) return true;
  return false;
}

// Every buffer the planner places: activation tensors (with lifetimes over the
// execution order) and scratch buffers. A tensor that shares another's buffer
// is not a buffer of its own: its uses extend the lifetime of that buffer.
int Interpreter::visit_buffers(BufferVisitor visit, void* user) const {
  const TensorTable table = tensor_table();
  const NodeRecord* nodes = reinterpret_cast<const NodeRecord*>(arena_ + nodes_);
  const int32_t num_nodes = int32_t(model_.num_operators());
  const int32_t last_node = num_nodes > 0 ? num_nodes - 1 : 0;
  int count = 0;
  for (uint32_t t = 0; t < model_.num_tensors(); ++t) {
    const int32_t slot = table.slot(int32_t(t));
    if (slot < 0) continue;  // a constant
    const uint8_t where = uint8_t((table.kinds[slot] >> kLocationShift) & 3);
    if (where == kShared || (table.kinds[slot] & kVariable)) continue;
    TensorInfo info = model_.tensor(t);
    if (info.bytes == 0) continue;
    const int32_t self = int32_t(t);
    int32_t first = -1, last = -1;
    bool used = false;
    for (uint32_t i = 0; i < model_.num_inputs(); ++i) {
      if (buffer_root(model_.input(i)) == self) {
        first = 0;
        used = true;
      }
    }
    for (uint32_t i = 0; i < model_.num_outputs(); ++i) {
      if (buffer_root(model_.output(i)) == self) {
        last = last_node;
        used = true;
      }
    }
    for (int32_t j = 0; j < num_nodes; ++j) {
      const NodeRecord& nr = nodes[j];
      for (int k = 0; k < node_count(model_data_, nr.outputs_pos); ++k) {
        if (buffer_root(node_tensor(nr.outputs_pos, k)) == self) {
          if (first < 0 || j < first) first = j;
          if (j > last) last = j;
          used = true;
        }
      }
      for (int k = 0; k < node_count(model_data_, nr.inputs_pos); ++k) {
        if (buffer_root(node_tensor(nr.inputs_pos, k)) == self) {
          if (first < 0) first = 0;  // read before any node writes it: alive from the start
          if (j > last) last = j;
          used = true;
        }
      }
      if (nr.flags & kHasIntermediates) {
        const fb::Vector<int32_t> intermediates = model_.op(uint32_t(j)).intermediates;
        for (uint32_t k = 0; k < intermediates.size(); ++k) {
          if (intermediates[k] == self) {
            if (first < 0 || j < first) first = j;
            if (j > last) last = j;
            used = true;
          }
        }
      }
    }
    if (!used) continue;
    if (last < first) last = first;
    PlanBuffer b;
    b.size = info.bytes;
    b.first = first;
    b.last = last;
    b.offset = where == kInArena ? table.records[slot].data : 0;
    if (stage_ != 0) stage_buffer(self, &b);
    visit(user, count++, self, b);
  }
  for (uint32_t s = first_scratch_; s != 0;) {
    const ScratchRecord* r = reinterpret_cast<const ScratchRecord*>(arena_ + s);
    PlanBuffer b;
    b.size = r->size;
    b.first = r->node;
    b.last = r->node;
    b.offset = r->offset;
    if (stage_ != 0) stage_buffer(-1 - r->node, &b);
    visit(user, count++, -1 - r->node, b);
    s = r->next;
  }
  return count;
}

namespace {
// The store visit marks each tensor with a buffer as in the arena, its record
// holding the buffer's index until the plan is placed (planned_buffer()), so
// no array of owners is needed.
struct PlanArrays {
  PlanBuffer* plan;
  TensorTable table;
};
void count_buffer(void*, int, int32_t, const PlanBuffer&) {}
void store_buffer(void* user, int i, int32_t owner, const PlanBuffer& b) {
  auto* arrays = static_cast<PlanArrays*>(user);
  arrays->plan[i] = b;
  if (owner < 0) return;  // scratch: the buffers after the tensors', in list order
  const TensorTable& table = arrays->table;
  const int32_t slot = table.slot(owner);
  table.kinds[slot] = uint8_t((table.kinds[slot] & ~(3 << kLocationShift)) | (kInArena << kLocationShift));
  table.records[slot].data = uint32_t(i);
}
}  // namespace

int32_t Interpreter::planned_buffer(int32_t tensor) const {
  if (tensor < 0) return -1;
  const TensorTable table = tensor_table();
  const int32_t slot = table.slot(tensor);
  if (slot < 0 || (table.kinds[slot] & kVariable) || ((table.kinds[slot] >> kLocationShift) & 3) != kInArena)
    return -1;
  return int32_t(table.records[slot].data);
}

int Interpreter::collect_overlaps(const PlanBuffer* plan, int n, int32_t skip_first, int32_t skip_last,
                                  PlanOverlap* overlaps) const {
  // Hints the rest of the graph allows: the input's buffer dies at the node
  // (no later reader, not a model output) and the output's buffer is born there.
  const OverlapHint* hints = reinterpret_cast<const OverlapHint*>(arena_);
  int num_overlaps = 0;
  if (!memory_options_.overlaps) return 0;
  for (uint32_t h = 0; h < num_hints_; ++h) {
    const OverlapHint hint = hints[h];
    if (is_row_strip_hint(hint) || (hint.node >= skip_first && hint.node <= skip_last)) continue;
    if (location(hint.output) == kShared) continue;
    const int32_t input_root = buffer_root(hint.input);
    const int32_t in = planned_buffer(input_root), out = planned_buffer(hint.output);
    if (in < 0 || out < 0 || in >= n || out >= n || in == out) continue;
    if (plan[in].last != hint.node || plan[out].first != hint.node) continue;
    if (in_model_outputs(input_root)) continue;
    PlanOverlap& o = overlaps[num_overlaps++];
    o.input = in;
    o.output = out;
    o.min_lead = hint.min_lead;
    o.max_lead = hint.max_lead;
    o.lead_step = hint.lead_step;
  }
  return num_overlaps;
}

Status Interpreter::plan_memory() {
  // The planner's work memory: the variable tensors' block when it fits there
  // (their bytes mean nothing until reset_state() at the end of allocate()),
  // else where the activations will go, after the hints prepare left there
  // (free until the first invoke()). arena_used_bytes() counts the larger of
  // the head's work (hints, or hints + work memory) and the plan.
  const int n = visit_buffers(count_buffer, nullptr);
  StageChain chain;
  const bool try_stage = patch_options_.mode != PatchMode::kOff && find_stage_chain(&chain) >= 2;
  const size_t hint_bytes = align_up(head_reserved_, 8);
  const size_t plan_bytes = align_up(size_t(n) * sizeof(PlanBuffer), 8);
  const size_t stage_plan_bytes = try_stage ? plan_bytes : 0;
  const size_t overlap_bytes = align_up(num_hints_ * sizeof(PlanOverlap), 8);
  const size_t array_bytes = plan_bytes + stage_plan_bytes + overlap_bytes + align_up(planner_work_bytes(n), 8);
  const bool work_in_state = array_bytes <= state_block_bytes_;
  const size_t work_bytes = work_in_state ? hint_bytes : hint_bytes + array_bytes;
  if (work_bytes > tail_offset_) {
    used_bytes_ = align_up(work_bytes + tail_bytes_, kBufferAlignment);
    return set_error("arena too small: this model needs at least %zu bytes, the arena has %zu", used_bytes_,
                     arena_bytes_);
  }
  uint8_t* work = work_in_state ? arena_ + state_block_ : arena_ + hint_bytes;
  PlanBuffer* plan = reinterpret_cast<PlanBuffer*>(work);
  PlanBuffer* stage_plan = reinterpret_cast<PlanBuffer*>(work + plan_bytes);
  PlanOverlap* overlaps = reinterpret_cast<PlanOverlap*>(work + plan_bytes + stage_plan_bytes);
  void* planner_work = work + plan_bytes + stage_plan_bytes + overlap_bytes;
  const TensorTable table = tensor_table();
  PlanArrays arrays{plan, table};
  visit_buffers(store_buffer, &arrays);

  const int num_overlaps = collect_overlaps(plan, n, -1, -1, overlaps);
  uint32_t bound = 0;
  head_bytes_ = plan_buffers(plan, n, kBufferAlignment, planner_work, overlaps, num_overlaps, &bound);
  planned_bound_bytes_ = bound;
  const size_t tail_without = tail_bytes_;
  // Rounded to the arena alignment: the arena's usable size is rounded down to
  // it, so this is the smallest arena that reproduces this exact layout.
  used_bytes_ = align_up((head_bytes_ > work_bytes ? head_bytes_ : work_bytes) + tail_bytes_, kBufferAlignment);
  // The stage's record goes to the persistent section once planning is done:
  // it may then lie over the planner's work memory, not over activations.
  size_t record_bytes = 0;
  StageChoice choice;
  if (try_stage) {
    // Auto keeps a stage only when its arena is smaller: one whose plan cannot
    // end below the layer-by-layer plan's is not worth placing.
    const uint32_t limit = patch_options_.mode == PatchMode::kRows ? UINT32_MAX : uint32_t(head_bytes_);
    choice = choose_stage(chain, plan, n, limit, stage_plan, overlaps, planner_work);
  }
  if (choice.layers > 0) {
    const size_t stage_record_bytes = sizeof(StageRecord) + size_t(choice.layers) * sizeof(StageLayer);
    const size_t with_head = choice.planned + tail_without + stage_record_bytes;
    const size_t with_work = work_bytes + tail_without;
    const size_t stage_used = align_up(with_head > with_work ? with_head : with_work, kBufferAlignment);
    if (patch_options_.mode == PatchMode::kRows || stage_used < used_bytes_) {
      record_bytes = stage_record_bytes;
      arena_without_stage_ = used_bytes_;
      used_bytes_ = stage_used;
      head_bytes_ = choice.planned;
      planned_bound_bytes_ = choice.bound;
      arrays.plan = stage_plan;
    }
  }
  num_hints_ = 0;
  head_reserved_ = 0;
  if (head_bytes_ + record_bytes > tail_offset_)
    return set_error("arena too small: this model needs %zu bytes, the arena has %zu", used_bytes_, arena_bytes_);
  // Each tensor's record held its buffer's index; scratch buffers follow the
  // tensors' in list order.
  int i = 0;
  for (uint32_t slot = 0; slot < num_records_; ++slot) {
    if ((table.kinds[slot] & kVariable) || ((table.kinds[slot] >> kLocationShift) & 3) != kInArena) continue;
    table.records[slot].data = arrays.plan[table.records[slot].data].offset;
    ++i;
  }
  for (uint32_t s = first_scratch_; s != 0 && i < n; ++i) {
    ScratchRecord* r = reinterpret_cast<ScratchRecord*>(arena_ + s);
    r->offset = arrays.plan[i].offset;
    s = r->next;
  }
  if (record_bytes > 0) {
    uint32_t offset = 0;
    auto* record = static_cast<StageRecord*>(tail_alloc(record_bytes, 4, &offset, &persistent_.records));
    if (record == nullptr) return check_arena_for(record_bytes);
    record->first_node = chain.first_node;
    record->num_layers = choice.layers;
    record->rows_per_strip = choice.rows;
    record->num_strips = stage_strip_count(chain.layers, choice.layers, choice.rows);
    memcpy(record + 1, chain.layers, size_t(choice.layers) * sizeof(StageLayer));
    stage_ = offset;
  }
  return Status::kOk;
}

Status Interpreter::share_buffer(int32_t input, int32_t output) {
  const uint32_t num_tensors = model_.num_tensors();
  if (!memory_options_.shared_buffers) return Status::kOk;
  if (input < 0 || output < 0 || input == output || uint32_t(input) >= num_tensors || uint32_t(output) >= num_tensors)
    return Status::kOk;
  const TensorTable table = tensor_table();
  const int32_t in_slot = table.slot(input);
  const int32_t out_slot = table.slot(output);
  // Only two planned activations of the same size, and never a model input
  // as the follower: the caller writes those before invoke().
  if (in_slot < 0 || out_slot < 0) return Status::kOk;
  if ((table.kinds[in_slot] & kVariable) || (table.kinds[out_slot] & kVariable)) return Status::kOk;
  const uint8_t in_where = location(input);
  if ((in_where != kNoData && in_where != kShared) || location(output) != kNoData) return Status::kOk;
  if (view(input).bytes != view(output).bytes || view(input).bytes == 0) return Status::kOk;
  for (uint32_t i = 0; i < model_.num_inputs(); ++i)
    if (model_.input(i) == output) return Status::kOk;
  for (uint32_t s = 0; s < num_records_; ++s)  // output already leads a group (a graph out of order)
    if (((table.kinds[s] >> kLocationShift) & 3) == kShared && table.records[s].data == uint32_t(output))
      return Status::kOk;
  table.records[out_slot].data = uint32_t(buffer_root(input));
  table.kinds[out_slot] = uint8_t((table.kinds[out_slot] & ~(3 << kLocationShift)) | (kShared << kLocationShift));
  return Status::kOk;
}

Status Interpreter::add_overlap_hint(const OverlapHint& hint) {
  const size_t end = size_t(num_hints_ + 1) * sizeof(OverlapHint);
  if (align_up(end, 8) > tail_offset_) return check_arena_for(sizeof(OverlapHint));
  memcpy(arena_ + size_t(num_hints_) * sizeof(OverlapHint), &hint, sizeof(hint));
  ++num_hints_;
  head_reserved_ = end;
  return Status::kOk;
}

Status Interpreter::reset_state() {
  if (!allocated_) return set_error("reset_state() called before allocate()");
  const TensorTable table = tensor_table();
  for (uint32_t t = 0; t < model_.num_tensors(); ++t) {
    const int32_t slot = table.slot(int32_t(t));
    if (slot < 0 || !(table.kinds[slot] & kVariable)) continue;
    TensorInfo info = model_.tensor(t);
    int value = info.type == DType::kInt8 ? info.quant.zero_point(0) : 0;
    memset(arena_ + table.records[slot].data, value, info.bytes);
  }
  return Status::kOk;
}

Status Interpreter::invoke() {
  if (!allocated_) return set_error("invoke() called before a successful allocate()");
  const NodeRecord* nodes = reinterpret_cast<const NodeRecord*>(arena_ + nodes_);
  error_[0] = 0;
  const StageRecord* stage = stage_ != 0 ? reinterpret_cast<const StageRecord*>(arena_ + stage_) : nullptr;
  for (uint32_t j = 0; j < model_.num_operators(); ++j) {
    if (stage != nullptr && int32_t(j) == stage->first_node) {
      MOTE_RETURN_IF_ERROR(run_stage(*stage));
      const uint32_t last = j + uint32_t(stage->num_layers) - 1;
      for (; j < last; ++j)
        if (observer_ != nullptr) observer_(observer_user_, int(j), *this);
    } else {
      const OpRegistration& reg = resolver_.at(nodes[j].registration);
      OpContext ctx(this, int(j));
      if (!ok(reg.eval(ctx))) {
        if (error_[0] == 0) set_error("node %u (%s): eval failed", unsigned(j), reg.name);
        return Status::kError;
      }
    }
    if (observer_ != nullptr) observer_(observer_user_, int(j), *this);
  }
  return Status::kOk;
}

TensorView Interpreter::view(int32_t index) const {
  TensorView v;
  if (!allocated_ && !in_prepare_) return v;
  if (index < 0 || uint32_t(index) >= model_.num_tensors()) return v;
  const TensorTable table = tensor_table();
  const int32_t slot = table.slot(index);
  if (slot < 0) return model_.tensor_view(uint32_t(index));
  const uint8_t kind = table.kinds[slot];
  const TensorRecord& r = table.records[slot];
  v.type = DType(kind & kTypeMask);
  v.shape.rank = r.dims_pos == 0 ? 0 : int32_t(fb::load<uint32_t>(model_data_ + r.dims_pos - 4));
  uint32_t count = 1;
  for (int d = 0; d < v.shape.rank; ++d) {
    v.shape.dims[d] = fb::load<int32_t>(model_data_ + r.dims_pos + 4 * size_t(d));
    count *= uint32_t(v.shape.dims[d]);
  }
  v.bytes = count * uint32_t(dtype_size(v.type));
  switch ((kind >> kLocationShift) & 3) {
    case kInArena:
      v.data = arena_ + r.data;
      break;
    case kShared: {
      const int32_t root = table.slot(int32_t(r.data));
      if (((table.kinds[root] >> kLocationShift) & 3) == kInArena) v.data = arena_ + table.records[root].data;
      break;
    }
    default:
      break;
  }
  return v;
}

size_t Interpreter::num_inputs() const { return allocated_ ? model_.num_inputs() : 0; }
size_t Interpreter::num_outputs() const { return allocated_ ? model_.num_outputs() : 0; }
TensorView Interpreter::input(size_t i) const { return i < num_inputs() ? view(model_.input(uint32_t(i))) : TensorView(); }
TensorView Interpreter::output(size_t i) const {
  return i < num_outputs() ? view(model_.output(uint32_t(i))) : TensorView();
}
QuantView Interpreter::input_quant(size_t i) const {
  return i < num_inputs() ? model_.tensor(uint32_t(model_.input(uint32_t(i)))).quant : QuantView();
}
QuantView Interpreter::output_quant(size_t i) const {
  return i < num_outputs() ? model_.tensor(uint32_t(model_.output(uint32_t(i)))).quant : QuantView();
}
TensorView Interpreter::tensor(int32_t index) const {
  TensorView v = view(index);
  if (stage_ != 0 && is_stage_inner_tensor(index)) v.data = nullptr;  // holds only a strip
  return v;
}

namespace {
struct PlanOutput {
  PlannedBuffer* out;
  int capacity;
};
void output_buffer(void* user, int i, int32_t owner, const PlanBuffer& b) {
  auto* o = static_cast<PlanOutput*>(user);
  if (i >= o->capacity) return;
  o->out[i].tensor = owner >= 0 ? owner : -1;
  o->out[i].node = owner >= 0 ? -1 : -1 - owner;
  o->out[i].placement = b;
}
}  // namespace

int Interpreter::memory_plan(PlannedBuffer* out, int capacity) const {
  if (!allocated_) return 0;
  PlanOutput o{out, capacity};
  return visit_buffers(output_buffer, &o);
}

}  // namespace mote
