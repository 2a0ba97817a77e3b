// Patch-based execution of the first stage: which chain of window ops a stage
// may cover, how it changes the memory plan, and running it strip by strip.
#include "src/interpreter_patch.h"

#include <string.h>

#include "src/arena_records.h"

namespace mote {

void apply_stage_to_plan(const StageChain& chain, int layers, int32_t rows, const int32_t* inner_buffers,
                         PlanBuffer* plan, int n) {
  const int32_t first = chain.first_node;
  const int32_t last = first + layers - 1;
  int32_t heights[kMaxStageLayers + 1];
  stage_buffer_rows(chain.layers, layers, rows, heights);
  for (int i = 0; i < n; ++i) {
    PlanBuffer& b = plan[i];
    if (b.first >= first && b.first <= last) b.first = first;
    if (b.last >= first && b.last <= last) b.last = last;
  }
  for (int t = 1; t < layers; ++t) {
    const int32_t i = inner_buffers[t];
    if (i >= 0 && i < n) plan[i].size = uint32_t(heights[t]) * uint32_t(chain.row_bytes[t]);
  }
}

int Interpreter::stage_plan(const StageChain& chain, int layers, int32_t rows, const PlanBuffer* plan, int n,
                            PlanBuffer* out, PlanOverlap* overlaps) const {
  memcpy(out, plan, size_t(n) * sizeof(PlanBuffer));
  int32_t inner_buffers[kMaxStageLayers + 1];
  for (int t = 0; t < layers; ++t) inner_buffers[t] = planned_buffer(chain.tensors[t]);
  apply_stage_to_plan(chain, layers, rows, inner_buffers, out, n);
  int num_overlaps = collect_overlaps(out, n, chain.first_node, chain.first_node + layers - 1, overlaps);
  // Room for one more: collect_overlaps() skips the stage's row-strip hints.
  if (stage_input_overlap(chain, layers, rows, out, n, &overlaps[num_overlaps])) ++num_overlaps;
  return num_overlaps;
}

bool Interpreter::stage_input_overlap(const StageChain& chain, int layers, int32_t rows, const PlanBuffer* plan,
                                      int n, PlanOverlap* overlap) const {
  if (!memory_options_.overlaps) return false;
  const int32_t first = chain.first_node, last = first + layers - 1;
  const int32_t input_root = buffer_root(chain.tensors[0]);
  const int32_t output = chain.tensors[layers];
  if (location(output) == kShared || in_model_outputs(input_root)) return false;
  const int32_t in = planned_buffer(input_root), out = planned_buffer(output);
  // The input's buffer must die in the stage (apply_stage_to_plan() moved a
  // last use inside it to the stage's end) ...
  if (in < 0 || out < 0 || in >= n || out >= n || in == out || plan[in].last != last) return false;
  // ... and only layer 0 reads it there, as its input 0.
  const NodeRecord* nodes = reinterpret_cast<const NodeRecord*>(arena_ + nodes_);
  for (int32_t j = first; j <= last; ++j)
    for (int k = j == first ? 1 : 0; k < node_count(model_data_, nodes[j].inputs_pos); ++k)
      if (buffer_root(node_tensor(nodes[j].inputs_pos, k)) == input_root) return false;
  overlap->input = in;
  overlap->output = out;
  overlap->min_lead = kUnboundedLead;
  overlap->max_lead = stage_output_max_lead(chain.layers, layers, rows, chain.row_bytes[0], chain.row_bytes[layers]);
  overlap->lead_step = 0;
  return true;
}

int32_t Interpreter::shortest_auto_strips(const StageChain& chain, int layers) const {
  const NodeRecord* nodes = reinterpret_cast<const NodeRecord*>(arena_ + nodes_);
  int64_t weight_bytes = 0, weighted_pixels = 0;
  for (int l = 0; l < layers; ++l) {
    const uint32_t pos = nodes[chain.first_node + l].inputs_pos;
    const int32_t weights = node_count(model_data_, pos) > 1 ? node_tensor(pos, 1) : -1;
    if (weights < 0) continue;
    const int64_t bytes = model_.tensor(uint32_t(weights)).bytes;
    weight_bytes += bytes;
    weighted_pixels += bytes * chain.layers[l].output_height * chain.output_width[l];
  }
  const int32_t height = chain.layers[layers - 1].output_height;
  int32_t rows = 1;
  while (rows < height && weighted_pixels < int64_t(kMinStripPixels) * weight_bytes *
                                               stage_strip_count(chain.layers, layers, rows))
    ++rows;
  return rows;
}

StageChoice Interpreter::choose_stage(const StageChain& chain, const PlanBuffer* plan, int n, uint32_t limit,
                                      PlanBuffer* out, PlanOverlap* overlaps, void* planner_work) const {
  // One candidate per stage length, ordered by lower bound (shorter stages
  // first among equal bounds).
  StageChoice candidates[kMaxStageLayers];
  int count = 0;
  for (int layers = 2; layers <= chain.count; ++layers) {
    const int32_t height = chain.layers[layers - 1].output_height;
    StageChoice c;
    c.layers = layers;
    if (patch_options_.mode == PatchMode::kRows) {
      c.rows = patch_options_.rows < height ? patch_options_.rows : height;
      if (c.rows <= 0) return StageChoice();
    } else {
      c.rows = shortest_auto_strips(chain, layers);
    }
    const int num_overlaps = stage_plan(chain, layers, c.rows, plan, n, out, overlaps);
    c.bound = plan_lower_bound(out, n, kBufferAlignment, overlaps, num_overlaps);
    c.shortest_rows = c.rows;
    if (patch_options_.mode != PatchMode::kRows) {
      // Taller strips only make the stage's own bytes grow (and the lead of
      // its output over its input shrink), and only the stage's nodes see
      // them: keep the tallest whose stage stays under the shortest strips'
      // bound (fewer kernel calls, the same bound).
      int32_t lo = c.rows, hi = height;
      while (lo < hi) {
        const int32_t mid = lo + (hi - lo + 1) / 2;
        const int mid_overlaps = stage_plan(chain, layers, mid, plan, n, out, overlaps);
        if (plan_bound_at(out, n, kBufferAlignment, chain.first_node, overlaps, mid_overlaps) <= c.bound) {
          lo = mid;
        } else {
          hi = mid - 1;
        }
      }
      c.rows = lo;
    }
    int k = count++;
    for (; k > 0 && candidates[k - 1].bound > c.bound; --k) candidates[k] = candidates[k - 1];
    candidates[k] = c;
  }
  // Place them from the lowest bound: the placement can stop short of it, but
  // a candidate whose bound is not below the best plan so far cannot beat it.
  StageChoice best, last_placed;
  auto place = [&](StageChoice* c) {
    const int num_overlaps = stage_plan(chain, c->layers, c->rows, plan, n, out, overlaps);
    c->planned = plan_buffers(out, n, kBufferAlignment, planner_work, overlaps, num_overlaps, &c->bound);
    last_placed = *c;
  };
  for (int i = 0; i < count && i < kMaxStagePlacements; ++i) {
    StageChoice c = candidates[i];
    if (c.bound >= (best.layers > 0 ? best.planned : limit)) break;
    place(&c);
    // Taller strips share the bound but leave the planner less slack (the
    // stage output's lead over its input shrinks): when they stop short of
    // it, the shortest strips may still reach it.
    if (c.planned > c.bound && c.shortest_rows < c.rows) {
      StageChoice shortest = c;
      shortest.rows = c.shortest_rows;
      place(&shortest);
      if (shortest.planned < c.planned) c = shortest;
    }
    if (best.layers == 0 || c.planned < best.planned) best = c;
  }
  // `out` holds the last plan placed; placing is deterministic, so again for
  // the best when that was another.
  if (best.layers > 0 && (last_placed.layers != best.layers || last_placed.rows != best.rows)) place(&best);
  return best;
}

int Interpreter::find_stage_chain(StageChain* chain) const {
  chain->count = 0;
  const OverlapHint* hints = reinterpret_cast<const OverlapHint*>(arena_);
  for (uint32_t h = 0; h < num_hints_ && chain->count < kMaxStageLayers; ++h) {
    const OverlapHint& hint = hints[h];
    if (!is_row_strip_hint(hint)) continue;
    const int32_t node = ~hint.node;
    const TensorInfo in = model_.tensor(uint32_t(hint.input));
    const TensorInfo out = model_.tensor(uint32_t(hint.output));
    if (in.shape.rank != 4 || out.shape.rank != 4 || in.shape.dims[0] != 1 || out.shape.dims[0] != 1 ||
        in.shape.dims[1] <= 0 || out.shape.dims[1] <= 0)
      break;
    if (chain->count > 0) {
      // The tensor between two layers: planned, read by this node only.
      const int32_t between = hint.input;
      if (node != chain->first_node + chain->count || between != chain->tensors[chain->count]) break;
      if (location(between) != kNoData || in_model_outputs(between)) break;
      int readers = 0;
      for (uint32_t t = 0; t < model_.num_tensors(); ++t)
        if (int32_t(t) != between && buffer_root(int32_t(t)) == between) readers += 2;  // shares its buffer
      const NodeRecord* nodes = reinterpret_cast<const NodeRecord*>(arena_ + nodes_);
      for (uint32_t j = 0; j < model_.num_operators(); ++j)
        for (int k = 0; k < node_count(model_data_, nodes[j].inputs_pos); ++k)
          if (node_tensor(nodes[j].inputs_pos, k) == between) ++readers;
      if (readers != 1) break;
    } else {
      chain->first_node = node;
      chain->tensors[0] = hint.input;
      chain->row_bytes[0] = int32_t(in.bytes / uint32_t(in.shape.dims[1]));
    }
    StageLayer& layer = chain->layers[chain->count];
    layer.input_height = in.shape.dims[1];
    layer.output_height = out.shape.dims[1];
    layer.stride = hint.min_lead;
    layer.extent = hint.max_lead;
    layer.pad_before = hint.lead_step;
    ++chain->count;
    chain->tensors[chain->count] = hint.output;
    chain->row_bytes[chain->count] = int32_t(out.bytes / uint32_t(out.shape.dims[1]));
    chain->output_width[chain->count - 1] = out.shape.dims[2];
  }
  return chain->count;
}

Status Interpreter::run_stage(const StageRecord& stage) {
  const StageLayer* layers = reinterpret_cast<const StageLayer*>(&stage + 1);
  const int count = stage.num_layers;
  const NodeRecord* nodes = reinterpret_cast<const NodeRecord*>(arena_ + nodes_);
  // Per stage tensor: its buffer, bytes per row, the image row at the buffer's
  // start and the end of the rows computed so far.
  uint8_t* data[kMaxStageLayers + 1];
  int32_t row_bytes[kMaxStageLayers + 1];
  int32_t buffer_row[kMaxStageLayers + 1] = {};
  int32_t done[kMaxStageLayers + 1] = {};
  for (int t = 0; t <= count; ++t) {
    const NodeRecord& nr = nodes[stage.first_node + (t < count ? t : count - 1)];
    const TensorView v = view(t < count ? node_tensor(nr.inputs_pos, 0) : node_tensor(nr.outputs_pos, 0));
    data[t] = static_cast<uint8_t*>(v.data);
    row_bytes[t] = int32_t(v.bytes / uint32_t(v.shape.dims[1]));
  }
  RowRange rows[kMaxStageLayers + 1];
  for (int32_t s = 0; s < stage.num_strips; ++s) {
    stage_strip_rows(layers, count, stage.rows_per_strip, s, rows);
    for (int i = 0; i < count; ++i) {
      const int out = i + 1;
      const RowRange fresh = new_rows(rows[out], done[out]);
      if (fresh.count() == 0) continue;
      if (out < count) {
        // Keep the rows this strip shares with the last one at the buffer's start.
        const int32_t kept = done[out] - rows[out].begin;
        if (kept > 0 && rows[out].begin != buffer_row[out])
          memmove(data[out], data[out] + size_t(rows[out].begin - buffer_row[out]) * size_t(row_bytes[out]),
                  size_t(kept) * size_t(row_bytes[out]));
        buffer_row[out] = rows[out].begin;
      }
      const RowRange in = layer_input_rows(layers[i], fresh);
      StripView strip;
      strip.node = stage.first_node + i;
      strip.input = data[i] + size_t(in.begin - buffer_row[i]) * size_t(row_bytes[i]);
      strip.input_rows = in.count();
      strip.output = data[out] + size_t(fresh.begin - buffer_row[out]) * size_t(row_bytes[out]);
      strip.output_rows = fresh.count();
      strip.window.input_row = in.begin;
      strip.window.output_row = fresh.begin;
      const OpRegistration& reg = resolver_.at(nodes[strip.node].registration);
      OpContext ctx(this, int(strip.node));
      strip_ = &strip;
      const Status status = reg.eval(ctx);
      strip_ = nullptr;
      if (!ok(status)) {
        if (error_[0] == 0) set_error("node %d (%s): eval failed", int(strip.node), reg.name);
        return Status::kError;
      }
      done[out] = fresh.end;
    }
  }
  return Status::kOk;
}

bool Interpreter::is_stage_inner_tensor(int32_t tensor) const {
  const StageRecord& stage = *reinterpret_cast<const StageRecord*>(arena_ + stage_);
  const NodeRecord* nodes = reinterpret_cast<const NodeRecord*>(arena_ + nodes_);
  for (int i = 0; i + 1 < stage.num_layers; ++i)
    if (node_tensor(nodes[stage.first_node + i].outputs_pos, 0) == tensor) return true;
  return false;
}

void Interpreter::stage_buffer(int32_t owner, PlanBuffer* buffer) const {
  const StageRecord& stage = *reinterpret_cast<const StageRecord*>(arena_ + stage_);
  const StageLayer* layers = reinterpret_cast<const StageLayer*>(&stage + 1);
  const NodeRecord* nodes = reinterpret_cast<const NodeRecord*>(arena_ + nodes_);
  StageChain chain;
  chain.count = stage.num_layers;
  chain.first_node = stage.first_node;
  for (int i = 0; i < stage.num_layers; ++i) {
    chain.layers[i] = layers[i];
    const int32_t out = node_tensor(nodes[stage.first_node + i].outputs_pos, 0);
    chain.tensors[i + 1] = out;
    chain.row_bytes[i + 1] = int32_t(model_.tensor(uint32_t(out)).bytes / uint32_t(layers[i].output_height));
  }
  // The buffer is the inner tensor it belongs to, or none of them.
  int32_t inner_buffers[kMaxStageLayers + 1];
  for (int t = 0; t <= stage.num_layers; ++t) inner_buffers[t] = chain.tensors[t] == owner && t > 0 ? 0 : -1;
  apply_stage_to_plan(chain, stage.num_layers, stage.rows_per_strip, inner_buffers, buffer, 1);
}

PatchStage Interpreter::patch_stage() const {
  PatchStage p;
  p.arena_bytes_without = used_bytes_;
  if (!allocated_ || stage_ == 0) return p;
  const StageRecord& r = *reinterpret_cast<const StageRecord*>(arena_ + stage_);
  p.first_node = r.first_node;
  p.num_layers = r.num_layers;
  p.rows_per_strip = r.rows_per_strip;
  p.num_strips = r.num_strips;
  p.arena_bytes_without = arena_without_stage_;
  return p;
}

}  // namespace mote
