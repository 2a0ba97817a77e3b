// DEPTHWISE_CONV_2D int8 with the ESP32-S3's PIE (pie.h): the signature and
// bytes of kernels/reference/depthwise_conv_2d.h for a 3x3 filter without
// dilation, depth multiplier 1 and a multiple of 16 channels.
//
// Sixteen channels are one Q register. An output pixel whose window lies
// inside the input takes nine EE.VMULAS.S8.QACC (input row x filter row, 16
// lanes at once); each 20-bit QACC lane then holds the exact sum of nine
// products (|sum| <= 9 * 2^14 < 2^19: no saturation), which starts from
// bias + input_offset * sum(filter) (the filter sums come from prepare in
// the shift array, as for the optimized kernels) and is requantized with
// requantize.h. Pixels on the border (padding) are summed in scalar code
// like the reference. With 16 | channels every 16-byte row has the same
// misalignment, so unaligned inputs or filters take the two-block load of
// pie::load_16 and nothing outside the tensors is read.
#pragma once

#include <stdint.h>

#include "kernels/conv_params.h"

namespace mote {
namespace pie {

// A 3x3 filter without dilation, depth multiplier 1, 16 | channels.
bool depthwise_conv_2d_3x3_applies(const ConvParams& params, const Dims4& filter_dims);

// output_shift as optimized::depthwise_conv_2d_int8_prepare() leaves it.
void depthwise_conv_2d_int8_3x3(const ConvParams& params, const int32_t* output_multiplier,
                                const int32_t* output_shift, const Dims4& input_dims, const int8_t* input,
                                const Dims4& filter_dims, const int8_t* filter, const int32_t* bias,
                                const Dims4& output_dims, int8_t* output);

}  // namespace pie
}  // namespace mote
