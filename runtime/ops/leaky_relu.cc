// LEAKY_RELU: float32, int8 and int16.
#include <math.h>

#include "kernels/reference/leaky_relu.h"

#include "mote/ops.h"
#include "ops/elementwise_common.h"

namespace mote {
namespace ops {

namespace {

struct LeakyReluOpData {
  reference::LeakyReluQuantParams quant;
  float alpha;
  int32_t size;
};

Status prepare(OpContext& ctx) {
  LeakyReluOpData* data = ctx.allocate_op_data<LeakyReluOpData>();
  if (data == nullptr) return Status::kError;
  MOTE_RETURN_IF_ERROR(prepare_unary(ctx));
  data->size = int32_t(ctx.input(0).num_elements());
  data->alpha = ctx.options().scalar<float>(schema::leaky_relu_options::alpha, 0.0f);
  if (!isfinite(data->alpha)) return ctx.fail("alpha %g is not a finite number", double(data->alpha));
  const DType type = ctx.input(0).type;
  switch (type) {
    case DType::kFloat32:
      return Status::kOk;
    case DType::kInt8:
    case DType::kInt16: {
      TensorQuant qi, qo;
      MOTE_RETURN_IF_ERROR(read_unary_quant(ctx, &qi, &qo));
      reference::make_leaky_relu_quant_params(qi.scale, qi.zero_point, qo.scale, qo.zero_point, data->alpha,
                                              &data->quant);
      MOTE_RETURN_IF_ERROR(check_left_shift(ctx, data->quant.alpha_shift, "input scale * alpha / output scale"));
      return check_left_shift(ctx, data->quant.identity_shift, "input scale / output scale");
    }
    default:
      return ctx.fail("type %s is not supported", dtype_name(type));
  }
}

Status eval(OpContext& ctx) {
  const LeakyReluOpData& data = *ctx.op_data<LeakyReluOpData>();
  switch (ctx.input(0).type) {
    case DType::kFloat32:
      run_unary<float>(ctx, reference::leaky_relu_float, data.size, data.alpha);
      break;
    case DType::kInt8:
      run_unary<int8_t>(ctx, reference::leaky_relu_int8, data.size, data.quant);
      break;
    case DType::kInt16:
      run_unary<int16_t>(ctx, reference::leaky_relu_int16, data.size, data.quant);
      break;
    default:
      return ctx.fail("type %s is not supported", dtype_name(ctx.input(0).type));
  }
  return Status::kOk;
}

}  // namespace

const OpRegistration& leaky_relu() {
  static const OpRegistration registration = {int32_t(schema::BuiltinOp::kLeakyRelu), nullptr, "LEAKY_RELU",
                                              prepare_in_place<prepare, 0>, eval};
  return registration;
}

}  // namespace ops
}  // namespace mote
