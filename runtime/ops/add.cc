// ADD: float32, int32 (unquantized, no fused activation, as TFLite Micro),
// int8 and int16 (general rescaling path), with broadcasting.
#include "kernels/reference/add.h"

#include "kernels/optimized/add.h"
#include "kernels/optimized/selection.h"

#include "mote/ops.h"
#include "ops/elementwise_common.h"

namespace mote {
namespace ops {

namespace {

struct AddOpData {
  reference::BroadcastDesc broadcast;
  reference::AddSubQuantParams quant;
  float float_min;
  float float_max;
};

Status prepare(OpContext& ctx) {
  AddOpData* data = ctx.allocate_op_data<AddOpData>();
  if (data == nullptr) return Status::kError;
  MOTE_RETURN_IF_ERROR(prepare_broadcast(ctx, &data->broadcast));
  schema::Activation activation;
  MOTE_RETURN_IF_ERROR(read_fused_activation(ctx, schema::add_options::fused_activation_function, &activation));

  const DType type = ctx.output(0).type;
  switch (type) {
    case DType::kFloat32:
      float_activation_range(activation, &data->float_min, &data->float_max);
      return Status::kOk;
    case DType::kInt32:
      return Status::kOk;
    case DType::kInt8:
    case DType::kInt16: {
      TensorQuant q1, q2, qo;
      MOTE_RETURN_IF_ERROR(per_tensor_quant(ctx, ctx.input_quant(0), "input 1", &q1));
      MOTE_RETURN_IF_ERROR(per_tensor_quant(ctx, ctx.input_quant(1), "input 2", &q2));
      MOTE_RETURN_IF_ERROR(per_tensor_quant(ctx, ctx.output_quant(0), "output", &qo));
      int32_t act_min, act_max;
      quantized_activation_range_for(activation, type, qo, &act_min, &act_max);
      if (!reference::make_add_sub_quant_params(false, type == DType::kInt16, q1.scale, q1.zero_point, q2.scale,
                                                q2.zero_point, qo.scale, qo.zero_point, act_min, act_max,
                                                &data->quant)) {
        return ctx.fail("input/output scales give a rescaling multiplier outside (0, 1)");
      }
      return Status::kOk;
    }
    default:
      return ctx.fail("type %s is not supported", dtype_name(type));
  }
}

Status eval(OpContext& ctx) {
  const AddOpData& data = *ctx.op_data<AddOpData>();
  const TensorView in1 = ctx.input(0);
  const TensorView in2 = ctx.input(1);
  const TensorView out = ctx.output(0);
  switch (out.type) {
    case DType::kFloat32:
      reference::add_float(data.broadcast, data.float_min, data.float_max, in1.as<float>(), in2.as<float>(),
                           out.as<float>());
      break;
    case DType::kInt32:
      reference::add_int32(data.broadcast, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max(),
                           in1.as<int32_t>(), in2.as<int32_t>(), out.as<int32_t>());
      break;
    case DType::kInt8:
      if (optimized::kEnabled)
        optimized::add_int8(data.broadcast, data.quant, in1.as<int8_t>(), in2.as<int8_t>(), out.as<int8_t>());
      else
        reference::add_int8(data.broadcast, data.quant, in1.as<int8_t>(), in2.as<int8_t>(), out.as<int8_t>());
      break;
    case DType::kInt16:
      if (optimized::kEnabled)
        optimized::add_int16(data.broadcast, data.quant, in1.as<int16_t>(), in2.as<int16_t>(), out.as<int16_t>());
      else
        reference::add_int16(data.broadcast, data.quant, in1.as<int16_t>(), in2.as<int16_t>(), out.as<int16_t>());
      break;
    default:
      return ctx.fail("type %s is not supported", dtype_name(out.type));
  }
  return Status::kOk;
}

}  // namespace

const OpRegistration& add() {
  static const OpRegistration registration = {int32_t(schema::BuiltinOp::kAdd), nullptr, "ADD",
                                              prepare_in_place<prepare, 0, 1>, eval};
  return registration;
}

}  // namespace ops
}  // namespace mote
