// TRANSPOSE: output dimension k is input dimension perm[k], perm a constant
// int32/int64 input holding each of 0..rank-1 once.
#include "kernels/reference/transpose.h"

#include "mote/ops.h"
#include "ops/shape_op_util.h"

namespace mote {
namespace ops {
namespace {

struct OpData {
  reference::TransposeParams params;
  int32_t element_size = 0;
};

Status prepare(OpContext& ctx) {
  if (ctx.num_inputs() != 2) return ctx.fail("expects 2 inputs (data, perm), got %d", ctx.num_inputs());
  if (ctx.num_outputs() != 1) return ctx.fail("expects 1 output, got %d", ctx.num_outputs());
  const TensorView input = ctx.input(0);
  const TensorView perm_tensor = ctx.input(1);
  const TensorView output = ctx.output(0);

  const int element_size = shape_op::movable_element_size(input.type);
  if (element_size == 0) return ctx.fail("type %s is not supported", dtype_name(input.type));
  if (output.type != input.type)
    return ctx.fail("input is %s but output is %s; they must have the same type", dtype_name(input.type),
                    dtype_name(output.type));
  if (!ctx.input_is_constant(1)) return ctx.fail("the perm input must be a constant stored in the model");
  if (!shape_op::is_index_type(perm_tensor.type))
    return ctx.fail("perm must be int32 or int64, got %s", dtype_name(perm_tensor.type));
  const int32_t rank = input.shape.rank;
  if (perm_tensor.shape.rank != 1 || perm_tensor.shape.dims[0] != rank)
    return ctx.fail("perm %s must be a vector of %d entries, one per input dimension",
                    shape_op::ShapeText(perm_tensor.shape).c_str(), int(rank));

  int32_t perm[kMaxDims] = {};
  bool used[kMaxDims] = {};
  for (int32_t k = 0; k < rank; ++k) {
    const int64_t d = shape_op::index_value(perm_tensor, k);
    if (d < 0 || d >= rank || used[d])
      return ctx.fail("perm is not a permutation of 0..%d (entry %d is %lld)", int(rank - 1), int(k), (long long)d);
    used[d] = true;
    perm[k] = int32_t(d);
  }

  OpData* data = ctx.allocate_op_data<OpData>();
  if (data == nullptr) return Status::kError;
  reference::transpose_params(input.shape, perm, &data->params);
  data->element_size = element_size;

  Shape expected;
  expected.rank = rank;
  for (int32_t k = 0; k < rank; ++k) expected.dims[k] = data->params.output_dims[k];
  if (output.shape != expected)
    return ctx.fail("transposing input %s gives %s, but the output is %s", shape_op::ShapeText(input.shape).c_str(),
                    shape_op::ShapeText(expected).c_str(), shape_op::ShapeText(output.shape).c_str());
  return Status::kOk;
}

Status eval(OpContext& ctx) {
  const OpData* data = ctx.op_data<OpData>();
  reference::transpose(data->params, ctx.input(0).data, ctx.output(0).data, data->element_size);
  return Status::kOk;
}

}  // namespace

const OpRegistration& transpose() {
  static const OpRegistration registration = {int32_t(schema::BuiltinOp::kTranspose), nullptr, "TRANSPOSE", prepare,
                                              eval};
  return registration;
}

}  // namespace ops
}  // namespace mote
