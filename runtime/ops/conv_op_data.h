// The op data of CONV_2D and DEPTHWISE_CONV_2D: what eval needs in the form
// prepare's checks allow; eval rebuilds the kernels' ConvParams on the stack.
// The window geometry stays int32 (strides and dilated extents up to
// kMaxWindowExtent). Zero points lie in their int8 / int16 type (the loader
// refuses others, prepare checks the activations), so the offsets fit int16,
// as do the clamp bounds, which lie in the output's type; a float node keeps
// its float bounds in the same bytes.
#pragma once

#include <stdint.h>

#include "kernels/conv_kernel.h"
#include "kernels/conv_params.h"
#include "mote/op.h"
#include "ops/conv_eval.h"

namespace mote {
namespace ops {

// Variant: the op's kernel variant enum (one byte).
template <typename Variant>
struct ConvOpData {
  int32_t stride_h, stride_w, dilation_h, dilation_w, pad_h, pad_w;
  union {
    struct {
      int16_t input_offset, output_offset, min, max;
    } quantized;
    struct {
      float min, max;
    } float_range;
  } bounds;
  ChannelConstantRefs requant;  // per output channel (quantized only)
  Variant variant;
  bool float_kernel;

  void store(const ConvParams& p, Variant kernel_variant, ConvArithmetic arithmetic, const ChannelConstantRefs& refs) {
    stride_h = p.stride_h;
    stride_w = p.stride_w;
    dilation_h = p.dilation_h;
    dilation_w = p.dilation_w;
    pad_h = p.pad_h;
    pad_w = p.pad_w;
    float_kernel = arithmetic == ConvArithmetic::kFloat32;
    if (float_kernel) {
      bounds.float_range.min = p.float_activation_min;
      bounds.float_range.max = p.float_activation_max;
    } else {
      bounds.quantized.input_offset = int16_t(p.input_offset);
      bounds.quantized.output_offset = int16_t(p.output_offset);
      bounds.quantized.min = int16_t(p.activation_min);
      bounds.quantized.max = int16_t(p.activation_max);
    }
    requant = refs;
    variant = kernel_variant;
  }

  // The params for the rows the node's views hold: the top padding moves
  // when it runs on a strip of a patch stage (OpContext::strip_pad_top).
  // Built in one expression: each field written once (fewer instructions
  // per eval than filling a default-initialized struct).
  ConvParams params(const OpContext& ctx, int32_t depth_multiplier = 1) const {
    const int32_t pad_top = ctx.strip_pad_top(pad_h, stride_h);
    if (float_kernel) {
      const auto& f = bounds.float_range;
      return ConvParams{stride_h, stride_w, dilation_h, dilation_w, pad_top, pad_w, depth_multiplier,
                        0, 0, 0, 0, f.min, f.max};
    }
    const auto& q = bounds.quantized;
    return ConvParams{stride_h, stride_w, dilation_h, dilation_w, pad_top, pad_w, depth_multiplier,
                      q.input_offset, q.output_offset, q.min, q.max, 0.0f, 0.0f};
  }

  ConvBuffers buffers(const OpContext& ctx) const {
    return conv_eval::buffers(ctx, float_kernel ? nullptr : &requant);
  }
};

}  // namespace ops
}  // namespace mote
