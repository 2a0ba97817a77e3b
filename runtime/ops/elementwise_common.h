// Helpers shared by the elementwise, activation and pooling ops: I/O checks,
// broadcast setup, pooling geometry, and the calls eval makes into their
// kernels. Quantization checks and activation ranges: ops/quantization.h.
#pragma once

#include <stdint.h>

#include <limits>

#include "kernels/reference/add.h"
#include "kernels/reference/elementwise_broadcast.h"
#include "kernels/reference/pooling.h"
#include "mote/op.h"
#include "mote/schema.h"
#include "mote/tensor.h"
#include "ops/quantization.h"

namespace mote {
namespace ops {

inline Status check_io_count(const OpContext& ctx, int inputs, int outputs) {
  if (ctx.num_inputs() != inputs || ctx.num_outputs() != outputs) {
    return ctx.fail("expects %d inputs and %d outputs, has %d and %d", inputs, outputs, ctx.num_inputs(),
                    ctx.num_outputs());
  }
  for (int i = 0; i < inputs; ++i) {
    if (!ctx.has_input(i)) return ctx.fail("input %d is missing", i);
  }
  return Status::kOk;
}

// Checks a binary elementwise node (two inputs of the output's type, as many
// output elements as the broadcast of the input shapes) and fills `desc`.
inline Status prepare_broadcast(const OpContext& ctx, reference::BroadcastDesc* desc) {
  MOTE_RETURN_IF_ERROR(check_io_count(ctx, 2, 1));
  const TensorView in1 = ctx.input(0);
  const TensorView in2 = ctx.input(1);
  const TensorView out = ctx.output(0);
  if (in1.type != out.type || in2.type != out.type) {
    return ctx.fail("input types %s, %s do not match output type %s", dtype_name(in1.type), dtype_name(in2.type),
                    dtype_name(out.type));
  }
  Shape broadcast;
  if (!reference::broadcast_shape(in1.shape, in2.shape, &broadcast)) {
    return ctx.fail("input shapes do not broadcast (or have more than %d dims)", reference::kMaxBroadcastDims);
  }
  if (broadcast.num_elements() != out.shape.num_elements()) {
    return ctx.fail("output has %lld elements, the broadcast inputs %lld", (long long)out.shape.num_elements(),
                    (long long)broadcast.num_elements());
  }
  if (!reference::make_broadcast_desc(in1.shape, in2.shape, desc)) return ctx.fail("cannot broadcast inputs");
  return Status::kOk;
}

// The per-tensor quantization of a binary node's inputs and output (int8 /
// int16) and the clamp range of its fused activation on the output.
struct BinaryQuant {
  TensorQuant input1;
  TensorQuant input2;
  TensorQuant output;
  int32_t activation_min = 0;
  int32_t activation_max = 0;
};

inline Status read_binary_quant(const OpContext& ctx, schema::Activation activation, DType type, BinaryQuant* q) {
  MOTE_RETURN_IF_ERROR(per_tensor_quant(ctx, ctx.input_quant(0), "input 1", &q->input1));
  MOTE_RETURN_IF_ERROR(per_tensor_quant(ctx, ctx.input_quant(1), "input 2", &q->input2));
  MOTE_RETURN_IF_ERROR(per_tensor_quant(ctx, ctx.output_quant(0), "output", &q->output));
  quantized_activation_range_for(activation, type, q->output, &q->activation_min, &q->activation_max);
  return Status::kOk;
}

// ADD (is_sub false) or SUB on int8 / int16: both inputs rescaled to a
// common scale, the result to the output's.
inline Status prepare_add_sub_quant(const OpContext& ctx, bool is_sub, schema::Activation activation, DType type,
                                    reference::AddSubQuantParams* quant) {
  BinaryQuant q;
  MOTE_RETURN_IF_ERROR(read_binary_quant(ctx, activation, type, &q));
  if (!reference::make_add_sub_quant_params(is_sub, type == DType::kInt16, q.input1.scale, q.input1.zero_point,
                                            q.input2.scale, q.input2.zero_point, q.output.scale, q.output.zero_point,
                                            q.activation_min, q.activation_max, quant)) {
    return ctx.fail("input/output scales give a rescaling multiplier outside (0, 1)");
  }
  return Status::kOk;
}

// kernel(params..., input 1, input 2, output) on the node's tensors as T.
template <typename T, typename Kernel, typename... Params>
auto run_binary(const OpContext& ctx, Kernel kernel, const Params&... params) {
  return kernel(params..., ctx.input(0).as<T>(), ctx.input(1).as<T>(), ctx.output(0).as<T>());
}

// SUB, MUL and DIV on float32 and int32: the fused activation's clamp range
// for either type (ADD ignores it on int32, as TFLite does).
struct ArithmeticRanges {
  float float_min, float_max;
  int32_t int32_min, int32_max;
};

// Prepare's shared part for SUB, MUL and DIV: broadcasting, the fused
// activation (returned for the quantized types) and the unquantized ranges.
inline Status prepare_arithmetic(OpContext& ctx, int activation_field, reference::BroadcastDesc* broadcast,
                                 schema::Activation* activation, ArithmeticRanges* ranges) {
  MOTE_RETURN_IF_ERROR(prepare_broadcast(ctx, broadcast));
  MOTE_RETURN_IF_ERROR(read_fused_activation(ctx, activation_field, activation));
  float_activation_range(*activation, &ranges->float_min, &ranges->float_max);
  int32_activation_range(*activation, &ranges->int32_min, &ranges->int32_max);
  return Status::kOk;
}

// Eval of a float32 or int32 SUB / MUL / DIV node; false for other types.
template <typename FloatKernel, typename Int32Kernel>
bool run_arithmetic_unquantized(const OpContext& ctx, FloatKernel float_kernel, Int32Kernel int32_kernel,
                                const reference::BroadcastDesc& broadcast, const ArithmeticRanges& r) {
  switch (ctx.output(0).type) {
    case DType::kFloat32:
      run_binary<float>(ctx, float_kernel, broadcast, r.float_min, r.float_max);
      return true;
    case DType::kInt32:
      run_binary<int32_t>(ctx, int32_kernel, broadcast, r.int32_min, r.int32_max);
      return true;
    default:
      return false;
  }
}

// A one-input node whose output has as many elements as its input and, unless
// `any_output_type`, the same type.
inline Status prepare_unary(const OpContext& ctx, bool any_output_type = false) {
  MOTE_RETURN_IF_ERROR(check_io_count(ctx, 1, 1));
  const TensorView in = ctx.input(0);
  const TensorView out = ctx.output(0);
  if (!any_output_type && in.type != out.type) {
    return ctx.fail("input type %s differs from output type %s", dtype_name(in.type), dtype_name(out.type));
  }
  if (in.shape.num_elements() != out.shape.num_elements()) {
    return ctx.fail("input has %lld elements, output %lld", (long long)in.shape.num_elements(),
                    (long long)out.shape.num_elements());
  }
  if (in.shape.num_elements() > std::numeric_limits<int32_t>::max()) return ctx.fail("tensor too large");
  return Status::kOk;
}

// The per-tensor quantization of a one-input node's input and output.
inline Status read_unary_quant(const OpContext& ctx, TensorQuant* input, TensorQuant* output) {
  MOTE_RETURN_IF_ERROR(per_tensor_quant(ctx, ctx.input_quant(0), "input", input));
  return per_tensor_quant(ctx, ctx.output_quant(0), "output", output);
}

// kernel(params..., input, output) on the node's tensors as T.
template <typename T, typename Kernel, typename... Params>
auto run_unary(const OpContext& ctx, Kernel kernel, const Params&... params) {
  return kernel(params..., ctx.input(0).as<T>(), ctx.output(0).as<T>());
}

struct PoolOpData {
  reference::PoolParams params;
  float float_min;
  float float_max;
  int32_t quantized_min;
  int32_t quantized_max;
};

// Shared prepare of AVERAGE_POOL_2D and MAX_POOL_2D: NHWC float32 / int8 /
// int16 input, output of the size TFLite computes for the padding mode,
// quantized output with the input's scale and zero point (TFLite Micro
// requires that too).
inline Status check_pool(const OpContext& ctx, PoolOpData* data) {
  MOTE_RETURN_IF_ERROR(check_io_count(ctx, 1, 1));
  const TensorView in = ctx.input(0);
  const TensorView out = ctx.output(0);
  if (in.type != out.type) {
    return ctx.fail("input type %s differs from output type %s", dtype_name(in.type), dtype_name(out.type));
  }
  if (in.shape.rank != 4 || out.shape.rank != 4) return ctx.fail("input and output must have 4 dims");

  const fb::Table options = ctx.options();
  const auto padding = schema::Padding(options.scalar<int8_t>(schema::pool2d_options::padding, 0));
  reference::PoolParams& p = data->params;
  p.stride_width = options.scalar<int32_t>(schema::pool2d_options::stride_w, 0);
  p.stride_height = options.scalar<int32_t>(schema::pool2d_options::stride_h, 0);
  p.filter_width = options.scalar<int32_t>(schema::pool2d_options::filter_width, 0);
  p.filter_height = options.scalar<int32_t>(schema::pool2d_options::filter_height, 0);
  if (p.stride_width <= 0 || p.stride_height <= 0 || p.filter_width <= 0 || p.filter_height <= 0) {
    return ctx.fail("strides and filter size must be positive");
  }
  if (padding != schema::Padding::kSame && padding != schema::Padding::kValid) {
    return ctx.fail("unknown padding %d", int(padding));
  }
  p.batches = in.shape.dims[0];
  p.input_height = in.shape.dims[1];
  p.input_width = in.shape.dims[2];
  p.channels = in.shape.dims[3];
  const bool same = padding == schema::Padding::kSame;
  reference::pool_output_size(same, p.input_height, p.filter_height, p.stride_height, &p.output_height,
                              &p.padding_height);
  reference::pool_output_size(same, p.input_width, p.filter_width, p.stride_width, &p.output_width,
                              &p.padding_width);
  if (p.output_height <= 0 || p.output_width <= 0 || out.shape.dims[0] != p.batches ||
      out.shape.dims[1] != p.output_height || out.shape.dims[2] != p.output_width || out.shape.dims[3] != p.channels) {
    return ctx.fail("output shape [%d,%d,%d,%d] does not match the expected [%d,%d,%d,%d]", int(out.shape.dims[0]),
                    int(out.shape.dims[1]), int(out.shape.dims[2]), int(out.shape.dims[3]), int(p.batches),
                    int(p.output_height), int(p.output_width), int(p.channels));
  }

  schema::Activation activation;
  MOTE_RETURN_IF_ERROR(read_fused_activation(ctx, schema::pool2d_options::fused_activation_function, &activation));
  switch (in.type) {
    case DType::kFloat32:
      float_activation_range(activation, &data->float_min, &data->float_max);
      return Status::kOk;
    case DType::kInt8:
    case DType::kInt16: {
      TensorQuant qi, qo;
      MOTE_RETURN_IF_ERROR(per_tensor_quant(ctx, ctx.input_quant(0), "input", &qi));
      MOTE_RETURN_IF_ERROR(per_tensor_quant(ctx, ctx.output_quant(0), "output", &qo));
      const double scale_diff = double(qi.scale) - double(qo.scale);
      if (scale_diff > 1.0e-6 || scale_diff < -1.0e-6 || qi.zero_point != qo.zero_point) {
        return ctx.fail("input and output quantization differ");
      }
      quantized_activation_range_for(activation, in.type, qo, &data->quantized_min, &data->quantized_max);
      return Status::kOk;
    }
    default:
      return ctx.fail("type %s is not supported", dtype_name(in.type));
  }
}

inline Status prepare_pool(OpContext& ctx) {
  PoolOpData* data = ctx.allocate_op_data<PoolOpData>();
  if (data == nullptr) return Status::kError;
  MOTE_RETURN_IF_ERROR(check_pool(ctx, data));
  const reference::PoolParams& p = data->params;
  // Every pooling kernel may stream over its input (window_op_max_lead()).
  MOTE_RETURN_IF_ERROR(ctx.allow_window_overlap(p.stride_height, p.stride_width, p.padding_height, p.padding_width));
  return ctx.allow_row_strips(p.stride_height, p.filter_height, p.padding_height);
}

// The pooling parameters for the rows the node's views hold (all of them
// except on a strip of a patch stage: OpContext::allow_row_strips).
inline reference::PoolParams strip_pool_params(const OpContext& ctx, const reference::PoolParams& params) {
  reference::PoolParams p = params;
  p.input_height = ctx.input(0).shape.dims[1];
  p.output_height = ctx.output(0).shape.dims[1];
  p.padding_height = ctx.strip_pad_top(params.padding_height, params.stride_height);
  return p;
}

}  // namespace ops
}  // namespace mote
