// QUANTIZE: float32 -> int8 / uint8 / int16, and the integer requantizations
// TFLite Micro supports (int8 -> int8 / uint8 / int16 / int32, uint8 -> int8,
// int16 -> int8 / int16 / int32, int32 -> int8 / int16). Per-tensor
// quantization only.
#include "kernels/reference/quantize.h"

#include "kernels/fixedpoint.h"
#include "mote/ops.h"
#include "ops/elementwise_common.h"

namespace mote {
namespace ops {

namespace {

// Op data: reference::RequantizeParams for an integer input, this for float.
// The element count is re-read from the input's shape in eval.
struct QuantizeFloatOpData {
  float output_scale;
  int32_t output_zero_point;
};

bool is_requantize_pair(DType in, DType out) {
  switch (in) {
    case DType::kInt8:
      return out == DType::kInt8 || out == DType::kUInt8 || out == DType::kInt16 || out == DType::kInt32;
    case DType::kUInt8:
      return out == DType::kInt8;
    case DType::kInt16:
      return out == DType::kInt8 || out == DType::kInt16 || out == DType::kInt32;
    case DType::kInt32:
      return out == DType::kInt8 || out == DType::kInt16;
    default:
      return false;
  }
}

Status prepare(OpContext& ctx) {
  MOTE_RETURN_IF_ERROR(prepare_unary(ctx, /*any_output_type=*/true));
  const DType in = ctx.input(0).type;
  const DType out = ctx.output(0).type;
  TensorQuant qo;
  MOTE_RETURN_IF_ERROR(per_tensor_quant(ctx, ctx.output_quant(0), "output", &qo));

  if (in == DType::kFloat32) {
    if (out != DType::kInt8 && out != DType::kUInt8 && out != DType::kInt16) {
      return ctx.fail("float32 -> %s is not supported", dtype_name(out));
    }
    QuantizeFloatOpData* data = ctx.allocate_op_data<QuantizeFloatOpData>();
    if (data == nullptr) return Status::kError;
    data->output_scale = qo.scale;
    data->output_zero_point = qo.zero_point;
    return Status::kOk;
  }
  if (!is_requantize_pair(in, out)) return ctx.fail("%s -> %s is not supported", dtype_name(in), dtype_name(out));
  TensorQuant qi;
  MOTE_RETURN_IF_ERROR(per_tensor_quant(ctx, ctx.input_quant(0), "input", &qi));
  int32_t multiplier = 0;
  int shift = 0;
  fixedpoint::quantize_multiplier(double(qi.scale) / double(qo.scale), &multiplier, &shift);
  MOTE_RETURN_IF_ERROR(check_left_shift(ctx, shift, "input scale / output scale"));
  reference::RequantizeParams* data = ctx.allocate_op_data<reference::RequantizeParams>();
  if (data == nullptr) return Status::kError;
  data->multiplier = multiplier;
  data->shift = shift;
  data->input_zero_point = qi.zero_point;
  data->output_zero_point = qo.zero_point;
  return Status::kOk;
}

template <typename In, typename Out>
void requantize(const OpContext& ctx, const TensorView& in, const TensorView& out) {
  reference::requantize(int32_t(in.num_elements()), *ctx.op_data<reference::RequantizeParams>(), in.as<In>(),
                        out.as<Out>());
}

Status eval(OpContext& ctx) {
  const TensorView in = ctx.input(0);
  const TensorView out = ctx.output(0);
  switch (in.type) {
    case DType::kFloat32: {
      const QuantizeFloatOpData& data = *ctx.op_data<QuantizeFloatOpData>();
      const int32_t size = int32_t(in.num_elements());
      const float* x = in.as<float>();
      switch (out.type) {
        case DType::kInt8:
          reference::quantize_float_to_int8(size, data.output_scale, data.output_zero_point, x, out.as<int8_t>());
          return Status::kOk;
        case DType::kUInt8:
          reference::quantize_float_to_uint8(size, data.output_scale, data.output_zero_point, x, out.as<uint8_t>());
          return Status::kOk;
        case DType::kInt16:
          reference::quantize_float_to_int16(size, data.output_scale, data.output_zero_point, x, out.as<int16_t>());
          return Status::kOk;
        default:
          break;
      }
      break;
    }
    case DType::kInt8:
      switch (out.type) {
        case DType::kInt8: requantize<int8_t, int8_t>(ctx, in, out); return Status::kOk;
        case DType::kUInt8: requantize<int8_t, uint8_t>(ctx, in, out); return Status::kOk;
        case DType::kInt16: requantize<int8_t, int16_t>(ctx, in, out); return Status::kOk;
        case DType::kInt32: requantize<int8_t, int32_t>(ctx, in, out); return Status::kOk;
        default: break;
      }
      break;
    case DType::kUInt8:
      if (out.type == DType::kInt8) {
        requantize<uint8_t, int8_t>(ctx, in, out);
        return Status::kOk;
      }
      break;
    case DType::kInt16:
      switch (out.type) {
        case DType::kInt8: requantize<int16_t, int8_t>(ctx, in, out); return Status::kOk;
        case DType::kInt16: requantize<int16_t, int16_t>(ctx, in, out); return Status::kOk;
        case DType::kInt32: requantize<int16_t, int32_t>(ctx, in, out); return Status::kOk;
        default: break;
      }
      break;
    case DType::kInt32:
      switch (out.type) {
        case DType::kInt8: requantize<int32_t, int8_t>(ctx, in, out); return Status::kOk;
        case DType::kInt16: requantize<int32_t, int16_t>(ctx, in, out); return Status::kOk;
        default: break;
      }
      break;
    default:
      break;
  }
  return ctx.fail("%s -> %s is not supported", dtype_name(in.type), dtype_name(out.type));
}

}  // namespace

const OpRegistration& quantize() {
  static const OpRegistration registration = {int32_t(schema::BuiltinOp::kQuantize), nullptr, "QUANTIZE",
                                              prepare_in_place<prepare, 0>, eval};
  return registration;
}

}  // namespace ops
}  // namespace mote
