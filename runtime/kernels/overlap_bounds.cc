#include "kernels/overlap_bounds.h"

namespace mote {

int32_t window_op_max_lead(const WindowGeometry& g) {
  const int64_t in_plane = int64_t(g.input_height) * g.input_width;
  auto clamp = [](int64_t v, int64_t hi) { return v < 0 ? 0 : (v > hi ? hi : v); };
  int64_t best = INT64_MAX;
  int64_t index = 0;  // output pixel index in (batch, row, column) order
  for (int32_t b = 0; b < g.batches; ++b) {
    for (int32_t y = 0; y < g.output_height; ++y) {
      // First input pixel any window of this row, and of the rows after it, reads.
      const int64_t row_start = clamp(int64_t(y) * g.stride_height - g.pad_top, g.input_height) * g.input_width;
      const int64_t later_rows_start =
          y + 1 < g.output_height
              ? clamp(int64_t(y + 1) * g.stride_height - g.pad_top, g.input_height) * g.input_width
              : in_plane;
      for (int32_t x = 0; x < g.output_width; ++x, ++index) {
        const int64_t col = clamp(int64_t(x) * g.stride_width - g.pad_left, g.input_width);
        const int64_t still_needed =
            b * in_plane + (row_start + col < later_rows_start ? row_start + col : later_rows_start);
        // Output pixel `index` must end at or below the first input byte still needed.
        const int64_t lead = still_needed * g.input_pixel_bytes - (index + 1) * g.output_pixel_bytes;
        if (lead < best) best = lead;
      }
    }
  }
  if (best == INT64_MAX || best <= int64_t(INT32_MIN)) return INT32_MIN + 1;
  return int32_t(best);
}

int32_t streaming_max_lead(int32_t steps, int32_t input_step_bytes, int32_t output_step_bytes) {
  // Step k's output must end at or below the start of step k + 1's input:
  // lead <= (k + 1) * (input_step_bytes - output_step_bytes) for every k.
  if (steps <= 0) return INT32_MIN + 1;
  const int64_t gain = int64_t(input_step_bytes) - output_step_bytes;
  const int64_t lead = gain >= 0 ? gain : gain * steps;
  return lead <= int64_t(INT32_MIN) ? INT32_MIN + 1 : (lead > INT32_MAX ? INT32_MAX : int32_t(lead));
}

}  // namespace mote
