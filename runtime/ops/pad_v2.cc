// PADV2: PAD with an explicit pad value input; the same prepare and eval
// (pad.cc).
#include "mote/ops.h"

namespace mote {
namespace ops {
namespace pad_op {
Status prepare(OpContext& ctx);
Status eval(OpContext& ctx);
}  // namespace pad_op

const OpRegistration& pad_v2() {
  static const OpRegistration registration = {int32_t(schema::BuiltinOp::kPadV2), nullptr, "PADV2", pad_op::prepare,
                                              pad_op::eval};
  return registration;
}

}  // namespace ops
}  // namespace mote
