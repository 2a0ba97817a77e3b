// DEPTHWISE_CONV_2D's kernel choice in one place (see kernels/conv_kernel.h):
// select_depthwise_conv_2d() and prepare_depthwise_conv_2d() in prepare,
// run_depthwise_conv_2d() in eval.
#pragma once

#include <stdint.h>

#include "kernels/conv_kernel.h"
#include "kernels/conv_params.h"

namespace mote {

enum class DepthwiseConv2DVariant : uint8_t {
  kFloatReference,
  kFloatOptimized,
  kInt8Reference,
  kInt8Optimized,
  kInt8Optimized3x3,
  kInt8Pie3x3,  // ESP32-S3 PIE (kernels/pie/depthwise_conv_2d.h)
  kInt16Reference,  // int64 bias or none
  // The optimized kernels, in row blocks (optimized/depthwise_conv_2d.h)
  // where the memory plan put the output over the input.
  kFloatOptimizedStreaming,
  kInt8OptimizedStreaming,
  kInt8Optimized3x3Streaming,
};

// The optimized kernels when the build has them (the 3x3 one for 3x3 filters
// without dilation), in their streaming form when `streaming` (the op lets
// the output overwrite consumed input); for int8 the filter must be constant
// (prepare takes its sums). Per-channel requantization for every quantized
// variant. Where the PIE kernels are selectable (pie::kSelectable), 3x3 int8
// depthwise with multiplier 1 over 16 | channels takes the PIE kernel (same
// prepared shifts; multiplier 1 streams channel by channel). TFLite's
// int16 depthwise kernel has only the 64-bit form: kInt16Bias32 must come
// without a bias and runs as kInt16.
KernelChoice<DepthwiseConv2DVariant> select_depthwise_conv_2d(ConvArithmetic arithmetic, const ConvParams& params,
                                                              const Dims4& filter_dims, const Dims4& output_dims,
                                                              bool constant_filter, bool streaming);

// How `variant` walks the output, as conv_2d_stream_block_rows()
// (kernels/conv_2d.h): rows per block, 0 for pixel order (the reference
// kernels), -1 for channel blocks over the whole image.
int32_t depthwise_conv_2d_stream_block_rows(DepthwiseConv2DVariant variant, const Dims4& output_dims);

// How `variant` walks the output back to front where the plan put it above
// the input (row_block_min_lead_back()): blocks of that many rows from the
// last to the first (the streaming kernels), 0: channel by channel from the
// last row to the first (the whole-image optimized kernels; the PIE kernel
// leaves such a plan to the optimized one), -1: it does not.
int32_t depthwise_conv_2d_back_block_rows(DepthwiseConv2DVariant variant, const Dims4& output_dims);

// Whether `variant` reads shift words that also hold the channel's weight
// sum (kernels/optimized/prepared_shift.h), as prepare_depthwise_conv_2d
// leaves them.
bool depthwise_conv_2d_packs_filter_sums(DepthwiseConv2DVariant variant);

// After the requant_channels multipliers and shifts are computed: turns them
// into the form `variant` reads, in place and at the same size (the
// optimized int8 kernels keep each channel's weight sum beside its shift).
void prepare_depthwise_conv_2d(DepthwiseConv2DVariant variant, const Dims4& filter_dims, const void* filter,
                               int32_t* output_shift);

void run_depthwise_conv_2d(DepthwiseConv2DVariant variant, const ConvParams& params, const ConvBuffers& buffers);

}  // namespace mote
