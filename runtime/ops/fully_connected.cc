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

struct FullyConnectedOpData {
  reference::FullyConnectedParams params;
  FullyConnectedVariant variant;
  int32_t per_channel;  // requant holds one multiplier and shift per unit
  ChannelConstantRefs requant;
};

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

  auto* data = ctx.allocate_op_data<FullyConnectedOpData>();
  if (data == nullptr) return Status::kError;
  const QuantView filter_q = ctx.input_quant(1);
  data->per_channel = arithmetic != ConvArithmetic::kFloat32 && filter_q.count > 1;
  const KernelChoice<FullyConnectedVariant> choice =
      select_fully_connected(arithmetic, accum_depth, output_depth, data->per_channel != 0);
  reference::FullyConnectedParams params;

  if (arithmetic != ConvArithmetic::kFloat32) {
    MOTE_RETURN_IF_ERROR(conv_prepare::prepare_activation_quant(ctx, arithmetic, t, &params));
    if (choice.requant_channels > 0) {
      ChannelConstants requant;
      MOTE_RETURN_IF_ERROR(conv_prepare::prepare_channel_multipliers(ctx, arithmetic,
                                                                     /*shift_words_hold_sums=*/false,
                                                                     choice.requant_channels, /*channel_axis=*/0,
                                                                     &requant));
      data->requant = requant.refs;
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

  data->params = params;
  data->variant = choice.variant;
  return Status::kOk;
}

Status eval(OpContext& ctx) {
  const auto& data = *ctx.op_data<FullyConnectedOpData>();
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
  b.output_multiplier = data.per_channel ? ctx.get(data.requant.multipliers) : nullptr;
  b.output_shift = data.per_channel ? ctx.get(data.requant.shifts) : nullptr;
  run_fully_connected(data.variant, data.params, b);
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
