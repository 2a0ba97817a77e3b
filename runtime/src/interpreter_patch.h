// The interpreter's side of patch-based execution (src/patch_stage.h has the
// row arithmetic): the chain of window ops a stage may cover, how a stage
// changes the memory plan, and the strip a node runs on during invoke().
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "mote/interpreter.h"
#include "mote/memory_planner.h"
#include "src/patch_stage.h"

namespace mote {

// The longest chain of window ops a stage may cover, from the first one that
// declared row strips: layer i reads tensors[i] (input 0) and writes
// tensors[i + 1]; every tensor between two layers is read by the next layer
// only. A stage is any prefix of two or more layers.
struct StageChain {
  int count = 0;
  int32_t first_node = -1;
  StageLayer layers[kMaxStageLayers];
  int32_t tensors[kMaxStageLayers + 1] = {};
  int32_t row_bytes[kMaxStageLayers + 1] = {};
};

// During invoke(): the views the running node of a stage gets for input 0 and
// output 0.
struct StripView {
  int32_t node;
  uint8_t* input;
  int32_t input_rows;
  uint8_t* output;
  int32_t output_rows;
  RowWindow window;
};

// How a stage of `layers` layers in strips of `rows` rows changes the planned
// buffers (owner: tensor index per buffer, as the interpreter visits them):
// every lifetime that starts or ends inside the stage spans all of it (its
// nodes run interleaved), and each tensor between two layers holds only its
// strip buffer.
void apply_stage_to_plan(const StageChain& chain, int layers, int32_t rows, const int32_t* owner, PlanBuffer* plan,
                         int n);

// Most bytes alive at any node (the bound no placement can beat).
size_t plan_live_peak(const PlanBuffer* plan, int n, int32_t num_nodes);

struct StageChoice {
  int layers = 0;  // 0: none
  int32_t rows = 0;
  size_t live_peak = 0;
};

// The stage with the smallest live peak (the shortest such stage, with the
// tallest strips that keep it), or with strips of options.rows rows for
// PatchMode::kRows. `work` holds n PlanBuffer.
StageChoice choose_stage(const StageChain& chain, const PatchOptions& options, const PlanBuffer* plan,
                         const int32_t* owner, int n, int32_t num_nodes, PlanBuffer* work);

}  // namespace mote
