#include "kernels/fully_connected.h"

#include "kernels/optimized/fully_connected.h"
#include "kernels/optimized/selection.h"
#include "kernels/pie/fully_connected.h"
#include "kernels/pie/selection.h"

namespace mote {
namespace {

using reference::FullyConnectedParams;

void run_float(decltype(&reference::fully_connected_float) kernel, const FullyConnectedParams& params,
               const FullyConnectedBuffers& b) {
  kernel(params, b.batches, b.accum_depth, b.output_depth, static_cast<const float*>(b.input),
         static_cast<const float*>(b.filter), static_cast<const float*>(b.bias), static_cast<float*>(b.output));
}

// Activation type T (int8_t or int16_t) with int8 weights and a Bias bias.
template <typename T, typename Bias>
using QuantizedKernel = void (*)(const FullyConnectedParams&, const int32_t*, const int32_t*, int32_t, int32_t, int32_t,
                                 const T*, const int8_t*, const Bias*, T*);

template <typename T, typename Bias>
void run_quantized(QuantizedKernel<T, Bias> kernel, const FullyConnectedParams& params,
                   const FullyConnectedBuffers& b) {
  kernel(params, b.output_multiplier, b.output_shift, b.batches, b.accum_depth, b.output_depth,
         static_cast<const T*>(b.input), static_cast<const int8_t*>(b.filter), static_cast<const Bias*>(b.bias),
         static_cast<T*>(b.output));
}

}  // namespace

KernelChoice<FullyConnectedVariant> select_fully_connected(ConvArithmetic arithmetic, int32_t accum_depth,
                                                           int32_t output_depth, bool per_channel_weights) {
  const bool optimized = optimized::kEnabled;
  const int32_t requant_channels = per_channel_weights ? output_depth : 0;
  switch (arithmetic) {
    case ConvArithmetic::kFloat32:
      return {optimized ? FullyConnectedVariant::kFloatOptimized : FullyConnectedVariant::kFloatReference, 0};
    case ConvArithmetic::kInt8:
      if (!optimized || !optimized::fully_connected_int8_applies(accum_depth))
        return {FullyConnectedVariant::kInt8Reference, requant_channels};
      return {pie::kSelectable && pie::fully_connected_int8_applies(accum_depth) ? FullyConnectedVariant::kInt8Pie
                                                                                 : FullyConnectedVariant::kInt8Optimized,
              requant_channels};
    case ConvArithmetic::kInt16:
      return {FullyConnectedVariant::kInt16Reference, requant_channels};
    case ConvArithmetic::kInt16Bias32:
      break;
  }
  return {FullyConnectedVariant::kInt16Bias32Reference, requant_channels};
}

void run_fully_connected(FullyConnectedVariant variant, const FullyConnectedParams& params,
                         const FullyConnectedBuffers& buffers) {
  switch (variant) {
    case FullyConnectedVariant::kFloatReference:
      run_float(reference::fully_connected_float, params, buffers);
      break;
    case FullyConnectedVariant::kFloatOptimized:
      run_float(optimized::unless_reference_only(optimized::fully_connected_float, reference::fully_connected_float),
                params, buffers);
      break;
    case FullyConnectedVariant::kInt8Reference:
      run_quantized(reference::fully_connected_int8, params, buffers);
      break;
    case FullyConnectedVariant::kInt8Optimized:
      run_quantized(optimized::unless_reference_only(optimized::fully_connected_int8, reference::fully_connected_int8),
                    params, buffers);
      break;
    case FullyConnectedVariant::kInt8Pie:
      run_quantized(pie::unless_unselectable(pie::fully_connected_int8, reference::fully_connected_int8), params,
                    buffers);
      break;
    case FullyConnectedVariant::kInt16Reference:
      run_quantized(reference::fully_connected_int16, params, buffers);
      break;
    case FullyConnectedVariant::kInt16Bias32Reference:
      run_quantized(reference::fully_connected_int16_bias32, params, buffers);
      break;
  }
}

}  // namespace mote
