// UNIDIRECTIONAL_SEQUENCE_LSTM, optimized: the int8 gate pre-activations,
// which are nearly all of an integer LSTM's work (two matrix-vector products
// per gate and step). Same contract and bytes as
// reference::lstm_gate_preactivation_int8; reference::lstm_int8 takes it as
// its gate_preactivation and keeps the cell update.
//
// The products are the tiles of gemm_int8.h over blocks of cells (four; two
// on 32-bit cores); each block's two requantizations and saturations follow.
#pragma once

#include <stdint.h>

#include "kernels/reference/lstm.h"

namespace mote {
namespace optimized {

// True when the kernel applies: input and state no longer than kMaxDotDepth
// (gemm_int8.h). Multipliers in [0, 2^31), shifts in [-31, 31], as prepare
// makes them.
bool lstm_int8_applies(const reference::LstmShape& shape);

void lstm_gate_preactivation_int8(const reference::LstmParamsInt8& params, const reference::LstmGateInt8& gate,
                                  const int8_t* x, const int8_t* h, int32_t first, int32_t cells, int16_t* out);

// The kernel as 32-bit cores without SIMD run it; public so that tests run
// that path on any host.
void lstm_gate_preactivation_int8_32bit(const reference::LstmParamsInt8& params,
                                        const reference::LstmGateInt8& gate, const int8_t* x, const int8_t* h,
                                        int32_t first, int32_t cells, int16_t* out);

}  // namespace optimized
}  // namespace mote
