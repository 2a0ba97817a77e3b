// PAD and PADV2 (constant mode): surround the input with pad values, the
// amounts given by the constant [rank, 2] `paddings` input (before, after).
// The pad value is PADV2's third input when given; otherwise 0, or the
// output zero point for int8/uint8 (the quantized 0.0), as in TFLM. The
// output may be planned over the input (reference::pad_min_lead).
#include "kernels/reference/pad.h"

#include <limits>

#include "mote/ops.h"
#include "ops/shape_op_util.h"

namespace mote {
namespace ops {
namespace {

struct OpData {
  reference::PadParams params;
  int32_t element_size = 0;
  int32_t pad_value_is_input = 0;  // 1: read input 2 in eval (not constant)
  uint8_t pad_value[8] = {};       // one element, when known in prepare
};

bool supported_type(DType type) {
  return type == DType::kFloat32 || type == DType::kInt8 || type == DType::kUInt8 || type == DType::kInt16 ||
         type == DType::kInt32 || type == DType::kInt64;
}

}  // namespace

// Shared with PADV2 (pad_v2.cc).
namespace pad_op {

Status prepare(OpContext& ctx) {
  if (ctx.num_inputs() < 2 || ctx.num_inputs() > 3)
    return ctx.fail("expects 2 or 3 inputs (data, paddings, optional constant_values), got %d", ctx.num_inputs());
  if (ctx.num_outputs() != 1) return ctx.fail("expects 1 output, got %d", ctx.num_outputs());
  const TensorView input = ctx.input(0);
  const TensorView paddings = ctx.input(1);
  const TensorView output = ctx.output(0);
  const bool has_constant_values = ctx.num_inputs() == 3 && ctx.has_input(2);

  if (!supported_type(input.type)) return ctx.fail("type %s is not supported", dtype_name(input.type));
  if (output.type != input.type)
    return ctx.fail("input is %s but output is %s; they must have the same type", dtype_name(input.type),
                    dtype_name(output.type));
  const int32_t rank = input.shape.rank;
  if (output.shape.rank != rank)
    return ctx.fail("input %s and output %s have different ranks", shape_op::ShapeText(input.shape).c_str(),
                    shape_op::ShapeText(output.shape).c_str());

  if (!ctx.input_is_constant(1)) return ctx.fail("the paddings input must be a constant stored in the model");
  if (!shape_op::is_index_type(paddings.type))
    return ctx.fail("paddings must be int32 or int64, got %s", dtype_name(paddings.type));
  if (paddings.num_elements() != 2 * int64_t(rank))
    return ctx.fail("paddings %s must hold 2 values per input dimension (%d)",
                    shape_op::ShapeText(paddings.shape).c_str(), int(2 * rank));

  OpData* data = ctx.allocate_op_data<OpData>();
  if (data == nullptr) return Status::kError;
  reference::PadParams& p = data->params;
  p.rank = rank;
  for (int32_t d = 0; d < rank; ++d) {
    const int64_t before = shape_op::index_value(paddings, 2 * d);
    const int64_t after = shape_op::index_value(paddings, 2 * d + 1);
    if (before < 0 || after < 0)
      return ctx.fail("paddings of dimension %d are negative (%lld, %lld)", int(d), (long long)before,
                      (long long)after);
    if (input.shape.dims[d] + before + after != output.shape.dims[d])
      return ctx.fail("padding input %s by (%lld, %lld) along dimension %d does not give output %s",
                      shape_op::ShapeText(input.shape).c_str(), (long long)before, (long long)after, int(d),
                      shape_op::ShapeText(output.shape).c_str());
    p.input_dims[d] = input.shape.dims[d];
    p.left[d] = int32_t(before);
    p.output_dims[d] = output.shape.dims[d];
  }
  data->element_size = int32_t(dtype_size(input.type));

  const QuantView output_quant = ctx.output_quant(0);
  if (has_constant_values) {
    const TensorView value = ctx.input(2);
    if (value.type != input.type)
      return ctx.fail("constant_values is %s but the input is %s", dtype_name(value.type), dtype_name(input.type));
    if (value.num_elements() != 1)
      return ctx.fail("constant_values must hold one value, got shape %s", shape_op::ShapeText(value.shape).c_str());
    if (input.type == DType::kInt8) {
      // TFLM requires the pad value to be in the output's quantization.
      const QuantView value_quant = ctx.input_quant(2);
      if (value_quant.zero_point() != output_quant.zero_point() || value_quant.scale() != output_quant.scale())
        return ctx.fail("constant_values must have the output's scale and zero point");
    }
    if (ctx.input_is_constant(2)) {
      memcpy(data->pad_value, value.data, size_t(data->element_size));
    } else {
      data->pad_value_is_input = 1;
    }
  } else if (input.type == DType::kInt8 || input.type == DType::kUInt8) {
    const int32_t zero_point = output_quant.zero_point();
    const int32_t lo = input.type == DType::kInt8 ? std::numeric_limits<int8_t>::min() : 0;
    const int32_t hi = input.type == DType::kInt8 ? std::numeric_limits<int8_t>::max() : 255;
    if (zero_point < lo || zero_point > hi)
      return ctx.fail("output zero point %d is outside the %s range", int(zero_point), dtype_name(input.type));
    data->pad_value[0] = uint8_t(zero_point);
  }
  // The kernel writes back to front: the output may start below its input
  // by the padding before the first input element, or anywhere above it.
  return ctx.allow_overlap(0, 0, reference::pad_min_lead(p, data->element_size), INT32_MAX);
}

Status eval(OpContext& ctx) {
  const OpData* data = ctx.op_data<OpData>();
  const void* pad_value = data->pad_value_is_input ? ctx.input(2).data : data->pad_value;
  reference::pad(data->params, ctx.input(0).data, pad_value, ctx.output(0).data, data->element_size);
  return Status::kOk;
}

}  // namespace pad_op

const OpRegistration& pad() {
  static const OpRegistration registration = {int32_t(schema::BuiltinOp::kPad), nullptr, "PAD", pad_op::prepare,
                                              pad_op::eval};
  return registration;
}

}  // namespace ops
}  // namespace mote
