// DEQUANTIZE: int8 / uint8 / int16 -> float32, per-tensor quantization.
#include "kernels/reference/quantize.h"

#include "mote/ops.h"
#include "ops/elementwise_common.h"

namespace mote {
namespace ops {

namespace {

struct DequantizeOpData {
  float scale;
  int32_t zero_point;
  int32_t size;
};

Status prepare(OpContext& ctx) {
  DequantizeOpData* data = ctx.allocate_op_data<DequantizeOpData>();
  if (data == nullptr) return Status::kError;
  MOTE_RETURN_IF_ERROR(prepare_unary(ctx, /*any_output_type=*/true));
  data->size = int32_t(ctx.input(0).num_elements());
  const DType in = ctx.input(0).type;
  const DType out = ctx.output(0).type;
  if ((in != DType::kInt8 && in != DType::kUInt8 && in != DType::kInt16) || out != DType::kFloat32) {
    return ctx.fail("%s -> %s is not supported", dtype_name(in), dtype_name(out));
  }
  TensorQuant qi;
  MOTE_RETURN_IF_ERROR(per_tensor_quant(ctx, ctx.input_quant(0), "input", &qi));
  data->scale = qi.scale;
  data->zero_point = qi.zero_point;
  return Status::kOk;
}

Status eval(OpContext& ctx) {
  const DequantizeOpData& data = *ctx.op_data<DequantizeOpData>();
  const TensorView in = ctx.input(0);
  float* out = ctx.output(0).as<float>();
  switch (in.type) {
    case DType::kInt8:
      reference::dequantize(data.size, data.scale, data.zero_point, in.as<int8_t>(), out);
      break;
    case DType::kUInt8:
      reference::dequantize(data.size, data.scale, data.zero_point, in.as<uint8_t>(), out);
      break;
    case DType::kInt16:
      reference::dequantize(data.size, data.scale, data.zero_point, in.as<int16_t>(), out);
      break;
    default:
      return ctx.fail("type %s is not supported", dtype_name(in.type));
  }
  return Status::kOk;
}

}  // namespace

const OpRegistration& dequantize() {
  static const OpRegistration registration = {int32_t(schema::BuiltinOp::kDequantize), nullptr, "DEQUANTIZE",
                                              prepare, eval};
  return registration;
}

}  // namespace ops
}  // namespace mote
