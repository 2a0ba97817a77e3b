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

enum class SvdfKernel : uint8_t { kFloat32, kInt8State16, kInt8State8 };

// The dimensions are re-read from the tensor shapes in eval (a few loads)
// rather than stored: op data is per node, and small models have many.
struct SvdfOpData {
  SvdfKernel kernel;
  schema::Activation activation;
  int32_t rank;
  reference::SvdfQuantParams quant;
  // int8: one int32 buffer, per-filter sums then per-unit sums; float: the
  // per-filter sums.
  int32_t scratch;
};

constexpr int kInput = 0, kWeightsFeature = 1, kWeightsTime = 2, kBias = 3, kState = 4;

// Needs 2-D input, weights_feature and weights_time, and rank > 0.
reference::SvdfDims svdf_dims(const TensorView& input, const TensorView& weights_feature,
                              const TensorView& weights_time, int32_t rank) {
  reference::SvdfDims dims;
  dims.batches = input.shape.dims[0];
  dims.input_size = input.shape.dims[1];
  dims.num_filters = weights_feature.shape.dims[0];
  dims.memory_size = weights_time.shape.dims[1];
  dims.rank = rank;
  dims.num_units = dims.num_filters / rank;
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
  if (rank <= 0 || weights_feature.shape.dims[0] % rank != 0)
    return ctx.fail("rank %d does not divide the %d filters", int(rank), int(weights_feature.shape.dims[0]));
  const reference::SvdfDims dims = svdf_dims(input, weights_feature, weights_time, rank);
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

  auto* data = ctx.allocate_op_data<SvdfOpData>();
  if (data == nullptr) return Status::kError;
  data->rank = rank;
  data->activation = activation;

  if (input.type == DType::kFloat32) {
    if (weights_feature.type != DType::kFloat32 || weights_time.type != DType::kFloat32 ||
        state.type != DType::kFloat32 || output.type != DType::kFloat32 || (has_bias && bias.type != DType::kFloat32))
      return ctx.fail("a float32 SVDF needs float32 weights, bias, state and output");
    if (activation != schema::Activation::kNone && activation != schema::Activation::kRelu &&
        activation != schema::Activation::kReluN1To1 && activation != schema::Activation::kRelu6 &&
        activation != schema::Activation::kTanh && activation != schema::Activation::kSignBit)
      return ctx.fail("fused activation %d is not supported", int(activation));
    data->kernel = SvdfKernel::kFloat32;
    return ctx.request_scratch(size_t(reference::svdf_float_scratch_bytes(dims)), &data->scratch);
  }

  if (input.type != DType::kInt8)
    return ctx.fail("input type %s is not supported (float32, int8)", dtype_name(input.type));
  if (weights_feature.type != DType::kInt8) return ctx.fail("int8 SVDF needs int8 weights_feature");
  if (output.type != DType::kInt8) return ctx.fail("int8 SVDF needs an int8 output");
  if (weights_time.type == DType::kInt16 && state.type == DType::kInt16) {
    data->kernel = SvdfKernel::kInt8State16;
  } else if (weights_time.type == DType::kInt8 && state.type == DType::kInt8) {
    data->kernel = SvdfKernel::kInt8State8;
  } else {
    return ctx.fail("weights_time (%s) and activation state (%s) must both be int16 or both int8",
                    dtype_name(weights_time.type), dtype_name(state.type));
  }
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
  int shift = 0;
  fixedpoint::quantize_multiplier(feature_scale, &data->quant.feature_multiplier, &shift);
  data->quant.feature_shift = shift;
  fixedpoint::quantize_multiplier(output_scale, &data->quant.output_multiplier, &shift);
  data->quant.output_shift = shift;
  MOTE_RETURN_IF_ERROR(check_left_shift(ctx, data->quant.feature_shift, "input * weights_feature / state scale"));
  MOTE_RETURN_IF_ERROR(check_left_shift(ctx, data->quant.output_shift, "state * weights_time / output scale"));
  data->quant.input_zero_point = input_q.zero_point;
  data->quant.state_zero_point = state_q.zero_point;
  data->quant.output_zero_point = output_q.zero_point;

  // One request rather than two: every planned buffer costs planner work
  // space and a scratch record.
  return ctx.request_scratch(size_t(reference::svdf_integer_filter_scratch_bytes(dims)) +
                                 size_t(reference::svdf_integer_unit_scratch_bytes(dims)),
                             &data->scratch);
}

Status eval(OpContext& ctx) {
  const SvdfOpData& data = *ctx.op_data<SvdfOpData>();
  const TensorView input = ctx.input(kInput);
  const TensorView weights_feature = ctx.input(kWeightsFeature);
  const TensorView weights_time = ctx.input(kWeightsTime);
  const TensorView state = ctx.input(kState);
  const TensorView output = ctx.output(0);
  const void* bias = ctx.has_input(kBias) ? ctx.input(kBias).data : nullptr;
  const reference::SvdfDims dims = svdf_dims(input, weights_feature, weights_time, data.rank);
  void* scratch = ctx.scratch(data.scratch);
  int32_t* filter_sums = static_cast<int32_t*>(scratch);
  int32_t* unit_sums = filter_sums + dims.batches * dims.num_filters;

  switch (data.kernel) {
    case SvdfKernel::kFloat32:
      reference::svdf_float(dims, data.activation, input.as<float>(), weights_feature.as<float>(),
                            weights_time.as<float>(), static_cast<const float*>(bias), state.as<float>(),
                            static_cast<float*>(scratch), output.as<float>());
      break;
    case SvdfKernel::kInt8State16:
      reference::svdf_int8_state16(dims, data.quant, input.as<int8_t>(), weights_feature.as<int8_t>(),
                                   weights_time.as<int16_t>(), static_cast<const int32_t*>(bias), state.as<int16_t>(),
                                   filter_sums, unit_sums, output.as<int8_t>());
      break;
    case SvdfKernel::kInt8State8:
      reference::svdf_int8_state8(dims, data.quant, input.as<int8_t>(), weights_feature.as<int8_t>(),
                                  weights_time.as<int8_t>(), static_cast<const int32_t*>(bias), state.as<int8_t>(),
                                  filter_sums, unit_sums, output.as<int8_t>());
      break;
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
