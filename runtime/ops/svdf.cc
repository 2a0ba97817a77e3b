// SVDF: input [batches, input_size], weights_feature [num_filters,
// input_size], weights_time [num_filters, memory_size], optional bias
// [num_units], activation state (a variable tensor the interpreter owns and
// zero-point fills) [batches, memory_size * num_filters]; output [batches,
// num_units] with num_units = num_filters / rank.
// float32, and int8 with int16 or int8 time weights + state (TFLM's kernels;
// see kernels/reference/svdf.h for what they do and do not apply).
#include "kernels/reference/svdf.h"

#include <math.h>

#include "kernels/fixedpoint.h"
#include "mote/ops.h"
#include "ops/quantization.h"

namespace mote {
namespace ops {
namespace {

// Op data: reference::SvdfQuantParams for int8 (the kernel follows from the
// time weights' type), this for float32. The dimensions and the rank
// (num_filters / output units) are re-read from the tensor shapes in eval (a
// few loads) rather than stored: op data is per node, and small models have
// many.
struct SvdfFloatOpData {
  schema::Activation activation;
};

constexpr int kInput = 0, kWeightsFeature = 1, kWeightsTime = 2, kBias = 3, kState = 4;

// Needs 2-D input, weights_feature and weights_time, and num_units > 0.
reference::SvdfDims svdf_dims(const TensorView& input, const TensorView& weights_feature,
                              const TensorView& weights_time, int32_t num_units) {
  reference::SvdfDims dims;
  dims.batches = input.shape.dims[0];
  dims.input_size = input.shape.dims[1];
  dims.num_filters = weights_feature.shape.dims[0];
  dims.memory_size = weights_time.shape.dims[1];
  dims.num_units = num_units;
  dims.rank = dims.num_filters / num_units;
  return dims;
}

Status prepare(OpContext& ctx) {
  if (ctx.num_inputs() != 5 || ctx.num_outputs() != 1)
    return ctx.fail("expects 5 inputs (bias may be omitted) and 1 output, got %d and %d", ctx.num_inputs(),
                    ctx.num_outputs());
  const int required[] = {kInput, kWeightsFeature, kWeightsTime, kState};
  for (int i : required)
    if (!ctx.has_input(i)) return ctx.fail("input %d is required", i);
  if (ctx.options_type() != schema::OptionsType::kSvdf) return ctx.fail("SVDFOptions are missing");
  const fb::Table options = ctx.options();
  const int32_t rank = options.scalar<int32_t>(schema::svdf_options::rank, 0);
  const auto activation =
      schema::Activation(options.scalar<int8_t>(schema::svdf_options::fused_activation_function, 0));

  const TensorView input = ctx.input(kInput);
  const TensorView weights_feature = ctx.input(kWeightsFeature);
  const TensorView weights_time = ctx.input(kWeightsTime);
  const TensorView state = ctx.input(kState);
  const TensorView output = ctx.output(0);
  const bool has_bias = ctx.has_input(kBias);
  const TensorView bias = has_bias ? ctx.input(kBias) : TensorView();

  if (input.shape.rank != 2 || weights_feature.shape.rank != 2 || weights_time.shape.rank != 2 ||
      state.shape.rank != 2 || output.shape.rank != 2)
    return ctx.fail("input, weights, state and output must all be 2-D");
  if (weights_feature.shape.dims[0] <= 0) return ctx.fail("weights_feature has no filters");
  if (rank <= 0 || weights_feature.shape.dims[0] % rank != 0)
    return ctx.fail("rank %d does not divide the %d filters", int(rank), int(weights_feature.shape.dims[0]));
  const reference::SvdfDims dims =
      svdf_dims(input, weights_feature, weights_time, weights_feature.shape.dims[0] / rank);
  if (weights_feature.shape.dims[1] != dims.input_size)
    return ctx.fail("weights_feature has depth %d, input has %d", int(weights_feature.shape.dims[1]),
                    int(dims.input_size));
  if (weights_time.shape.dims[0] != dims.num_filters || dims.memory_size <= 0)
    return ctx.fail("weights_time must be [%d filters, memory_size > 0]", int(dims.num_filters));
  if (has_bias && bias.num_elements() != dims.num_units)
    return ctx.fail("bias has %lld elements for %d units", (long long)bias.num_elements(), int(dims.num_units));
  if (state.shape.dims[0] != dims.batches || state.shape.dims[1] != dims.memory_size * dims.num_filters)
    return ctx.fail("activation state must be [%d, %d]", int(dims.batches), int(dims.memory_size * dims.num_filters));
  if (ctx.input_is_constant(kState) || state.data == nullptr)
    return ctx.fail("the activation state must be a variable tensor");
  if (output.shape.dims[0] != dims.batches || output.shape.dims[1] != dims.num_units)
    return ctx.fail("output must be [%d, %d]", int(dims.batches), int(dims.num_units));

  if (input.type == DType::kFloat32) {
    if (weights_feature.type != DType::kFloat32 || weights_time.type != DType::kFloat32 ||
        state.type != DType::kFloat32 || output.type != DType::kFloat32 || (has_bias && bias.type != DType::kFloat32))
      return ctx.fail("a float32 SVDF needs float32 weights, bias, state and output");
    if (activation != schema::Activation::kNone && activation != schema::Activation::kRelu &&
        activation != schema::Activation::kReluN1To1 && activation != schema::Activation::kRelu6 &&
        activation != schema::Activation::kTanh && activation != schema::Activation::kSignBit)
      return ctx.fail("fused activation %d is not supported", int(activation));
    auto* data = ctx.allocate_op_data<SvdfFloatOpData>();
    if (data == nullptr) return Status::kError;
    data->activation = activation;
    return Status::kOk;
  }

  if (input.type != DType::kInt8)
    return ctx.fail("input type %s is not supported (float32, int8)", dtype_name(input.type));
  if (weights_feature.type != DType::kInt8) return ctx.fail("int8 SVDF needs int8 weights_feature");
  if (output.type != DType::kInt8) return ctx.fail("int8 SVDF needs an int8 output");
  if (weights_time.type != state.type || (state.type != DType::kInt16 && state.type != DType::kInt8))
    return ctx.fail("weights_time (%s) and activation state (%s) must both be int16 or both int8",
                    dtype_name(weights_time.type), dtype_name(state.type));
  if (has_bias && bias.type != DType::kInt32) return ctx.fail("int8 SVDF needs an int32 bias");

  TensorQuant input_q, feature_q, time_q, state_q, output_q;
  MOTE_RETURN_IF_ERROR(per_tensor_quant(ctx, ctx.input_quant(kInput), "input", &input_q));
  MOTE_RETURN_IF_ERROR(per_tensor_quant(ctx, ctx.input_quant(kWeightsFeature), "weights_feature", &feature_q));
  MOTE_RETURN_IF_ERROR(per_tensor_quant(ctx, ctx.input_quant(kWeightsTime), "weights_time", &time_q));
  MOTE_RETURN_IF_ERROR(per_tensor_quant(ctx, ctx.input_quant(kState), "activation state", &state_q));
  MOTE_RETURN_IF_ERROR(per_tensor_quant(ctx, ctx.output_quant(0), "output", &output_q));
  if (has_bias) {
    const QuantView bias_q = ctx.input_quant(kBias);
    const double expected = double(state_q.scale * time_q.scale);
    if (!bias_q.quantized() || fabs(double(bias_q.scale()) - expected) >= 1e-5)
      return ctx.fail("bias scale must be state scale * weights_time scale (%g)", expected);
  }

  // The scale products are taken in float, as TFLM does, before widening.
  const double feature_scale = double(input_q.scale * feature_q.scale / state_q.scale);
  const double output_scale = double(state_q.scale * time_q.scale / output_q.scale);
  int32_t feature_multiplier = 0, output_multiplier = 0;
  int feature_shift = 0, output_shift = 0;
  fixedpoint::quantize_multiplier(feature_scale, &feature_multiplier, &feature_shift);
  fixedpoint::quantize_multiplier(output_scale, &output_multiplier, &output_shift);
  MOTE_RETURN_IF_ERROR(check_left_shift(ctx, feature_shift, "input * weights_feature / state scale"));
  MOTE_RETURN_IF_ERROR(check_left_shift(ctx, output_shift, "state * weights_time / output scale"));

  // Zero points are in their tensors' type ranges (the loader checks), shifts
  // in [-31, 31].
  auto* quant = ctx.allocate_op_data<reference::SvdfQuantParams>();
  if (quant == nullptr) return Status::kError;
  quant->feature_multiplier = feature_multiplier;
  quant->feature_shift = int8_t(feature_shift);
  quant->output_multiplier = output_multiplier;
  quant->output_shift = int8_t(output_shift);
  quant->input_zero_point = int8_t(input_q.zero_point);
  quant->state_zero_point = int16_t(state_q.zero_point);
  quant->output_zero_point = int8_t(output_q.zero_point);
  return Status::kOk;
}

Status eval(OpContext& ctx) {
  const TensorView input = ctx.input(kInput);
  const TensorView weights_feature = ctx.input(kWeightsFeature);
  const TensorView weights_time = ctx.input(kWeightsTime);
  const TensorView state = ctx.input(kState);
  const TensorView output = ctx.output(0);
  const void* bias = ctx.has_input(kBias) ? ctx.input(kBias).data : nullptr;
  const reference::SvdfDims dims = svdf_dims(input, weights_feature, weights_time, output.shape.dims[1]);

  if (input.type == DType::kFloat32) {
    reference::svdf_float(dims, ctx.op_data<SvdfFloatOpData>()->activation, input.as<float>(),
                          weights_feature.as<float>(), weights_time.as<float>(), static_cast<const float*>(bias),
                          state.as<float>(), output.as<float>());
  } else if (weights_time.type == DType::kInt16) {
    reference::svdf_int8_state16(dims, *ctx.op_data<reference::SvdfQuantParams>(), input.as<int8_t>(),
                                 weights_feature.as<int8_t>(), weights_time.as<int16_t>(),
                                 static_cast<const int32_t*>(bias), state.as<int16_t>(), output.as<int8_t>());
  } else {
    reference::svdf_int8_state8(dims, *ctx.op_data<reference::SvdfQuantParams>(), input.as<int8_t>(),
                                weights_feature.as<int8_t>(), weights_time.as<int8_t>(),
                                static_cast<const int32_t*>(bias), state.as<int8_t>(), output.as<int8_t>());
  }
  return Status::kOk;
}

}  // namespace

const OpRegistration& svdf() {
  static const OpRegistration registration = {int32_t(schema::BuiltinOp::kSvdf), nullptr, "SVDF", prepare, eval};
  return registration;
}

}  // namespace ops
}  // namespace mote
