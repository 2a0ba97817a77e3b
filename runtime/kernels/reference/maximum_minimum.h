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
struct Maximum {
  template <typename T>
  T operator()(T a, T b) const {
    return a > b ? a : b;
  }
};

struct Minimum {
  template <typename T>
  T operator()(T a, T b) const {
    return a < b ? a : b;
  }
};

// Select is Maximum or Minimum.
template <typename Select, typename T>
void maximum_minimum(const BroadcastDesc& d, const T* input1, const T* input2, T* output) {
  broadcast_binary(d, input1, input2, output, Select());
}

template <typename T>
void maximum(const BroadcastDesc& d, const T* input1, const T* input2, T* output) {
  maximum_minimum<Maximum>(d, input1, input2, output);
}

template <typename T>
void minimum(const BroadcastDesc& d, const T* input1, const T* input2, T* output) {
  maximum_minimum<Minimum>(d, input1, input2, output);
}

}  // namespace reference
}  // namespace mote
