// TANH, elementwise: float32, int8 and int16, as TFLite/TFLM compute them
// (see kernels/reference/tanh.h for the quantization each type needs).
#include "kernels/reference/tanh.h"

#include "mote/ops.h"
#include "ops/logistic_tanh.h"

namespace mote {
namespace ops {
namespace {

// The int8 kernel produces Q0.7 (scale 1/128, zero point 0); like TFLM, the
// output's quantization is not checked.
Status prepare(OpContext& ctx) {
  auto* data = ctx.allocate_op_data<LogisticTanhOpData>();
  if (data == nullptr) return Status::kError;
  return prepare_logistic_tanh(ctx, /*max_pot_left_shift=*/1, data);
}

}  // namespace

const OpRegistration& tanh() {
  static const OpRegistration registration = {
      int32_t(schema::BuiltinOp::kTanh), nullptr, "TANH", prepare_in_place<prepare, 0>,
      eval_logistic_tanh<reference::tanh_float, reference::tanh_int8, reference::tanh_int16>};
  return registration;
}

}  // namespace ops
}  // namespace mote
