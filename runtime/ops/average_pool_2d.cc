// AVERAGE_POOL_2D: NHWC float32, int8 and int16, SAME / VALID padding, fused
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
  bool ok = false;
  switch (ctx.input(0).type) {
    case DType::kFloat32:
      ok = run_unary<float>(
          ctx, optimized::unless_reference_only(optimized::average_pool_float, reference::average_pool_float),
          params, data.float_min, data.float_max);
      break;
    case DType::kInt8:
      ok = run_unary<int8_t>(
          ctx, optimized::unless_reference_only(optimized::average_pool_int8, reference::average_pool_int8),
          params, data.quantized_min, data.quantized_max);
      break;
    case DType::kInt16:
      ok = run_unary<int16_t>(ctx, reference::average_pool_int16, params, data.quantized_min,
                              data.quantized_max);
      break;
    default:
      return ctx.fail("type %s is not supported", dtype_name(ctx.input(0).type));
  }
  return ok ? Status::kOk : ctx.fail("a pooling window lies entirely in the padding");
}

}  // namespace

const OpRegistration& average_pool_2d() {
  static const OpRegistration registration = {int32_t(schema::BuiltinOp::kAveragePool2D), nullptr,
                                              "AVERAGE_POOL_2D", prepare_pool, eval};
  return registration;
}

}  // namespace ops
}  // namespace mote
