// LOGISTIC, elementwise: float32, int8 and int16, as TFLite/TFLM compute them
// (see kernels/reference/logistic.h for the quantization each type needs).
#include "kernels/reference/logistic.h"

#include "mote/ops.h"
#include "ops/logistic_tanh.h"

namespace mote {
namespace ops {
namespace {

Status prepare(OpContext& ctx) {
  auto* data = ctx.allocate_op_data<LogisticTanhOpData>();
  if (data == nullptr) return Status::kError;
  MOTE_RETURN_IF_ERROR(prepare_logistic_tanh(ctx, /*max_pot_left_shift=*/0, data));
  // The int8 kernel produces Q0.8 with zero point -128 (the scale is assumed
  // 1/256, as in TFLite, which checks only the zero point).
  const int32_t output_zero_point = ctx.output_quant(0).zero_point();
  if (data->type == DType::kInt8 && output_zero_point != -128)
    return ctx.fail("int8 output zero point must be -128, got %d", int(output_zero_point));
  return Status::kOk;
}

}  // namespace

const OpRegistration& logistic() {
  static const OpRegistration registration = {
      int32_t(schema::BuiltinOp::kLogistic), nullptr, "LOGISTIC", prepare_in_place<prepare, 0>,
      eval_logistic_tanh<reference::logistic_float, reference::logistic_int8, reference::logistic_int16>};
  return registration;
}

}  // namespace ops
}  // namespace mote
