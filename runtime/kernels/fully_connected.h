// FULLY_CONNECTED's kernel choice in one place (see kernels/conv_kernel.h):
// select_fully_connected() in prepare, run_fully_connected() in eval.
#pragma once

#include <stdint.h>

#include "kernels/conv_kernel.h"
#include "kernels/reference/fully_connected.h"

namespace mote {

enum class FullyConnectedVariant : uint8_t {
  kFloatReference,
  kFloatOptimized,
  kInt8Reference,
  kInt8Optimized,
  kInt8Pie,  // ESP32-S3 PIE (kernels/pie/fully_connected.h)
  kInt16Reference,        // int64 bias
  kInt16Bias32Reference,  // int32 bias or none
};

// The optimized kernels where their preconditions hold (int8: a depth within
// gemm_int8.h's limit) and the build has them. Per-channel weights get a
// multiplier and shift per unit; per-tensor weights keep theirs in the
// params (requant_channels 0). Where the PIE kernels are selectable
// (pie::kSelectable), int8 over 16 | accum_depth takes the PIE kernel.
KernelChoice<FullyConnectedVariant> select_fully_connected(ConvArithmetic arithmetic, int32_t accum_depth,
                                                           int32_t output_depth, bool per_channel_weights);

// The tensors of one call: input [batches, accum_depth], filter
// [output_depth, accum_depth], bias [output_depth] or nullptr, output
// [batches, output_depth].
struct FullyConnectedBuffers {
  int32_t batches, accum_depth, output_depth;
  const void* input;
  const void* filter;
  const void* bias;
  void* output;
  const int32_t* output_multiplier;  // per unit, or nullptr: per tensor in the params
  const int32_t* output_shift;
};

void run_fully_connected(FullyConnectedVariant variant, const reference::FullyConnectedParams& params,
                         const FullyConnectedBuffers& buffers);

}  // namespace mote
