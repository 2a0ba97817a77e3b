// AVERAGE_POOL_2D and MAX_POOL_2D, optimized: the signatures and byte-exact
// results of kernels/reference/pooling.h. Per output pixel the window is
// clipped once; channels are then reduced in blocks of 16 (then 8, then one
// by one) with the channel innermost, so every tap is a contiguous run of
// channels. Any parameters the reference accepts.
#pragma once

#include <stdint.h>

#include "kernels/reference/pooling.h"

namespace mote {
namespace optimized {

using reference::PoolParams;

// False when a window holds no input element (as the reference; the outputs
// of such windows are left unwritten).
bool average_pool_int8(const PoolParams& p, int32_t activation_min, int32_t activation_max, const int8_t* input,
                       int8_t* output);
bool average_pool_float(const PoolParams& p, float activation_min, float activation_max, const float* input,
                        float* output);

void max_pool_int8(const PoolParams& p, int32_t activation_min, int32_t activation_max, const int8_t* input,
                   int8_t* output);
void max_pool_float(const PoolParams& p, float activation_min, float activation_max, const float* input,
                    float* output);

}  // namespace optimized
}  // namespace mote
