// Broadcast walk for the optimized binary elementwise kernels (ADD, MUL).
//
// Same visiting order as reference::broadcast_binary, but the innermost dim
// is handed to a row function with its two strides, so the common layouts get
// loops of their own: same shape (strides 1, 1: one row for the whole
// tensor), a scalar or per-channel operand (one stride 0, or an outer dim
// with stride 0 and an inner one with stride 1).
#pragma once

#include <stdint.h>

#include "kernels/reference/elementwise_broadcast.h"

namespace mote {
namespace optimized {

// row(n, a, a_stride, b, b_stride, out) for every innermost row, in order.
template <typename T, typename Row>
inline void for_each_row(const reference::BroadcastDesc& d, const T* in1, const T* in2, T* out, Row row) {
  static_assert(reference::kMaxBroadcastDims == 6, "loop nest below assumes 6 dims");
  const int32_t n = d.dims[5];
  for (int32_t i0 = 0; i0 < d.dims[0]; ++i0) {
    const T* a0 = in1 + i0 * d.strides1[0];
    const T* b0 = in2 + i0 * d.strides2[0];
    for (int32_t i1 = 0; i1 < d.dims[1]; ++i1) {
      const T* a1 = a0 + i1 * d.strides1[1];
      const T* b1 = b0 + i1 * d.strides2[1];
      for (int32_t i2 = 0; i2 < d.dims[2]; ++i2) {
        const T* a2 = a1 + i2 * d.strides1[2];
        const T* b2 = b1 + i2 * d.strides2[2];
        for (int32_t i3 = 0; i3 < d.dims[3]; ++i3) {
          const T* a3 = a2 + i3 * d.strides1[3];
          const T* b3 = b2 + i3 * d.strides2[3];
          for (int32_t i4 = 0; i4 < d.dims[4]; ++i4) {
            row(n, a3 + i4 * d.strides1[4], d.strides1[5], b3 + i4 * d.strides2[4], d.strides2[5], out);
            out += n;
          }
        }
      }
    }
  }
}

}  // namespace optimized
}  // namespace mote
