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
      MOTE_RETURN_IF_ERROR(read_unary_quant(ctx, &qi, &qo));
      const bool is_int16 = type == DType::kInt16;
      if (is_int16 && (qi.zero_point != 0 || qo.zero_point != 0)) return ctx.fail("int16 needs zero points of 0");
      reference::make_relu_quant_params(qi.scale, qi.zero_point, qo.scale, qo.zero_point, is_int16 ? -32768 : -128,
                                        is_int16 ? 32767 : 127, &data->quant);
      return check_left_shift(ctx, data->quant.output_shift, "input scale / output scale");
    }
    default:
      return ctx.fail("type %s is not supported", dtype_name(type));
  }
}

Status eval(OpContext& ctx) {
  const ReluOpData& data = *ctx.op_data<ReluOpData>();
  switch (ctx.input(0).type) {
    case DType::kFloat32:
      run_unary<float>(ctx, reference::relu_float, data.size);
      break;
    case DType::kInt8:
      run_unary<int8_t>(ctx, reference::relu_int8, data.size, data.quant);
      break;
    case DType::kInt16:
      run_unary<int16_t>(ctx, reference::relu_int16, data.size, data.quant);
      break;
    default:
      return ctx.fail("type %s is not supported", dtype_name(ctx.input(0).type));
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
