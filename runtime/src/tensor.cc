#include "mote/tensor.h"

#include "mote/flatbuffer.h"

namespace mote {

size_t dtype_size(DType type) {
  switch (type) {
    case DType::kFloat32: return 4;
    case DType::kFloat16: return 2;
    case DType::kInt32: return 4;
    case DType::kUInt8: return 1;
    case DType::kInt64: return 8;
    case DType::kBool: return 1;
    case DType::kInt16: return 2;
    case DType::kComplex64: return 8;
    case DType::kInt8: return 1;
    case DType::kFloat64: return 8;
    case DType::kComplex128: return 16;
    case DType::kUInt64: return 8;
    case DType::kUInt32: return 4;
    case DType::kUInt16: return 2;
    default: return 0;
  }
}

const char* dtype_name(DType type) {
  switch (type) {
    case DType::kFloat32: return "float32";
    case DType::kFloat16: return "float16";
    case DType::kInt32: return "int32";
    case DType::kUInt8: return "uint8";
    case DType::kInt64: return "int64";
    case DType::kString: return "string";
    case DType::kBool: return "bool";
    case DType::kInt16: return "int16";
    case DType::kComplex64: return "complex64";
    case DType::kInt8: return "int8";
    case DType::kFloat64: return "float64";
    case DType::kComplex128: return "complex128";
    case DType::kUInt64: return "uint64";
    case DType::kResource: return "resource";
    case DType::kVariant: return "variant";
    case DType::kUInt32: return "uint32";
    case DType::kUInt16: return "uint16";
    case DType::kInt4: return "int4";
  }
  return "unknown";
}

float QuantView::scale(int32_t i) const {
  if (i < 0 || i >= count || scales == nullptr) return 0.0f;
  return fb::load<float>(scales + 4 * i);
}

int32_t QuantView::zero_point(int32_t i) const {
  if (i < 0 || i >= count || zero_points == nullptr) return 0;
  return int32_t(fb::load<int64_t>(zero_points + 8 * i));
}

}  // namespace mote
