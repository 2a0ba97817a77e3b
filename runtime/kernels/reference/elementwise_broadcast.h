// Index walking for binary elementwise ops with NumPy broadcasting (ADD, SUB,
// MUL, DIV, MAXIMUM, MINIMUM).
//
// Prepare turns the two input shapes into a BroadcastDesc once; eval walks it
// with broadcast_binary(). The walk visits output elements in row-major order,
// so results do not depend on how dims were merged.
#pragma once

#include <stdint.h>

#include "mote/tensor.h"

namespace mote {
namespace reference {

constexpr int kMaxBroadcastDims = kMaxDims;

// Output dims (outermost first) and, per input, the element stride along each
// dim; stride 0 repeats that input along the dim. Adjacent dims that both
// inputs walk contiguously are merged and size-1 dims dropped, so a same-shape
// op is one loop and a per-channel vector op is two. Unused outer slots have
// dim 1. Plain integers only: it lives in op data in the arena.
struct BroadcastDesc {
  int32_t dims[kMaxBroadcastDims];
  int32_t strides1[kMaxBroadcastDims];
  int32_t strides2[kMaxBroadcastDims];
};

// NumPy broadcast of `a` and `b`: shapes aligned at the last dim, each pair of
// dims equal or one of them 1. False when they are incompatible.
bool broadcast_shape(const Shape& a, const Shape& b, Shape* out);

// Fills `desc` for inputs of shapes `a` and `b`; false when they do not
// broadcast.
bool make_broadcast_desc(const Shape& a, const Shape& b, BroadcastDesc* desc);

// out[i] = op(in1[..], in2[..]) over the broadcast output, row-major.
template <typename In, typename Out, typename Op>
inline void broadcast_binary(const BroadcastDesc& d, const In* in1, const In* in2, Out* out, Op op) {
  static_assert(kMaxBroadcastDims == 6, "loop nest below assumes 6 dims");
  const int32_t n = d.dims[5];
  const int32_t s1 = d.strides1[5];
  const int32_t s2 = d.strides2[5];
  for (int32_t i0 = 0; i0 < d.dims[0]; ++i0) {
    const In* a0 = in1 + i0 * d.strides1[0];
    const In* b0 = in2 + i0 * d.strides2[0];
    for (int32_t i1 = 0; i1 < d.dims[1]; ++i1) {
      const In* a1 = a0 + i1 * d.strides1[1];
      const In* b1 = b0 + i1 * d.strides2[1];
      for (int32_t i2 = 0; i2 < d.dims[2]; ++i2) {
        const In* a2 = a1 + i2 * d.strides1[2];
        const In* b2 = b1 + i2 * d.strides2[2];
        for (int32_t i3 = 0; i3 < d.dims[3]; ++i3) {
          const In* a3 = a2 + i3 * d.strides1[3];
          const In* b3 = b2 + i3 * d.strides2[3];
          for (int32_t i4 = 0; i4 < d.dims[4]; ++i4) {
            const In* a = a3 + i4 * d.strides1[4];
            const In* b = b3 + i4 * d.strides2[4];
            for (int32_t i = 0; i < n; ++i) *out++ = op(a[i * s1], b[i * s2]);
          }
        }
      }
    }
  }
}

// min(max(x, lo), hi) in the order TFLite's ActivationFunctionWithMinMax uses,
// so a NaN passes through unchanged.
template <typename T>
inline T clamp_activation(T x, T lo, T hi) {
  const T above = x < lo ? lo : x;
  return hi < above ? hi : above;
}

}  // namespace reference
}  // namespace mote
