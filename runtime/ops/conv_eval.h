// Eval-time glue shared by CONV_2D and DEPTHWISE_CONV_2D: the node's tensors
// and requantization arrays, handed to whichever kernel prepare chose. Every
// conv kernel (reference or optimized) takes the same arguments.
#pragma once

#include <stdint.h>

#include "kernels/conv_params.h"
#include "mote/op.h"
#include "ops/conv_prepare.h"

namespace mote {
namespace ops {
namespace conv_eval {

struct ConvArgs {
  ConvArgs(const OpContext& ctx, const ConvParams& params, ArenaRef<int32_t> output_multiplier,
           ArenaRef<int32_t> output_shift)
      : params(params),
        input(ctx.input(0)),
        filter(ctx.input(1)),
        output(ctx.output(0)),
        bias(ctx.num_inputs() == 3 && ctx.has_input(2) ? ctx.input(2).data : nullptr),
        input_dims(conv_prepare::to_dims4(input.shape)),
        filter_dims(conv_prepare::to_dims4(filter.shape)),
        output_dims(conv_prepare::to_dims4(output.shape)),
        multipliers(ctx.get(output_multiplier)),
        shifts(ctx.get(output_shift)) {}

  const ConvParams& params;
  const TensorView input;
  const TensorView filter;
  const TensorView output;
  const void* bias;  // nullptr when omitted
  const Dims4 input_dims;
  const Dims4 filter_dims;
  const Dims4 output_dims;
  const int32_t* multipliers;  // per output channel (quantized only)
  const int32_t* shifts;
};

using FloatKernel = void (*)(const ConvParams&, const Dims4&, const float*, const Dims4&, const float*, const float*,
                             const Dims4&, float*);

inline void run_float(FloatKernel kernel, const ConvArgs& a) {
  kernel(a.params, a.input_dims, a.input.as<float>(), a.filter_dims, a.filter.as<float>(),
         static_cast<const float*>(a.bias), a.output_dims, a.output.as<float>());
}

// Activation type T (int8_t or int16_t) with int8 weights and a Bias bias.
template <typename T, typename Bias>
using QuantizedKernel = void (*)(const ConvParams&, const int32_t*, const int32_t*, const Dims4&, const T*,
                                 const Dims4&, const int8_t*, const Bias*, const Dims4&, T*);

template <typename T, typename Bias>
void run_quantized(QuantizedKernel<T, Bias> kernel, const ConvArgs& a) {
  kernel(a.params, a.multipliers, a.shifts, a.input_dims, a.input.as<T>(), a.filter_dims, a.filter.as<int8_t>(),
         static_cast<const Bias*>(a.bias), a.output_dims, a.output.as<T>());
}

}  // namespace conv_eval
}  // namespace ops
}  // namespace mote
