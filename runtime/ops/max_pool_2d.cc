// MAX_POOL_2D: NHWC float32, int8 and int16, SAME / VALID padding, fused
// activation.
#include "kernels/reference/pooling.h"

#include "kernels/optimized/pooling.h"
#include "kernels/optimized/selection.h"

#include "mote/ops.h"
#include "ops/elementwise_common.h"

namespace mote {
namespace ops {

namespace {

Status eval(OpContext& ctx) {
  const PoolOpData& data = *ctx.op_data<PoolOpData>();
  const reference::PoolParams params = strip_pool_params(ctx, data.params);
  switch (ctx.input(0).type) {
    case DType::kFloat32:
      run_unary<float>(ctx, optimized::unless_reference_only(optimized::max_pool_float, reference::max_pool_float),
                       params, data.float_min, data.float_max);
      break;
    case DType::kInt8:
      run_unary<int8_t>(ctx, optimized::unless_reference_only(optimized::max_pool_int8, reference::max_pool_int8),
                        params, data.quantized_min, data.quantized_max);
      break;
    case DType::kInt16:
      run_unary<int16_t>(ctx, reference::max_pool_int16, params, data.quantized_min, data.quantized_max);
      break;
    default:
      return ctx.fail("type %s is not supported", dtype_name(ctx.input(0).type));
  }
  return Status::kOk;
}

}  // namespace

const OpRegistration& max_pool_2d() {
  static const OpRegistration registration = {int32_t(schema::BuiltinOp::kMaxPool2D), nullptr, "MAX_POOL_2D",
                                              prepare_pool, eval};
  return registration;
}

}  // namespace ops
}  // namespace mote
