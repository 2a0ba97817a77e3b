// UNIDIRECTIONAL_SEQUENCE_LSTM, the 24-input TFLite layout:
//   0 input [batch, time, in] ([time, batch, in] when time_major)
//   1-4 input-to-{input, forget, cell, output} weights [state, in]
//   5-8 recurrent-to-{input, forget, cell, output} weights [state, state]
//   9-11 peephole weights, 16-17 projection, 20-23 layer norm (must be absent)
//   12-15 {input, forget, cell, output} gate bias [state]
//   18 hidden state, 19 cell state: variable tensors [batch, state]
// output [batch, time, state] (time-major like the input).
//
// Supported as TFLM supports it: the standard LSTM (no CIFG, peephole,
// projection or layer norm), float32, or int8 activations and weights with
// int32 bias and an int16 cell state. The integer arithmetic follows TFLM's
// current kernel, which quantizes every gate pre-activation to Q3.12 and every
// gate output to Q0.15 and therefore does not read the op's intermediate
// tensors (the converter still lists them). The zero points of the input and
// hidden state enter the products as offsets, as in TFLM, instead of being
// folded into per-gate bias arrays: those would take 8 x state_size int32 of
// arena, more than TFLM's whole arena for dtln_noise_suppression.
#include <math.h>

#include "kernels/fixedpoint.h"
#include "kernels/optimized/lstm.h"
#include "kernels/optimized/selection.h"
#include "kernels/overlap_bounds.h"
#include "kernels/reference/lstm.h"
#include "mote/ops.h"
#include "ops/quantization.h"

namespace mote {
namespace ops {
namespace {

using reference::kLstmGateCount;
using reference::LstmShape;

constexpr int kInput = 0;
constexpr int kInputWeights = 1;      // + gate
constexpr int kRecurrentWeights = 5;  // + gate
constexpr int kGateBias = 12;         // + gate
constexpr int kHiddenState = 18;
constexpr int kCellState = 19;
constexpr int kNumInputs = 24;

struct GateOpData {
  int32_t input_multiplier;
  int32_t input_shift;
  int32_t recurrent_multiplier;
  int32_t recurrent_shift;
};

struct LstmOpData {
  LstmShape shape;
  DType type;  // kFloat32 or kInt8
  int32_t scratch_index;
  float cell_clip;
  // int8 only.
  GateOpData gates[kLstmGateCount];
  int32_t forget_cell_multiplier, forget_cell_shift;
  int32_t input_cell_multiplier, input_cell_shift;
  int32_t hidden_multiplier, hidden_shift;
  int32_t hidden_zero_point;
  int32_t input_offset;
  int32_t cell_tanh_multiplier, cell_tanh_left_shift;
  int16_t quantized_cell_clip;
  bool optimized_gates;  // int8: optimized::lstm_gate_preactivation_int8 applies
};

const char* const kGateNames[kLstmGateCount] = {"input", "forget", "cell", "output"};

Status check_shape(OpContext& ctx, int index, const char* what, int32_t rows, int32_t cols) {
  const Shape s = ctx.input(index).shape;
  const bool ok = cols < 0 ? (s.rank == 1 && s.dims[0] == rows)
                           : (s.rank == 2 && s.dims[0] == rows && s.dims[1] == cols);
  if (ok) return Status::kOk;
  if (cols < 0) return ctx.fail("%s (input %d) must be [%d]", what, index, int(rows));
  return ctx.fail("%s (input %d) must be [%d, %d]", what, index, int(rows), int(cols));
}

Status check_quantized(OpContext& ctx, int index, const char* what) {
  TensorQuant q;
  return per_tensor_quant(ctx, ctx.input_quant(index), what, &q);
}

// The requantizations shift by at most 31 either way.
Status check_shift(OpContext& ctx, int32_t shift) {
  if (shift < -31 || shift > 30) return ctx.fail("scales give a requantization shift of %d", int(shift));
  return Status::kOk;
}

// TFLite's CheckedLog2 without the check (TFLM ignores its result): log2 of
// a scale, rounded, computed in float as TFLite does.
int32_t rounded_log2(float scale) {
  const float log2_value = logf(scale) * (1.0f / logf(2.0f));
  return int32_t(roundf(log2_value));
}

// Multiplier of an int8 x int8 matrix product requantized to Q3.12: the
// product of the scales is taken in float, as TFLite's
// GetQuantizedConvolutionMultipler does.
void gate_multiplier(float input_scale, float weight_scale, int32_t* multiplier, int32_t* shift) {
  const float gate_scale = 1.0f / 4096.0f;
  const double real = double(input_scale * weight_scale) / double(gate_scale);
  int s = 0;
  fixedpoint::quantize_multiplier(real, multiplier, &s);
  *shift = s;
}

// Multiplier of an element-wise product of two tensors requantized to a third.
void mul_multiplier(float scale1, float scale2, float output_scale, int32_t* multiplier, int32_t* shift) {
  const double real = double(scale1) * double(scale2) / double(output_scale);
  int s = 0;
  fixedpoint::quantize_multiplier(real, multiplier, &s);
  *shift = s;
}

Status prepare_int8(OpContext& ctx, LstmOpData* data, float cell_clip) {
  for (int g = 0; g < kLstmGateCount; ++g) {
    if (ctx.input(kGateBias + g).type != DType::kInt32)
      return ctx.fail("int8 LSTM needs int32 gate biases, %s gate bias is %s", kGateNames[g],
                      dtype_name(ctx.input(kGateBias + g).type));
  }
  if (ctx.input(kCellState).type != DType::kInt16)
    return ctx.fail("int8 LSTM needs an int16 cell state, got %s", dtype_name(ctx.input(kCellState).type));
  MOTE_RETURN_IF_ERROR(check_quantized(ctx, kInput, "input"));
  MOTE_RETURN_IF_ERROR(check_quantized(ctx, kHiddenState, "hidden state"));
  MOTE_RETURN_IF_ERROR(check_quantized(ctx, kCellState, "cell state"));

  const QuantView input_q = ctx.input_quant(kInput);
  const QuantView hidden_q = ctx.input_quant(kHiddenState);
  const float cell_scale = ctx.input_quant(kCellState).scale();

  for (int g = 0; g < kLstmGateCount; ++g) {
    GateOpData& gate = data->gates[g];
    const int w_in = kInputWeights + g;
    const int w_rec = kRecurrentWeights + g;
    MOTE_RETURN_IF_ERROR(check_quantized(ctx, w_in, "input weights"));
    MOTE_RETURN_IF_ERROR(check_quantized(ctx, w_rec, "recurrent weights"));
    const QuantView w_in_q = ctx.input_quant(w_in);
    const QuantView w_rec_q = ctx.input_quant(w_rec);
    // TFLite's int8 weights are symmetric; the kernel has no weight offset.
    if (w_in_q.zero_point() != 0 || w_rec_q.zero_point() != 0)
      return ctx.fail("%s gate weights must have zero point 0", kGateNames[g]);
    gate_multiplier(input_q.scale(), w_in_q.scale(), &gate.input_multiplier, &gate.input_shift);
    gate_multiplier(hidden_q.scale(), w_rec_q.scale(), &gate.recurrent_multiplier, &gate.recurrent_shift);
    MOTE_RETURN_IF_ERROR(check_shift(ctx, gate.input_shift));
    MOTE_RETURN_IF_ERROR(check_shift(ctx, gate.recurrent_shift));
  }
  data->input_offset = -input_q.zero_point();

  // Gate outputs are Q0.15.
  const float gate_output_scale = 1.0f / 32768.0f;
  mul_multiplier(gate_output_scale, cell_scale, cell_scale, &data->forget_cell_multiplier,
                 &data->forget_cell_shift);
  mul_multiplier(gate_output_scale, gate_output_scale, cell_scale, &data->input_cell_multiplier,
                 &data->input_cell_shift);
  mul_multiplier(gate_output_scale, gate_output_scale, hidden_q.scale(), &data->hidden_multiplier,
                 &data->hidden_shift);
  data->hidden_zero_point = hidden_q.zero_point();
  MOTE_RETURN_IF_ERROR(check_shift(ctx, data->forget_cell_shift));
  MOTE_RETURN_IF_ERROR(check_shift(ctx, data->input_cell_shift));
  MOTE_RETURN_IF_ERROR(check_shift(ctx, data->hidden_shift));

  // tanh reads Q3.12; a cell state of scale 2^p is shifted left by 12 + p
  // (or right, with the factor 3 as explicit multiplier).
  const int32_t tanh_left_shift = 15 + rounded_log2(cell_scale) - 3;
  if (tanh_left_shift >= 0) {
    if (tanh_left_shift > 14) return ctx.fail("cell state scale %g is too large", double(cell_scale));
    data->cell_tanh_multiplier = 0;
    data->cell_tanh_left_shift = tanh_left_shift;
  } else {
    if (tanh_left_shift < -30) return ctx.fail("cell state scale %g is too small", double(cell_scale));
    data->cell_tanh_multiplier = 3;
    data->cell_tanh_left_shift = -tanh_left_shift;
  }

  double clip = double(cell_clip) / double(cell_scale);
  clip = clip < -32768.0 ? -32768.0 : clip;
  clip = clip > 32767.0 ? 32767.0 : clip;
  data->quantized_cell_clip = int16_t(clip);
  return Status::kOk;
}

Status prepare(OpContext& ctx) {
  namespace opt = schema::unidirectional_sequence_lstm_options;
  if (ctx.num_inputs() != kNumInputs || ctx.num_outputs() != 1)
    return ctx.fail("expects %d inputs and 1 output, got %d and %d", kNumInputs, ctx.num_inputs(),
                    ctx.num_outputs());
  for (int i = 0; i < kNumInputs; ++i) {
    const bool optional = (i >= 9 && i <= 11) || i == 16 || i == 17 || i >= 20;
    if (!optional && !ctx.has_input(i)) {
      if (i == 1 || i == 5 || i == 12) return ctx.fail("CIFG LSTM (no input gate) is not supported");
      return ctx.fail("input %d is required", i);
    }
    if (optional && ctx.has_input(i)) {
      const char* variant = i <= 11 ? "peephole" : i <= 17 ? "projection" : "layer norm";
      return ctx.fail("%s LSTM is not supported (input %d is present)", variant, i);
    }
  }

  if (ctx.options_type() != schema::OptionsType::kUnidirectionalSequenceLstm)
    return ctx.fail("UnidirectionalSequenceLSTMOptions are missing");
  const fb::Table options = ctx.options();
  const auto activation = schema::Activation(options.scalar<int8_t>(opt::fused_activation_function, 0));
  const float cell_clip = options.scalar<float>(opt::cell_clip, 0.0f);
  const bool time_major = options.scalar<uint8_t>(opt::time_major, 0) != 0;
  if (activation != schema::Activation::kTanh)
    return ctx.fail("cell activation %d is not supported (only TANH)", int(activation));
  if (!(cell_clip >= 0.0f)) return ctx.fail("cell_clip must be >= 0, got %g", double(cell_clip));

  const TensorView input = ctx.input(kInput);
  const TensorView hidden = ctx.input(kHiddenState);
  const TensorView cell = ctx.input(kCellState);
  const TensorView output = ctx.output(0);
  if (input.shape.rank != 3) return ctx.fail("input must be 3-D, got rank %d", int(input.shape.rank));
  if (hidden.shape.rank != 2) return ctx.fail("hidden state must be 2-D, got rank %d", int(hidden.shape.rank));

  LstmShape shape;
  shape.time_major = time_major;
  shape.batches = time_major ? input.shape.dims[1] : input.shape.dims[0];
  shape.time_steps = time_major ? input.shape.dims[0] : input.shape.dims[1];
  shape.input_size = input.shape.dims[2];
  shape.state_size = hidden.shape.dims[1];
  if (shape.batches <= 0 || shape.time_steps <= 0 || shape.input_size <= 0 || shape.state_size <= 0)
    return ctx.fail("empty input or state");

  for (int g = 0; g < kLstmGateCount; ++g) {
    MOTE_RETURN_IF_ERROR(check_shape(ctx, kInputWeights + g, "input weights", shape.state_size, shape.input_size));
    MOTE_RETURN_IF_ERROR(
        check_shape(ctx, kRecurrentWeights + g, "recurrent weights", shape.state_size, shape.state_size));
    MOTE_RETURN_IF_ERROR(check_shape(ctx, kGateBias + g, "gate bias", shape.state_size, -1));
  }
  const int64_t state_elements = int64_t(shape.batches) * shape.state_size;
  if (hidden.num_elements() != state_elements || cell.num_elements() != state_elements)
    return ctx.fail("hidden and cell state must have %lld elements (batch %d x state %d)",
                    (long long)state_elements, int(shape.batches), int(shape.state_size));
  if (output.shape.rank != 3 || output.shape.dims[0] != input.shape.dims[0] ||
      output.shape.dims[1] != input.shape.dims[1] || output.shape.dims[2] != shape.state_size)
    return ctx.fail("output must be [%d, %d, %d]", int(input.shape.dims[0]), int(input.shape.dims[1]),
                    int(shape.state_size));

  const DType type = input.type;
  if (type != DType::kFloat32 && type != DType::kInt8)
    return ctx.fail("input type %s is not supported (float32, int8)", dtype_name(type));
  if (hidden.type != type || output.type != type)
    return ctx.fail("input, hidden state and output must have the same type, got %s, %s, %s", dtype_name(type),
                    dtype_name(hidden.type), dtype_name(output.type));
  for (int g = 0; g < kLstmGateCount; ++g) {
    if (ctx.input(kInputWeights + g).type != type || ctx.input(kRecurrentWeights + g).type != type)
      return ctx.fail("%s gate weights must be %s (TFLM supports no hybrid LSTM)", kGateNames[g],
                      dtype_name(type));
  }

  auto* data = ctx.allocate_op_data<LstmOpData>();
  if (data == nullptr) return Status::kError;
  data->shape = shape;
  data->type = type;
  data->cell_clip = cell_clip;

  size_t element_bytes = sizeof(float);
  if (type == DType::kFloat32) {
    for (int g = 0; g < kLstmGateCount; ++g) {
      if (ctx.input(kGateBias + g).type != DType::kFloat32)
        return ctx.fail("float LSTM needs float32 gate biases");
    }
    if (cell.type != DType::kFloat32) return ctx.fail("float LSTM needs a float32 cell state");
  } else {
    MOTE_RETURN_IF_ERROR(prepare_int8(ctx, data, cell_clip));
    data->optimized_gates = optimized::kEnabled && optimized::lstm_int8_applies(shape);
    element_bytes = sizeof(int16_t);
  }
  MOTE_RETURN_IF_ERROR(ctx.request_scratch(size_t(reference::lstm_scratch_elements(shape)) * element_bytes,
                                         &data->scratch_index));
  // The kernel walks the rows of the input front to back, writing each row's
  // output while it still reads that row, so the output may stream over the
  // rows before it.
  const int32_t element = int32_t(dtype_size(type));
  const int32_t max_lead = streaming_max_lead(shape.batches * shape.time_steps, shape.input_size * element,
                                              shape.state_size * element);
  return ctx.allow_overlap(kInput, 0, kUnboundedLead, max_lead);
}

Status eval(OpContext& ctx) {
  const auto& data = *ctx.op_data<LstmOpData>();
  const TensorView input = ctx.input(kInput);
  const TensorView hidden = ctx.input(kHiddenState);
  const TensorView cell = ctx.input(kCellState);
  const TensorView output = ctx.output(0);
  void* scratch = ctx.scratch(data.scratch_index);

  if (data.type == DType::kFloat32) {
    reference::LstmParamsFloat params;
    params.shape = data.shape;
    params.cell_clip = data.cell_clip;
    for (int g = 0; g < kLstmGateCount; ++g) {
      params.gates[g].input_weights = ctx.input(kInputWeights + g).as<float>();
      params.gates[g].recurrent_weights = ctx.input(kRecurrentWeights + g).as<float>();
      params.gates[g].bias = ctx.input(kGateBias + g).as<float>();
    }
    reference::lstm_float(params, input.as<float>(), hidden.as<float>(), cell.as<float>(), output.as<float>(),
                          static_cast<float*>(scratch));
    return Status::kOk;
  }

  reference::LstmParamsInt8 params;
  params.shape = data.shape;
  for (int g = 0; g < kLstmGateCount; ++g) {
    const GateOpData& gate = data.gates[g];
    reference::LstmGateInt8& p = params.gates[g];
    p.input_weights = ctx.input(kInputWeights + g).as<int8_t>();
    p.recurrent_weights = ctx.input(kRecurrentWeights + g).as<int8_t>();
    p.bias = ctx.input(kGateBias + g).as<int32_t>();
    p.input_multiplier = gate.input_multiplier;
    p.input_shift = gate.input_shift;
    p.recurrent_multiplier = gate.recurrent_multiplier;
    p.recurrent_shift = gate.recurrent_shift;
  }
  params.forget_cell_multiplier = data.forget_cell_multiplier;
  params.forget_cell_shift = data.forget_cell_shift;
  params.input_cell_multiplier = data.input_cell_multiplier;
  params.input_cell_shift = data.input_cell_shift;
  params.hidden_multiplier = data.hidden_multiplier;
  params.hidden_shift = data.hidden_shift;
  params.hidden_zero_point = data.hidden_zero_point;
  params.input_offset = data.input_offset;
  params.hidden_offset = -data.hidden_zero_point;
  params.cell_tanh_multiplier = data.cell_tanh_multiplier;
  params.cell_tanh_left_shift = data.cell_tanh_left_shift;
  params.use_cell_clip = data.cell_clip > 0.0f;
  params.cell_clip = data.quantized_cell_clip;
  const reference::LstmGatePreactivationInt8 gates =
      data.optimized_gates ? optimized::unless_reference_only(optimized::lstm_gate_preactivation_int8,
                                                              reference::lstm_gate_preactivation_int8)
                           : reference::lstm_gate_preactivation_int8;
  reference::lstm_int8(params, input.as<int8_t>(), hidden.as<int8_t>(), cell.as<int16_t>(), output.as<int8_t>(),
                       static_cast<int16_t*>(scratch), gates);
  return Status::kOk;
}

}  // namespace

const OpRegistration& unidirectional_sequence_lstm() {
  static const OpRegistration registration = {int32_t(schema::BuiltinOp::kUnidirectionalSequenceLstm), nullptr,
                                              "UNIDIRECTIONAL_SEQUENCE_LSTM", prepare, eval};
  return registration;
}

}  // namespace ops
}  // namespace mote
