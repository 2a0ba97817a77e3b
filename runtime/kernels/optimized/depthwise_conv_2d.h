// DEPTHWISE_CONV_2D, optimized: the signatures and byte-exact results of
// kernels/reference/depthwise_conv_2d.h, computed channel-innermost.
//
// Output channels are processed in blocks of 16 (then 8, then one by one)
// with one accumulator per channel, so the inner loops have a fixed trip
// count that compilers vectorize (SSE2 at -O2 on x86-64; AVX2 intrinsics
// with -mavx2). Output pixels whose window lies inside the input (the
// interior) take a loop without bounds checks whose int8 input zero point is
// folded, once per channel block, into the starting value
// bias + input_offset * sum(filter); pixels on the border add the offset per
// tap and skip the padding, like the reference. On 32-bit cores the 3x3
// kernel runs one channel at a time instead (see _channelwise below). The
// filter sums come from prepare, kept in the shift array's spare bits
// (depthwise_conv_2d_int8_prepare), so they cost no arena bytes.
//
// The _streaming kernels run the same loops over blocks of
// stream_block_rows() output rows in order (stream_blocks.h), so that the
// output may overwrite input rows already consumed with any depth multiplier
// (row_block_max_lead() in kernels/overlap_bounds.h). With multiplier 1 the
// whole-image kernels already may (window_op_max_lead(), channel by channel).
// Where the output starts at or above the input every kernel here walks
// images and rows from the last to the first (blocks too), so that it may
// overwrite the input from the top (row_block_min_lead_back()).
//
// Preconditions beyond the reference's, which prepare guarantees:
// depthwise_conv_2d_int8_applies(), output_multiplier[c] in [0, 2^31),
// output_shift as depthwise_conv_2d_int8_prepare() leaves it from shifts in
// [-31, 31], and input_offset in [-127, 128] (an int8 zero point).
#pragma once

#include <stdint.h>

#include "kernels/conv_params.h"

namespace mote {
namespace optimized {

// True when the int8 kernels apply: a window of at most kMaxPreparedWindow
// taps (prepared_shift.h), far beyond any real filter.
bool depthwise_conv_2d_int8_applies(const Dims4& filter_dims);

// Once, in prepare: turns output_shift (one per output channel) into the
// form the int8 kernels below read, in place: each shift with the sum of its
// channel's weights (prepared_shift.h). The filter must be constant.
void depthwise_conv_2d_int8_prepare(const Dims4& filter_dims, const int8_t* filter, int32_t* output_shift);

// True when depthwise_conv_2d_int8_3x3 applies: a 3x3 filter without
// dilation (any stride, any depth multiplier).
bool depthwise_conv_2d_3x3_applies(const ConvParams& params, const Dims4& filter_dims);

// Any parameters the reference accepts (any filter, stride, dilation, depth
// multiplier).
void depthwise_conv_2d_int8(const ConvParams& params, const int32_t* output_multiplier, const int32_t* output_shift,
                            const Dims4& input_dims, const int8_t* input, const Dims4& filter_dims,
                            const int8_t* filter, const int32_t* bias, const Dims4& output_dims, int8_t* output);
void depthwise_conv_2d_int8_streaming(const ConvParams& params, const int32_t* output_multiplier,
                                      const int32_t* output_shift, const Dims4& input_dims, const int8_t* input,
                                      const Dims4& filter_dims, const int8_t* filter, const int32_t* bias,
                                      const Dims4& output_dims, int8_t* output);

// Only when depthwise_conv_2d_3x3_applies(): the interior is one unrolled
// 3x3 window per pixel. 64-bit hosts run the channel blocks;
// 32-bit cores run depthwise_conv_2d_int8_3x3_channelwise.
void depthwise_conv_2d_int8_3x3(const ConvParams& params, const int32_t* output_multiplier,
                                const int32_t* output_shift, const Dims4& input_dims, const int8_t* input,
                                const Dims4& filter_dims, const int8_t* filter, const int32_t* bias,
                                const Dims4& output_dims, int8_t* output);
void depthwise_conv_2d_int8_3x3_streaming(const ConvParams& params, const int32_t* output_multiplier,
                                          const int32_t* output_shift, const Dims4& input_dims, const int8_t* input,
                                          const Dims4& filter_dims, const int8_t* filter, const int32_t* bias,
                                          const Dims4& output_dims, int8_t* output);

// The same, one output channel at a time with its nine weights and its
// requantization held across the pixels: for 32-bit cores without SIMD,
// where blocks of channels run out of registers. Callable on any target (the
// tests run it on the host); block_rows > 0 runs it in blocks of that many
// output rows, as the _streaming kernels do.
void depthwise_conv_2d_int8_3x3_channelwise(const ConvParams& params, const int32_t* output_multiplier,
                                            const int32_t* output_shift, const Dims4& input_dims,
                                            const int8_t* input, const Dims4& filter_dims, const int8_t* filter,
                                            const int32_t* bias, const Dims4& output_dims, int8_t* output,
                                            int32_t block_rows = 0);

// Any parameters. Each output is summed in the reference's order (0, then
// the valid taps row by row, then the bias), so with -ffp-contract=off the
// bytes are the reference's.
void depthwise_conv_2d_float(const ConvParams& params, const Dims4& input_dims, const float* input,
                             const Dims4& filter_dims, const float* filter, const float* bias, const Dims4& output_dims,
                             float* output);
void depthwise_conv_2d_float_streaming(const ConvParams& params, const Dims4& input_dims, const float* input,
                                       const Dims4& filter_dims, const float* filter, const float* bias,
                                       const Dims4& output_dims, float* output);

}  // namespace optimized
}  // namespace mote
