// ADD, optimized: the signatures and byte-exact results of
// kernels/reference/add.h for int8 and int16, any broadcast.
//
// The three double-rounding multiplies per element run in their one-multiply
// form (kernels/optimized/requantize.h), the broadcast walk hands whole rows
// to loops specialized for the same-shape, scalar and per-channel layouts,
// and an operand that is constant along a row is rescaled once per row.
//
// Preconditions beyond the reference's, which make_add_sub_quant_params
// guarantees: multipliers != INT32_MIN and shifts in [-31, 31].
#pragma once

#include <stdint.h>

#include "kernels/reference/add.h"

namespace mote {
namespace optimized {

void add_int8(const reference::BroadcastDesc& d, const reference::AddSubQuantParams& p, const int8_t* input1,
              const int8_t* input2, int8_t* output);
void add_int16(const reference::BroadcastDesc& d, const reference::AddSubQuantParams& p, const int16_t* input1,
               const int16_t* input2, int16_t* output);

}  // namespace optimized
}  // namespace mote
