// SQUEEZE: drops size-1 dimensions (those in squeeze_dims, or all of them
// when the option is empty). The output shares the input's buffer
// when the memory plan allows; otherwise the data is copied unchanged.
#include "mote/ops.h"
#include "ops/shape_op_util.h"

namespace mote {
namespace ops {
namespace {

Status prepare(OpContext& ctx) {
  if (ctx.num_inputs() != 1) return ctx.fail("expects 1 input, got %d", ctx.num_inputs());
  if (ctx.num_outputs() != 1) return ctx.fail("expects 1 output, got %d", ctx.num_outputs());
  MOTE_RETURN_IF_ERROR(shape_op::check_same_data(ctx));

  const Shape input = ctx.input(0).shape;
  bool squeezed[kMaxDims] = {};
  const fb::Vector<int32_t> squeeze_dims = ctx.options().vector<int32_t>(schema::squeeze_options::squeeze_dims);
  if (!squeeze_dims.valid() || squeeze_dims.size() == 0) {
    for (int32_t d = 0; d < input.rank; ++d) squeezed[d] = input.dims[d] == 1;
  } else {
    for (uint32_t i = 0; i < squeeze_dims.size(); ++i) {
      const int32_t given = squeeze_dims[i];
      const int32_t d = given < 0 ? given + input.rank : given;
      if (d < 0 || d >= input.rank)
        return ctx.fail("squeeze_dims entry %d is out of range for input %s", int(given),
                        shape_op::ShapeText(input).c_str());
      if (input.dims[d] != 1)
        return ctx.fail("cannot squeeze dimension %d of input %s: its size is %d, not 1", int(d),
                        shape_op::ShapeText(input).c_str(), int(input.dims[d]));
      squeezed[d] = true;
    }
  }

  Shape expected;
  for (int32_t d = 0; d < input.rank; ++d)
    if (!squeezed[d]) expected.dims[expected.rank++] = input.dims[d];
  const Shape output = ctx.output(0).shape;
  if (output != expected)
    return ctx.fail("squeezing input %s gives %s, but the output is %s", shape_op::ShapeText(input).c_str(),
                    shape_op::ShapeText(expected).c_str(), shape_op::ShapeText(output).c_str());
  return ctx.share_input_buffer();
}

Status eval(OpContext& ctx) { return shape_op::copy_input_to_output(ctx); }

}  // namespace

const OpRegistration& squeeze() {
  static const OpRegistration registration = {int32_t(schema::BuiltinOp::kSqueeze), nullptr, "SQUEEZE", prepare, eval};
  return registration;
}

}  // namespace ops
}  // namespace mote
