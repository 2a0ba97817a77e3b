// RELU6: float32, int8 and int16. Quantized RELU6 clamps the stored values to
// [quantized 0, quantized 6] of the input and does not requantize (TFLite
// Micro assumes the output shares the input's quantization).
#include "kernels/reference/relu.h"

#include "mote/ops.h"
#include "ops/elementwise_common.h"

namespace mote {
namespace ops {

namespace {

struct Relu6OpData {
  int32_t size;
  int32_t lower;  // quantized 0
  int32_t upper;  // quantized 6
};

Status prepare(OpContext& ctx) {
  Relu6OpData* data = ctx.allocate_op_data<Relu6OpData>();
  if (data == nullptr) return Status::kError;
  MOTE_RETURN_IF_ERROR(prepare_unary(ctx));
  data->size = int32_t(ctx.input(0).num_elements());
  const DType type = ctx.input(0).type;
  switch (type) {
    case DType::kFloat32:
      return Status::kOk;
    case DType::kInt8:
    case DType::kInt16: {
      TensorQuant qi;
      MOTE_RETURN_IF_ERROR(per_tensor_quant(ctx, ctx.input_quant(0), "input", &qi));
      const int32_t type_min = type == DType::kInt16 ? -32768 : -128;
      const int32_t type_max = type == DType::kInt16 ? 32767 : 127;
      if (qi.zero_point < type_min || qi.zero_point > type_max) return ctx.fail("zero point out of range");
      data->lower = qi.zero_point;
      data->upper = reference::quantized_six(qi.scale, qi.zero_point, type_min, type_max);
      return Status::kOk;
    }
    default:
      return ctx.fail("type %s is not supported", dtype_name(type));
  }
}

Status eval(OpContext& ctx) {
  const Relu6OpData& data = *ctx.op_data<Relu6OpData>();
  switch (ctx.input(0).type) {
    case DType::kFloat32:
      run_unary<float>(ctx, reference::relu6_float, data.size);
      break;
    case DType::kInt8:
      run_unary<int8_t>(ctx, reference::relu6_int8, data.size, int8_t(data.lower), int8_t(data.upper));
      break;
    case DType::kInt16:
      run_unary<int16_t>(ctx, reference::relu6_int16, data.size, int16_t(data.lower), int16_t(data.upper));
      break;
    default:
      return ctx.fail("type %s is not supported", dtype_name(ctx.input(0).type));
  }
  return Status::kOk;
}

}  // namespace

const OpRegistration& relu6() {
  static const OpRegistration registration = {int32_t(schema::BuiltinOp::kRelu6), nullptr, "RELU6",
                                              prepare_in_place<prepare, 0>, eval};
  return registration;
}

}  // namespace ops
}  // namespace mote
