// RELU: float32, int8 and int16 (zero points 0). Quantized RELU requantizes
// from the input to the output scale.
#include "kernels/reference/relu.h"

#include "mote/ops.h"
#include "ops/elementwise_common.h"

namespace mote {
namespace ops {

namespace {

struct ReluOpData {
  reference::ReluQuantParams quant;
  int32_t size;
};

Status prepare(OpContext& ctx) {
  ReluOpData* data = ctx.allocate_op_data<ReluOpData>();
  if (data == nullptr) return Status::kError;
  MOTE_RETURN_IF_ERROR(prepare_unary(ctx));
  data->size = int32_t(ctx.input(0).num_elements());
  const DType type = ctx.input(0).type;
  switch (type) {
    case DType::kFloat32:
      return Status::kOk;
    case DType::kInt8:
    case DType::kInt16: {
      TensorQuant qi, qo;
      MOTE_RETURN_IF_ERROR(per_tensor_quant(ctx, ctx.input_quant(0), "input", &qi));
      MOTE_RETURN_IF_ERROR(per_tensor_quant(ctx, ctx.output_quant(0), "output", &qo));
      const bool is_int16 = type == DType::kInt16;
      if (is_int16 && (qi.zero_point != 0 || qo.zero_point != 0)) return ctx.fail("int16 needs zero points of 0");
      reference::make_relu_quant_params(qi.scale, qi.zero_point, qo.scale, qo.zero_point, is_int16 ? -32768 : -128,
                                        is_int16 ? 32767 : 127, &data->quant);
      return Status::kOk;
    }
    default:
      return ctx.fail("type %s is not supported", dtype_name(type));
  }
}

Status eval(OpContext& ctx) {
  const ReluOpData& data = *ctx.op_data<ReluOpData>();
  const TensorView in = ctx.input(0);
  const TensorView out = ctx.output(0);
  switch (in.type) {
    case DType::kFloat32:
      reference::relu_float(data.size, in.as<float>(), out.as<float>());
      break;
    case DType::kInt8:
      reference::relu_int8(data.size, data.quant, in.as<int8_t>(), out.as<int8_t>());
      break;
    case DType::kInt16:
      reference::relu_int16(data.size, data.quant, in.as<int16_t>(), out.as<int16_t>());
      break;
    default:
      return ctx.fail("type %s is not supported", dtype_name(in.type));
  }
  return Status::kOk;
}

}  // namespace

const OpRegistration& relu() {
  static const OpRegistration registration = {int32_t(schema::BuiltinOp::kRelu), nullptr, "RELU",
                                              prepare_in_place<prepare, 0>, eval};
  return registration;
}

}  // namespace ops
}  // namespace mote
