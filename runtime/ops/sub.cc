// SUB: float32, int32 (unquantized), int8 and int16 (general rescaling path),
// with broadcasting and fused activation.
#include "kernels/reference/sub.h"

#include "mote/ops.h"
#include "ops/elementwise_common.h"

namespace mote {
namespace ops {

namespace {

struct SubOpData {
  reference::BroadcastDesc broadcast;
  reference::AddSubQuantParams quant;
  ArithmeticRanges ranges;
};

Status prepare(OpContext& ctx) {
  SubOpData* data = ctx.allocate_op_data<SubOpData>();
  if (data == nullptr) return Status::kError;
  schema::Activation activation;
  MOTE_RETURN_IF_ERROR(prepare_arithmetic(ctx, schema::sub_options::fused_activation_function, &data->broadcast,
                                          &activation, &data->ranges));

  const DType type = ctx.output(0).type;
  switch (type) {
    case DType::kFloat32:
    case DType::kInt32:
      return Status::kOk;
    case DType::kInt8:
    case DType::kInt16:
      return prepare_add_sub_quant(ctx, /*is_sub=*/true, activation, type, &data->quant);
    default:
      return ctx.fail("type %s is not supported", dtype_name(type));
  }
}

Status eval(OpContext& ctx) {
  const SubOpData& data = *ctx.op_data<SubOpData>();
  if (run_arithmetic_unquantized(ctx, reference::sub_float, reference::sub_int32, data.broadcast, data.ranges))
    return Status::kOk;
  switch (ctx.output(0).type) {
    case DType::kInt8:
      run_binary<int8_t>(ctx, reference::sub_int8, data.broadcast, data.quant);
      break;
    case DType::kInt16:
      run_binary<int16_t>(ctx, reference::sub_int16, data.broadcast, data.quant);
      break;
    default:
      return ctx.fail("type %s is not supported", dtype_name(ctx.output(0).type));
  }
  return Status::kOk;
}

}  // namespace

const OpRegistration& sub() {
  static const OpRegistration registration = {int32_t(schema::BuiltinOp::kSub), nullptr, "SUB",
                                              prepare_in_place<prepare, 0, 1>, eval};
  return registration;
}

}  // namespace ops
}  // namespace mote
