// MAXIMUM: elementwise maximum of float32, int8, int16, int32 or int64 tensors,
// with broadcasting. Quantized values are compared as stored, as in TFLite.
#include "kernels/reference/maximum_minimum.h"

#include "mote/ops.h"
#include "ops/elementwise_common.h"

namespace mote {
namespace ops {

namespace {

struct MaximumOpData {
  reference::BroadcastDesc broadcast;
};

Status prepare(OpContext& ctx) {
  MaximumOpData* data = ctx.allocate_op_data<MaximumOpData>();
  if (data == nullptr) return Status::kError;
  MOTE_RETURN_IF_ERROR(prepare_broadcast(ctx, &data->broadcast));
  const DType type = ctx.output(0).type;
  switch (type) {
    case DType::kFloat32:
    case DType::kInt8:
    case DType::kInt16:
    case DType::kInt32:
    case DType::kInt64:
      return Status::kOk;
    default:
      return ctx.fail("type %s is not supported", dtype_name(type));
  }
}

template <typename T>
void run(const MaximumOpData& data, const TensorView& in1, const TensorView& in2, const TensorView& out) {
  reference::maximum(data.broadcast, in1.as<T>(), in2.as<T>(), out.as<T>());
}

Status eval(OpContext& ctx) {
  const MaximumOpData& data = *ctx.op_data<MaximumOpData>();
  const TensorView in1 = ctx.input(0);
  const TensorView in2 = ctx.input(1);
  const TensorView out = ctx.output(0);
  switch (out.type) {
    case DType::kFloat32: run<float>(data, in1, in2, out); break;
    case DType::kInt8: run<int8_t>(data, in1, in2, out); break;
    case DType::kInt16: run<int16_t>(data, in1, in2, out); break;
    case DType::kInt32: run<int32_t>(data, in1, in2, out); break;
    case DType::kInt64: run<int64_t>(data, in1, in2, out); break;
    default: return ctx.fail("type %s is not supported", dtype_name(out.type));
  }
  return Status::kOk;
}

}  // namespace

const OpRegistration& maximum() {
  static const OpRegistration registration = {int32_t(schema::BuiltinOp::kMaximum), nullptr, "MAXIMUM",
                                              prepare_in_place<prepare, 0, 1>, eval};
  return registration;
}

}  // namespace ops
}  // namespace mote
