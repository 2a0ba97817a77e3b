// RESHAPE: the same bytes under a new shape. The output shape stored in the
// model is authoritative (mote needs static shapes), so the optional shape
// input and the new_shape option are not consulted beyond what the model
// already fixed; prepare checks the element counts agree. The output shares
// the input's buffer when the memory plan allows, and eval then does nothing.
#include "mote/ops.h"
#include "ops/shape_op_util.h"

namespace mote {
namespace ops {
namespace {

Status prepare(OpContext& ctx) {
  if (ctx.num_inputs() < 1 || ctx.num_inputs() > 2)
    return ctx.fail("expects 1 or 2 inputs (data, optional shape), got %d", ctx.num_inputs());
  if (ctx.num_outputs() != 1) return ctx.fail("expects 1 output, got %d", ctx.num_outputs());
  MOTE_RETURN_IF_ERROR(shape_op::check_same_data(ctx));
  return ctx.share_input_buffer();
}

Status eval(OpContext& ctx) { return shape_op::copy_input_to_output(ctx); }

}  // namespace

const OpRegistration& reshape() {
  static const OpRegistration registration = {int32_t(schema::BuiltinOp::kReshape), nullptr, "RESHAPE", prepare, eval};
  return registration;
}

}  // namespace ops
}  // namespace mote
