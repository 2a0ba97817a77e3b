// Eval-time glue of CONV_2D and DEPTHWISE_CONV_2D: the node's tensors and
// requantization arrays as the kernel wrappers (kernels/conv_kernel.h) take
// them.
#pragma once

#include <stdint.h>

#include "kernels/conv_kernel.h"
#include "mote/op.h"
#include "ops/conv_prepare.h"

namespace mote {
namespace ops {
namespace conv_eval {

inline ConvBuffers buffers(const OpContext& ctx, const ChannelConstantRefs& requant) {
  const TensorView input = ctx.input(0);
  const TensorView filter = ctx.input(1);
  const TensorView output = ctx.output(0);
  ConvBuffers b;
  b.input_dims = conv_prepare::to_dims4(input.shape);
  b.filter_dims = conv_prepare::to_dims4(filter.shape);
  b.output_dims = conv_prepare::to_dims4(output.shape);
  b.input = input.data;
  b.filter = filter.data;
  b.bias = ctx.num_inputs() == 3 && ctx.has_input(2) ? ctx.input(2).data : nullptr;
  b.output = output.data;
  b.output_multiplier = ctx.get(requant.multipliers);
  b.output_shift = ctx.get(requant.shifts);
  return b;
}

// The node's parameters for the rows its views hold: the top padding moves
// when it runs on a strip of a patch stage (OpContext::strip_pad_top).
inline ConvParams strip_params(const OpContext& ctx, const ConvParams& params) {
  ConvParams p = params;
  p.pad_h = ctx.strip_pad_top(params.pad_h, params.stride_h);
  return p;
}

}  // namespace conv_eval
}  // namespace ops
}  // namespace mote
