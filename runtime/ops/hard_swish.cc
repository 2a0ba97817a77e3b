// HARD_SWISH: float32 and int8 (TFLite's 16-bit fixed-point formulation).
#include "kernels/reference/hard_swish.h"

#include "mote/ops.h"
#include "ops/elementwise_common.h"

namespace mote {
namespace ops {

namespace {

struct HardSwishOpData {
  reference::HardSwishQuantParams quant;
  int32_t size;
};

Status prepare(OpContext& ctx) {
  HardSwishOpData* data = ctx.allocate_op_data<HardSwishOpData>();
  if (data == nullptr) return Status::kError;
  MOTE_RETURN_IF_ERROR(prepare_unary(ctx));
  data->size = int32_t(ctx.input(0).num_elements());
  const DType type = ctx.input(0).type;
  switch (type) {
    case DType::kFloat32:
      return Status::kOk;
    case DType::kInt8: {
      TensorQuant qi, qo;
      MOTE_RETURN_IF_ERROR(read_unary_quant(ctx, &qi, &qo));
      if (!reference::make_hard_swish_quant_params(qi.scale, qi.zero_point, qo.scale, qo.zero_point, &data->quant)) {
        return ctx.fail("output scale below input scale / 128 is not supported");
      }
      return check_left_shift(ctx, data->quant.reluish_exponent, "input scale / 128 / (3 / 32768)");
    }
    default:
      return ctx.fail("type %s is not supported", dtype_name(type));
  }
}

Status eval(OpContext& ctx) {
  const HardSwishOpData& data = *ctx.op_data<HardSwishOpData>();
  switch (ctx.input(0).type) {
    case DType::kFloat32:
      run_unary<float>(ctx, reference::hard_swish_float, data.size);
      break;
    case DType::kInt8:
      run_unary<int8_t>(ctx, reference::hard_swish_int8, data.size, data.quant);
      break;
    default:
      return ctx.fail("type %s is not supported", dtype_name(ctx.input(0).type));
  }
  return Status::kOk;
}

}  // namespace

const OpRegistration& hard_swish() {
  static const OpRegistration registration = {int32_t(schema::BuiltinOp::kHardSwish), nullptr, "HARD_SWISH",
                                              prepare_in_place<prepare, 0>, eval};
  return registration;
}

}  // namespace ops
}  // namespace mote
