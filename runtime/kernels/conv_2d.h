// CONV_2D's kernel choice in one place (see kernels/conv_kernel.h):
// select_conv_2d() and prepare_conv_2d() in prepare, run_conv_2d() in eval.
#pragma once

#include <stdint.h>

#include "kernels/conv_kernel.h"
#include "kernels/conv_params.h"

namespace mote {

enum class Conv2DVariant : uint8_t {
  kFloatReference,
  kFloatOptimized,
  kInt8Reference,
  kInt8Optimized,
  kInt8Pie1x1,  // ESP32-S3 PIE (kernels/pie/conv_2d.h)
  kInt16Reference,        // int64 bias
  kInt16Bias32Reference,  // int32 bias or none
  // The optimized kernels, in row blocks (optimized/conv_2d.h) where the
  // memory plan put the output over the input (output_overlaps_input()).
  kFloatOptimizedStreaming,
  kInt8OptimizedStreaming,
};

// The optimized kernels where their preconditions hold (no groups; for int8 a
// window within gemm_int8.h's depth limit and a constant filter, whose sums
// prepare takes) and the build has them, in their streaming form when
// `streaming` (the op lets the output overwrite consumed input); per-channel
// requantization for every quantized variant. Where the PIE kernels are
// selectable (pie::kSelectable), int8 1x1 convolutions over 16 | channels
// take the PIE kernel, which reads the optimized kernel's prepared shifts
// and allows the same overlap (the optimized row-block kernel runs where
// the plan overlaps the buffers).
KernelChoice<Conv2DVariant> select_conv_2d(ConvArithmetic arithmetic, const Dims4& input_dims,
                                           const Dims4& filter_dims, const Dims4& output_dims, bool constant_filter,
                                           bool streaming);

// How `variant` walks the output, for the overlap bound the op allows
// (kernels/overlap_bounds.h): blocks of that many output rows in order
// (row_block_max_lead), or 0: output pixels in order, each pixel's channels
// before the next pixel (the reference kernels; window_op_max_lead). -1: the
// variant does not stream (channel blocks outermost over the whole image).
int32_t conv_2d_stream_block_rows(Conv2DVariant variant, const Dims4& output_dims);

// How `variant` walks the output back to front where the plan put it above
// the input (row_block_min_lead_back()): blocks of that many rows from the
// last to the first (the row-block kernels), or -1: it does not.
int32_t conv_2d_back_block_rows(Conv2DVariant variant, const Dims4& output_dims);

// Whether `variant` reads shift words that also hold the channel's weight
// sum (kernels/optimized/prepared_shift.h), as prepare_conv_2d leaves them.
bool conv_2d_packs_filter_sums(Conv2DVariant variant);

// After the requant_channels multipliers and shifts are computed: turns them
// into the form `variant` reads, in place and at the same size (the
// optimized int8 kernel keeps each channel's weight sum beside its shift).
void prepare_conv_2d(Conv2DVariant variant, const Dims4& filter_dims, const void* filter, int32_t* output_shift);

void run_conv_2d(Conv2DVariant variant, const ConvParams& params, const ConvBuffers& buffers);

}  // namespace mote
