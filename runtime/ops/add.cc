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
    case DType::kInt16:
      return prepare_add_sub_quant(ctx, /*is_sub=*/false, activation, type, &data->quant);
    default:
      return ctx.fail("type %s is not supported", dtype_name(type));
  }
}

Status eval(OpContext& ctx) {
  const AddOpData& data = *ctx.op_data<AddOpData>();
  switch (ctx.output(0).type) {
    case DType::kFloat32:
      run_binary<float>(ctx, reference::add_float, data.broadcast, data.float_min, data.float_max);
      break;
    case DType::kInt32:
      run_binary<int32_t>(ctx, reference::add_int32, data.broadcast, std::numeric_limits<int32_t>::min(),
                          std::numeric_limits<int32_t>::max());
      break;
    case DType::kInt8:
      run_binary<int8_t>(ctx, optimized::unless_reference_only(optimized::add_int8, reference::add_int8),
                         data.broadcast, data.quant);
      break;
    case DType::kInt16:
      run_binary<int16_t>(ctx, optimized::unless_reference_only(optimized::add_int16, reference::add_int16),
                          data.broadcast, data.quant);
      break;
    default:
      return ctx.fail("type %s is not supported", dtype_name(ctx.output(0).type));
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
