#include "kernels/optimized/lstm.h"

#include "kernels/fixedpoint.h"
#include "kernels/optimized/gemm_int8.h"
#include "kernels/optimized/requantize.h"
#include "kernels/reference/accumulate.h"

namespace mote {
namespace optimized {
namespace {

using reference::LstmGateInt8;
using reference::LstmParamsInt8;

// Cells [cell, cell + N) of the row; out[n] is cell + n.
template <bool kSmall, int N>
void gate_cells(const LstmParamsInt8& params, const LstmGateInt8& gate, const CoreRequant<kSmall>& input_requant,
                const CoreRequant<kSmall>& recurrent_requant, const int8_t* x, const int8_t* h, int32_t cell,
                int16_t* out) {
  const int32_t input_size = params.shape.input_size, state_size = params.shape.state_size;
  int32_t from_input[N] = {}, from_recurrent[N] = {};
  dot_tile<1, N>(x, gate.input_weights + cell * input_size, contiguous_rows(input_size), params.input_offset,
                 from_input);
  dot_tile<1, N>(h, gate.recurrent_weights + cell * state_size, contiguous_rows(state_size), params.hidden_offset,
                 from_recurrent);
  for (int n = 0; n < N; ++n) {
    const int32_t bias = gate.bias != nullptr ? gate.bias[cell + n] : 0;
    const int32_t a = fixedpoint::saturate<int16_t>(
        requantize(input_requant, reference::wrapping_add(from_input[n], bias)));
    const int32_t b = fixedpoint::saturate<int16_t>(requantize(recurrent_requant, from_recurrent[n]));
    out[n] = fixedpoint::saturate<int16_t>(a + b);
  }
}

template <bool kSmall>
void gate_preactivation_with(const LstmParamsInt8& params, const LstmGateInt8& gate, const int8_t* x,
                             const int8_t* h, int32_t first, int32_t cells, int16_t* out) {
  constexpr int kBlock = kSmall ? 2 : 4;
  const auto input_requant = make_core_requant<kSmall>(gate.input_multiplier, gate.input_shift);
  const auto recurrent_requant = make_core_requant<kSmall>(gate.recurrent_multiplier, gate.recurrent_shift);
  int32_t i = 0;
  for (; i + kBlock <= cells; i += kBlock)
    gate_cells<kSmall, kBlock>(params, gate, input_requant, recurrent_requant, x, h, first + i, out + i);
  for (; i < cells; ++i)
    gate_cells<kSmall, 1>(params, gate, input_requant, recurrent_requant, x, h, first + i, out + i);
}

}  // namespace

bool lstm_int8_applies(const reference::LstmShape& shape) {
  return shape.input_size <= kMaxDotDepth && shape.state_size <= kMaxDotDepth;
}

void lstm_gate_preactivation_int8(const LstmParamsInt8& params, const LstmGateInt8& gate, const int8_t* x,
                                  const int8_t* h, int32_t first, int32_t cells, int16_t* out) {
  gate_preactivation_with<kSmallCore>(params, gate, x, h, first, cells, out);
}

void lstm_gate_preactivation_int8_32bit(const LstmParamsInt8& params, const LstmGateInt8& gate, const int8_t* x,
                                        const int8_t* h, int32_t first, int32_t cells, int16_t* out) {
  gate_preactivation_with<true>(params, gate, x, h, first, cells, out);
}

}  // namespace optimized
}  // namespace mote
