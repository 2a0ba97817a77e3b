// STRIDED_SLICE: numpy-style slicing with constant begin/end/strides inputs
// and the TFLite masks (begin, end, ellipsis, new_axis, shrink_axis) and
// offset option; see kernels/reference/strided_slice.h for the semantics.
// Everything is resolved in prepare; eval is one strided copy.
#include "kernels/reference/strided_slice.h"

#include "mote/ops.h"
#include "ops/shape_op_util.h"

namespace mote {
namespace ops {
namespace {

struct OpData {
  reference::StridedSliceParams params;
  int32_t element_size = 0;
};

Status read_spec_vector(OpContext& ctx, int index, const char* name, int64_t count, int32_t* values) {
  const TensorView t = ctx.input(index);
  if (!ctx.input_is_constant(index)) return ctx.fail("the %s input must be a constant stored in the model", name);
  if (!shape_op::is_index_type(t.type)) return ctx.fail("%s must be int32 or int64, got %s", name, dtype_name(t.type));
  if (t.shape.rank != 1 || t.shape.dims[0] != count)
    return ctx.fail("%s %s must be a vector of %lld entries like begin", name, shape_op::ShapeText(t.shape).c_str(),
                    (long long)count);
  for (int64_t i = 0; i < count; ++i) {
    const int64_t v = shape_op::index_value(t, i);
    if (v < INT32_MIN || v > INT32_MAX)
      return ctx.fail("%s[%lld] = %lld does not fit in int32", name, (long long)i, (long long)v);
    values[i] = int32_t(v);
  }
  return Status::kOk;
}

Status prepare(OpContext& ctx) {
  if (ctx.num_inputs() != 4) return ctx.fail("expects 4 inputs (data, begin, end, strides), got %d", ctx.num_inputs());
  if (ctx.num_outputs() != 1) return ctx.fail("expects 1 output, got %d", ctx.num_outputs());
  const TensorView input = ctx.input(0);
  const TensorView output = ctx.output(0);
  const int element_size = shape_op::movable_element_size(input.type);
  if (element_size == 0) return ctx.fail("type %s is not supported", dtype_name(input.type));
  if (output.type != input.type)
    return ctx.fail("input is %s but output is %s; they must have the same type", dtype_name(input.type),
                    dtype_name(output.type));

  const TensorView begin = ctx.input(1);
  if (begin.shape.rank != 1)
    return ctx.fail("begin must be a vector, got shape %s", shape_op::ShapeText(begin.shape).c_str());
  const int64_t count = begin.shape.dims[0];
  if (count > reference::kMaxSliceSpecs)
    return ctx.fail("begin has %lld entries; mote supports up to %d", (long long)count, reference::kMaxSliceSpecs);

  reference::StridedSliceSpec spec;
  spec.count = int32_t(count);
  MOTE_RETURN_IF_ERROR(read_spec_vector(ctx, 1, "begin", count, spec.begin));
  MOTE_RETURN_IF_ERROR(read_spec_vector(ctx, 2, "end", count, spec.end));
  MOTE_RETURN_IF_ERROR(read_spec_vector(ctx, 3, "strides", count, spec.strides));
  const fb::Table options = ctx.options();
  namespace so = schema::strided_slice_options;
  spec.begin_mask = options.scalar<int32_t>(so::begin_mask, 0);
  spec.end_mask = options.scalar<int32_t>(so::end_mask, 0);
  spec.ellipsis_mask = options.scalar<int32_t>(so::ellipsis_mask, 0);
  spec.new_axis_mask = options.scalar<int32_t>(so::new_axis_mask, 0);
  spec.shrink_axis_mask = options.scalar<int32_t>(so::shrink_axis_mask, 0);
  spec.offset = options.scalar<uint8_t>(so::offset, 0) != 0;

  OpData* data = ctx.allocate_op_data<OpData>();
  if (data == nullptr) return Status::kError;
  Shape expected;
  const char* error = reference::strided_slice_resolve(input.shape, spec, &data->params, &expected);
  if (error != nullptr) return ctx.fail("%s (input %s)", error, shape_op::ShapeText(input.shape).c_str());
  if (output.shape != expected)
    return ctx.fail("slicing input %s gives %s, but the output is %s", shape_op::ShapeText(input.shape).c_str(),
                    shape_op::ShapeText(expected).c_str(), shape_op::ShapeText(output.shape).c_str());
  data->element_size = element_size;
  return Status::kOk;
}

Status eval(OpContext& ctx) {
  const OpData* data = ctx.op_data<OpData>();
  reference::strided_slice(data->params, ctx.input(0).data, ctx.output(0).data, data->element_size);
  return Status::kOk;
}

}  // namespace

const OpRegistration& strided_slice() {
  static const OpRegistration registration = {int32_t(schema::BuiltinOp::kStridedSlice), nullptr, "STRIDED_SLICE",
                                              prepare, eval};
  return registration;
}

}  // namespace ops
}  // namespace mote
