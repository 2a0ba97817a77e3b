#include "kernels/overlap_bounds.h"

namespace mote {
namespace {

int64_t clamp_to(int64_t v, int64_t hi) { return v < 0 ? 0 : (v > hi ? hi : v); }

// The first input pixel (index over batches, rows and columns) that output
// pixel (b, y, x) or any output pixel after it reads. Window starts only grow
// along a row and from row to row, so this is the start of (b, y, x)'s window
// unless a later row's windows start earlier in memory (rows it shares).
// Filter size and dilation only move where windows end, never where the first
// one starts.
int64_t first_needed(const WindowGeometry& g, int32_t b, int32_t y, int32_t x) {
  const int64_t in_plane = int64_t(g.input_height) * g.input_width;
  const int64_t row_start = clamp_to(int64_t(y) * g.stride_height - g.pad_top, g.input_height) * g.input_width;
  const int64_t later_rows_start =
      y + 1 < g.output_height ? clamp_to(int64_t(y + 1) * g.stride_height - g.pad_top, g.input_height) * g.input_width
                              : in_plane;
  const int64_t col = clamp_to(int64_t(x) * g.stride_width - g.pad_left, g.input_width);
  return b * in_plane + (row_start + col < later_rows_start ? row_start + col : later_rows_start);
}

// One past the last input pixel that output row y of image b, or any output
// pixel before it, reads: the end of the row's last window (window ends only
// grow along a row and from row to row; earlier images end lower).
int64_t last_needed_end(const WindowGeometry& g, int32_t b, int32_t y) {
  const int64_t in_plane = int64_t(g.input_height) * g.input_width;
  const int64_t rows_end =
      clamp_to(int64_t(y) * g.stride_height - g.pad_top + g.extent_height, g.input_height);
  const int64_t cols_end = clamp_to(
      int64_t(g.output_width - 1) * g.stride_width - g.pad_left + g.extent_width, g.input_width);
  return b * in_plane + (rows_end > 0 ? (rows_end - 1) * g.input_width + cols_end : 0);
}

int32_t to_lead(int64_t best) {
  if (best == INT64_MAX || best <= int64_t(INT32_MIN)) return INT32_MIN + 1;
  return best > INT32_MAX ? INT32_MAX : int32_t(best);
}

}  // namespace

int32_t window_op_max_lead(const WindowGeometry& g) {
  int64_t best = INT64_MAX;
  int64_t index = 0;  // output pixel index in (batch, row, column) order
  for (int32_t b = 0; b < g.batches; ++b) {
    for (int32_t y = 0; y < g.output_height; ++y) {
      for (int32_t x = 0; x < g.output_width; ++x, ++index) {
        // Output pixel `index` must end at or below the first input byte still needed.
        const int64_t lead = first_needed(g, b, y, x) * g.input_pixel_bytes - (index + 1) * g.output_pixel_bytes;
        if (lead < best) best = lead;
      }
    }
  }
  return to_lead(best);
}

int32_t row_block_max_lead(const WindowGeometry& g, int32_t block_rows) {
  if (block_rows <= 0) return INT32_MIN + 1;
  int64_t best = INT64_MAX;
  for (int32_t b = 0; b < g.batches; ++b) {
    for (int32_t y0 = 0; y0 < g.output_height; y0 += block_rows) {
      const int32_t y1 = g.output_height - y0 > block_rows ? y0 + block_rows : g.output_height;
      // The whole block must end at or below the first input byte it or a
      // later block reads.
      const int64_t block_end = (int64_t(b) * g.output_height + y1) * g.output_width;
      const int64_t lead = first_needed(g, b, y0, 0) * g.input_pixel_bytes - block_end * g.output_pixel_bytes;
      if (lead < best) best = lead;
    }
  }
  return to_lead(best);
}

int32_t row_block_min_lead_back(const WindowGeometry& g, int32_t block_rows) {
  if (block_rows <= 0) return INT32_MAX;
  int64_t worst = INT64_MIN;
  for (int32_t b = 0; b < g.batches; ++b) {
    for (int32_t y0 = 0; y0 < g.output_height; y0 += block_rows) {
      const int32_t y1 = g.output_height - y0 > block_rows ? y0 + block_rows : g.output_height;
      const int64_t block_start = (int64_t(b) * g.output_height + y0) * g.output_width;
      const int64_t lead = last_needed_end(g, b, y1 - 1) * g.input_pixel_bytes - block_start * g.output_pixel_bytes;
      if (lead > worst) worst = lead;
    }
  }
  if (worst == INT64_MIN || worst > INT32_MAX) return INT32_MAX;
  return worst < 0 ? 0 : int32_t(worst);
}

int32_t streaming_max_lead(int32_t steps, int32_t input_step_bytes, int32_t output_step_bytes) {
  // Step k's output must end at or below the start of step k's input:
  // lead <= k * (input_step_bytes - output_step_bytes) - output_step_bytes
  // for every k, the least at k = 0 or at the last step.
  if (steps <= 0) return INT32_MIN + 1;
  const int64_t gain = int64_t(input_step_bytes) - output_step_bytes;
  const int64_t lead = (gain >= 0 ? 0 : gain * (steps - 1)) - output_step_bytes;
  return lead <= int64_t(INT32_MIN) ? INT32_MIN + 1 : (lead > INT32_MAX ? INT32_MAX : int32_t(lead));
}

}  // namespace mote
