// FULLY_CONNECTED, optimized: the signatures and byte-exact results of
// kernels/reference/fully_connected.h. Weights and input rows are both
// contiguous along the accumulation depth, so the layer is the tiles of
// gemm_int8.h / gemm_float.h over blocks of four units and pairs of batches.
//
// A per-tensor weight zero point (params.filter_offset != 0) is applied once
// per batch row: sum (f + fo)(x + xo) = sum f (x + xo) + fo * sum (x + xo),
// exact modulo 2^32 like the reference's wrapping accumulator.
#pragma once

#include <stdint.h>

#include "kernels/reference/fully_connected.h"

namespace mote {
namespace optimized {

// True when fully_connected_int8 applies: accum_depth <= kMaxDotDepth
// (gemm_int8.h). Multipliers are in [2^30, 2^31) or 0, as prepare makes them.
bool fully_connected_int8_applies(int32_t accum_depth);

void fully_connected_int8(const reference::FullyConnectedParams& params, const int32_t* output_multiplier,
                          const int32_t* output_shift, int32_t batches, int32_t accum_depth, int32_t output_depth,
                          const int8_t* input, const int8_t* filter, const int32_t* bias, int8_t* output);

// The kernel as 32-bit cores without SIMD run it (fully_connected_int8 calls
// it there): two units per tile, requantization without 64-bit products.
// Public so that tests run that path on any host.
void fully_connected_int8_32bit(const reference::FullyConnectedParams& params, const int32_t* output_multiplier,
                                const int32_t* output_shift, int32_t batches, int32_t accum_depth,
                                int32_t output_depth, const int8_t* input, const int8_t* filter, const int32_t* bias,
                                int8_t* output);

// Any shape. Each output is summed in the reference's order (0, the products
// in depth order, then the bias): the reference's bytes with
// -ffp-contract=off.
void fully_connected_float(const reference::FullyConnectedParams& params, int32_t batches, int32_t accum_depth,
                           int32_t output_depth, const float* input, const float* filter, const float* bias,
                           float* output);

}  // namespace optimized
}  // namespace mote
