// LEAKY_RELU: float32, int8 and int16.
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
  const DType type = ctx.input(0).type;
  switch (type) {
    case DType::kFloat32:
      return Status::kOk;
    case DType::kInt8:
    case DType::kInt16: {
      TensorQuant qi, qo;
      MOTE_RETURN_IF_ERROR(per_tensor_quant(ctx, ctx.input_quant(0), "input", &qi));
      MOTE_RETURN_IF_ERROR(per_tensor_quant(ctx, ctx.output_quant(0), "output", &qo));
      reference::make_leaky_relu_quant_params(qi.scale, qi.zero_point, qo.scale, qo.zero_point, data->alpha,
                                              &data->quant);
      return Status::kOk;
    }
    default:
      return ctx.fail("type %s is not supported", dtype_name(type));
  }
}

Status eval(OpContext& ctx) {
  const LeakyReluOpData& data = *ctx.op_data<LeakyReluOpData>();
  const TensorView in = ctx.input(0);
  const TensorView out = ctx.output(0);
  switch (in.type) {
    case DType::kFloat32:
      reference::leaky_relu_float(data.size, data.alpha, in.as<float>(), out.as<float>());
      break;
    case DType::kInt8:
      reference::leaky_relu_int8(data.size, data.quant, in.as<int8_t>(), out.as<int8_t>());
      break;
    case DType::kInt16:
      reference::leaky_relu_int16(data.size, data.quant, in.as<int16_t>(), out.as<int16_t>());
      break;
    default:
      return ctx.fail("type %s is not supported", dtype_name(in.type));
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
