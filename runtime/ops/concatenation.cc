// CONCATENATION: joins its inputs along `axis` (negative counts from the
// end). As in TFLM, quantized inputs are copied without requantization (the
// converter gives all inputs the output's scale and zero point), and no
// fused activation is allowed.
#include "kernels/reference/concatenation.h"

#include "mote/ops.h"
#include "ops/shape_op_util.h"

namespace mote {
namespace ops {
namespace {

struct OpData {
  reference::ConcatenationParams params;
  ArenaRef<uint32_t> input_row_bytes;  // per input: bytes of one outer slice
};

// With one outer row each input is a contiguous slice of the output: the
// planner may place it there (lead = minus its offset in the output), and the
// kernel then leaves it in place. Not for an input given twice (one place).
Status allow_inputs_as_slices(OpContext& ctx, int32_t outer_count, const uint32_t* row_bytes) {
  if (outer_count != 1) return Status::kOk;
  int64_t column = 0;
  for (int i = 0; i < ctx.num_inputs(); ++i) {
    bool repeated = false;
    for (int j = 0; j < ctx.num_inputs(); ++j)
      repeated = repeated || (j != i && ctx.input_tensor_index(j) == ctx.input_tensor_index(i));
    const int32_t lead = int32_t(-column);
    if (!repeated && row_bytes[i] > 0 && !ok(ctx.allow_overlap(i, 0, lead, lead))) return Status::kError;
    column += row_bytes[i];
  }
  return Status::kOk;
}

Status prepare(OpContext& ctx) {
  const int num_inputs = ctx.num_inputs();
  if (num_inputs < 1) return ctx.fail("expects at least 1 input");
  if (ctx.num_outputs() != 1) return ctx.fail("expects 1 output, got %d", ctx.num_outputs());

  const fb::Table options = ctx.options();
  const int8_t activation = options.scalar<int8_t>(schema::concatenation_options::fused_activation_function, 0);
  if (activation != int8_t(schema::Activation::kNone))
    return ctx.fail("fused activation %d is not supported (TFLM supports none)", int(activation));

  const TensorView output = ctx.output(0);
  const int element_size = shape_op::movable_element_size(output.type);
  if (element_size == 0) return ctx.fail("type %s is not supported", dtype_name(output.type));
  const int32_t rank = output.shape.rank;
  const int32_t given_axis = options.scalar<int32_t>(schema::concatenation_options::axis, 0);
  const int32_t axis = given_axis < 0 ? given_axis + rank : given_axis;
  if (axis < 0 || axis >= rank)
    return ctx.fail("axis %d is out of range for output %s", int(given_axis),
                    shape_op::ShapeText(output.shape).c_str());

  int64_t inner = 1;
  for (int32_t d = axis + 1; d < rank; ++d) inner *= output.shape.dims[d];

  OpData* data = ctx.allocate_op_data<OpData>();
  if (data == nullptr) return Status::kError;
  uint32_t* row_bytes = ctx.allocate_array<uint32_t>(size_t(num_inputs), &data->input_row_bytes);
  if (row_bytes == nullptr) return ctx.fail("arena too small for the per-input data of %d inputs", num_inputs);

  int64_t axis_total = 0;
  for (int i = 0; i < num_inputs; ++i) {
    if (!ctx.has_input(i)) return ctx.fail("input %d is missing", i);
    const TensorView input = ctx.input(i);
    if (input.type != output.type)
      return ctx.fail("input %d is %s but output is %s; all must have the same type", i, dtype_name(input.type),
                      dtype_name(output.type));
    bool compatible = input.shape.rank == rank;
    for (int32_t d = 0; compatible && d < rank; ++d)
      compatible = d == axis || input.shape.dims[d] == output.shape.dims[d];
    if (!compatible)
      return ctx.fail("input %d %s does not match output %s outside axis %d", i,
                      shape_op::ShapeText(input.shape).c_str(), shape_op::ShapeText(output.shape).c_str(), int(axis));
    axis_total += input.shape.dims[axis];
    row_bytes[i] = uint32_t(int64_t(input.shape.dims[axis]) * inner * element_size);
  }
  if (axis_total != output.shape.dims[axis])
    return ctx.fail("inputs add up to %lld along axis %d but the output has %d", (long long)axis_total, int(axis),
                    int(output.shape.dims[axis]));

  data->params.outer_count = int32_t(output.shape.flat_size(0, axis));
  data->params.output_row_bytes = uint32_t(int64_t(output.shape.dims[axis]) * inner * element_size);
  return allow_inputs_as_slices(ctx, data->params.outer_count, row_bytes);
}

Status eval(OpContext& ctx) {
  const OpData* data = ctx.op_data<OpData>();
  const uint32_t* row_bytes = ctx.get(data->input_row_bytes);
  void* output = ctx.output(0).data;
  uint32_t column = 0;
  for (int i = 0; i < ctx.num_inputs(); ++i) {
    reference::concatenation_place(data->params, ctx.input(i).data, row_bytes[i], column, output);
    column += row_bytes[i];
  }
  return Status::kOk;
}

}  // namespace

const OpRegistration& concatenation() {
  static const OpRegistration registration = {int32_t(schema::BuiltinOp::kConcatenation), nullptr, "CONCATENATION",
                                              prepare, eval};
  return registration;
}

}  // namespace ops
}  // namespace mote
