// FULLY_CONNECTED int8 with the ESP32-S3's PIE (pie.h): the signature and
// bytes of kernels/reference/fully_connected.h for a multiple of 16 values
// per unit, weights per tensor (without a zero point) or per channel.
//
// Each output is one pass over the unit's weights w with ACCX (40 bits):
// per 16 values one EE.VMULAS.S8.ACCX of input x by w and one of a register
// holding input_offset in every lane by w, so ACCX ends at
// sum w * (x + input_offset) exactly, with no weight sums to precompute or
// keep in the arena. input_offset = 128 (zero point -128) does not fit an
// int8 lane and takes two registers of 64. Weights with a per-tensor zero
// point (filter_offset != 0, rare in int8 models) go to the optimized kernel.
// The extra multiply per 16 values costs less than keeping a weight sum per
// unit in the persistent arena would save.
#pragma once

#include <stdint.h>

#include "kernels/reference/fully_connected.h"

namespace mote {
namespace pie {

// 16 | accum_depth, and at most 2^20 (ACCX holds the sum exactly).
bool fully_connected_int8_applies(int32_t accum_depth);

void fully_connected_int8(const reference::FullyConnectedParams& params, const int32_t* output_multiplier,
                          const int32_t* output_shift, int32_t batches, int32_t accum_depth, int32_t output_depth,
                          const int8_t* input, const int8_t* filter, const int32_t* bias, int8_t* output);

}  // namespace pie
}  // namespace mote
