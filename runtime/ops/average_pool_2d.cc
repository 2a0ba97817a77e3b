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

Status prepare(OpContext& ctx) {
  PoolOpData* data = ctx.allocate_op_data<PoolOpData>();
  if (data == nullptr) return Status::kError;
  MOTE_RETURN_IF_ERROR(prepare_pool(ctx, data));
  return ctx.allow_window_overlap(data->params.stride_height, data->params.stride_width, data->params.padding_height,
                                  data->params.padding_width);  // kernels: see window_op_max_lead()
}

Status eval(OpContext& ctx) {
  const PoolOpData& data = *ctx.op_data<PoolOpData>();
  const TensorView in = ctx.input(0);
  const TensorView out = ctx.output(0);
  bool ok = false;
  switch (in.type) {
    case DType::kFloat32:
      ok = optimized::kEnabled ? optimized::average_pool_float(data.params, data.float_min, data.float_max,
                                                               in.as<float>(), out.as<float>())
                               : reference::average_pool_float(data.params, data.float_min, data.float_max,
                                                               in.as<float>(), out.as<float>());
      break;
    case DType::kInt8:
      ok = optimized::kEnabled ? optimized::average_pool_int8(data.params, data.quantized_min, data.quantized_max,
                                                              in.as<int8_t>(), out.as<int8_t>())
                               : reference::average_pool_int8(data.params, data.quantized_min, data.quantized_max,
                                                              in.as<int8_t>(), out.as<int8_t>());
      break;
    case DType::kInt16:
      ok = reference::average_pool_int16(data.params, data.quantized_min, data.quantized_max, in.as<int16_t>(),
                                         out.as<int16_t>());
      break;
    default:
      return ctx.fail("type %s is not supported", dtype_name(in.type));
  }
  return ok ? Status::kOk : ctx.fail("a pooling window lies entirely in the padding");
}

}  // namespace

const OpRegistration& average_pool_2d() {
  static const OpRegistration registration = {int32_t(schema::BuiltinOp::kAveragePool2D), nullptr,
                                              "AVERAGE_POOL_2D", prepare, eval};
  return registration;
}

}  // namespace ops
}  // namespace mote
