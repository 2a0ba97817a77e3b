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
  int32_t output_width[kMaxStageLayers] = {};  // of layer i's output
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
// buffers: every lifetime that starts or ends inside the stage spans all of
// it (its nodes run interleaved), and each tensor between two layers holds
// only its strip buffer (inner_buffers[t]: the index in `plan` of
// chain.tensors[t]'s buffer, -1 when it has none there).
void apply_stage_to_plan(const StageChain& chain, int layers, int32_t rows, const int32_t* inner_buffers,
                         PlanBuffer* plan, int n);

// A stage and its placed plan.
struct StageChoice {
  int layers = 0;  // 0: none
  int32_t rows = 0;
  int32_t shortest_rows = 0;  // the shortest strips tried for its length (rows: the tallest with their bound)
  uint32_t bound = 0;    // plan_lower_bound() of its plan
  uint32_t planned = 0;  // what the placement reaches
};

// Stage candidates choose_stage() places at most: each is one plan_buffers()
// call, or two when its tallest strips stop short of their lower bound and
// its shortest strips are placed as well.
constexpr int kMaxStagePlacements = 4;

// Auto strips give each layer's kernel call at least this many output pixels
// on average, weighted by the layers' weight bytes: every strip calls each
// layer once, at a cost that grows with its weights, so narrow strips of
// layers with many weights cost more than they save (kws_ref_model_int8 at
// 5 pixels a call: 18% more instructions per invoke on lx106; 25: 4%).
constexpr int32_t kMinStripPixels = 16;

}  // namespace mote
