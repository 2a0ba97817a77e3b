// UNIDIRECTIONAL_SEQUENCE_LSTM reference kernels: the standard LSTM cell
// (no CIFG, peephole, projection or layer norm; the variant TFLM implements)
// run over a sequence. At each time step t, for each gate g:
//
//   gate_g = act_g(W_g x_t + b_g + R_g h_{t-1})   act: sigmoid; tanh for the cell gate
//   c_t    = clip(forget .* c_{t-1} + input .* cell)
//   h_t    = output .* tanh(c_t)
//
// and h_t is also written to the output at step t. hidden_state and
// cell_state are read as the initial state and hold the final one on return.
//
// Cell j's gates read only row j of each weight matrix, x_t, h_{t-1} and
// c_{t-1}[j]. So a step runs in chunks of cells (lstm_chunk_cells()): each
// chunk computes its four gates into the scratch, updates its cells in place
// and writes its part of h_t to the step's output row; h_t goes to the hidden
// state once the last chunk has read h_{t-1}. The scratch is four chunks,
// not four states, and the output row is written while the step's input is
// still read (the overlap bound of streaming_max_lead()).
//
// Layout: input [batches, time_steps, input_size] and output [batches,
// time_steps, state_size], or [time_steps, batches, ...] when time_major.
// States [batches, state_size]. Input weights [state_size, input_size],
// recurrent weights [state_size, state_size], row-major.
#pragma once

#include <stdint.h>

namespace mote {
namespace reference {

struct LstmShape {
  int32_t batches = 0;
  int32_t time_steps = 0;
  int32_t input_size = 0;
  int32_t state_size = 0;
  bool time_major = false;
};

// Gate order of the params' gates[] arrays (the order of TFLite's inputs).
enum LstmGate : int { kLstmInputGate = 0, kLstmForgetGate = 1, kLstmCellGate = 2, kLstmOutputGate = 3 };
constexpr int kLstmGateCount = 4;

// Cells per chunk: the fewest chunks of at most kLstmMaxChunkCells, as equal
// as they can be (20 cells: two of 10), so the scratch is no larger than
// that number of chunks needs. Larger chunks would only save loop overhead;
// the products over the weight rows are the work either way.
constexpr int32_t kLstmMaxChunkCells = 16;
inline int32_t lstm_chunk_cells(const LstmShape& shape) {
  const int32_t chunks = (shape.state_size + kLstmMaxChunkCells - 1) / kLstmMaxChunkCells;
  return (shape.state_size + chunks - 1) / chunks;
}

// Scratch elements (float or int16) both kernels need: one chunk per gate.
inline int32_t lstm_scratch_elements(const LstmShape& shape) { return kLstmGateCount * lstm_chunk_cells(shape); }

struct LstmGateFloat {
  const float* input_weights = nullptr;
  const float* recurrent_weights = nullptr;
  const float* bias = nullptr;
};

struct LstmParamsFloat {
  LstmShape shape;
  LstmGateFloat gates[kLstmGateCount];
  float cell_clip = 0.0f;  // > 0: clamp the cell state to [-cell_clip, cell_clip]
};

void lstm_float(const LstmParamsFloat& params, const float* input, float* hidden_state, float* cell_state,
                float* output, float* scratch);

// One gate of the integer LSTM. Both matrix products land in Q3.12 int16
// (saturated), are added with saturation, and go through the int16
// sigmoid/tanh to Q0.15.
struct LstmGateInt8 {
  const int8_t* input_weights = nullptr;
  const int8_t* recurrent_weights = nullptr;
  const int32_t* bias = nullptr;  // added to the input product
  int32_t input_multiplier = 0, input_shift = 0;
  int32_t recurrent_multiplier = 0, recurrent_shift = 0;
};

// int8 input / hidden state / output, int8 weights, int32 bias, int16 cell
// state.
struct LstmParamsInt8 {
  LstmShape shape;
  LstmGateInt8 gates[kLstmGateCount];
  // -zero point of the input and of the hidden state. Added to each input
  // element inside the products (TFLM's form) rather than folded into
  // per-gate bias arrays, which would cost 8 x state_size int32 of arena.
  int32_t input_offset = 0;
  int32_t hidden_offset = 0;
  // forget (Q0.15) * cell state -> cell state.
  int32_t forget_cell_multiplier = 0, forget_cell_shift = 0;
  // input gate (Q0.15) * cell gate (Q0.15) -> cell state.
  int32_t input_cell_multiplier = 0, input_cell_shift = 0;
  // tanh(cell) (Q0.15) * output gate (Q0.15) -> hidden state (int8, zero point).
  int32_t hidden_multiplier = 0, hidden_shift = 0;
  int32_t hidden_zero_point = 0;
  // Input scaling of tanh(cell state), see kernels/integer_activations.h.
  int32_t cell_tanh_multiplier = 0, cell_tanh_left_shift = 0;
  bool use_cell_clip = false;
  int16_t cell_clip = 0;  // clamp to [-cell_clip, cell_clip] when use_cell_clip
};

// One gate's pre-activations of cells [first, first + cells) for one row x
// (input_size) and h (state_size), in Q3.12: the input product (with the
// bias) and the recurrent product, each requantized to int16 with
// saturation, then added with saturation, as TFLM computes them (two fully
// connected ops with int16 outputs). out[i] is cell first + i.
void lstm_gate_preactivation_int8(const LstmParamsInt8& params, const LstmGateInt8& gate, const int8_t* x,
                                  const int8_t* h, int32_t first, int32_t cells, int16_t* out);
using LstmGatePreactivationInt8 = void (*)(const LstmParamsInt8&, const LstmGateInt8&, const int8_t*,
                                           const int8_t*, int32_t, int32_t, int16_t*);

// gate_preactivation computes the matrix products (the reference's above, or
// an optimized kernel with the same results).
void lstm_int8(const LstmParamsInt8& params, const int8_t* input, int8_t* hidden_state, int16_t* cell_state,
               int8_t* output, int16_t* scratch,
               LstmGatePreactivationInt8 gate_preactivation = lstm_gate_preactivation_int8);

}  // namespace reference
}  // namespace mote
