// MUL, optimized: the signatures and byte-exact results of
// kernels/reference/mul.h for int8 and int16, any broadcast.
//
// The double-rounding multiply per element runs in its one-multiply form
// (kernels/optimized/requantize.h), and the broadcast walk hands whole rows to
// loops specialized for the same-shape, scalar and per-channel layouts.
//
// Precondition beyond the reference's, which make_mul_quant_params
// guarantees: output_multiplier != INT32_MIN, output_shift in [-31, 31].
#pragma once

#include <stdint.h>

#include "kernels/reference/mul.h"

namespace mote {
namespace optimized {

void mul_int8(const reference::BroadcastDesc& d, const reference::MulQuantParams& p, const int8_t* input1,
              const int8_t* input2, int8_t* output);
void mul_int16(const reference::BroadcastDesc& d, const reference::MulQuantParams& p, const int16_t* input1,
               const int16_t* input2, int16_t* output);

}  // namespace optimized
}  // namespace mote
