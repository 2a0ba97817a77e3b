#include "mote/interpreter.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

namespace mote {
namespace {

size_t align_up(size_t v, size_t a) { return (v + a - 1) / a * a; }

// Writes the lower-case form of an op name ("CONV_2D" -> "conv_2d"), the name
// of its registration function in mote::ops.
void registration_name(const char* op, char* out, size_t n) {
  size_t i = 0;
  for (; op[i] != 0 && i + 1 < n; ++i) out[i] = (op[i] >= 'A' && op[i] <= 'Z') ? char(op[i] - 'A' + 'a') : op[i];
  out[i] = 0;
}

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

void* Interpreter::tail_alloc(size_t bytes, size_t align, uint32_t* offset) {
  if (align < 4) align = 4;
  if (bytes > tail_offset_) return nullptr;
  size_t start = (tail_offset_ - bytes) & ~(align - 1);
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
  tail_offset_ = arena_bytes_;
  tail_bytes_ = 0;
  head_bytes_ = 0;
  first_scratch_ = last_scratch_ = 0;
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
  TensorRecord* records = static_cast<TensorRecord*>(tail_alloc(n * sizeof(TensorRecord), 4, &tensors_));
  if (records == nullptr) return check_arena_for(n * sizeof(TensorRecord));
  for (uint32_t i = 0; i < n; ++i) {
    TensorInfo info = model_.tensor(i);
    TensorRecord& r = records[i];
    r.type = uint8_t(info.type);
    r.rank = uint8_t(info.shape.rank);
    r.dims_pos = info.shape_offset;
    r.where = kNoData;
    r.flags = 0;
    r.data = 0;
    if (info.data != nullptr) {
      r.where = kInModel;
      r.data = uint32_t(info.data - model_data_);
    } else if (info.is_variable) {
      uint32_t off = 0;
      // The record pointer stays valid: tail allocations only move the tail
      // start, never the records already placed.
      if (tail_alloc(info.bytes, kBufferAlignment, &off) == nullptr) return check_arena_for(info.bytes);
      r.where = kInArena;
      r.flags = kVariable;
      r.data = off;
    }
  }
  return Status::kOk;
}

Status Interpreter::init_nodes() {
  const uint32_t n = model_.num_operators();
  NodeRecord* nodes = static_cast<NodeRecord*>(tail_alloc(n * sizeof(NodeRecord), 4, &nodes_));
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
      const char* name = schema::builtin_op_name(op.builtin_code);
      if (strcmp(name, "UNKNOWN") == 0) {
        return set_error("node %u uses builtin op code %d (version %d), for which mote has no kernel", unsigned(j),
                         int(op.builtin_code), int(op.version));
      }
      char fn[48];
      registration_name(name, fn, sizeof(fn));
      return set_error(
          "node %u needs op %s (code %d, version %d), which is not registered: add "
          "resolver.add(mote::ops::%s()) or call mote::register_all_ops(resolver); `mote inspect MODEL` lists the "
          "ops a model needs",
          unsigned(j), name, int(op.builtin_code), int(op.version), fn);
    }
    int reg_index = 0;
    while (&resolver_.at(reg_index) != reg) ++reg_index;
    NodeRecord& r = nodes[j];
    r.inputs_pos = op.inputs.valid() ? uint32_t(op.inputs.position() - 4) : 0;
    r.outputs_pos = op.outputs.valid() ? uint32_t(op.outputs.position() - 4) : 0;
    r.intermediates_pos = op.intermediates.valid() ? uint32_t(op.intermediates.position() - 4) : 0;
    r.op_data = 0;
    r.registration = uint16_t(reg_index);
    r.opcode = uint16_t(op.opcode_index);
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

int32_t Interpreter::node_count(uint32_t vector_pos) const {
  if (vector_pos == 0) return 0;
  return int32_t(fb::load<uint32_t>(model_data_ + vector_pos));
}

int32_t Interpreter::node_tensor(uint32_t vector_pos, int i) const {
  if (vector_pos == 0 || i < 0 || i >= node_count(vector_pos)) return -1;
  return fb::load<int32_t>(model_data_ + vector_pos + 4 + 4 * size_t(i));
}

// Every buffer the planner places: activation tensors (with lifetimes over the
// execution order) and scratch buffers.
int Interpreter::visit_buffers(BufferVisitor visit, void* user) const {
  const TensorRecord* records = reinterpret_cast<const TensorRecord*>(arena_ + tensors_);
  const NodeRecord* nodes = reinterpret_cast<const NodeRecord*>(arena_ + nodes_);
  const int32_t num_nodes = int32_t(model_.num_operators());
  const int32_t last_node = num_nodes > 0 ? num_nodes - 1 : 0;
  int count = 0;
  for (uint32_t t = 0; t < model_.num_tensors(); ++t) {
    if (records[t].where == kInModel || (records[t].flags & kVariable)) continue;
    TensorInfo info = model_.tensor(t);
    if (info.bytes == 0) continue;
    int32_t first = -1, last = -1;
    bool used = false;
    for (uint32_t i = 0; i < model_.num_inputs(); ++i) {
      if (uint32_t(model_.input(i)) == t) {
        first = 0;
        used = true;
      }
    }
    for (uint32_t i = 0; i < model_.num_outputs(); ++i) {
      if (uint32_t(model_.output(i)) == t) {
        last = last_node;
        used = true;
      }
    }
    for (int32_t j = 0; j < num_nodes; ++j) {
      const NodeRecord& nr = nodes[j];
      for (int k = 0; k < node_count(nr.outputs_pos); ++k) {
        if (node_tensor(nr.outputs_pos, k) == int32_t(t)) {
          if (first < 0 || j < first) first = j;
          if (j > last) last = j;
          used = true;
        }
      }
      for (int k = 0; k < node_count(nr.inputs_pos); ++k) {
        if (node_tensor(nr.inputs_pos, k) == int32_t(t)) {
          if (first < 0) first = 0;  // read before any node writes it: alive from the start
          if (j > last) last = j;
          used = true;
        }
      }
      for (int k = 0; k < node_count(nr.intermediates_pos); ++k) {
        if (node_tensor(nr.intermediates_pos, k) == int32_t(t)) {
          if (first < 0 || j < first) first = j;
          if (j > last) last = j;
          used = true;
        }
      }
    }
    if (!used) continue;
    if (last < first) last = first;
    PlanBuffer b;
    b.size = info.bytes;
    b.first = first;
    b.last = last;
    b.offset = records[t].where == kInArena ? records[t].data : 0;
    visit(user, count++, int32_t(t), b);
  }
  for (uint32_t s = first_scratch_; s != 0;) {
    const ScratchRecord* r = reinterpret_cast<const ScratchRecord*>(arena_ + s);
    PlanBuffer b;
    b.size = r->size;
    b.first = r->node;
    b.last = r->node;
    b.offset = r->offset;
    visit(user, count++, -1 - r->node, b);
    s = r->next;
  }
  return count;
}

namespace {
struct PlanArrays {
  PlanBuffer* plan;
  int32_t* owner;
};
void count_buffer(void*, int, int32_t, const PlanBuffer&) {}
void store_buffer(void* user, int i, int32_t owner, const PlanBuffer& b) {
  auto* arrays = static_cast<PlanArrays*>(user);
  arrays->plan[i] = b;
  arrays->owner[i] = owner;
}
}  // namespace

Status Interpreter::plan_memory() {
  // The planner's work memory sits where the activations will go; it is free
  // until the first invoke(). arena_used_bytes() counts whichever is larger.
  const int n = visit_buffers(count_buffer, nullptr);
  const size_t plan_bytes = align_up(size_t(n) * sizeof(PlanBuffer), 8);
  const size_t owner_bytes = align_up(size_t(n) * sizeof(int32_t), 8);
  const size_t work_bytes = plan_bytes + owner_bytes + align_up(planner_work_bytes(n), 8);
  if (work_bytes > tail_offset_) {
    used_bytes_ = align_up(work_bytes + tail_bytes_, kBufferAlignment);
    return set_error("arena too small: this model needs at least %zu bytes, the arena has %zu", used_bytes_,
                     arena_bytes_);
  }
  PlanArrays arrays{reinterpret_cast<PlanBuffer*>(arena_), reinterpret_cast<int32_t*>(arena_ + plan_bytes)};
  visit_buffers(store_buffer, &arrays);
  head_bytes_ = plan_buffers(arrays.plan, n, kBufferAlignment, arena_ + plan_bytes + owner_bytes);
  // Rounded to the arena alignment: the arena's usable size is rounded down to
  // it, so this is the smallest arena that reproduces this exact layout.
  used_bytes_ = align_up((head_bytes_ > work_bytes ? head_bytes_ : work_bytes) + tail_bytes_, kBufferAlignment);
  if (head_bytes_ > tail_offset_) {
    return set_error("arena too small: this model needs %zu bytes, the arena has %zu", used_bytes_, arena_bytes_);
  }
  TensorRecord* records = reinterpret_cast<TensorRecord*>(arena_ + tensors_);
  for (int i = 0; i < n; ++i) {
    const int32_t owner = arrays.owner[i];
    if (owner >= 0) {
      records[owner].where = kInArena;
      records[owner].data = arrays.plan[i].offset;
    }
  }
  // Scratch buffers were visited after the tensors, in list order.
  uint32_t s = first_scratch_;
  for (int i = 0; i < n; ++i) {
    if (arrays.owner[i] >= 0) continue;
    ScratchRecord* r = reinterpret_cast<ScratchRecord*>(arena_ + s);
    r->offset = arrays.plan[i].offset;
    s = r->next;
  }
  return Status::kOk;
}

Status Interpreter::reset_state() {
  if (!allocated_) return set_error("reset_state() called before allocate()");
  const TensorRecord* records = reinterpret_cast<const TensorRecord*>(arena_ + tensors_);
  for (uint32_t t = 0; t < model_.num_tensors(); ++t) {
    if (!(records[t].flags & kVariable)) continue;
    TensorInfo info = model_.tensor(t);
    int value = info.type == DType::kInt8 ? info.quant.zero_point(0) : 0;
    memset(arena_ + records[t].data, value, info.bytes);
  }
  return Status::kOk;
}

Status Interpreter::invoke() {
  if (!allocated_) return set_error("invoke() called before a successful allocate()");
  const NodeRecord* nodes = reinterpret_cast<const NodeRecord*>(arena_ + nodes_);
  error_[0] = 0;
  for (uint32_t j = 0; j < model_.num_operators(); ++j) {
    const OpRegistration& reg = resolver_.at(nodes[j].registration);
    OpContext ctx(this, int(j));
    if (!ok(reg.eval(ctx))) {
      if (error_[0] == 0) set_error("node %u (%s): eval failed", unsigned(j), reg.name);
      return Status::kError;
    }
    if (observer_ != nullptr) observer_(observer_user_, int(j), *this);
  }
  return Status::kOk;
}

TensorView Interpreter::view(int32_t index) const {
  TensorView v;
  if (!allocated_ && !in_prepare_) return v;
  if (index < 0 || uint32_t(index) >= model_.num_tensors()) return v;
  const TensorRecord& r = reinterpret_cast<const TensorRecord*>(arena_ + tensors_)[index];
  v.type = DType(r.type);
  v.shape.rank = r.rank;
  uint32_t count = 1;
  for (int d = 0; d < r.rank; ++d) {
    v.shape.dims[d] = fb::load<int32_t>(model_data_ + r.dims_pos + 4 * size_t(d));
    count *= uint32_t(v.shape.dims[d]);
  }
  v.bytes = count * uint32_t(dtype_size(v.type));
  if (r.where == kInArena) {
    v.data = arena_ + r.data;
  } else if (r.where == kInModel) {
    v.data = const_cast<uint8_t*>(model_data_ + r.data);
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
TensorView Interpreter::tensor(int32_t index) const { return view(index); }

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

// ---------------------------------------------------------------- OpContext

namespace {
const Interpreter::NodeRecord& node_record(const uint8_t* arena, uint32_t nodes, int node) {
  return reinterpret_cast<const Interpreter::NodeRecord*>(arena + nodes)[node];
}
}  // namespace

int32_t OpContext::op_version() const { return interp_->model_.op(uint32_t(node_)).version; }
int OpContext::num_inputs() const {
  return interp_->node_count(node_record(interp_->arena_, interp_->nodes_, node_).inputs_pos);
}
int OpContext::num_outputs() const {
  return interp_->node_count(node_record(interp_->arena_, interp_->nodes_, node_).outputs_pos);
}
int OpContext::num_intermediates() const {
  return interp_->node_count(node_record(interp_->arena_, interp_->nodes_, node_).intermediates_pos);
}
int32_t OpContext::input_tensor_index(int i) const {
  return interp_->node_tensor(node_record(interp_->arena_, interp_->nodes_, node_).inputs_pos, i);
}
int32_t OpContext::output_tensor_index(int i) const {
  return interp_->node_tensor(node_record(interp_->arena_, interp_->nodes_, node_).outputs_pos, i);
}
bool OpContext::has_input(int i) const { return input_tensor_index(i) >= 0; }
TensorView OpContext::input(int i) const { return interp_->view(input_tensor_index(i)); }
TensorView OpContext::output(int i) const { return interp_->view(output_tensor_index(i)); }
TensorView OpContext::intermediate(int i) const {
  return interp_->view(interp_->node_tensor(node_record(interp_->arena_, interp_->nodes_, node_).intermediates_pos, i));
}

namespace {
QuantView quant_of(const Model& model, int32_t tensor) {
  if (tensor < 0) return QuantView();
  return model.tensor(uint32_t(tensor)).quant;
}
}  // namespace

QuantView OpContext::input_quant(int i) const { return quant_of(interp_->model_, input_tensor_index(i)); }
QuantView OpContext::output_quant(int i) const { return quant_of(interp_->model_, output_tensor_index(i)); }
QuantView OpContext::intermediate_quant(int i) const {
  return quant_of(interp_->model_,
                  interp_->node_tensor(node_record(interp_->arena_, interp_->nodes_, node_).intermediates_pos, i));
}
bool OpContext::input_is_constant(int i) const {
  int32_t t = input_tensor_index(i);
  if (t < 0) return false;
  return reinterpret_cast<const Interpreter::TensorRecord*>(interp_->arena_ + interp_->tensors_)[t].where ==
         Interpreter::kInModel;
}
schema::OptionsType OpContext::options_type() const { return interp_->model_.op(uint32_t(node_)).options_type; }
fb::Table OpContext::options() const { return interp_->model_.op(uint32_t(node_)).options; }
fb::Bytes OpContext::custom_options() const { return interp_->model_.op(uint32_t(node_)).custom_options; }

void* OpContext::allocate_persistent(size_t bytes, size_t align, uint32_t* offset) {
  if (!interp_->in_prepare_) {
    fail("persistent memory can only be allocated in prepare");
    return nullptr;
  }
  void* p = interp_->tail_alloc(bytes, align, offset);
  if (p == nullptr) interp_->check_arena_for(bytes);
  return p;
}

void* OpContext::allocate_op_data(size_t bytes) {
  Interpreter::NodeRecord& r = reinterpret_cast<Interpreter::NodeRecord*>(interp_->arena_ + interp_->nodes_)[node_];
  if (r.op_data != 0) return interp_->arena_ + r.op_data;
  uint32_t offset = 0;
  void* p = allocate_persistent(bytes, 8, &offset);
  if (p != nullptr) r.op_data = offset;
  return p;
}

void* OpContext::op_data() const {
  uint32_t off = node_record(interp_->arena_, interp_->nodes_, node_).op_data;
  return off ? interp_->arena_ + off : nullptr;
}

void* OpContext::persistent(uint32_t offset) const { return interp_->arena_ + offset; }

Status OpContext::request_scratch(size_t bytes, int32_t* index) {
  uint32_t offset = 0;
  auto* r = static_cast<Interpreter::ScratchRecord*>(
      allocate_persistent(sizeof(Interpreter::ScratchRecord), 4, &offset));
  if (r == nullptr) return Status::kError;
  r->size = uint32_t(bytes);
  r->offset = 0;
  r->node = node_;
  r->next = 0;
  if (interp_->last_scratch_ != 0) {
    reinterpret_cast<Interpreter::ScratchRecord*>(interp_->arena_ + interp_->last_scratch_)->next = offset;
  } else {
    interp_->first_scratch_ = offset;
  }
  interp_->last_scratch_ = offset;
  *index = int32_t(offset);
  return Status::kOk;
}

void* OpContext::scratch(int32_t index) const {
  const auto* r = reinterpret_cast<const Interpreter::ScratchRecord*>(interp_->arena_ + index);
  return interp_->arena_ + r->offset;
}

Status OpContext::fail(const char* format, ...) const {
  const char* name = interp_->resolver_.at(node_record(interp_->arena_, interp_->nodes_, node_).registration).name;
  int n = snprintf(interp_->error_, sizeof(interp_->error_), "node %d (%s): ", node_, name ? name : "?");
  if (n < 0 || size_t(n) >= sizeof(interp_->error_)) return Status::kError;
  va_list args;
  va_start(args, format);
  vsnprintf(interp_->error_ + n, sizeof(interp_->error_) - size_t(n), format, args);
  va_end(args);
  return Status::kError;
}

}  // namespace mote
