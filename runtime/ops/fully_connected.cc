// FULLY_CONNECTED: filter [units, depth], optional bias [units]. The input is
// read as [batches, depth] whatever its shape, and the output as
// [batches, units] (its shape, with or without keep_num_dims, comes from the
// model). float32, int8 (per-tensor or per-channel weights along dimension 0)
// and int16 activations with int8 weights.
#include "kernels/fully_connected.h"

#include "mote/ops.h"
#include "ops/conv_prepare.h"

namespace mote {
namespace ops {
namespace {

// Op data holds only what eval needs, in the form prepare's checks allow,
// and eval rebuilds the kernels' reference::FullyConnectedParams from it on
// the stack. Two forms, by arithmetic; both start with the variant, which
// tells eval which one the node has.
struct FloatOpData {
  FullyConnectedVariant variant;
  float activation_min, activation_max;
};

// The zero points are int8 (the weights and int8 activations are checked by
// the loader to lie in their type, int16 activations have zero point 0),
// the clamp bounds lie in the output's type (int8 or int16), a shift in
// [-31, 31].
struct QuantizedOpData {
  FullyConnectedVariant variant;
  bool per_channel;  // requant holds one multiplier and shift per unit
  int8_t input_zero_point, filter_zero_point, output_zero_point;
  int8_t output_shift;  // per-tensor weights
  int16_t activation_min, activation_max;
  union {
    ChannelConstantRefs requant;  // per-channel weights
    int32_t output_multiplier;    // per-tensor weights
  };
};

static_assert(sizeof(FloatOpData) == 12 && sizeof(QuantizedOpData) == 16, "op data is padded");

bool is_float(FullyConnectedVariant variant) {
  return variant == FullyConnectedVariant::kFloatReference || variant == FullyConnectedVariant::kFloatOptimized;
}

Status store_op_data(OpContext& ctx, FullyConnectedVariant variant, bool per_channel,
                     const reference::FullyConnectedParams& params, const ChannelConstantRefs& requant) {
  if (is_float(variant)) {
    auto* data = ctx.allocate_op_data<FloatOpData>();
    if (data == nullptr) return Status::kError;
    data->variant = variant;
    data->activation_min = params.float_activation_min;
    data->activation_max = params.float_activation_max;
    return Status::kOk;
  }
  auto* data = ctx.allocate_op_data<QuantizedOpData>();
  if (data == nullptr) return Status::kError;
  data->variant = variant;
  data->per_channel = per_channel;
  data->input_zero_point = int8_t(-params.input_offset);
  data->filter_zero_point = int8_t(-params.filter_offset);
  data->output_zero_point = int8_t(params.output_offset);
  data->activation_min = int16_t(params.activation_min);
  data->activation_max = int16_t(params.activation_max);
  if (per_channel) {
    data->requant = requant;
  } else {
    data->output_multiplier = params.output_multiplier;
    data->output_shift = int8_t(params.output_shift);
  }
  return Status::kOk;
}

Status prepare(OpContext& ctx) {
  namespace opt = schema::fully_connected_options;
  conv_prepare::ConvTensors t;
  MOTE_RETURN_IF_ERROR(conv_prepare::read_tensors(ctx, "weights", &t));

  if (ctx.options_type() != schema::OptionsType::kFullyConnected) return ctx.fail("FullyConnectedOptions are missing");
  const fb::Table options = ctx.options();
  const auto activation = schema::Activation(options.scalar<int8_t>(opt::fused_activation_function, 0));
  const int8_t weights_format = options.scalar<int8_t>(opt::weights_format, 0);
  if (weights_format != 0)
    return ctx.fail("weights_format %d (shuffled weights) is not supported; only DEFAULT", int(weights_format));
  MOTE_RETURN_IF_ERROR(check_fused_activation(ctx, activation));

  ConvArithmetic arithmetic = ConvArithmetic::kFloat32;
  MOTE_RETURN_IF_ERROR(conv_prepare::check_types(ctx, t, &arithmetic));

  if (t.filter.shape.rank != 2)
    return ctx.fail("weights must be 2-D [units, depth], got rank %d", int(t.filter.shape.rank));
  const int32_t output_depth = t.filter.shape.dims[0];
  const int32_t accum_depth = t.filter.shape.dims[1];
  if (output_depth <= 0 || accum_depth <= 0) return ctx.fail("weights have an empty dimension");
  if (t.output.shape.rank < 1 || t.output.shape.dims[t.output.shape.rank - 1] != output_depth)
    return ctx.fail("output's last dimension must be the %d units of the weights", int(output_depth));
  const int64_t batches = t.output.num_elements() / output_depth;
  if (t.input.num_elements() != batches * accum_depth)
    return ctx.fail("input has %lld elements; %lld batches of depth %d need %lld", (long long)t.input.num_elements(),
                    (long long)batches, int(accum_depth), (long long)(batches * accum_depth));
  if (t.has_bias && t.bias.num_elements() != output_depth)
    return ctx.fail("bias has %lld elements for %d units", (long long)t.bias.num_elements(), int(output_depth));

  const QuantView filter_q = ctx.input_quant(1);
  const bool per_channel = arithmetic != ConvArithmetic::kFloat32 && filter_q.count > 1;
  const KernelChoice<FullyConnectedVariant> choice =
      select_fully_connected(arithmetic, accum_depth, output_depth, per_channel);
  reference::FullyConnectedParams params;
  ChannelConstants requant;

  if (arithmetic != ConvArithmetic::kFloat32) {
    MOTE_RETURN_IF_ERROR(conv_prepare::prepare_activation_quant(ctx, arithmetic, t, &params));
    if (choice.requant_channels > 0) {
      MOTE_RETURN_IF_ERROR(conv_prepare::prepare_channel_multipliers(ctx, arithmetic,
                                                                     /*shift_words_hold_sums=*/false,
                                                                     choice.requant_channels, /*channel_axis=*/0,
                                                                     &requant));
    } else {
      // Per-tensor weights keep their zero point (TFLite applies it there for
      // compatibility); per-channel weights are symmetric.
      params.filter_offset = -filter_q.zero_point();
      MOTE_RETURN_IF_ERROR(conv_prepare::compute_channel_multipliers(
          ctx, ctx.input_quant(0), filter_q, ctx.output_quant(0), 1, /*channel_axis=*/0,
          conv_prepare::max_shift(arithmetic), &params.output_multiplier, &params.output_shift));
    }
  }
  conv_prepare::set_activation_range(arithmetic, activation, ctx.output_quant(0), &params);
  return store_op_data(ctx, choice.variant, per_channel, params, requant.refs);
}

Status eval(OpContext& ctx) {
  const TensorView filter = ctx.input(1);
  const TensorView output = ctx.output(0);
  FullyConnectedBuffers b;
  b.output_depth = filter.shape.dims[0];
  b.accum_depth = filter.shape.dims[1];
  b.batches = int32_t(output.num_elements() / b.output_depth);
  b.input = ctx.input(0).data;
  b.filter = filter.data;
  b.bias = ctx.num_inputs() == 3 && ctx.has_input(2) ? ctx.input(2).data : nullptr;
  b.output = output.data;
  b.output_multiplier = nullptr;
  b.output_shift = nullptr;
  // The params are built by position, each field written once.
  const FullyConnectedVariant variant = *ctx.op_data<FullyConnectedVariant>();
  if (is_float(variant)) {
    const auto& data = *ctx.op_data<FloatOpData>();
    run_fully_connected(variant, {0, 0, 0, 0, 0, 0, 0, data.activation_min, data.activation_max}, b);
    return Status::kOk;
  }
  const auto& data = *ctx.op_data<QuantizedOpData>();
  int32_t multiplier = 0, shift = 0;
  if (data.per_channel) {
    b.output_multiplier = ctx.get(data.requant.multipliers);
    b.output_shift = b.output_multiplier + b.output_depth;
  } else {
    multiplier = data.output_multiplier;
    shift = data.output_shift;
  }
  const reference::FullyConnectedParams params = {-int32_t(data.input_zero_point), -int32_t(data.filter_zero_point),
                                                  data.output_zero_point, multiplier, shift, data.activation_min,
                                                  data.activation_max, 0.0f, 0.0f};
  run_fully_connected(variant, params, b);
  return Status::kOk;
}

}  // namespace

const OpRegistration& fully_connected() {
  static const OpRegistration registration = {int32_t(schema::BuiltinOp::kFullyConnected), nullptr, "FULLY_CONNECTED",
                                              prepare, eval};
  return registration;
}

}  // namespace ops
}  // namespace mote
