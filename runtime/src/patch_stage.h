// Row arithmetic of patch-based execution (MCUNetV2): a chain of window ops
// (the "stage") computes its last output in strips of whole rows; every
// tensor inside the stage then only holds the rows the current strip needs.
//
// Tensors of a stage of n layers are numbered 0..n: tensor i is layer i's
// input, tensor n the stage's output. Rows are in whole-image coordinates.
// A strip's rows of tensor i are the receptive field of its output rows
// (padding stays in whole-image coordinates: rows outside [0, height) are
// the layer's padding, so they are never computed or stored). Consecutive
// strips overlap in their halo rows; the interpreter keeps those rows from
// one strip to the next, so no row is computed twice.
//
// Pure functions, shared by the interpreter (planning and invoke) and tests.
#pragma once

#include <stdint.h>

namespace mote {

// Most layers one stage may hold (the interpreter keeps per-tensor state for
// a stage on the stack).
constexpr int kMaxStageLayers = 16;

// One layer of a stage along the row axis.
struct StageLayer {
  int32_t input_height = 0;
  int32_t output_height = 0;
  int32_t stride = 1;
  int32_t extent = 1;      // dilated filter height: (filter_height - 1) * dilation + 1
  int32_t pad_before = 0;  // padding rows above input row 0
};

// Rows [begin, end).
struct RowRange {
  int32_t begin = 0;
  int32_t end = 0;
  int32_t count() const { return end > begin ? end - begin : 0; }
};

// Input rows of `layer` that output rows `out` read, clipped to the image.
RowRange layer_input_rows(const StageLayer& layer, RowRange out);

// Number of strips of `rows_per_strip` rows over the stage's output height.
int32_t stage_strip_count(const StageLayer* layers, int count, int32_t rows_per_strip);

// The rows of tensors 0..count that strip `strip` needs: rows[count] is the
// strip itself, rows[i] the input rows layer i reads for rows[i + 1].
void stage_strip_rows(const StageLayer* layers, int count, int32_t rows_per_strip, int32_t strip, RowRange* rows);

// For each tensor 0..count, the most rows any strip needs at once (the height
// of its strip buffer).
void stage_buffer_rows(const StageLayer* layers, int count, int32_t rows_per_strip, int32_t* heights);

// The largest lead (stage output start - stage input start, in bytes) at
// which the stage's output buffer may overlap its input buffer when the input
// dies in the stage; any lower lead is safe too. Only layer 0 reads the input
// and only the last layer writes the output; in a strip layer 0 runs first,
// so every byte of output written up to the end of strip s must lie below
// the first input byte a later strip's layer 0 reads (its whole view of
// input rows). INT32_MAX when no strip reads after another wrote (one strip).
// Needs count >= 2.
int32_t stage_output_max_lead(const StageLayer* layers, int count, int32_t rows_per_strip, int32_t input_row_bytes,
                              int32_t output_row_bytes);

// What layer i computes in a strip: the rows of its output (tensor i + 1)
// the strip needs and no earlier strip computed. `done` is the end of the
// rows computed so far (0 before the first strip).
inline RowRange new_rows(RowRange needed, int32_t done) {
  return {needed.begin > done ? needed.begin : done, needed.end};
}

}  // namespace mote
