// CONV_2D, optimized: the signatures and byte-exact results of
// kernels/reference/conv_2d.h, without im2col copies.
//
// In NHWC, the part of a window on one input row is contiguous (filter width
// x input channels values) when the dilation along x is 1, and so is the
// matching filter row (OHWI). A window is therefore a few long dot products,
// computed by the tiles of gemm_int8.h / gemm_float.h for two output pixels
// at a time and a block of output channels (four; two on 32-bit cores). A 1x1
// convolution with stride 1 is a plain matrix product over all pixels.
// Output channels are the outer loop, so each block of filter rows is read
// from memory once per image.
//
// The _streaming kernels run the same loops over blocks of
// conv_stream_block_rows() output rows in order (stream_blocks.h; channels
// outermost within a block), so that the output may overwrite input rows already consumed, up
// to row_block_max_lead() (kernels/overlap_bounds.h): the same bytes, a few
// more per-channel setups per image. Where the output starts at or above the
// input they walk the blocks from the last to the first instead
// (row_block_min_lead_back()).
//
// On 32-bit cores without SIMD (conv_2d_int8_32bit), when the input, the
// filter and the channel count allow 4-byte loads: 1x1 convolutions go one
// output channel at a time with the filter row sign-extended once into a
// 512-byte stack buffer (and, on Xtensa, an inline-assembly inner loop, as
// GCC spills its registers there), and other convolutions take
// dot_tile_words_offset128 for pixel pairs whose window is whole. Both
// compute with input + 128 and add (input_offset - 128) * the filter sum per
// channel; requantization uses requantize32.h (no 64-bit products).
//
// Preconditions beyond the reference's (check with the *_applies functions):
// no grouped convolution; for int8, output_multiplier[c] != INT32_MIN (prepare
// computes them in [2^30, 2^31) or 0), and output_shift in the form
// conv_2d_int8_prepare() leaves it.
#pragma once

#include <stdint.h>

#include "kernels/conv_params.h"

namespace mote {
namespace optimized {

// True when conv_2d_int8 applies: no groups and a window of at most
// kMaxDotDepth values (gemm_int8.h).
bool conv_2d_int8_applies(const Dims4& input_dims, const Dims4& filter_dims);

// True when conv_2d_float applies: no groups.
bool conv_2d_float_applies(const Dims4& input_dims, const Dims4& filter_dims);

// Once, in prepare: turns output_shift (one per output channel) into the
// form the int8 kernels below read, in place: each shift with the sum of its
// channel's weights (prepared_shift.h). The filter must be constant.
void conv_2d_int8_prepare(const Dims4& filter_dims, const int8_t* filter, int32_t* output_shift);

void conv_2d_int8(const ConvParams& params, const int32_t* output_multiplier, const int32_t* output_shift,
                  const Dims4& input_dims, const int8_t* input, const Dims4& filter_dims, const int8_t* filter,
                  const int32_t* bias, const Dims4& output_dims, int8_t* output);

void conv_2d_int8_streaming(const ConvParams& params, const int32_t* output_multiplier, const int32_t* output_shift,
                            const Dims4& input_dims, const int8_t* input, const Dims4& filter_dims,
                            const int8_t* filter, const int32_t* bias, const Dims4& output_dims, int8_t* output);

// The kernel as 32-bit cores without SIMD run it (conv_2d_int8 calls it
// there): pixel pairs through 32-bit loads of four values when the input,
// the filter and the channel count allow. Public so that tests run that path
// on any host; block_rows > 0 runs it as the _streaming kernels do, in blocks
// of that many output rows.
void conv_2d_int8_32bit(const ConvParams& params, const int32_t* output_multiplier, const int32_t* output_shift,
                        const Dims4& input_dims, const int8_t* input, const Dims4& filter_dims, const int8_t* filter,
                        const int32_t* bias, const Dims4& output_dims, int8_t* output, int32_t block_rows = 0);

// Each output is summed in the reference's order (0, then the valid taps row
// by row, then the bias), so with -ffp-contract=off the bytes are the
// reference's.
void conv_2d_float(const ConvParams& params, const Dims4& input_dims, const float* input, const Dims4& filter_dims,
                   const float* filter, const float* bias, const Dims4& output_dims, float* output);

void conv_2d_float_streaming(const ConvParams& params, const Dims4& input_dims, const float* input,
                             const Dims4& filter_dims, const float* filter, const float* bias,
                             const Dims4& output_dims, float* output);

}  // namespace optimized
}  // namespace mote
