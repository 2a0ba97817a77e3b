// Prepare-time helpers shared by CONV_2D, DEPTHWISE_CONV_2D and
// FULLY_CONNECTED: the node's tensors, their types' arithmetic, window geometry,
// activation quantization checks and the per-channel requantization
// multipliers.
#pragma once

#include <stdint.h>

#include "kernels/conv_kernel.h"
#include "kernels/conv_params.h"
#include "kernels/fixedpoint.h"
#include "kernels/optimized/prepared_shift.h"
#include "mote/op.h"
#include "ops/quantization.h"

namespace mote {
namespace ops {
namespace conv_prepare {

// Largest requantization shift each fixed-point multiply can apply: the
// 32-bit one shifts an int32 left by up to 31 bits, the 64-bit one needs
// 15 - shift >= 1.
constexpr int kMaxShift32 = 31;
constexpr int kMaxShift64 = 14;

inline Dims4 to_dims4(const Shape& s) {
  Dims4 d;
  d.n = s.dims[0];
  d.h = s.dims[1];
  d.w = s.dims[2];
  d.c = s.dims[3];
  return d;
}

// The tensors of the node: input, weights, optional bias, output.
struct ConvTensors {
  TensorView input;
  TensorView filter;
  TensorView bias;  // empty when has_bias is false
  TensorView output;
  bool has_bias = false;

  const TensorView* optional_bias() const { return has_bias ? &bias : nullptr; }
};

// Checks for 2 inputs, an optional third (the bias) and one output;
// `filter_name` is what the op calls its weights in messages.
inline Status read_tensors(const OpContext& ctx, const char* filter_name, ConvTensors* t) {
  if (ctx.num_inputs() < 2 || ctx.num_inputs() > 3 || ctx.num_outputs() != 1)
    return ctx.fail("expects 2 or 3 inputs and 1 output, got %d and %d", ctx.num_inputs(), ctx.num_outputs());
  if (!ctx.has_input(0) || !ctx.has_input(1)) return ctx.fail("input and %s are required", filter_name);
  t->input = ctx.input(0);
  t->filter = ctx.input(1);
  t->output = ctx.output(0);
  t->has_bias = ctx.num_inputs() == 3 && ctx.has_input(2);
  if (t->has_bias) t->bias = ctx.input(2);
  return Status::kOk;
}

// Checks the type combination (as TFLM accepts it) and gives the arithmetic
// the kernel wrappers select from.
inline Status check_types(const OpContext& ctx, const ConvTensors& t, ConvArithmetic* arithmetic) {
  const TensorView& input = t.input;
  const TensorView& filter = t.filter;
  const TensorView& output = t.output;
  const TensorView* bias = t.optional_bias();
  if (input.type != output.type)
    return ctx.fail("input is %s but output is %s; they must have the same type", dtype_name(input.type),
                    dtype_name(output.type));
  DType bias_type = DType::kFloat32;
  if (input.type == DType::kFloat32 && filter.type == DType::kFloat32) {
    *arithmetic = ConvArithmetic::kFloat32;
    bias_type = DType::kFloat32;
  } else if (input.type == DType::kFloat32 &&
             (filter.type == DType::kInt8 || filter.type == DType::kUInt8 || filter.type == DType::kInt4)) {
    return ctx.fail(
        "float32 input with %s weights is a hybrid model, which mote (like TFLM) does not support; "
        "quantize the whole model to int8 or keep float32 weights",
        dtype_name(filter.type));
  } else if (input.type == DType::kInt8 && filter.type == DType::kInt8) {
    *arithmetic = ConvArithmetic::kInt8;
    bias_type = DType::kInt32;
  } else if (input.type == DType::kInt16 && filter.type == DType::kInt8) {
    const bool bias64 = bias != nullptr && bias->type == DType::kInt64;
    *arithmetic = bias64 ? ConvArithmetic::kInt16 : ConvArithmetic::kInt16Bias32;
    bias_type = bias64 ? DType::kInt64 : DType::kInt32;
  } else if (filter.type == DType::kInt4) {
    return ctx.fail("int4 weights are not supported; store the weights as int8");
  } else {
    return ctx.fail(
        "unsupported types: %s input with %s weights (supported: float32/float32, int8/int8, "
        "int16/int8)",
        dtype_name(input.type), dtype_name(filter.type));
  }
  if (bias != nullptr && bias->type != bias_type)
    return ctx.fail("bias is %s; %s input with %s weights needs a %s bias", dtype_name(bias->type),
                    dtype_name(input.type), dtype_name(filter.type), dtype_name(bias_type));
  return Status::kOk;
}

// CONV_2D / DEPTHWISE_CONV_2D: the output keeps the input's batch and has
// one bias value per output channel.
inline Status check_batch_and_bias(const OpContext& ctx, const ConvTensors& t, const Dims4& in, const Dims4& out) {
  if (in.n != out.n) return ctx.fail("input batch %d differs from output batch %d", int(in.n), int(out.n));
  if (t.has_bias && t.bias.num_elements() != out.c)
    return ctx.fail("bias has %lld elements for %d output channels", (long long)t.bias.num_elements(), int(out.c));
  return Status::kOk;
}

// Rows a filter of `size` rows covers with `dilation`.
inline int32_t dilated_extent(int32_t size, int32_t dilation) { return (size - 1) * dilation + 1; }

// CONV_2D / DEPTHWISE_CONV_2D: checks the strides and dilations already in
// `params`, the padding, the fused activation and that the output has the
// size they give; sets params->pad_h / pad_w.
inline Status prepare_window(const OpContext& ctx, schema::Padding padding, schema::Activation activation,
                             const Dims4& in, const Dims4& fd, const Dims4& out, ConvParams* params) {
  if (params->stride_w <= 0 || params->stride_h <= 0 || params->dilation_w <= 0 || params->dilation_h <= 0)
    return ctx.fail("strides (%d, %d) and dilations (%d, %d) must be positive", int(params->stride_h),
                    int(params->stride_w), int(params->dilation_h), int(params->dilation_w));
  if (fd.h <= 0 || fd.w <= 0) return ctx.fail("filter has an empty dimension");
  if (params->stride_h > kMaxWindowExtent || params->stride_w > kMaxWindowExtent ||
      int64_t(fd.h - 1) * params->dilation_h + 1 > kMaxWindowExtent ||
      int64_t(fd.w - 1) * params->dilation_w + 1 > kMaxWindowExtent)
    return ctx.fail("stride or dilated filter size is too large");
  if (padding != schema::Padding::kSame && padding != schema::Padding::kValid)
    return ctx.fail("unknown padding %d", int(padding));
  MOTE_RETURN_IF_ERROR(check_fused_activation(ctx, activation));

  const int32_t expected_h = conv_output_size(padding, in.h, fd.h, params->stride_h, params->dilation_h);
  const int32_t expected_w = conv_output_size(padding, in.w, fd.w, params->stride_w, params->dilation_w);
  if (out.h != expected_h || out.w != expected_w)
    return ctx.fail("output is %dx%d but a %dx%d input with a %dx%d filter gives %dx%d", int(out.h), int(out.w),
                    int(in.h), int(in.w), int(fd.h), int(fd.w), int(expected_h), int(expected_w));
  params->pad_h = conv_padding_before(in.h, fd.h, params->stride_h, params->dilation_h, out.h);
  params->pad_w = conv_padding_before(in.w, fd.w, params->stride_w, params->dilation_w, out.w);
  return Status::kOk;
}

// Checks that the weights' scales give `channels` requantization scales:
// one per-tensor scale, or one per channel along `channel_axis`, each valid.
inline Status check_channel_scales(const OpContext& ctx, const QuantView& filter_q, int32_t channels,
                                   int32_t channel_axis) {
  if (filter_q.count == 0) return ctx.fail("the weights are not quantized");
  if (filter_q.count != 1) {
    if (filter_q.axis != channel_axis)
      return ctx.fail("weights are quantized along dimension %d; this op needs dimension %d", int(filter_q.axis),
                      int(channel_axis));
    if (filter_q.count != channels)
      return ctx.fail("weights have %d per-channel scales for %d output channels", int(filter_q.count), int(channels));
  }
  for (int32_t c = 0; c < filter_q.count; ++c) {
    const float filter_scale = filter_q.scale(c);
    if (!valid_scale(filter_scale))
      return ctx.fail("weight scale %g of channel %d is not a positive number", double(filter_scale), int(c));
  }
  return Status::kOk;
}

// Fills multipliers[c] / shifts[c] for c in [0, channels) so that
// multiplier * 2^shift ~= input_scale * filter_scale[c] / output_scale,
// computed in double as TFLite does. Per-tensor filter quantization repeats
// one scale; per-channel quantization must run along `channel_axis`.
inline Status compute_channel_multipliers(const OpContext& ctx, const QuantView& input_q, const QuantView& filter_q,
                                          const QuantView& output_q, int32_t channels, int32_t channel_axis,
                                          int max_shift, int32_t* multipliers, int32_t* shifts) {
  MOTE_RETURN_IF_ERROR(check_channel_scales(ctx, filter_q, channels, channel_axis));
  const double input_scale = double(input_q.scale());
  const double output_scale = double(output_q.scale());
  for (int32_t c = 0; c < channels; ++c) {
    const float filter_scale = filter_q.scale(filter_q.count == 1 ? 0 : c);
    int32_t multiplier = 0;
    int shift = 0;
    fixedpoint::quantize_multiplier(input_scale * double(filter_scale) / output_scale, &multiplier, &shift);
    if (shift > max_shift)
      return ctx.fail("requantization scale of channel %d (input * weight / output scale = %g) is too large", int(c),
                      input_scale * double(filter_scale) / output_scale);
    multipliers[c] = multiplier;
    shifts[c] = shift;
  }
  return Status::kOk;
}

// Constants read in place from the model's "mote" metadata: the checksum and
// dependency hash catch accidents, not a crafted model, so every value must
// be one compute_channel_multipliers() can give (a Q31 multiplier in
// [2^30, 2^31) with a shift in [-31, max_shift], or 0 and 0), the shift
// taken from its field when the words also hold weight sums
// (kernels/optimized/prepared_shift.h; any sum is safe, the fold wraps).
inline Status check_channel_constants(const OpContext& ctx, const ChannelConstants& constants, int32_t channels,
                                      int max_shift, bool shift_words_hold_sums) {
  const int32_t* multipliers = ctx.get(constants.refs.multipliers);
  const int32_t* shifts = multipliers + channels;
  for (int32_t c = 0; c < channels; ++c) {
    const int32_t multiplier = multipliers[c];
    const int32_t shift = shift_words_hold_sums ? optimized::shift_of(shifts[c]) : shifts[c];
    const bool zero = multiplier == 0 && shift == 0;
    if (!zero && (multiplier < (int32_t(1) << 30) || shift < -31 || shift > max_shift))
      return ctx.fail(
          "the model's \"mote\" metadata holds an impossible multiplier %ld / shift %ld for channel %d; re-run "
          "`mote prepare` on the plain model",
          long(multiplier), long(shift), int(c));
  }
  return Status::kOk;
}

inline int max_shift(ConvArithmetic arithmetic) {
  return arithmetic == ConvArithmetic::kInt16 ? kMaxShift64 : kMaxShift32;
}

// Quantized kernels: checks the input and output quantization and sets the
// activation zero-point offsets (int8 only; int16 activations are symmetric).
// Params is ConvParams or reference::FullyConnectedParams.
template <typename Params>
Status prepare_activation_quant(const OpContext& ctx, ConvArithmetic arithmetic, const ConvTensors& t, Params* params) {
  TensorQuant input_q, output_q;
  MOTE_RETURN_IF_ERROR(activation_quant(ctx, ctx.input_quant(0), "input", t.input.type, &input_q));
  MOTE_RETURN_IF_ERROR(activation_quant(ctx, ctx.output_quant(0), "output", t.output.type, &output_q));
  params->input_offset = arithmetic == ConvArithmetic::kInt8 ? -input_q.zero_point : 0;
  params->output_offset = arithmetic == ConvArithmetic::kInt8 ? output_q.zero_point : 0;
  return Status::kOk;
}

// The per-channel multipliers and shifts: read from the model's "mote"
// metadata and checked, or computed into the arena from the weights' scales
// along `channel_axis`. Their form is what the words hold (plain shifts, or
// shifts with the weight sums packed in), not which kernel reads them, so
// the PIE, streaming and channel-outer kernels share one entry and one arena
// figure. *computed tells the op whether its kernel's own prepare step still
// has to run on them.
inline Status prepare_channel_multipliers(OpContext& ctx, ConvArithmetic arithmetic, bool shift_words_hold_sums,
                                          int32_t channels, int32_t channel_axis, ChannelConstants* constants) {
  const QuantView filter_q = ctx.input_quant(1);
  MOTE_RETURN_IF_ERROR(check_channel_scales(ctx, filter_q, channels, channel_axis));
  const int32_t form = shift_words_hold_sums ? 1 : 0;
  MOTE_RETURN_IF_ERROR(ctx.channel_constants(form, channels, constants));
  if (constants->from_model())
    return check_channel_constants(ctx, *constants, channels, max_shift(arithmetic), shift_words_hold_sums);
  return compute_channel_multipliers(ctx, ctx.input_quant(0), filter_q, ctx.output_quant(0), channels, channel_axis,
                                     max_shift(arithmetic), constants->fill_multipliers, constants->fill_shifts);
}

// Clamp range of the fused activation in the output's domain (quantized
// kernels) or in float.
template <typename Params>
void set_activation_range(ConvArithmetic arithmetic, schema::Activation activation, const QuantView& output_q,
                          Params* params) {
  params->activation_min = 0;
  params->activation_max = 0;
  params->float_activation_min = 0.0f;
  params->float_activation_max = 0.0f;
  if (arithmetic == ConvArithmetic::kFloat32) {
    float_activation_range(activation, &params->float_activation_min, &params->float_activation_max);
  } else if (arithmetic == ConvArithmetic::kInt8) {
    int8_activation_range(activation, output_q.scale(), output_q.zero_point(), &params->activation_min,
                          &params->activation_max);
  } else {
    int16_activation_range(activation, output_q.scale(), output_q.zero_point(), &params->activation_min,
                           &params->activation_max);
  }
}

// CONV_2D / DEPTHWISE_CONV_2D: the quantization checks and offsets of a
// quantized kernel, the multipliers and shifts of the `requant_channels`
// output channels its wrapper asked for (see prepare_channel_multipliers),
// then the activation range.
inline Status prepare_conv_quantization(OpContext& ctx, ConvArithmetic arithmetic, const ConvTensors& t,
                                        schema::Activation activation, int32_t requant_channels,
                                        bool shift_words_hold_sums, int32_t channel_axis, ChannelConstants* constants,
                                        ConvParams* params) {
  if (arithmetic != ConvArithmetic::kFloat32)
    MOTE_RETURN_IF_ERROR(prepare_activation_quant(ctx, arithmetic, t, params));
  if (requant_channels > 0)
    MOTE_RETURN_IF_ERROR(prepare_channel_multipliers(ctx, arithmetic, shift_words_hold_sums, requant_channels,
                                                     channel_axis, constants));
  set_activation_range(arithmetic, activation, ctx.output_quant(0), params);
  return Status::kOk;
}

}  // namespace conv_prepare
}  // namespace ops
}  // namespace mote
