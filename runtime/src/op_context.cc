// OpContext: what an op's prepare and eval see of the interpreter (mote/op.h),
// read from and written to the arena records of src/arena_records.h.
#include <stdarg.h>
#include <stdio.h>

#include "kernels/overlap_bounds.h"
#include "mote/interpreter.h"
#include "mote/op.h"
#include "mote/prepared_constants.h"
#include "src/arena_records.h"
#include "src/interpreter_patch.h"

namespace mote {

namespace {
const NodeRecord& node_record(const uint8_t* arena, uint32_t nodes, int node) {
  return reinterpret_cast<const NodeRecord*>(arena + nodes)[node];
}
}  // namespace

int32_t OpContext::op_version() const { return interp_->model_.op(uint32_t(node_)).version; }
int OpContext::num_inputs() const {
  return node_count(interp_->model_data_, node_record(interp_->arena_, interp_->nodes_, node_).inputs_pos);
}
int OpContext::num_outputs() const {
  return node_count(interp_->model_data_, node_record(interp_->arena_, interp_->nodes_, node_).outputs_pos);
}
int OpContext::num_intermediates() const { return int(interp_->model_.op(uint32_t(node_)).intermediates.size()); }
int32_t OpContext::input_tensor_index(int i) const {
  return interp_->node_tensor(node_record(interp_->arena_, interp_->nodes_, node_).inputs_pos, i);
}
int32_t OpContext::output_tensor_index(int i) const {
  return interp_->node_tensor(node_record(interp_->arena_, interp_->nodes_, node_).outputs_pos, i);
}
bool OpContext::has_input(int i) const { return input_tensor_index(i) >= 0; }
namespace {
// Rows [0, rows) of a strip buffer as a view of an NHWC tensor.
TensorView strip_of(TensorView whole, uint8_t* data, int32_t rows) {
  if (whole.shape.rank != 4 || whole.shape.dims[1] <= 0) return TensorView();
  whole.bytes = whole.bytes / uint32_t(whole.shape.dims[1]) * uint32_t(rows);
  whole.shape.dims[1] = rows;
  whole.data = data;
  return whole;
}
}  // namespace

TensorView OpContext::input(int i) const {
  const StripView* strip = interp_->strip_;
  const TensorView v = interp_->view(input_tensor_index(i));
  return strip != nullptr && i == 0 && strip->node == node_ ? strip_of(v, strip->input, strip->input_rows) : v;
}
TensorView OpContext::output(int i) const {
  const StripView* strip = interp_->strip_;
  const TensorView v = interp_->view(output_tensor_index(i));
  return strip != nullptr && i == 0 && strip->node == node_ ? strip_of(v, strip->output, strip->output_rows) : v;
}
RowWindow OpContext::row_window() const {
  const StripView* strip = interp_->strip_;
  return strip != nullptr && strip->node == node_ ? strip->window : RowWindow();
}
namespace {
int32_t intermediate_tensor(const Model& model, int node, int i) {
  const fb::Vector<int32_t> v = model.op(uint32_t(node)).intermediates;
  return i >= 0 && uint32_t(i) < v.size() ? v[uint32_t(i)] : -1;
}
}  // namespace

TensorView OpContext::intermediate(int i) const {
  return interp_->view(intermediate_tensor(interp_->model_, node_, i));
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
  return quant_of(interp_->model_, intermediate_tensor(interp_->model_, node_, i));
}
bool OpContext::input_is_constant(int i) const {
  int32_t t = input_tensor_index(i);
  if (t < 0) return false;
  return interp_->location(t) == kInModel;
}
schema::OptionsType OpContext::options_type() const { return interp_->model_.op(uint32_t(node_)).options_type; }
fb::Table OpContext::options() const { return interp_->model_.op(uint32_t(node_)).options; }
fb::Bytes OpContext::custom_options() const { return interp_->model_.op(uint32_t(node_)).custom_options; }

void* OpContext::allocate_persistent(size_t bytes, size_t align, uint32_t* offset, PersistentUse use) {
  if (!interp_->in_prepare_) {
    fail("persistent memory can only be allocated in prepare");
    return nullptr;
  }
  PersistentBytes& account = interp_->persistent_;
  void* p = interp_->tail_alloc(bytes, align, offset,
                                use == PersistentUse::kOpData      ? &account.op_data
                                : use == PersistentUse::kConstants ? &account.constants
                                                                   : &account.records);
  if (p == nullptr) interp_->check_arena_for(bytes);
  return p;
}

void* OpContext::allocate_op_data(size_t bytes, size_t align) {
  NodeRecord& r = reinterpret_cast<NodeRecord*>(interp_->arena_ + interp_->nodes_)[node_];
  if (r.op_data != 0) return interp_->arena_ + r.op_data;
  uint32_t offset = 0;
  void* p = allocate_persistent(bytes, align, &offset, PersistentUse::kOpData);
  if (p != nullptr) r.op_data = offset;
  return p;
}

void* OpContext::op_data() const {
  uint32_t off = node_record(interp_->arena_, interp_->nodes_, node_).op_data;
  return off ? interp_->arena_ + off : nullptr;
}

void* OpContext::persistent(uint32_t offset) const { return interp_->arena_ + offset; }

const void* OpContext::constant(uint32_t offset) const {
  if (offset & ConstantRef<int32_t>::kInModel) return interp_->model_data_ + (offset & ~ConstantRef<int32_t>::kInModel);
  return interp_->arena_ + offset;
}

namespace {

uint32_t hash_tensor(uint32_t h, const Model& model, int32_t index, bool with_data) {
  h = prepared::hash_word(h, uint32_t(index));
  if (index < 0) return h;
  const TensorInfo t = model.tensor(uint32_t(index));
  h = prepared::hash_word(h, uint32_t(t.type));
  h = prepared::hash_bytes(h, reinterpret_cast<const uint8_t*>(t.shape.dims), sizeof(int32_t) * size_t(t.shape.rank));
  h = prepared::hash_word(h, uint32_t(t.quant.axis));
  h = prepared::hash_bytes(h, t.quant.scales, 4 * size_t(t.quant.count));
  if (t.quant.zero_points != nullptr) h = prepared::hash_bytes(h, t.quant.zero_points, 8 * size_t(t.quant.count));
  if (with_data && t.data != nullptr) h = prepared::hash_bytes(h, t.data, t.bytes);
  return h;
}

}  // namespace

// Everything an op's per-channel constants can be computed from: the op and
// its form, its inputs (with constant data: filter sums) and its output.
uint32_t OpContext::dependency_hash(int32_t form, int32_t channels) const {
  const OperatorInfo op = interp_->model_.op(uint32_t(node_));
  uint32_t h = prepared::kHashSeed;
  h = prepared::hash_word(h, uint32_t(node_));
  h = prepared::hash_word(h, uint32_t(op.builtin_code));
  h = prepared::hash_word(h, uint32_t(op.version));
  h = prepared::hash_word(h, uint32_t(form));
  h = prepared::hash_word(h, uint32_t(channels));
  for (int i = 0; i < num_inputs(); ++i) h = hash_tensor(h, interp_->model_, input_tensor_index(i), true);
  return hash_tensor(h, interp_->model_, output_tensor_index(0), false);
}

Status OpContext::channel_constants(int32_t form, int32_t channels, ChannelConstants* out) {
  *out = ChannelConstants();
  if (!interp_->in_prepare_) return fail("per-channel constants can only be set up in prepare");
  if (form < 0 || channels <= 0) return fail("per-channel constants need a form >= 0 and channels > 0");
  const prepared::NodeEntry entry = interp_->prepared_.entry(uint32_t(node_));
  // An entry of another form was written by a build whose kernels differ
  // (e.g. reference-only): computed here instead.
  if (entry.form != 0 && entry.form == uint32_t(form) + 1) {
    if (entry.channels != uint32_t(channels) || entry.dependency_hash != dependency_hash(form, channels))
      return fail(
          "the model's \"mote\" metadata was computed from other weights, quantization or shapes than the model "
          "has now (edited after `mote prepare`?); re-run `mote prepare` or `mote export` on the plain model");
    const uint32_t position = uint32_t(interp_->prepared_.data - interp_->model_data_) + entry.offset;
    out->refs.multipliers.offset = ConstantRef<int32_t>::kInModel | position;
    return Status::kOk;
  }
  // One block, the shifts after the multipliers as in the metadata: op data
  // keeps one reference.
  uint32_t multipliers = 0;
  out->fill_multipliers = static_cast<int32_t*>(
      allocate_persistent(8 * size_t(channels), 4, &multipliers, PersistentUse::kConstants));
  if (out->fill_multipliers == nullptr) return Status::kError;
  out->fill_shifts = out->fill_multipliers + channels;
  if (multipliers & ConstantRef<int32_t>::kInModel) return fail("arenas above 2 GiB are not supported");
  out->refs.multipliers.offset = multipliers;
  if (interp_->constants_observer_ != nullptr) {
    const Interpreter::ChannelConstantsRecord record = {
        node_, form, channels, dependency_hash(form, channels), out->fill_multipliers, out->fill_shifts};
    interp_->constants_observer_(interp_->constants_observer_user_, record);
  }
  return Status::kOk;
}

Status OpContext::request_scratch(size_t bytes, int32_t* index) {
  uint32_t offset = 0;
  auto* r = static_cast<ScratchRecord*>(
      allocate_persistent(sizeof(ScratchRecord), 4, &offset, PersistentUse::kRecords));
  if (r == nullptr) return Status::kError;
  r->size = uint32_t(bytes);
  r->offset = 0;
  r->node = node_;
  r->next = 0;
  if (interp_->last_scratch_ != 0) {
    reinterpret_cast<ScratchRecord*>(interp_->arena_ + interp_->last_scratch_)->next = offset;
  } else {
    interp_->first_scratch_ = offset;
  }
  interp_->last_scratch_ = offset;
  *index = int32_t(offset);
  return Status::kOk;
}

Status OpContext::share_input_buffer() {
  if (!interp_->in_prepare_) return fail("memory plan hints can only be given in prepare");
  return interp_->share_buffer(input_tensor_index(0), output_tensor_index(0));
}

Status OpContext::allow_in_place(int input, int output) {
  const TensorView in = this->input(input);
  const TensorView out = this->output(output);
  const int32_t in_size = int32_t(dtype_size(in.type)), out_size = int32_t(dtype_size(out.type));
  if (input_is_constant(input) || output_tensor_index(output) < 0 || out_size > in_size ||
      in.num_elements() != out.num_elements())
    return Status::kOk;
  if (out_size == in_size) return allow_overlap(input, output, 0, 0);
  // Front to back, output element i ends at lead + (i + 1) * out_size, at or
  // before input element i + 1 starts at (i + 1) * in_size: i = 0 bounds it.
  return allow_overlap(input, output, kUnboundedLead, in_size - out_size);
}

Status OpContext::allow_overlap(int input, int output, int32_t min_lead, int32_t max_lead, int32_t lead_step) {
  if (!interp_->in_prepare_) return fail("memory plan hints can only be given in prepare");
  OverlapHint hint;
  hint.node = node_;
  hint.input = input_tensor_index(input);
  hint.output = output_tensor_index(output);
  hint.min_lead = min_lead;
  hint.max_lead = max_lead;
  hint.lead_step = lead_step;
  if (hint.input < 0 || hint.output < 0 || input_is_constant(input) || min_lead > max_lead) return Status::kOk;
  return interp_->add_overlap_hint(hint);
}

namespace {
// Input 0 and output 0 as a window op's geometry; false unless both are NHWC
// with the same batch count.
bool window_geometry(const TensorView& in, const TensorView& out, int32_t stride_h, int32_t stride_w, int32_t pad_top,
                     int32_t pad_left, WindowGeometry* g) {
  if (in.shape.rank != 4 || out.shape.rank != 4 || in.shape.dims[0] != out.shape.dims[0]) return false;
  g->batches = in.shape.dims[0];
  g->input_height = in.shape.dims[1];
  g->input_width = in.shape.dims[2];
  g->input_pixel_bytes = in.shape.dims[3] * int32_t(dtype_size(in.type));
  g->output_height = out.shape.dims[1];
  g->output_width = out.shape.dims[2];
  g->output_pixel_bytes = out.shape.dims[3] * int32_t(dtype_size(out.type));
  g->stride_height = stride_h;
  g->stride_width = stride_w;
  g->pad_top = pad_top;
  g->pad_left = pad_left;
  return true;
}
}  // namespace

Status OpContext::allow_window_overlap(int32_t stride_h, int32_t stride_w, int32_t pad_top, int32_t pad_left) {
  WindowGeometry g;
  if (!window_geometry(input(0), output(0), stride_h, stride_w, pad_top, pad_left, &g)) return Status::kOk;
  if (g.input_pixel_bytes != g.output_pixel_bytes) return Status::kOk;
  return allow_overlap(0, 0, kUnboundedLead, window_op_max_lead(g), g.output_pixel_bytes);
}

Status OpContext::allow_streaming_window_overlap(int32_t stride_h, int32_t stride_w, int32_t pad_top,
                                                 int32_t pad_left, int32_t block_rows) {
  WindowGeometry g;
  if (block_rows < 0 || !window_geometry(input(0), output(0), stride_h, stride_w, pad_top, pad_left, &g))
    return Status::kOk;
  const int32_t max_lead = block_rows == 0 ? window_op_max_lead(g) : row_block_max_lead(g, block_rows);
  return allow_overlap(0, 0, kUnboundedLead, max_lead);
}

Status OpContext::allow_window_overlap_back(int32_t stride_h, int32_t stride_w, int32_t pad_top, int32_t pad_left,
                                            int32_t extent_h, int32_t extent_w, int32_t block_rows) {
  WindowGeometry g;
  if (block_rows < 0 || !window_geometry(input(0), output(0), stride_h, stride_w, pad_top, pad_left, &g))
    return Status::kOk;
  g.extent_height = extent_h;
  g.extent_width = extent_w;
  if (block_rows > 0) return allow_overlap(0, 0, row_block_min_lead_back(g, block_rows), INT32_MAX);
  if (g.input_pixel_bytes != g.output_pixel_bytes) return Status::kOk;
  return allow_overlap(0, 0, row_block_min_lead_back(g, 1), INT32_MAX, g.output_pixel_bytes);
}

Status OpContext::allow_row_strips(int32_t stride, int32_t extent, int32_t pad_top) {
  if (!interp_->in_prepare_) return fail("memory plan hints can only be given in prepare");
  if (interp_->patch_options_.mode == PatchMode::kOff) return Status::kOk;
  OverlapHint hint;
  hint.node = ~node_;
  hint.input = input_tensor_index(0);
  hint.output = output_tensor_index(0);
  hint.min_lead = stride;
  hint.max_lead = extent;
  hint.lead_step = pad_top;
  if (hint.input < 0 || hint.output < 0 || input_is_constant(0) || stride <= 0 || extent <= 0 || pad_top < 0)
    return Status::kOk;
  return interp_->add_overlap_hint(hint);
}

void* OpContext::scratch(int32_t index) const {
  const auto* r = reinterpret_cast<const ScratchRecord*>(interp_->arena_ + index);
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
