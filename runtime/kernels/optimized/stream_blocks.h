// Block size of the streaming forms of the optimized CONV_2D and
// DEPTHWISE_CONV_2D kernels: they walk the output in blocks of whole rows, in
// order, so that the output may overwrite input rows already consumed
// (row_block_max_lead() in kernels/overlap_bounds.h bounds how far).
#pragma once

#include <stdint.h>

#include "kernels/conv_params.h"

namespace mote {
namespace optimized {

// Output pixels per block, at most (unless one row has more): enough that a
// block's per-channel setup (requantization, filter sums, a 1x1 filter row
// widened on 32-bit cores) is small beside its work, few enough that the
// output trails (or, back to front, leads) the input by about one block: a
// chain of equal layers alternating directions needs one block more than
// one activation.
constexpr int32_t kStreamBlockPixels = 32;

// Output rows per block: the most whole rows with at most kStreamBlockPixels
// pixels, at least one, at most the image.
inline int32_t stream_block_rows(const Dims4& output_dims, int32_t block_pixels = kStreamBlockPixels) {
  const int32_t width = output_dims.w > 0 ? output_dims.w : 1;
  const int32_t rows = width < block_pixels ? block_pixels / width : 1;
  return rows < output_dims.h ? rows : (output_dims.h > 0 ? output_dims.h : 1);
}

// CONV_2D's blocks hold half as many pixels. A chain of 1x1 convolutions
// over equal activations (kws_ref_model_int8: ten of 8,000 B) peaks at one
// activation plus the lead its planner keeps, one block: 15 pixels of 64
// channels instead of 30 (-960 B). Each block repeats the per-channel setup,
// which costs the lx106 ~6% more on such a 1x1 convolution (a 25x5x64 one
// 2.80M -> 2.97M instructions). DEPTHWISE_CONV_2D keeps kStreamBlockPixels.
constexpr int32_t kConvStreamBlockPixels = 16;
inline int32_t conv_stream_block_rows(const Dims4& output_dims) {
  return stream_block_rows(output_dims, kConvStreamBlockPixels);
}

// Output rows [first_y, end_y) of each image in [first_batch, end_batch):
// the whole output, or one block of one image.
struct RowBlock {
  int32_t first_batch, end_batch, first_y, end_y;

  // The block's output pixels [first_pixel, end_pixel) counted over the
  // batches (the rows of all images when the block is the whole output).
  int32_t first_pixel(const Dims4& out) const { return (first_batch * out.h + first_y) * out.w; }
  int32_t end_pixel(const Dims4& out) const {
    return first_batch < end_batch ? ((end_batch - 1) * out.h + end_y) * out.w : first_pixel(out);
  }
};

inline RowBlock whole_output(const Dims4& out) { return {0, out.n, 0, out.h}; }

// Whether a streaming kernel walks back to front: where the planner put its
// output at or above its input (it does so only within
// row_block_min_lead_back(); front-to-back leads are negative).
inline bool walks_back_to_front(const void* input, const void* output) {
  return reinterpret_cast<uintptr_t>(output) >= reinterpret_cast<uintptr_t>(input);
}

// Calls run(RowBlock) once for the whole output when block_rows is 0, else
// for blocks of block_rows rows of each image (the last block of an image
// may be shorter), in order, or from the last block of the last image to
// the first when back_to_front.
template <typename Run>
void for_row_blocks(const Dims4& out, int32_t block_rows, bool back_to_front, Run run) {
  // One call site, so that compilers inline `run` once for both uses (an
  // out-of-line kernel loop reloads its parameters after every int8 store).
  const bool whole = block_rows <= 0;
  const int32_t images = whole ? 1 : out.n;
  const int32_t step = whole || block_rows > out.h ? out.h : block_rows;
  const int32_t blocks = out.h > 0 ? (out.h + step - 1) / step : 0;
  for (int32_t n = 0; n < images; ++n) {
    const int32_t b = back_to_front ? images - 1 - n : n;
    for (int32_t m = 0; m < blocks; ++m) {
      const int32_t y = (back_to_front ? blocks - 1 - m : m) * step;
      run(whole ? whole_output(out) : RowBlock{b, b + 1, y, out.h - y > step ? y + step : out.h});
    }
  }
}

}  // namespace optimized
}  // namespace mote
