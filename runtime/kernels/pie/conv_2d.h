// CONV_2D int8 with the ESP32-S3's PIE (pie.h): the signature and bytes of
// kernels/reference/conv_2d.h for 1x1 filters (any stride; a 1x1 window
// never reaches the padding) over a multiple of 16 input channels.
//
// Each output is a dot product of the pixel's input channels with the
// channel's filter row, 16 products per EE.VMULAS.S8.ACCX into the 40-bit
// ACCX, which holds any sum of up to 2^25 int8 products exactly; its low 32
// bits are the reference's wrapping int32 sum. The sum starts from
// bias + input_offset * sum(filter row) (the sums come from prepare in the
// shift array, optimized::conv_2d_int8_prepare) and is requantized with
// requantize.h. Output channels are the outer loop, so each channel's
// requantization is formed once. With 16 | input channels all rows share one
// misalignment, so unaligned inputs or filters take pie::load_16's two-block
// load and nothing outside the tensors is read.
#pragma once

#include <stdint.h>

#include "kernels/conv_params.h"

namespace mote {
namespace pie {

bool conv_2d_1x1_applies(const Dims4& input_dims, const Dims4& filter_dims);

// output_shift as optimized::conv_2d_int8_prepare() leaves it.
void conv_2d_int8_1x1(const ConvParams& params, const int32_t* output_multiplier, const int32_t* output_shift,
                      const Dims4& input_dims, const int8_t* input, const Dims4& filter_dims, const int8_t* filter,
                      const int32_t* bias, const Dims4& output_dims, int8_t* output);

}  // namespace pie
}  // namespace mote
