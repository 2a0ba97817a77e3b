#include "kernels/depthwise_conv_2d.h"

#include "kernels/optimized/depthwise_conv_2d.h"
#include "kernels/optimized/selection.h"
#include "kernels/pie/depthwise_conv_2d.h"
#include "kernels/pie/selection.h"
#include "kernels/reference/depthwise_conv_2d.h"

namespace mote {

KernelChoice<DepthwiseConv2DVariant> select_depthwise_conv_2d(ConvArithmetic arithmetic, const ConvParams& params,
                                                              const Dims4& filter_dims, const Dims4& output_dims,
                                                              bool constant_filter) {
  const bool optimized = optimized::kEnabled;
  switch (arithmetic) {
    case ConvArithmetic::kFloat32:
      return {optimized ? DepthwiseConv2DVariant::kFloatOptimized : DepthwiseConv2DVariant::kFloatReference, 0};
    case ConvArithmetic::kInt8:
      if (!optimized || !constant_filter || !optimized::depthwise_conv_2d_int8_applies(filter_dims))
        return {DepthwiseConv2DVariant::kInt8Reference, output_dims.c};
      if (pie::kSelectable && pie::depthwise_conv_2d_3x3_applies(params, filter_dims))
        return {DepthwiseConv2DVariant::kInt8Pie3x3, output_dims.c};
      return {optimized::depthwise_conv_2d_3x3_applies(params, filter_dims) ? DepthwiseConv2DVariant::kInt8Optimized3x3
                                                                            : DepthwiseConv2DVariant::kInt8Optimized,
              output_dims.c};
    case ConvArithmetic::kInt16:
    case ConvArithmetic::kInt16Bias32:
      break;
  }
  return {DepthwiseConv2DVariant::kInt16Reference, output_dims.c};
}

bool depthwise_conv_2d_packs_filter_sums(DepthwiseConv2DVariant variant) {
  return optimized::kEnabled &&
         (variant == DepthwiseConv2DVariant::kInt8Optimized || variant == DepthwiseConv2DVariant::kInt8Optimized3x3 ||
          variant == DepthwiseConv2DVariant::kInt8Pie3x3);
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
      run_quantized(
          pie::unless_unselectable(pie::depthwise_conv_2d_int8_3x3, reference::depthwise_conv_2d_int8), params,
          buffers);
      break;
    case DepthwiseConv2DVariant::kInt16Reference:
      run_quantized(reference::depthwise_conv_2d_int16, params, buffers);
      break;
  }
}

}  // namespace mote
