#include "kernels/reference/lstm.h"

#include <string.h>

#include <algorithm>
#include <cmath>

#include "kernels/fixedpoint.h"
#include "kernels/integer_activations.h"
#include "kernels/reference/accumulate.h"

namespace mote {
namespace reference {
namespace {

// Calls step(input_offset, output_offset, state_offset) for every step, in
// TFLM's order: time-major runs all batches per step; batch-major runs each
// batch's whole sequence before the next batch.
template <typename Step>
void for_each_step(const LstmShape& shape, Step step) {
  const int64_t input_stride = shape.input_size;
  const int64_t state_stride = shape.state_size;
  if (shape.time_major) {
    for (int32_t t = 0; t < shape.time_steps; ++t) {
      step(t * shape.batches * input_stride, t * shape.batches * state_stride, int64_t(0));
    }
    return;
  }
  for (int32_t b = 0; b < shape.batches; ++b) {
    for (int32_t t = 0; t < shape.time_steps; ++t) {
      const int64_t row = int64_t(b) * shape.time_steps + t;
      step(row * input_stride, row * state_stride, b * state_stride);
    }
  }
}

// ---- float ----

// y = W x (+ bias), one row of W per output, summed in TFLite's order.
void matmul_float(const float* weights, const float* bias, const float* x, int32_t batches, int32_t in_size,
                  int32_t out_size, float* y) {
  for (int32_t b = 0; b < batches; ++b) {
    const float* xb = x + int64_t(b) * in_size;
    for (int32_t o = 0; o < out_size; ++o) {
      const float* row = weights + int64_t(o) * in_size;
      float total = 0.0f;
      for (int32_t d = 0; d < in_size; ++d) total += xb[d] * row[d];
      y[int64_t(b) * out_size + o] = total + (bias != nullptr ? bias[o] : 0.0f);
    }
  }
}

// TFLite's reference logistic: exact formula inside [-9, 16.62], and its
// limits outside.
inline float sigmoid_float(float x) {
  if (x > 16.619047164916992188f) return 1.0f;
  if (x < -9.0f) return std::exp(x);
  return 1.0f / (1.0f + std::exp(-x));
}

void gate_float(const LstmGateFloat& gate, bool is_cell_gate, const float* x, const float* h, int32_t batches,
                int32_t input_size, int32_t state_size, float* out, float* recurrent_scratch) {
  matmul_float(gate.input_weights, gate.bias, x, batches, input_size, state_size, out);
  matmul_float(gate.recurrent_weights, nullptr, h, batches, state_size, state_size, recurrent_scratch);
  const int32_t n = batches * state_size;
  for (int32_t i = 0; i < n; ++i) {
    const float sum = out[i] + recurrent_scratch[i];
    out[i] = is_cell_gate ? std::tanh(sum) : sigmoid_float(sum);
  }
}

// ---- int8 ----

// W (x + offset) + bias, requantized to int16 with saturation.
inline int32_t matvec_row_int8(const int8_t* row, const int8_t* x, int32_t size, int32_t offset, int32_t bias,
                               int32_t multiplier, int32_t shift) {
  int32_t acc = 0;
  for (int32_t d = 0; d < size; ++d) acc = wrapping_add(acc, int32_t(row[d]) * (int32_t(x[d]) + offset));
  acc = wrapping_add(acc, bias);
  return fixedpoint::saturate<int16_t>(fixedpoint::multiply_by_quantized_multiplier(acc, multiplier, shift));
}

inline int32_t multiply_requantize(int16_t a, int16_t b, int32_t multiplier, int32_t shift) {
  return fixedpoint::multiply_by_quantized_multiplier(int32_t(a) * int32_t(b), multiplier, shift);
}

}  // namespace

void lstm_gate_preactivation_int8(const LstmParamsInt8& params, const LstmGateInt8& gate, const int8_t* x,
                                  const int8_t* h, int32_t batches, int16_t* out) {
  const int32_t input_size = params.shape.input_size;
  const int32_t state_size = params.shape.state_size;
  for (int32_t b = 0; b < batches; ++b) {
    const int8_t* xb = x + int64_t(b) * input_size;
    const int8_t* hb = h + int64_t(b) * state_size;
    for (int32_t o = 0; o < state_size; ++o) {
      const int32_t from_input =
          matvec_row_int8(gate.input_weights + int64_t(o) * input_size, xb, input_size, params.input_offset,
                          gate.bias != nullptr ? gate.bias[o] : 0, gate.input_multiplier, gate.input_shift);
      const int32_t from_recurrent =
          matvec_row_int8(gate.recurrent_weights + int64_t(o) * state_size, hb, state_size, params.hidden_offset,
                          0, gate.recurrent_multiplier, gate.recurrent_shift);
      out[int64_t(b) * state_size + o] = fixedpoint::saturate<int16_t>(from_input + from_recurrent);
    }
  }
}

void lstm_float(const LstmParamsFloat& params, const float* input, float* hidden_state, float* cell_state,
                float* output, float* scratch) {
  const LstmShape& shape = params.shape;
  const int32_t batches = lstm_step_batches(shape);
  const int32_t state_size = shape.state_size;
  const int32_t n = batches * state_size;
  float* forget_gate = scratch;
  float* input_gate = scratch + n;
  float* cell_gate = scratch + 2 * n;
  float* output_gate = scratch + n;  // reuses input_gate once the cell is updated
  float* work = scratch + 3 * n;

  for_each_step(shape, [&](int64_t input_offset, int64_t output_offset, int64_t state_offset) {
    const float* x = input + input_offset;
    float* h = hidden_state + state_offset;
    float* c = cell_state + state_offset;
    const LstmGateFloat* gates = params.gates;

    gate_float(gates[kLstmForgetGate], false, x, h, batches, shape.input_size, state_size, forget_gate, work);
    gate_float(gates[kLstmInputGate], false, x, h, batches, shape.input_size, state_size, input_gate, work);
    gate_float(gates[kLstmCellGate], true, x, h, batches, shape.input_size, state_size, cell_gate, work);

    for (int32_t i = 0; i < n; ++i) {
      const float kept = forget_gate[i] * c[i];
      const float added = input_gate[i] * cell_gate[i];
      c[i] = kept + added;
      if (params.cell_clip > 0.0f) c[i] = std::max(std::min(params.cell_clip, c[i]), -params.cell_clip);
    }

    gate_float(gates[kLstmOutputGate], false, x, h, batches, shape.input_size, state_size, output_gate, work);
    for (int32_t i = 0; i < n; ++i) h[i] = std::tanh(c[i]) * output_gate[i];
    memcpy(output + output_offset, h, size_t(n) * sizeof(float));
  });
}

void lstm_int8(const LstmParamsInt8& params, const int8_t* input, int8_t* hidden_state, int16_t* cell_state,
               int8_t* output, int16_t* scratch, LstmGatePreactivationInt8 gate_preactivation) {
  using fixedpoint::saturate;
  using integer_activations::sigmoid_int16;
  using integer_activations::tanh_int16;
  const LstmShape& shape = params.shape;
  const int32_t batches = lstm_step_batches(shape);
  const int32_t state_size = shape.state_size;
  const int32_t n = batches * state_size;
  int16_t* forget_gate = scratch;
  int16_t* input_gate = scratch + n;
  int16_t* cell_gate = scratch + 2 * n;
  int16_t* output_gate = scratch + n;  // reuses input_gate once the cell is updated
  int16_t* cell_tanh = scratch + 3 * n;

  for_each_step(shape, [&](int64_t input_offset, int64_t output_offset, int64_t state_offset) {
    const int8_t* x = input + input_offset;
    int8_t* h = hidden_state + state_offset;
    int16_t* c = cell_state + state_offset;
    const LstmGateInt8* gates = params.gates;

    // Gate outputs are Q0.15; the pre-activations are Q3.12, i.e. the default
    // (0, 0) input scaling of the int16 sigmoid / tanh.
    gate_preactivation(params, gates[kLstmForgetGate], x, h, batches, forget_gate);
    sigmoid_int16(forget_gate, forget_gate, n, 0, 0);
    gate_preactivation(params, gates[kLstmInputGate], x, h, batches, input_gate);
    sigmoid_int16(input_gate, input_gate, n, 0, 0);
    gate_preactivation(params, gates[kLstmCellGate], x, h, batches, cell_gate);
    tanh_int16(cell_gate, cell_gate, n, 0, 0);

    for (int32_t i = 0; i < n; ++i) {
      const int32_t kept =
          saturate<int16_t>(multiply_requantize(forget_gate[i], c[i], params.forget_cell_multiplier,
                                                params.forget_cell_shift));
      const int32_t added =
          saturate<int16_t>(multiply_requantize(input_gate[i], cell_gate[i], params.input_cell_multiplier,
                                                params.input_cell_shift));
      int16_t updated = saturate<int16_t>(kept + added);
      if (params.use_cell_clip) {
        updated = std::max(std::min(params.cell_clip, updated), int16_t(-params.cell_clip));
      }
      c[i] = updated;
    }

    gate_preactivation(params, gates[kLstmOutputGate], x, h, batches, output_gate);
    sigmoid_int16(output_gate, output_gate, n, 0, 0);
    tanh_int16(c, cell_tanh, n, params.cell_tanh_multiplier, params.cell_tanh_left_shift);
    for (int32_t i = 0; i < n; ++i) {
      const int32_t hidden =
          params.hidden_zero_point +
          multiply_requantize(cell_tanh[i], output_gate[i], params.hidden_multiplier, params.hidden_shift);
      h[i] = saturate<int8_t>(hidden);
    }
    memcpy(output + output_offset, h, size_t(n));
  });
}

}  // namespace reference
}  // namespace mote
