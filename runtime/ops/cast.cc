// CAST between float32, bool, int8, uint8, int16, uint16, int32, uint32 and
// int64 (C++ conversions; see kernels/reference/cast.h).
#include "kernels/reference/cast.h"

#include "mote/ops.h"
#include "ops/elementwise_common.h"

namespace mote {
namespace ops {

namespace {

struct CastOpData {
  int32_t size;
};

Status prepare(OpContext& ctx) {
  CastOpData* data = ctx.allocate_op_data<CastOpData>();
  if (data == nullptr) return Status::kError;
  MOTE_RETURN_IF_ERROR(prepare_unary(ctx, /*any_output_type=*/true));
  data->size = int32_t(ctx.input(0).num_elements());
  const DType in = ctx.input(0).type;
  const DType out = ctx.output(0).type;
  if (!reference::cast_supported(in) || !reference::cast_supported(out)) {
    return ctx.fail("%s -> %s is not supported", dtype_name(in), dtype_name(out));
  }
  return Status::kOk;
}

Status eval(OpContext& ctx) {
  const CastOpData& data = *ctx.op_data<CastOpData>();
  const TensorView in = ctx.input(0);
  const TensorView out = ctx.output(0);
  reference::cast(in.type, in.data, out.type, out.data, data.size);
  return Status::kOk;
}

}  // namespace

const OpRegistration& cast() {
  static const OpRegistration registration = {int32_t(schema::BuiltinOp::kCast), nullptr, "CAST",
                                              prepare_in_place<prepare, 0>, eval};
  return registration;
}

}  // namespace ops
}  // namespace mote
