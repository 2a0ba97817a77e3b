#include "kernels/conv_2d.h"

#include "kernels/optimized/conv_2d.h"
#include "kernels/optimized/selection.h"
#include "kernels/optimized/stream_blocks.h"
#include "kernels/pie/conv_2d.h"
#include "kernels/pie/selection.h"
#include "kernels/reference/conv_2d.h"

namespace mote {

KernelChoice<Conv2DVariant> select_conv_2d(ConvArithmetic arithmetic, const Dims4& input_dims,
                                           const Dims4& filter_dims, const Dims4& output_dims, bool constant_filter,
                                           bool streaming) {
  const bool optimized = optimized::kEnabled;
  switch (arithmetic) {
    case ConvArithmetic::kFloat32:
      if (!optimized || !optimized::conv_2d_float_applies(input_dims, filter_dims))
        return {Conv2DVariant::kFloatReference, 0};
      return {streaming ? Conv2DVariant::kFloatOptimizedStreaming : Conv2DVariant::kFloatOptimized, 0};
    case ConvArithmetic::kInt8:
      if (!optimized || !constant_filter || !optimized::conv_2d_int8_applies(input_dims, filter_dims))
        return {Conv2DVariant::kInt8Reference, output_dims.c};
      if (pie::kSelectable && pie::conv_2d_1x1_applies(input_dims, filter_dims))
        return {Conv2DVariant::kInt8Pie1x1, output_dims.c};
      return {streaming ? Conv2DVariant::kInt8OptimizedStreaming : Conv2DVariant::kInt8Optimized, output_dims.c};
    case ConvArithmetic::kInt16:
      return {Conv2DVariant::kInt16Reference, output_dims.c};
    case ConvArithmetic::kInt16Bias32:
      break;
  }
  return {Conv2DVariant::kInt16Bias32Reference, output_dims.c};
}

bool conv_2d_packs_filter_sums(Conv2DVariant variant) {
  return optimized::kEnabled &&
         (variant == Conv2DVariant::kInt8Optimized || variant == Conv2DVariant::kInt8OptimizedStreaming ||
          variant == Conv2DVariant::kInt8Pie1x1);
}

int32_t conv_2d_stream_block_rows(Conv2DVariant variant, const Dims4& output_dims) {
  switch (variant) {
    case Conv2DVariant::kFloatOptimized:
    case Conv2DVariant::kInt8Optimized:
      return -1;
    case Conv2DVariant::kFloatOptimizedStreaming:
    case Conv2DVariant::kInt8OptimizedStreaming:
    case Conv2DVariant::kInt8Pie1x1:  // streams with the optimized kernel where the plan overlaps
      return optimized::conv_stream_block_rows(output_dims);
    default:
      return 0;
  }
}

int32_t conv_2d_back_block_rows(Conv2DVariant variant, const Dims4& output_dims) {
  const int32_t rows = conv_2d_stream_block_rows(variant, output_dims);
  return rows > 0 ? rows : -1;
}

void prepare_conv_2d(Conv2DVariant variant, const Dims4& filter_dims, const void* filter, int32_t* output_shift) {
  if (conv_2d_packs_filter_sums(variant))
    optimized::conv_2d_int8_prepare(filter_dims, static_cast<const int8_t*>(filter), output_shift);
}

void run_conv_2d(Conv2DVariant variant, const ConvParams& params, const ConvBuffers& buffers) {
  using conv_dispatch::run_float;
  using conv_dispatch::run_quantized;
  switch (variant) {
    case Conv2DVariant::kFloatReference:
      run_float(reference::conv_2d_float, params, buffers);
      break;
    case Conv2DVariant::kFloatOptimized:
      run_float(optimized::unless_reference_only(optimized::conv_2d_float, reference::conv_2d_float), params, buffers);
      break;
    case Conv2DVariant::kFloatOptimizedStreaming:
      run_float(optimized::unless_reference_only(
                    output_overlaps_input(buffers, 4) ? optimized::conv_2d_float_streaming : optimized::conv_2d_float,
                    reference::conv_2d_float),
                params, buffers);
      break;
    case Conv2DVariant::kInt8OptimizedStreaming:
      run_quantized(optimized::unless_reference_only(
                        output_overlaps_input(buffers, 1) ? optimized::conv_2d_int8_streaming : optimized::conv_2d_int8,
                        reference::conv_2d_int8),
                    params, buffers);
      break;
    case Conv2DVariant::kInt8Reference:
      run_quantized(reference::conv_2d_int8, params, buffers);
      break;
    case Conv2DVariant::kInt8Optimized:
      run_quantized(optimized::unless_reference_only(optimized::conv_2d_int8, reference::conv_2d_int8), params,
                    buffers);
      break;
    case Conv2DVariant::kInt8Pie1x1:
      if (output_overlaps_input(buffers, 1))
        run_quantized(optimized::unless_reference_only(optimized::conv_2d_int8_streaming, reference::conv_2d_int8),
                      params, buffers);
      else
        run_quantized(pie::unless_unselectable(pie::conv_2d_int8_1x1, reference::conv_2d_int8), params, buffers);
      break;
    case Conv2DVariant::kInt16Reference:
      run_quantized(reference::conv_2d_int16, params, buffers);
      break;
    case Conv2DVariant::kInt16Bias32Reference:
      run_quantized(reference::conv_2d_int16_bias32, params, buffers);
      break;
  }
}

}  // namespace mote
