// What a kernel sees of a tensor: its data, shape and element type.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "mote/schema.h"

namespace mote {

using DType = schema::TensorType;

// Bytes per element; 0 for types mote does not store (string, variant, ...).
size_t dtype_size(DType type);
// "int8", "float32", ...
const char* dtype_name(DType type);

constexpr int kMaxDims = 6;

struct Shape {
  int32_t rank = 0;
  int32_t dims[kMaxDims] = {};

  int32_t dim(int i) const { return dims[i]; }
  int64_t num_elements() const {
    int64_t n = 1;
    for (int i = 0; i < rank; ++i) n *= dims[i];
    return n;
  }
  // Product of dims [from, to).
  int64_t flat_size(int from, int to) const {
    int64_t n = 1;
    for (int i = from; i < to; ++i) n *= dims[i];
    return n;
  }
  bool operator==(const Shape& o) const {
    if (rank != o.rank) return false;
    for (int i = 0; i < rank; ++i)
      if (dims[i] != o.dims[i]) return false;
    return true;
  }
  bool operator!=(const Shape& o) const { return !(*this == o); }
};

struct TensorView {
  void* data = nullptr;
  Shape shape;
  DType type = DType::kFloat32;
  uint32_t bytes = 0;

  template <typename T>
  T* as() const { return static_cast<T*>(data); }
  int64_t num_elements() const { return shape.num_elements(); }
};

// Affine quantization of a tensor as stored in the model: real = scale * (q - zero_point).
// Per-channel tensors have count > 1 values along `axis`.
struct QuantView {
  int32_t count = 0;  // 0: not quantized
  int32_t axis = 0;
  const uint8_t* scales = nullptr;       // `count` little-endian float32, maybe unaligned
  const uint8_t* zero_points = nullptr;  // `count` little-endian int64, maybe unaligned; may be null

  bool quantized() const { return count > 0; }
  float scale(int32_t i = 0) const;
  int32_t zero_point(int32_t i = 0) const;
};

}  // namespace mote
