#include "src/patch_stage.h"

namespace mote {

RowRange layer_input_rows(const StageLayer& layer, RowRange out) {
  if (out.count() == 0) return {0, 0};
  int64_t begin = int64_t(out.begin) * layer.stride - layer.pad_before;
  int64_t end = int64_t(out.end - 1) * layer.stride - layer.pad_before + layer.extent;
  if (begin < 0) begin = 0;
  if (end > layer.input_height) end = layer.input_height;
  if (end < begin) end = begin;
  return {int32_t(begin), int32_t(end)};
}

int32_t stage_strip_count(const StageLayer* layers, int count, int32_t rows_per_strip) {
  if (count <= 0 || rows_per_strip <= 0) return 0;
  const int32_t height = layers[count - 1].output_height;
  return (height + rows_per_strip - 1) / rows_per_strip;
}

void stage_strip_rows(const StageLayer* layers, int count, int32_t rows_per_strip, int32_t strip, RowRange* rows) {
  const int32_t height = layers[count - 1].output_height;
  const int64_t begin = int64_t(strip) * rows_per_strip;
  const int64_t end = begin + rows_per_strip;
  rows[count] = {int32_t(begin < height ? begin : height), int32_t(end < height ? end : height)};
  for (int i = count - 1; i >= 0; --i) rows[i] = layer_input_rows(layers[i], rows[i + 1]);
}

void stage_buffer_rows(const StageLayer* layers, int count, int32_t rows_per_strip, int32_t* heights) {
  for (int i = 0; i <= count; ++i) heights[i] = 0;
  RowRange rows[kMaxStageLayers + 1];
  if (count > kMaxStageLayers) return;
  const int32_t strips = stage_strip_count(layers, count, rows_per_strip);
  for (int32_t s = 0; s < strips; ++s) {
    stage_strip_rows(layers, count, rows_per_strip, s, rows);
    for (int i = 0; i <= count; ++i)
      if (rows[i].count() > heights[i]) heights[i] = rows[i].count();
  }
}

int32_t stage_output_max_lead(const StageLayer* layers, int count, int32_t rows_per_strip, int32_t input_row_bytes,
                              int32_t output_row_bytes) {
  if (count < 2 || count > kMaxStageLayers) return INT32_MIN + 1;
  // A read in strip s must start at or above all output written before it,
  // which is everything up to the end of strip s - 1 (written only grows),
  // so one constraint per reading strip covers every earlier strip.
  int64_t best = INT64_MAX;
  int32_t written = 0;  // output rows written by the strips so far
  int32_t done = 0;     // rows of tensor 1 computed so far
  RowRange rows[kMaxStageLayers + 1];
  const int32_t strips = stage_strip_count(layers, count, rows_per_strip);
  for (int32_t s = 0; s < strips; ++s) {
    stage_strip_rows(layers, count, rows_per_strip, s, rows);
    const RowRange fresh = new_rows(rows[1], done);
    if (fresh.count() > 0) {
      const RowRange in = layer_input_rows(layers[0], fresh);
      if (in.count() > 0 && written > 0) {
        const int64_t lead = int64_t(in.begin) * input_row_bytes - int64_t(written) * output_row_bytes;
        if (lead < best) best = lead;
      }
      done = fresh.end;
    }
    written = rows[count].end;
  }
  if (best == INT64_MAX || best > INT32_MAX) return INT32_MAX;
  return best <= int64_t(INT32_MIN) ? INT32_MIN + 1 : int32_t(best);
}

}  // namespace mote
