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
  ArithmeticRanges ranges;
};

Status prepare(OpContext& ctx) {
  MulOpData* data = ctx.allocate_op_data<MulOpData>();
  if (data == nullptr) return Status::kError;
  schema::Activation activation;
  MOTE_RETURN_IF_ERROR(prepare_arithmetic(ctx, schema::mul_options::fused_activation_function, &data->broadcast,
                                          &activation, &data->ranges));

  const DType type = ctx.output(0).type;
  switch (type) {
    case DType::kFloat32:
    case DType::kInt32:
      return Status::kOk;
    case DType::kInt8:
    case DType::kInt16: {
      BinaryQuant q;
      MOTE_RETURN_IF_ERROR(read_binary_quant(ctx, activation, type, &q));
      if (type == DType::kInt16 &&
          (q.input1.zero_point != 0 || q.input2.zero_point != 0 || q.output.zero_point != 0)) {
        return ctx.fail("int16 needs zero points of 0");
      }
      reference::make_mul_quant_params(q.input1.scale, q.input1.zero_point, q.input2.scale, q.input2.zero_point,
                                       q.output.scale, q.output.zero_point, q.activation_min, q.activation_max,
                                       &data->quant);
      // A left shift of 32 or more bits is undefined in the requantization.
      if (data->quant.output_shift > 31)
        return ctx.fail("input scales %g * %g over output scale %g is too large", double(q.input1.scale),
                        double(q.input2.scale), double(q.output.scale));
      return Status::kOk;
    }
    default:
      return ctx.fail("type %s is not supported", dtype_name(type));
  }
}

Status eval(OpContext& ctx) {
  const MulOpData& data = *ctx.op_data<MulOpData>();
  if (run_arithmetic_unquantized(ctx, reference::mul_float, reference::mul_int32, data.broadcast, data.ranges))
    return Status::kOk;
  switch (ctx.output(0).type) {
    case DType::kInt8:
      run_binary<int8_t>(ctx, optimized::unless_reference_only(optimized::mul_int8, reference::mul_int8),
                         data.broadcast, data.quant);
      break;
    case DType::kInt16:
      run_binary<int16_t>(ctx, optimized::unless_reference_only(optimized::mul_int16, reference::mul_int16),
                          data.broadcast, data.quant);
      break;
    default:
      return ctx.fail("type %s is not supported", dtype_name(ctx.output(0).type));
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
