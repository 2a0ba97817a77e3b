#include "kernels/depthwise_conv_2d.h"

#include "kernels/optimized/depthwise_conv_2d.h"
#include "kernels/optimized/selection.h"
#include "kernels/optimized/stream_blocks.h"
#include "kernels/pie/depthwise_conv_2d.h"
#include "kernels/pie/selection.h"
#include "kernels/reference/depthwise_conv_2d.h"

namespace mote {

KernelChoice<DepthwiseConv2DVariant> select_depthwise_conv_2d(ConvArithmetic arithmetic, const ConvParams& params,
                                                              const Dims4& filter_dims, const Dims4& output_dims,
                                                              bool constant_filter, bool streaming) {
  using V = DepthwiseConv2DVariant;
  const bool optimized = optimized::kEnabled;
  switch (arithmetic) {
    case ConvArithmetic::kFloat32:
      if (!optimized) return {V::kFloatReference, 0};
      return {streaming ? V::kFloatOptimizedStreaming : V::kFloatOptimized, 0};
    case ConvArithmetic::kInt8:
      if (!optimized || !constant_filter || !optimized::depthwise_conv_2d_int8_applies(filter_dims))
        return {V::kInt8Reference, output_dims.c};
      if (pie::kSelectable && pie::depthwise_conv_2d_3x3_applies(params, filter_dims))
        return {V::kInt8Pie3x3, output_dims.c};
      if (optimized::depthwise_conv_2d_3x3_applies(params, filter_dims))
        return {streaming ? V::kInt8Optimized3x3Streaming : V::kInt8Optimized3x3, output_dims.c};
      return {streaming ? V::kInt8OptimizedStreaming : V::kInt8Optimized, output_dims.c};
    case ConvArithmetic::kInt16:
    case ConvArithmetic::kInt16Bias32:
      break;
  }
  return {DepthwiseConv2DVariant::kInt16Reference, output_dims.c};
}

bool depthwise_conv_2d_packs_filter_sums(DepthwiseConv2DVariant variant) {
  return optimized::kEnabled &&
         (variant == DepthwiseConv2DVariant::kInt8Optimized || variant == DepthwiseConv2DVariant::kInt8Optimized3x3 ||
          variant == DepthwiseConv2DVariant::kInt8Pie3x3 ||
          variant == DepthwiseConv2DVariant::kInt8OptimizedStreaming ||
          variant == DepthwiseConv2DVariant::kInt8Optimized3x3Streaming);
}

int32_t depthwise_conv_2d_stream_block_rows(DepthwiseConv2DVariant variant, const Dims4& output_dims) {
  switch (variant) {
    case DepthwiseConv2DVariant::kFloatOptimized:
    case DepthwiseConv2DVariant::kInt8Optimized:
    case DepthwiseConv2DVariant::kInt8Optimized3x3:
      return -1;
    case DepthwiseConv2DVariant::kFloatOptimizedStreaming:
    case DepthwiseConv2DVariant::kInt8OptimizedStreaming:
    case DepthwiseConv2DVariant::kInt8Optimized3x3Streaming:
      return optimized::stream_block_rows(output_dims);
    default:
      return 0;
  }
}

int32_t depthwise_conv_2d_back_block_rows(DepthwiseConv2DVariant variant, const Dims4& output_dims) {
  switch (variant) {
    case DepthwiseConv2DVariant::kFloatOptimized:
    case DepthwiseConv2DVariant::kInt8Optimized:
    case DepthwiseConv2DVariant::kInt8Optimized3x3:
    case DepthwiseConv2DVariant::kInt8Pie3x3:
      return 0;
    case DepthwiseConv2DVariant::kFloatOptimizedStreaming:
    case DepthwiseConv2DVariant::kInt8OptimizedStreaming:
    case DepthwiseConv2DVariant::kInt8Optimized3x3Streaming:
      return optimized::stream_block_rows(output_dims);
    default:
      return -1;
  }
}

void prepare_depthwise_conv_2d(DepthwiseConv2DVariant variant, const Dims4& filter_dims, const void* filter,
                               int32_t* output_shift) {
  if (depthwise_conv_2d_packs_filter_sums(variant))
    optimized::depthwise_conv_2d_int8_prepare(filter_dims, static_cast<const int8_t*>(filter), output_shift);
}

void run_depthwise_conv_2d(DepthwiseConv2DVariant variant, const ConvParams& params, const ConvBuffers& buffers) {
  using conv_dispatch::run_float;
  using conv_dispatch::run_quantized;
  switch (variant) {
    case DepthwiseConv2DVariant::kFloatReference:
      run_float(reference::depthwise_conv_2d_float, params, buffers);
      break;
    case DepthwiseConv2DVariant::kFloatOptimized:
      run_float(
          optimized::unless_reference_only(optimized::depthwise_conv_2d_float, reference::depthwise_conv_2d_float),
          params, buffers);
      break;
    case DepthwiseConv2DVariant::kInt8Reference:
      run_quantized(reference::depthwise_conv_2d_int8, params, buffers);
      break;
    case DepthwiseConv2DVariant::kInt8Optimized:
      run_quantized(
          optimized::unless_reference_only(optimized::depthwise_conv_2d_int8, reference::depthwise_conv_2d_int8),
          params, buffers);
      break;
    case DepthwiseConv2DVariant::kInt8Optimized3x3:
      run_quantized(
          optimized::unless_reference_only(optimized::depthwise_conv_2d_int8_3x3, reference::depthwise_conv_2d_int8),
          params, buffers);
      break;
    case DepthwiseConv2DVariant::kInt8Pie3x3:
      // The PIE kernel walks front to back; an output above its input is the
      // optimized kernel's (depthwise_conv_2d_back_block_rows).
      if (output_overlaps_input(buffers, 1) && optimized::walks_back_to_front(buffers.input, buffers.output))
        run_quantized(
            optimized::unless_reference_only(optimized::depthwise_conv_2d_int8_3x3, reference::depthwise_conv_2d_int8),
            params, buffers);
      else
        run_quantized(
            pie::unless_unselectable(pie::depthwise_conv_2d_int8_3x3, reference::depthwise_conv_2d_int8), params,
            buffers);
      break;
    case DepthwiseConv2DVariant::kFloatOptimizedStreaming:
      run_float(optimized::unless_reference_only(output_overlaps_input(buffers, 4)
                                                     ? optimized::depthwise_conv_2d_float_streaming
                                                     : optimized::depthwise_conv_2d_float,
                                                 reference::depthwise_conv_2d_float),
                params, buffers);
      break;
    case DepthwiseConv2DVariant::kInt8OptimizedStreaming:
      run_quantized(optimized::unless_reference_only(output_overlaps_input(buffers, 1)
                                                         ? optimized::depthwise_conv_2d_int8_streaming
                                                         : optimized::depthwise_conv_2d_int8,
                                                     reference::depthwise_conv_2d_int8),
                    params, buffers);
      break;
    case DepthwiseConv2DVariant::kInt8Optimized3x3Streaming:
      run_quantized(optimized::unless_reference_only(output_overlaps_input(buffers, 1)
                                                         ? optimized::depthwise_conv_2d_int8_3x3_streaming
                                                         : optimized::depthwise_conv_2d_int8_3x3,
                                                     reference::depthwise_conv_2d_int8),
                    params, buffers);
      break;
    case DepthwiseConv2DVariant::kInt16Reference:
      run_quantized(reference::depthwise_conv_2d_int16, params, buffers);
      break;
  }
}

}  // namespace mote
