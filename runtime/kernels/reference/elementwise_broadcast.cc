#include "kernels/reference/elementwise_broadcast.h"

namespace mote {
namespace reference {

namespace {

// `s` right-aligned in kMaxBroadcastDims dims, padded with leading 1s.
bool extend(const Shape& s, int32_t* dims) {
  if (s.rank < 0 || s.rank > kMaxBroadcastDims) return false;
  const int pad = kMaxBroadcastDims - s.rank;
  for (int i = 0; i < pad; ++i) dims[i] = 1;
  for (int i = 0; i < s.rank; ++i) dims[pad + i] = s.dims[i];
  return true;
}

bool broadcast_dim(int32_t a, int32_t b, int32_t* out) {
  if (a == b || b == 1) {
    *out = a;
  } else if (a == 1) {
    *out = b;
  } else {
    return false;
  }
  return true;
}

}  // namespace

bool broadcast_shape(const Shape& a, const Shape& b, Shape* out) {
  int32_t da[kMaxBroadcastDims], db[kMaxBroadcastDims];
  if (!extend(a, da) || !extend(b, db)) return false;
  const int rank = a.rank > b.rank ? a.rank : b.rank;
  Shape result;
  result.rank = rank;
  for (int i = 0; i < rank; ++i) {
    const int d = kMaxBroadcastDims - rank + i;
    if (!broadcast_dim(da[d], db[d], &result.dims[i])) return false;
  }
  *out = result;
  return true;
}

bool make_broadcast_desc(const Shape& a, const Shape& b, BroadcastDesc* desc) {
  int32_t da[kMaxBroadcastDims], db[kMaxBroadcastDims], dout[kMaxBroadcastDims];
  if (!extend(a, da) || !extend(b, db)) return false;
  for (int i = 0; i < kMaxBroadcastDims; ++i) {
    if (!broadcast_dim(da[i], db[i], &dout[i])) return false;
  }

  // Row-major strides of each input; 0 along dims where it has size 1.
  int32_t sa[kMaxBroadcastDims], sb[kMaxBroadcastDims];
  int32_t stride_a = 1, stride_b = 1;
  for (int i = kMaxBroadcastDims - 1; i >= 0; --i) {
    sa[i] = da[i] == 1 ? 0 : stride_a;
    sb[i] = db[i] == 1 ? 0 : stride_b;
    stride_a *= da[i];
    stride_b *= db[i];
  }

  // Keep the non-trivial output dims, merging each into the previous kept
  // (outer) one when both inputs continue contiguously across the boundary.
  int32_t dims[kMaxBroadcastDims], s1[kMaxBroadcastDims], s2[kMaxBroadcastDims];
  int count = 0;
  for (int i = 0; i < kMaxBroadcastDims; ++i) {
    if (dout[i] == 1) continue;
    if (count > 0) {
      const int last = count - 1;
      if (s1[last] == sa[i] * dout[i] && s2[last] == sb[i] * dout[i]) {
        dims[last] *= dout[i];
        s1[last] = sa[i];
        s2[last] = sb[i];
        continue;
      }
    }
    dims[count] = dout[i];
    s1[count] = sa[i];
    s2[count] = sb[i];
    ++count;
  }

  const int pad = kMaxBroadcastDims - count;
  for (int i = 0; i < pad; ++i) {
    desc->dims[i] = 1;
    desc->strides1[i] = 0;
    desc->strides2[i] = 0;
  }
  for (int i = 0; i < count; ++i) {
    desc->dims[pad + i] = dims[i];
    desc->strides1[pad + i] = s1[i];
    desc->strides2[pad + i] = s2[i];
  }
  return true;
}

}  // namespace reference
}  // namespace mote
