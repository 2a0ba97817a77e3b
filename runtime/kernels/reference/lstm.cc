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

// Calls row(input_offset, output_offset, state_offset) for every (batch,
// time step) row of the input in memory order. A row depends only on the
// previous row of its batch, so this order gives TFLM's results in both
// layouts, and the output is written front to back.
template <typename Row>
void for_each_row(const LstmShape& shape, Row row) {
  const int32_t outer = shape.time_major ? shape.time_steps : shape.batches;
  const int32_t inner = shape.time_major ? shape.batches : shape.time_steps;
  int64_t r = 0;
  for (int32_t i = 0; i < outer; ++i) {
    for (int32_t j = 0; j < inner; ++j, ++r) {
      const int32_t batch = shape.time_major ? j : i;
      row(r * shape.input_size, r * shape.state_size, int64_t(batch) * shape.state_size);
    }
  }
}

// Calls chunk(first, cells) for the cells of one row, lstm_chunk_cells() at a
// time.
template <typename Chunk>
void for_each_chunk(const LstmShape& shape, Chunk chunk) {
  const int32_t chunk_cells = lstm_chunk_cells(shape);
  for (int32_t first = 0; first < shape.state_size; first += chunk_cells) {
    chunk(first, std::min(chunk_cells, shape.state_size - first));
  }
}

// ---- float ----

inline float dot_float(const float* row, const float* x, int32_t size) {
  float total = 0.0f;
  for (int32_t d = 0; d < size; ++d) total += x[d] * row[d];
  return total;
}

// TFLite's reference logistic: exact formula inside [-9, 16.62], and its
// limits outside.
inline float sigmoid_float(float x) {
  if (x > 16.619047164916992188f) return 1.0f;
  if (x < -9.0f) return std::exp(x);
  return 1.0f / (1.0f + std::exp(-x));
}

// One gate's activations of cells [first, first + cells), summed as TFLM
// sums them: two fully connected products, the recurrent one with a zero
// bias (+ 0.0f turns a -0 into +0 as TFLM's does), then added.
void gate_float(const LstmGateFloat& gate, bool is_cell_gate, const float* x, const float* h, int32_t input_size,
                int32_t state_size, int32_t first, int32_t cells, float* out) {
  for (int32_t i = 0; i < cells; ++i) {
    const int64_t o = first + i;
    const float from_input = dot_float(gate.input_weights + o * input_size, x, input_size) +
                             (gate.bias != nullptr ? gate.bias[o] : 0.0f);
    const float from_recurrent = dot_float(gate.recurrent_weights + o * state_size, h, state_size) + 0.0f;
    const float sum = from_input + from_recurrent;
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
                                  const int8_t* h, int32_t first, int32_t cells, int16_t* out) {
  const int32_t input_size = params.shape.input_size;
  const int32_t state_size = params.shape.state_size;
  for (int32_t i = 0; i < cells; ++i) {
    const int64_t o = first + i;
    const int32_t from_input =
        matvec_row_int8(gate.input_weights + o * input_size, x, input_size, params.input_offset,
                        gate.bias != nullptr ? gate.bias[o] : 0, gate.input_multiplier, gate.input_shift);
    const int32_t from_recurrent = matvec_row_int8(gate.recurrent_weights + o * state_size, h, state_size,
                                                   params.hidden_offset, 0, gate.recurrent_multiplier,
                                                   gate.recurrent_shift);
    out[i] = fixedpoint::saturate<int16_t>(from_input + from_recurrent);
  }
}

void lstm_float(const LstmParamsFloat& params, const float* input, float* hidden_state, float* cell_state,
                float* output, float* scratch) {
  const LstmShape& shape = params.shape;
  const int32_t chunk_cells = lstm_chunk_cells(shape);
  float* input_gate = scratch;
  float* forget_gate = scratch + chunk_cells;
  float* cell_gate = scratch + 2 * chunk_cells;
  float* output_gate = scratch + 3 * chunk_cells;

  for_each_row(shape, [&](int64_t input_offset, int64_t output_offset, int64_t state_offset) {
    const float* x = input + input_offset;
    const float* h = hidden_state + state_offset;
    float* c = cell_state + state_offset;
    float* h_new = output + output_offset;
    const LstmGateFloat* gates = params.gates;
    const int32_t in = shape.input_size, state = shape.state_size;

    for_each_chunk(shape, [&](int32_t first, int32_t cells) {
      gate_float(gates[kLstmInputGate], false, x, h, in, state, first, cells, input_gate);
      gate_float(gates[kLstmForgetGate], false, x, h, in, state, first, cells, forget_gate);
      gate_float(gates[kLstmCellGate], true, x, h, in, state, first, cells, cell_gate);
      gate_float(gates[kLstmOutputGate], false, x, h, in, state, first, cells, output_gate);
      for (int32_t i = 0; i < cells; ++i) {
        float& cell = c[first + i];
        const float kept = forget_gate[i] * cell;
        const float added = input_gate[i] * cell_gate[i];
        cell = kept + added;
        if (params.cell_clip > 0.0f) cell = std::max(std::min(params.cell_clip, cell), -params.cell_clip);
        h_new[first + i] = std::tanh(cell) * output_gate[i];
      }
    });
    memcpy(hidden_state + state_offset, h_new, size_t(state) * sizeof(float));
  });
}

void lstm_int8(const LstmParamsInt8& params, const int8_t* input, int8_t* hidden_state, int16_t* cell_state,
               int8_t* output, int16_t* scratch, LstmGatePreactivationInt8 gate_preactivation) {
  using fixedpoint::saturate;
  using integer_activations::sigmoid_int16;
  using integer_activations::tanh_int16;
  const LstmShape& shape = params.shape;
  const int32_t chunk_cells = lstm_chunk_cells(shape);
  int16_t* input_gate = scratch;
  int16_t* forget_gate = scratch + chunk_cells;
  int16_t* cell_gate = scratch + 2 * chunk_cells;
  int16_t* output_gate = scratch + 3 * chunk_cells;
  int16_t* cell_tanh = cell_gate;  // the cell gate is spent once the cells are updated

  for_each_row(shape, [&](int64_t input_offset, int64_t output_offset, int64_t state_offset) {
    const int8_t* x = input + input_offset;
    const int8_t* h = hidden_state + state_offset;
    int16_t* c = cell_state + state_offset;
    int8_t* h_new = output + output_offset;
    const LstmGateInt8* gates = params.gates;

    for_each_chunk(shape, [&](int32_t first, int32_t cells) {
      // Gate outputs are Q0.15; the pre-activations are Q3.12, i.e. the
      // default (0, 0) input scaling of the int16 sigmoid / tanh.
      gate_preactivation(params, gates[kLstmInputGate], x, h, first, cells, input_gate);
      sigmoid_int16(input_gate, input_gate, cells, 0, 0);
      gate_preactivation(params, gates[kLstmForgetGate], x, h, first, cells, forget_gate);
      sigmoid_int16(forget_gate, forget_gate, cells, 0, 0);
      gate_preactivation(params, gates[kLstmCellGate], x, h, first, cells, cell_gate);
      tanh_int16(cell_gate, cell_gate, cells, 0, 0);
      gate_preactivation(params, gates[kLstmOutputGate], x, h, first, cells, output_gate);
      sigmoid_int16(output_gate, output_gate, cells, 0, 0);

      int16_t* chunk_c = c + first;
      for (int32_t i = 0; i < cells; ++i) {
        const int32_t kept = saturate<int16_t>(
            multiply_requantize(forget_gate[i], chunk_c[i], params.forget_cell_multiplier, params.forget_cell_shift));
        const int32_t added = saturate<int16_t>(
            multiply_requantize(input_gate[i], cell_gate[i], params.input_cell_multiplier, params.input_cell_shift));
        int16_t updated = saturate<int16_t>(kept + added);
        if (params.use_cell_clip) updated = std::max(std::min(params.cell_clip, updated), int16_t(-params.cell_clip));
        chunk_c[i] = updated;
      }

      tanh_int16(chunk_c, cell_tanh, cells, params.cell_tanh_multiplier, params.cell_tanh_left_shift);
      for (int32_t i = 0; i < cells; ++i) {
        const int32_t hidden =
            params.hidden_zero_point +
            multiply_requantize(cell_tanh[i], output_gate[i], params.hidden_multiplier, params.hidden_shift);
        h_new[first + i] = saturate<int8_t>(hidden);
      }
    });
    memcpy(hidden_state + state_offset, h_new, size_t(shape.state_size));
  });
}

}  // namespace reference
}  // namespace mote
