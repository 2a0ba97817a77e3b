// MUL: float32, int32 (unquantized), int8 and int16 (zero points 0, as TFLite
// Micro requires), with broadcasting and fused activation.
#include "kernels/reference/mul.h"

#include "kernels/optimized/mul.h"
#include "kernels/optimized/selection.h"

#include "mote/ops.h"
#include "ops/elementwise_common.h"

namespace mote {
namespace ops {

namespace {

struct MulOpData {
  reference::BroadcastDesc broadcast;
  reference::MulQuantParams quant;
  float float_min;
  float float_max;
  int32_t int32_min;
  int32_t int32_max;
};

Status prepare(OpContext& ctx) {
  MulOpData* data = ctx.allocate_op_data<MulOpData>();
  if (data == nullptr) return Status::kError;
  MOTE_RETURN_IF_ERROR(prepare_broadcast(ctx, &data->broadcast));
  schema::Activation activation;
  MOTE_RETURN_IF_ERROR(read_fused_activation(ctx, schema::mul_options::fused_activation_function, &activation));

  const DType type = ctx.output(0).type;
  switch (type) {
    case DType::kFloat32:
      float_activation_range(activation, &data->float_min, &data->float_max);
      return Status::kOk;
    case DType::kInt32:
      int32_activation_range(activation, &data->int32_min, &data->int32_max);
      return Status::kOk;
    case DType::kInt8:
    case DType::kInt16: {
      TensorQuant q1, q2, qo;
      MOTE_RETURN_IF_ERROR(per_tensor_quant(ctx, ctx.input_quant(0), "input 1", &q1));
      MOTE_RETURN_IF_ERROR(per_tensor_quant(ctx, ctx.input_quant(1), "input 2", &q2));
      MOTE_RETURN_IF_ERROR(per_tensor_quant(ctx, ctx.output_quant(0), "output", &qo));
      if (type == DType::kInt16 && (q1.zero_point != 0 || q2.zero_point != 0 || qo.zero_point != 0)) {
        return ctx.fail("int16 needs zero points of 0");
      }
      int32_t act_min, act_max;
      quantized_activation_range_for(activation, type, qo, &act_min, &act_max);
      reference::make_mul_quant_params(q1.scale, q1.zero_point, q2.scale, q2.zero_point, qo.scale, qo.zero_point,
                                       act_min, act_max, &data->quant);
      // A left shift of 32 or more bits is undefined in the requantization.
      if (data->quant.output_shift > 31)
        return ctx.fail("input scales %g * %g over output scale %g is too large", double(q1.scale), double(q2.scale),
                        double(qo.scale));
      return Status::kOk;
    }
    default:
      return ctx.fail("type %s is not supported", dtype_name(type));
  }
}

Status eval(OpContext& ctx) {
  const MulOpData& data = *ctx.op_data<MulOpData>();
  const TensorView in1 = ctx.input(0);
  const TensorView in2 = ctx.input(1);
  const TensorView out = ctx.output(0);
  switch (out.type) {
    case DType::kFloat32:
      reference::mul_float(data.broadcast, data.float_min, data.float_max, in1.as<float>(), in2.as<float>(),
                           out.as<float>());
      break;
    case DType::kInt32:
      reference::mul_int32(data.broadcast, data.int32_min, data.int32_max, in1.as<int32_t>(), in2.as<int32_t>(),
                           out.as<int32_t>());
      break;
    case DType::kInt8:
      if (optimized::kEnabled)
        optimized::mul_int8(data.broadcast, data.quant, in1.as<int8_t>(), in2.as<int8_t>(), out.as<int8_t>());
      else
        reference::mul_int8(data.broadcast, data.quant, in1.as<int8_t>(), in2.as<int8_t>(), out.as<int8_t>());
      break;
    case DType::kInt16:
      if (optimized::kEnabled)
        optimized::mul_int16(data.broadcast, data.quant, in1.as<int16_t>(), in2.as<int16_t>(), out.as<int16_t>());
      else
        reference::mul_int16(data.broadcast, data.quant, in1.as<int16_t>(), in2.as<int16_t>(), out.as<int16_t>());
      break;
    default:
      return ctx.fail("type %s is not supported", dtype_name(out.type));
  }
  return Status::kOk;
}

}  // namespace

const OpRegistration& mul() {
  static const OpRegistration registration = {int32_t(schema::BuiltinOp::kMul), nullptr, "MUL",
                                              prepare_in_place<prepare, 0, 1>, eval};
  return registration;
}

}  // namespace ops
}  // namespace mote
