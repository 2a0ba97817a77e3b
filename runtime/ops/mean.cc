// MEAN: average over the dimensions listed in the constant `axis` input
// (negative counts from the end, duplicates ignored). keep_dims only changes
// the output shape, not the data layout, so it needs no handling beyond the
// element-count check.
//
// int8/int16 follow TFLM exactly: the sums are always requantized with
// input_scale / output_scale, 1/n folded into that multiplier. Current TFLM
// has no shortcut for equal input/output quantization and no special 4-D
// axes {1, 2} path any more (older versions had both), so neither has mote.
#include "kernels/reference/mean.h"

#include "kernels/fixedpoint.h"
#include "mote/ops.h"
#include "ops/quantization.h"
#include "ops/shape_op_util.h"

namespace mote {
namespace ops {
namespace {

struct OpData {
  reference::MeanParams params;
  int32_t sums_scratch = -1;  // int32 per output; integer kernels only
};

Status prepare(OpContext& ctx) {
  if (ctx.num_inputs() != 2) return ctx.fail("expects 2 inputs (data, axis), got %d", ctx.num_inputs());
  if (ctx.num_outputs() != 1) return ctx.fail("expects 1 output, got %d", ctx.num_outputs());
  const TensorView input = ctx.input(0);
  const TensorView axis = ctx.input(1);
  const TensorView output = ctx.output(0);

  if (input.type != DType::kFloat32 && input.type != DType::kInt8 && input.type != DType::kInt16)
    return ctx.fail("type %s is not supported (float32, int8 and int16 are)", dtype_name(input.type));
  if (output.type != input.type)
    return ctx.fail("input is %s but output is %s; they must have the same type", dtype_name(input.type),
                    dtype_name(output.type));
  if (axis.type != DType::kInt32) return ctx.fail("axis must be int32, got %s", dtype_name(axis.type));
  if (!ctx.input_is_constant(1)) return ctx.fail("the axis input must be a constant stored in the model");

  const Shape& shape = input.shape;
  bool reduced[kMaxDims] = {};
  // A scalar input has no axes to reduce; TFLite ignores the axis values then.
  if (shape.rank > 0) {
    for (int64_t i = 0; i < axis.num_elements(); ++i) {
      const int64_t given = shape_op::index_value(axis, i);
      const int64_t d = given < 0 ? given + shape.rank : given;
      if (d < 0 || d >= shape.rank)
        return ctx.fail("axis %lld is out of range for input %s", (long long)given, shape_op::ShapeText(shape).c_str());
      reduced[d] = true;
    }
  }

  OpData* data = ctx.allocate_op_data<OpData>();
  if (data == nullptr) return Status::kError;
  reference::mean_params(shape, reduced, &data->params);
  if (data->params.num_outputs != output.num_elements())
    return ctx.fail("averaging input %s over the given axes gives %d elements, but output %s has %lld",
                    shape_op::ShapeText(shape).c_str(), int(data->params.num_outputs),
                    shape_op::ShapeText(output.shape).c_str(), (long long)output.num_elements());
  if (input.type == DType::kFloat32) return Status::kOk;

  TensorQuant input_quant, output_quant;
  MOTE_RETURN_IF_ERROR(per_tensor_quant(ctx, ctx.input_quant(0), "input", &input_quant));
  MOTE_RETURN_IF_ERROR(per_tensor_quant(ctx, ctx.output_quant(0), "output", &output_quant));

  reference::MeanParams& p = data->params;
  p.input_zero_point = input_quant.zero_point;
  p.output_zero_point = output_quant.zero_point;
  int shift = 0;
  fixedpoint::quantize_multiplier(double(input_quant.scale) / double(output_quant.scale), &p.multiplier, &shift);
  MOTE_RETURN_IF_ERROR(check_left_shift(ctx, shift, "input scale / output scale"));
  p.shift = shift;
  reference::mean_fold_count(p.reduced_count, &p.multiplier, &p.shift);
  const size_t num_sums = p.num_outputs > 0 ? size_t(p.num_outputs) : 1;
  return ctx.request_scratch(num_sums * sizeof(int32_t), &data->sums_scratch);
}

Status eval(OpContext& ctx) {
  const OpData* data = ctx.op_data<OpData>();
  const TensorView input = ctx.input(0);
  const TensorView output = ctx.output(0);
  switch (input.type) {
    case DType::kFloat32:
      reference::mean_float(data->params, input.as<float>(), output.as<float>());
      break;
    case DType::kInt8:
      reference::mean_int8(data->params, input.as<int8_t>(), output.as<int8_t>(),
                           static_cast<int32_t*>(ctx.scratch(data->sums_scratch)));
      break;
    case DType::kInt16:
      reference::mean_int16(data->params, input.as<int16_t>(), output.as<int16_t>(),
                            static_cast<int32_t*>(ctx.scratch(data->sums_scratch)));
      break;
    default:
      return ctx.fail("type %s is not supported", dtype_name(input.type));
  }
  return Status::kOk;
}

}  // namespace

const OpRegistration& mean() {
  static const OpRegistration registration = {int32_t(schema::BuiltinOp::kMean), nullptr, "MEAN", prepare, eval};
  return registration;
}

}  // namespace ops
}  // namespace mote
