// Prepare and eval shared by LOGISTIC and TANH: float32, int8 and int16 with
// the same parameter structs (kernels/reference/logistic.h); the ops differ
// in their kernels and int16 power-of-two rule, and LOGISTIC checks its int8
// output zero point.
#pragma once

#include <stdint.h>

#include "kernels/reference/logistic.h"
#include "mote/op.h"
#include "ops/quantization.h"

namespace mote {
namespace ops {

struct LogisticTanhOpData {
  DType type;
  int32_t count;
  reference::Int8ActivationParams int8;
  reference::Int16ActivationParams int16;
};

// max_pot_left_shift: see reference::int16_activation_params.
inline Status prepare_logistic_tanh(OpContext& ctx, int32_t max_pot_left_shift, LogisticTanhOpData* data) {
  if (ctx.num_inputs() != 1 || ctx.num_outputs() != 1)
    return ctx.fail("expects 1 input and 1 output, got %d and %d", ctx.num_inputs(), ctx.num_outputs());
  const TensorView input = ctx.input(0);
  const TensorView output = ctx.output(0);
  if (input.type != output.type)
    return ctx.fail("input (%s) and output (%s) types differ", dtype_name(input.type), dtype_name(output.type));
  if (input.num_elements() != output.num_elements()) return ctx.fail("input and output sizes differ");

  data->type = input.type;
  data->count = int32_t(input.num_elements());
  if (input.type == DType::kFloat32) return Status::kOk;

  TensorQuant in_q, out_q;
  MOTE_RETURN_IF_ERROR(per_tensor_quant(ctx, ctx.input_quant(0), "input", &in_q));
  MOTE_RETURN_IF_ERROR(per_tensor_quant(ctx, ctx.output_quant(0), "output", &out_q));
  if (input.type == DType::kInt8) {
    reference::int8_activation_params(in_q.scale, in_q.zero_point, &data->int8);
    return Status::kOk;
  }
  if (input.type == DType::kInt16) {
    if (in_q.zero_point != 0 || out_q.zero_point != 0) return ctx.fail("int16 needs zero points of 0");
    int32_t output_log2 = 0;
    if (!reference::checked_log2(out_q.scale, &output_log2) || output_log2 != -15)
      return ctx.fail("int16 output scale must be 2^-15, got %g", double(out_q.scale));
    reference::int16_activation_params(in_q.scale, max_pot_left_shift, &data->int16);
    return Status::kOk;
  }
  return ctx.fail("type %s is not supported (float32, int8, int16)", dtype_name(input.type));
}

template <void (*Float)(int32_t, const float*, float*),
          void (*Int8)(const reference::Int8ActivationParams&, int32_t, const int8_t*, int8_t*),
          void (*Int16)(const reference::Int16ActivationParams&, int32_t, const int16_t*, int16_t*)>
Status eval_logistic_tanh(OpContext& ctx) {
  const LogisticTanhOpData& data = *ctx.op_data<LogisticTanhOpData>();
  const TensorView input = ctx.input(0);
  const TensorView output = ctx.output(0);
  switch (data.type) {
    case DType::kFloat32:
      Float(data.count, input.as<float>(), output.as<float>());
      break;
    case DType::kInt8:
      Int8(data.int8, data.count, input.as<int8_t>(), output.as<int8_t>());
      break;
    default:
      Int16(data.int16, data.count, input.as<int16_t>(), output.as<int16_t>());
      break;
  }
  return Status::kOk;
}

}  // namespace ops
}  // namespace mote
