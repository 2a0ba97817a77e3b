// Prepare and eval of MAXIMUM and MINIMUM, which differ only in the
// comparison: float32, int8, int16, int32 or int64 tensors with broadcasting.
// Quantized values are compared as stored, as in TFLite.
#pragma once

#include <stdint.h>

#include "kernels/reference/maximum_minimum.h"
#include "mote/op.h"
#include "ops/elementwise_common.h"

namespace mote {
namespace ops {

struct MaximumMinimumOpData {
  reference::BroadcastDesc broadcast;
};

inline Status prepare_maximum_minimum(OpContext& ctx) {
  MaximumMinimumOpData* data = ctx.allocate_op_data<MaximumMinimumOpData>();
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

// Select: reference::Maximum or reference::Minimum.
template <typename Select>
Status eval_maximum_minimum(OpContext& ctx) {
  const reference::BroadcastDesc& d = ctx.op_data<MaximumMinimumOpData>()->broadcast;
  switch (ctx.output(0).type) {
    case DType::kFloat32: run_binary<float>(ctx, reference::maximum_minimum<Select, float>, d); break;
    case DType::kInt8: run_binary<int8_t>(ctx, reference::maximum_minimum<Select, int8_t>, d); break;
    case DType::kInt16: run_binary<int16_t>(ctx, reference::maximum_minimum<Select, int16_t>, d); break;
    case DType::kInt32: run_binary<int32_t>(ctx, reference::maximum_minimum<Select, int32_t>, d); break;
    case DType::kInt64: run_binary<int64_t>(ctx, reference::maximum_minimum<Select, int64_t>, d); break;
    default: return ctx.fail("type %s is not supported", dtype_name(ctx.output(0).type));
  }
  return Status::kOk;
}

}  // namespace ops
}  // namespace mote
