// MAXIMUM and MINIMUM: elementwise max / min with broadcasting. Quantized
// inputs are compared as stored (TFLite assumes inputs and output share their
// quantization and does not rescale).
#pragma once

#include <stdint.h>

#include "kernels/reference/elementwise_broadcast.h"

namespace mote {
namespace reference {

// a > b ? a : b and a < b ? a : b, as TFLite (a NaN in input 2 wins, one in
// input 1 loses).
template <typename T>
void maximum(const BroadcastDesc& d, const T* input1, const T* input2, T* output) {
  broadcast_binary(d, input1, input2, output, [](T a, T b) { return a > b ? a : b; });
}

template <typename T>
void minimum(const BroadcastDesc& d, const T* input1, const T* input2, T* output) {
  broadcast_binary(d, input1, input2, output, [](T a, T b) { return a < b ? a : b; });
}

}  // namespace reference
}  // namespace mote
