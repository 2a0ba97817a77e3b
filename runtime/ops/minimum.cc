// MINIMUM: elementwise minimum of float32, int8, int16, int32 or int64 tensors,
// with broadcasting. Quantized values are compared as stored, as in TFLite.
#include "mote/ops.h"
#include "ops/maximum_minimum.h"

namespace mote {
namespace ops {

const OpRegistration& minimum() {
  static const OpRegistration registration = {int32_t(schema::BuiltinOp::kMinimum), nullptr, "MINIMUM",
                                              prepare_in_place<prepare_maximum_minimum, 0, 1>,
                                              eval_maximum_minimum<reference::Minimum>};
  return registration;
}

}  // namespace ops
}  // namespace mote
