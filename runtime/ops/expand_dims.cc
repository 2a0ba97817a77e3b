// EXPAND_DIMS: inserts a size-1 dimension at `axis` (a constant input;
// negative counts from the end of the output). The output shares the input's buffer
// when the memory plan allows; otherwise the data is copied unchanged.
#include "mote/ops.h"
#include "ops/shape_op_util.h"

namespace mote {
namespace ops {
namespace {

Status prepare(OpContext& ctx) {
  if (ctx.num_inputs() != 2) return ctx.fail("expects 2 inputs (data, axis), got %d", ctx.num_inputs());
  if (ctx.num_outputs() != 1) return ctx.fail("expects 1 output, got %d", ctx.num_outputs());
  MOTE_RETURN_IF_ERROR(shape_op::check_same_data(ctx));

  const TensorView axis_tensor = ctx.input(1);
  if (!ctx.input_is_constant(1)) return ctx.fail("the axis input must be a constant stored in the model");
  if (!shape_op::is_index_type(axis_tensor.type))
    return ctx.fail("axis must be int32 or int64, got %s", dtype_name(axis_tensor.type));
  if (axis_tensor.shape.rank > 1 || axis_tensor.num_elements() != 1)
    return ctx.fail("axis must hold exactly one value, got shape %s", shape_op::ShapeText(axis_tensor.shape).c_str());

  const Shape input = ctx.input(0).shape;
  const int64_t given = shape_op::index_value(axis_tensor, 0);
  const int64_t axis = given < 0 ? given + input.rank + 1 : given;
  if (axis < 0 || axis > input.rank)
    return ctx.fail("axis %lld is out of range for input %s", (long long)given, shape_op::ShapeText(input).c_str());
  if (input.rank + 1 > kMaxDims) return ctx.fail("the output would have more than %d dimensions", kMaxDims);

  Shape expected;
  expected.rank = input.rank + 1;
  for (int32_t d = 0, in = 0; d < expected.rank; ++d) expected.dims[d] = d == axis ? 1 : input.dims[in++];
  const Shape output = ctx.output(0).shape;
  if (output != expected)
    return ctx.fail("expanding input %s at axis %lld gives %s, but the output is %s",
                    shape_op::ShapeText(input).c_str(), (long long)given, shape_op::ShapeText(expected).c_str(),
                    shape_op::ShapeText(output).c_str());
  return ctx.share_input_buffer();
}

Status eval(OpContext& ctx) { return shape_op::copy_input_to_output(ctx); }

}  // namespace

const OpRegistration& expand_dims() {
  static const OpRegistration registration = {int32_t(schema::BuiltinOp::kExpandDims), nullptr, "EXPAND_DIMS", prepare,
                                              eval};
  return registration;
}

}  // namespace ops
}  // namespace mote
