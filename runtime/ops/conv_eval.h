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

// requant: nullptr for a float kernel.
inline ConvBuffers buffers(const OpContext& ctx, const ChannelConstantRefs* requant) {
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
  b.output_multiplier = requant != nullptr ? ctx.get(requant->multipliers) : nullptr;
  b.output_shift = requant != nullptr ? b.output_multiplier + b.output_dims.c : nullptr;
  return b;
}

}  // namespace conv_eval
}  // namespace ops
}  // namespace mote
