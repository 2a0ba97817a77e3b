// FULLY_CONNECTED: filter [units, depth], optional bias [units]. The input is
// read as [batches, depth] whatever its shape, and the output as
// [batches, units] (its shape, with or without keep_num_dims, comes from the
// model). float32, int8 (per-tensor or per-channel weights along dimension 0)
// and int16 activations with int8 weights.
#include "kernels/reference/fully_connected.h"

#include "kernels/optimized/fully_connected.h"
#include "kernels/optimized/selection.h"
#include "mote/ops.h"
#include "ops/conv_prepare.h"

namespace mote {
namespace ops {
namespace {

using conv_prepare::KernelType;

// The kernel eval runs, chosen in prepare.
enum class Variant : int32_t {
  kFloatReference,
  kFloatOptimized,
  kInt8Reference,
  kInt8Optimized,
  kInt16Reference,        // int64 bias
  kInt16Bias32Reference,  // int32 bias or none
};

Variant select_variant(KernelType kernel, int32_t accum_depth) {
  const bool optimized = optimized::kEnabled;
  switch (kernel) {
    case KernelType::kFloat32:
      return optimized ? Variant::kFloatOptimized : Variant::kFloatReference;
    case KernelType::kInt8:
      return optimized && optimized::fully_connected_int8_applies(accum_depth) ? Variant::kInt8Optimized
                                                                               : Variant::kInt8Reference;
    case KernelType::kInt16:
      return Variant::kInt16Reference;
    case KernelType::kInt16Bias32:
      break;
  }
  return Variant::kInt16Bias32Reference;
}

struct FullyConnectedOpData {
  reference::FullyConnectedParams params;
  Variant variant;
  int32_t per_channel;  // output_multiplier / output_shift hold one value per unit
  ArenaRef<int32_t> output_multiplier;
  ArenaRef<int32_t> output_shift;
};

Status prepare(OpContext& ctx) {
  namespace opt = schema::fully_connected_options;
  if (ctx.num_inputs() < 2 || ctx.num_inputs() > 3 || ctx.num_outputs() != 1)
    return ctx.fail("expects 2 or 3 inputs and 1 output, got %d and %d", ctx.num_inputs(), ctx.num_outputs());
  if (!ctx.has_input(0) || !ctx.has_input(1)) return ctx.fail("input and weights are required");
  const TensorView input = ctx.input(0);
  const TensorView filter = ctx.input(1);
  const TensorView output = ctx.output(0);
  const bool has_bias = ctx.num_inputs() == 3 && ctx.has_input(2);
  const TensorView bias = has_bias ? ctx.input(2) : TensorView();

  if (ctx.options_type() != schema::OptionsType::kFullyConnected) return ctx.fail("FullyConnectedOptions are missing");
  const fb::Table options = ctx.options();
  const auto activation = schema::Activation(options.scalar<int8_t>(opt::fused_activation_function, 0));
  const int8_t weights_format = options.scalar<int8_t>(opt::weights_format, 0);
  if (weights_format != 0)
    return ctx.fail("weights_format %d (shuffled weights) is not supported; only DEFAULT", int(weights_format));
  if (!is_clamp_activation(activation))
    return ctx.fail("fused activation %d is not supported (only NONE, RELU, RELU_N1_TO_1, RELU6)", int(activation));

  KernelType kernel = KernelType::kFloat32;
  MOTE_RETURN_IF_ERROR(conv_prepare::select_kernel(ctx, input, filter, has_bias ? &bias : nullptr, output, &kernel));

  if (filter.shape.rank != 2)
    return ctx.fail("weights must be 2-D [units, depth], got rank %d", int(filter.shape.rank));
  const int32_t output_depth = filter.shape.dims[0];
  const int32_t accum_depth = filter.shape.dims[1];
  if (output_depth <= 0 || accum_depth <= 0) return ctx.fail("weights have an empty dimension");
  if (output.shape.rank < 1 || output.shape.dims[output.shape.rank - 1] != output_depth)
    return ctx.fail("output's last dimension must be the %d units of the weights", int(output_depth));
  const int64_t batches = output.num_elements() / output_depth;
  if (input.num_elements() != batches * accum_depth)
    return ctx.fail("input has %lld elements; %lld batches of depth %d need %lld", (long long)input.num_elements(),
                    (long long)batches, int(accum_depth), (long long)(batches * accum_depth));
  if (has_bias && bias.num_elements() != output_depth)
    return ctx.fail("bias has %lld elements for %d units", (long long)bias.num_elements(), int(output_depth));

  auto* data = ctx.allocate_op_data<FullyConnectedOpData>();
  if (data == nullptr) return Status::kError;
  reference::FullyConnectedParams params;

  if (kernel != KernelType::kFloat32) {
    const QuantView input_q = ctx.input_quant(0);
    const QuantView filter_q = ctx.input_quant(1);
    const QuantView output_q = ctx.output_quant(0);
    MOTE_RETURN_IF_ERROR(conv_prepare::check_activation_quant(ctx, "input", input_q, input.type));
    MOTE_RETURN_IF_ERROR(conv_prepare::check_activation_quant(ctx, "output", output_q, output.type));
    const int max_shift = kernel == KernelType::kInt16 ? conv_prepare::kMaxShift64 : conv_prepare::kMaxShift32;
    data->per_channel = filter_q.count > 1;
    if (data->per_channel) {
      int32_t* multipliers = ctx.allocate_array<int32_t>(size_t(output_depth), &data->output_multiplier);
      int32_t* shifts = ctx.allocate_array<int32_t>(size_t(output_depth), &data->output_shift);
      if (multipliers == nullptr || shifts == nullptr) return Status::kError;
      MOTE_RETURN_IF_ERROR(conv_prepare::compute_channel_multipliers(ctx, input_q, filter_q, output_q, output_depth,
                                                                     /*channel_axis=*/0, max_shift, multipliers,
                                                                     shifts));
    } else {
      MOTE_RETURN_IF_ERROR(conv_prepare::compute_channel_multipliers(ctx, input_q, filter_q, output_q, 1,
                                                                     /*channel_axis=*/0, max_shift,
                                                                     &params.output_multiplier, &params.output_shift));
      // Per-tensor weights keep their zero point (TFLite applies it there for
      // compatibility); per-channel weights are symmetric.
      params.filter_offset = -filter_q.zero_point();
    }
    if (kernel == KernelType::kInt8) {
      params.input_offset = -input_q.zero_point();
      params.output_offset = output_q.zero_point();
    }
  }
  conv_prepare::activation_range(kernel, activation, ctx.output_quant(0), &params.activation_min,
                                 &params.activation_max, &params.float_activation_min, &params.float_activation_max);

  data->params = params;
  data->variant = select_variant(kernel, accum_depth);
  return Status::kOk;
}

Status eval(OpContext& ctx) {
  const auto& data = *ctx.op_data<FullyConnectedOpData>();
  const TensorView input = ctx.input(0);
  const TensorView filter = ctx.input(1);
  const TensorView output = ctx.output(0);
  const void* bias = ctx.num_inputs() == 3 && ctx.has_input(2) ? ctx.input(2).data : nullptr;
  const int32_t output_depth = filter.shape.dims[0];
  const int32_t accum_depth = filter.shape.dims[1];
  const int32_t batches = int32_t(output.num_elements() / output_depth);
  const int32_t* multipliers = data.per_channel ? ctx.get(data.output_multiplier) : nullptr;
  const int32_t* shifts = data.per_channel ? ctx.get(data.output_shift) : nullptr;
  const auto* float_bias = static_cast<const float*>(bias);
  const auto* int32_bias = static_cast<const int32_t*>(bias);
  switch (data.variant) {
    case Variant::kFloatReference:
      reference::fully_connected_float(data.params, batches, accum_depth, output_depth, input.as<float>(),
                                       filter.as<float>(), float_bias, output.as<float>());
      break;
    case Variant::kFloatOptimized:
      optimized::fully_connected_float(data.params, batches, accum_depth, output_depth, input.as<float>(),
                                       filter.as<float>(), float_bias, output.as<float>());
      break;
    case Variant::kInt8Reference:
      reference::fully_connected_int8(data.params, multipliers, shifts, batches, accum_depth, output_depth,
                                      input.as<int8_t>(), filter.as<int8_t>(), int32_bias, output.as<int8_t>());
      break;
    case Variant::kInt8Optimized:
      optimized::fully_connected_int8(data.params, multipliers, shifts, batches, accum_depth, output_depth,
                                      input.as<int8_t>(), filter.as<int8_t>(), int32_bias, output.as<int8_t>());
      break;
    case Variant::kInt16Reference:
      reference::fully_connected_int16(data.params, multipliers, shifts, batches, accum_depth, output_depth,
                                       input.as<int16_t>(), filter.as<int8_t>(), static_cast<const int64_t*>(bias),
                                       output.as<int16_t>());
      break;
    case Variant::kInt16Bias32Reference:
      reference::fully_connected_int16_bias32(data.params, multipliers, shifts, batches, accum_depth, output_depth,
                                              input.as<int16_t>(), filter.as<int8_t>(), int32_bias,
                                              output.as<int16_t>());
      break;
  }
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
