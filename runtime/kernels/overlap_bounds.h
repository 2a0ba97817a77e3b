// How far a kernel's output may run ahead of its input in memory: the largest
// lead (output start - input start, in bytes) at which an op may let the
// planner overlap its output with its input (OpContext::allow_overlap,
// PlanOverlap in mote/memory_planner.h), from the geometry of the kernels
// that stream over their input. Private to the runtime.
#pragma once

#include <stdint.h>

namespace mote {

// A window op over NHWC tensors (pooling, DEPTHWISE_CONV_2D, CONV_2D). Filter
// size and dilation do not enter the front-to-back bounds (see
// row_block_max_lead()); the back-to-front one reads the extent.
struct WindowGeometry {
  int32_t batches = 1;
  int32_t input_height = 0, input_width = 0;
  int32_t input_pixel_bytes = 0;  // channels * element size
  int32_t output_height = 0, output_width = 0;
  int32_t output_pixel_bytes = 0;
  int32_t stride_height = 1, stride_width = 1;
  int32_t pad_top = 0, pad_left = 0;  // rows/columns of padding before the input
  int32_t extent_height = 1, extent_width = 1;  // the dilated filter: where windows end
};

// The largest lead (output start - input start, in bytes) at which the output
// of a window op may overlap its input. It holds for any filter size and
// dilation, and is negative: the output starts at least one output pixel
// below the input. Two kinds of kernels may use it:
//  - pixel order: the kernel produces output pixels in (batch, row, column)
//    order and, once it has written any byte of output pixel p, reads only
//    input that output pixels >= p need; any lead <= the bound is safe.
//  - channel-separable (pooling, depthwise with multiplier 1; input and
//    output pixels the same size): output channel c reads only input channel
//    c, and for each channel (or block of channels) the kernel visits output
//    pixels in that order, reading a pixel's window before writing it. Pixel
//    or channel blocks outermost, both qualify, with leads that are also
//    multiples of the pixel size: then output (p, c) lands on input (p - k,
//    c), which no output >= p of channel c reads.
int32_t window_op_max_lead(const WindowGeometry& g);

// The same for a kernel that walks blocks of `block_rows` output rows (the
// last block of each image may be shorter) in (batch, row) order and, within
// a block, may read and write in any order (all output channels of the
// block's pixels, e.g. channel blocks outermost), reading only the input the
// block's windows cover. Any lead <= the bound is safe, for any pixel sizes,
// filter size and dilation (they move only where windows end): each block
// ends at or below the first input byte that it or a later block reads. With
// one-pixel rows this is window_op_max_lead(); taller blocks cost about one
// block of output more than it.
int32_t row_block_max_lead(const WindowGeometry& g, int32_t block_rows);

// The mirror image: a kernel that walks the same blocks from the last (of
// the last image) to the first, in any order within a block, when its output
// starts above its input. The least lead (>= 0) at which it may: each block
// starts at or above the end of the last input byte that it or a block still
// to come reads. Windows end where the extent says (clipped to the input).
// Channel-separable kernels (input and output pixels the same size) that
// walk each channel (or block of channels) row by row from the last row to
// the first may use the bound of one-row blocks at leads that are multiples
// of the pixel size: output (p, c) then lands on input (p + k, c), which no
// row still to come of channel c reads. The two ranges never meet: this
// bound is >= 0, the front-to-back ones are < 0, so a kernel tells the walk
// from where the output lies (front to back when it starts below the input).
int32_t row_block_min_lead_back(const WindowGeometry& g, int32_t block_rows);

// The same for a kernel that walks `steps` equal steps front to back (an RNN
// over time, rows of a matrix), reads step k's input while it writes step
// k's output (in any order: the LSTM writes a chunk of cells, then reads the
// whole input row again for the next chunk), and afterwards reads only later
// steps' input.
int32_t streaming_max_lead(int32_t steps, int32_t input_step_bytes, int32_t output_step_bytes);

}  // namespace mote
