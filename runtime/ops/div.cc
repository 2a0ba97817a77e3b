// DIV: float32, int32 (unquantized) and int8, with broadcasting and fused
// activation.
#include "kernels/reference/div.h"

#include "mote/ops.h"
#include "ops/elementwise_common.h"

namespace mote {
namespace ops {

namespace {

struct DivOpData {
  reference::BroadcastDesc broadcast;
  reference::DivQuantParams quant;
  ArithmeticRanges ranges;
};

Status prepare(OpContext& ctx) {
  DivOpData* data = ctx.allocate_op_data<DivOpData>();
  if (data == nullptr) return Status::kError;
  schema::Activation activation;
  MOTE_RETURN_IF_ERROR(prepare_arithmetic(ctx, schema::div_options::fused_activation_function, &data->broadcast,
                                          &activation, &data->ranges));

  const DType type = ctx.output(0).type;
  switch (type) {
    case DType::kFloat32:
    case DType::kInt32:
      return Status::kOk;
    case DType::kInt8: {
      BinaryQuant q;
      MOTE_RETURN_IF_ERROR(read_binary_quant(ctx, activation, type, &q));
      reference::make_div_quant_params(q.input1.scale, q.input1.zero_point, q.input2.scale, q.input2.zero_point,
                                       q.output.scale, q.output.zero_point, q.activation_min, q.activation_max,
                                       &data->quant);
      return Status::kOk;
    }
    default:
      return ctx.fail("type %s is not supported", dtype_name(type));
  }
}

Status eval(OpContext& ctx) {
  const DivOpData& data = *ctx.op_data<DivOpData>();
  if (run_arithmetic_unquantized(ctx, reference::div_float, reference::div_int32, data.broadcast, data.ranges))
    return Status::kOk;
  switch (ctx.output(0).type) {
    case DType::kInt8:
      run_binary<int8_t>(ctx, reference::div_int8, data.broadcast, data.quant);
      break;
    default:
      return ctx.fail("type %s is not supported", dtype_name(ctx.output(0).type));
  }
  return Status::kOk;
}

}  // namespace

const OpRegistration& div() {
  static const OpRegistration registration = {int32_t(schema::BuiltinOp::kDiv), nullptr, "DIV",
                                              prepare_in_place<prepare, 0, 1>, eval};
  return registration;
}

}  // namespace ops
}  // namespace mote
