// SOFTMAX over the last axis, with the beta option. float32 -> float32,
// int8 -> int8 (output scale 1/256, zero point -128), int8 -> int16 (scale
// 1/65536, zero point -32768) and int16 -> int16 (scale 1/32768, zero point
// 0), with TFLite's output-quantization requirements.
#include "kernels/reference/softmax.h"

#include "kernels/optimized/selection.h"
#include "kernels/optimized/softmax.h"

#include <math.h>

#include "mote/ops.h"
#include "ops/quantization.h"

namespace mote {
namespace ops {
namespace {

// The int8-input kernels: reference, optimized with an exp table in the
// arena, optimized without.
enum class SoftmaxKernel : uint8_t {
  kFloat32,
  kInt8,
  kInt8ToInt16,
  kInt16,
  kInt8Optimized,
  kInt8ToInt16Optimized,
  kInt8Table,
  kInt8ToInt16Table,
};

// The 1 KiB exp table pays for itself from this many elements per invoke
// (each saves one fixed-point exp, ~100 instructions, over the table-less
// optimized kernel); it is then no larger than the input tensor.
constexpr int64_t kExpTableMinElements = 4 * optimized::kSoftmaxExpTableSize;

// Each kernel's parameters share the bytes after rows and depth.
struct SoftmaxOpData {
  SoftmaxKernel kernel;
  int32_t rows;
  int32_t depth;
  union {
    float beta;  // kFloat32
    struct {
      reference::SoftmaxInt8Params params;
      ArenaRef<int32_t> exp_table;  // kInt8Table, kInt8ToInt16Table
    } int8;
    struct {
      int32_t multiplier;
      int32_t shift;
      ArenaRef<int16_t> exp_lut;
      ArenaRef<int16_t> one_over_one_plus_x_lut;
    } int16;
  };
};
static_assert(sizeof(SoftmaxOpData) == 28, "op data is padded");

// |a - b| <= tolerance, as TFLite's TF_LITE_ENSURE_NEAR on float scales.
bool near(float a, float b, float tolerance) { return (a > b ? a - b : b - a) <= tolerance; }

Status prepare(OpContext& ctx) {
  if (ctx.num_inputs() != 1 || ctx.num_outputs() != 1)
    return ctx.fail("expects 1 input and 1 output, got %d and %d", ctx.num_inputs(), ctx.num_outputs());
  const TensorView input = ctx.input(0);
  const TensorView output = ctx.output(0);
  if (input.shape.rank < 1) return ctx.fail("input must have at least one dimension");
  if (input.shape != output.shape) return ctx.fail("input and output shapes differ");

  SoftmaxOpData* data = ctx.allocate_op_data<SoftmaxOpData>();
  if (data == nullptr) return Status::kError;
  data->depth = input.shape.dims[input.shape.rank - 1];
  data->rows = data->depth > 0 ? int32_t(input.num_elements() / data->depth) : 0;
  // Absent options read as the schema default beta = 0, as in TFLite.
  const float beta = ctx.options_type() == schema::OptionsType::kSoftmax
                         ? ctx.options().scalar<float>(schema::softmax_options::beta, 0.0f)
                         : 0.0f;

  if (input.type == DType::kFloat32) {
    if (output.type != DType::kFloat32) return ctx.fail("float32 input needs a float32 output");
    data->kernel = SoftmaxKernel::kFloat32;
    data->beta = beta;
    return Status::kOk;
  }

  TensorQuant in_q, out_q;
  MOTE_RETURN_IF_ERROR(per_tensor_quant(ctx, ctx.input_quant(0), "input", &in_q));
  MOTE_RETURN_IF_ERROR(per_tensor_quant(ctx, ctx.output_quant(0), "output", &out_q));
  const float input_scale = in_q.scale;
  const float output_scale = out_q.scale;
  const int32_t output_zero_point = out_q.zero_point;

  if (input.type == DType::kInt8) {
    if (output.type == DType::kInt8) {
      if (output_zero_point != -128 || output_scale != 1.0f / 256)
        return ctx.fail("int8 output must have scale 1/256 and zero point -128 (got %g, %d)", double(output_scale),
                        int(output_zero_point));
      data->kernel = SoftmaxKernel::kInt8;
    } else if (output.type == DType::kInt16) {
      if (output_zero_point != -32768 || !near(output_scale, 1.0f / 65536, 0.001f * 1.0f / 65536))
        return ctx.fail("int16 output of an int8 softmax must have scale 1/65536 and zero point -32768 (got %g, %d)",
                        double(output_scale), int(output_zero_point));
      data->kernel = SoftmaxKernel::kInt8ToInt16;
    } else {
      return ctx.fail("int8 input needs an int8 or int16 output, got %s", dtype_name(output.type));
    }
    // The sum of exps is accumulated in Q12.19: fewer than 2^12 terms.
    if (data->depth >= 4096) return ctx.fail("int8 softmax over %d values (at most 4095)", int(data->depth));
    if (!reference::softmax_int8_params(double(beta), double(input_scale), &data->int8.params))
      return ctx.fail("beta * input scale (%g) is too small for the fixed-point softmax",
                      double(beta) * double(input_scale));
    if (!optimized::kEnabled) return Status::kOk;
    const bool to_int16 = data->kernel == SoftmaxKernel::kInt8ToInt16;
    if (input.num_elements() >= kExpTableMinElements) {
      int32_t* table = ctx.allocate_array<int32_t>(optimized::kSoftmaxExpTableSize, &data->int8.exp_table);
      if (table == nullptr) return Status::kError;
      optimized::softmax_int8_exp_table(data->int8.params, table);
      data->kernel = to_int16 ? SoftmaxKernel::kInt8ToInt16Table : SoftmaxKernel::kInt8Table;
    } else {
      data->kernel = to_int16 ? SoftmaxKernel::kInt8ToInt16Optimized : SoftmaxKernel::kInt8Optimized;
    }
    return Status::kOk;
  }

  if (input.type == DType::kInt16) {
    if (output.type != DType::kInt16) return ctx.fail("int16 input needs an int16 output");
    if (in_q.zero_point != 0 || output_zero_point != 0) return ctx.fail("int16 softmax needs zero points of 0");
    if (!near(output_scale, 1.0f / 32768, 0.001f * 1.0f / 32768))
      return ctx.fail("int16 output must have scale 1/32768 (got %g)", double(output_scale));
    // The sum of Q0.15 exps is accumulated in an int32.
    if (data->depth > 65536) return ctx.fail("int16 softmax over %d values (at most 65536)", int(data->depth));
    data->kernel = SoftmaxKernel::kInt16;
    reference::softmax_int16_multiplier(double(beta), double(input_scale), &data->int16.multiplier, &data->int16.shift);
    int16_t* exp_lut = ctx.allocate_array<int16_t>(reference::kSoftmaxLutSize, &data->int16.exp_lut);
    int16_t* recip_lut = ctx.allocate_array<int16_t>(reference::kSoftmaxLutSize, &data->int16.one_over_one_plus_x_lut);
    if (exp_lut == nullptr || recip_lut == nullptr) return Status::kError;
    reference::softmax_int16_build_luts(exp_lut, recip_lut);
    return Status::kOk;
  }

  return ctx.fail("input type %s is not supported (float32, int8, int16)", dtype_name(input.type));
}

Status eval(OpContext& ctx) {
  const SoftmaxOpData& data = *ctx.op_data<SoftmaxOpData>();
  const TensorView input = ctx.input(0);
  const TensorView output = ctx.output(0);
  switch (data.kernel) {
    case SoftmaxKernel::kFloat32:
      reference::softmax_float(data.rows, data.depth, data.beta, input.as<float>(), output.as<float>());
      break;
    case SoftmaxKernel::kInt8:
      reference::softmax_int8(data.int8.params, data.rows, data.depth, input.as<int8_t>(), output.as<int8_t>());
      break;
    case SoftmaxKernel::kInt8ToInt16:
      reference::softmax_int8_int16(data.int8.params, data.rows, data.depth, input.as<int8_t>(), output.as<int16_t>());
      break;
    case SoftmaxKernel::kInt8Optimized:
      optimized::unless_reference_only(optimized::softmax_int8, reference::softmax_int8)(
          data.int8.params, data.rows, data.depth, input.as<int8_t>(), output.as<int8_t>());
      break;
    case SoftmaxKernel::kInt8ToInt16Optimized:
      optimized::unless_reference_only(optimized::softmax_int8_int16, reference::softmax_int8_int16)(
          data.int8.params, data.rows, data.depth, input.as<int8_t>(), output.as<int16_t>());
      break;
    case SoftmaxKernel::kInt8Table:  // only chosen when optimized::kEnabled (prepare)
      if (optimized::kEnabled)
        optimized::softmax_int8_with_table(ctx.get(data.int8.exp_table), data.rows, data.depth, input.as<int8_t>(),
                                           output.as<int8_t>());
      break;
    case SoftmaxKernel::kInt8ToInt16Table:
      if (optimized::kEnabled)
        optimized::softmax_int8_int16_with_table(ctx.get(data.int8.exp_table), data.rows, data.depth,
                                                 input.as<int8_t>(), output.as<int16_t>());
      break;
    case SoftmaxKernel::kInt16: {
      reference::SoftmaxInt16Params params;
      params.input_multiplier = data.int16.multiplier;
      params.input_shift = data.int16.shift;
      params.exp_lut = ctx.get(data.int16.exp_lut);
      params.one_over_one_plus_x_lut = ctx.get(data.int16.one_over_one_plus_x_lut);
      reference::softmax_int16(params, data.rows, data.depth, input.as<int16_t>(), output.as<int16_t>());
      break;
    }
  }
  return Status::kOk;
}

}  // namespace

const OpRegistration& softmax() {
  static const OpRegistration registration = {int32_t(schema::BuiltinOp::kSoftmax), nullptr, "SOFTMAX", prepare, eval};
  return registration;
}

}  // namespace ops
}  // namespace mote
