#include "kernels/reference/cast.h"

#include <math.h>

#include <limits>
#include <type_traits>

namespace mote {
namespace reference {

namespace {

template <typename To, typename From>
To convert(From x) {
  if constexpr (std::is_same<To, bool>::value) {
    return x != From(0);
  } else if constexpr (std::is_floating_point<From>::value && !std::is_floating_point<To>::value) {
    if (isnan(x)) return To(0);
    const From t = truncf(x);
    if (t <= From(std::numeric_limits<To>::min())) return std::numeric_limits<To>::min();
    // max() + 1 is a power of two, exact in float.
    if (t >= From(2) * From(std::numeric_limits<To>::max() / 2 + 1)) return std::numeric_limits<To>::max();
    return To(t);
  } else {
    return To(x);
  }
}

template <typename From, typename To>
void cast_typed(const void* input, void* output, int32_t count) {
  const From* in = static_cast<const From*>(input);
  To* out = static_cast<To*>(output);
  for (int32_t i = 0; i < count; ++i) out[i] = convert<To>(in[i]);
}

template <typename From>
void cast_from(const void* input, DType to, void* output, int32_t count) {
  switch (to) {
    case DType::kFloat32: return cast_typed<From, float>(input, output, count);
    case DType::kBool: return cast_typed<From, bool>(input, output, count);
    case DType::kInt8: return cast_typed<From, int8_t>(input, output, count);
    case DType::kUInt8: return cast_typed<From, uint8_t>(input, output, count);
    case DType::kInt16: return cast_typed<From, int16_t>(input, output, count);
    case DType::kUInt16: return cast_typed<From, uint16_t>(input, output, count);
    case DType::kInt32: return cast_typed<From, int32_t>(input, output, count);
    case DType::kUInt32: return cast_typed<From, uint32_t>(input, output, count);
    case DType::kInt64: return cast_typed<From, int64_t>(input, output, count);
    default: return;
  }
}

}  // namespace

bool cast_supported(DType type) {
  switch (type) {
    case DType::kFloat32:
    case DType::kBool:
    case DType::kInt8:
    case DType::kUInt8:
    case DType::kInt16:
    case DType::kUInt16:
    case DType::kInt32:
    case DType::kUInt32:
    case DType::kInt64:
      return true;
    default:
      return false;
  }
}

void cast(DType from, const void* input, DType to, void* output, int32_t count) {
  switch (from) {
    case DType::kFloat32: return cast_from<float>(input, to, output, count);
    case DType::kBool: return cast_from<bool>(input, to, output, count);
    case DType::kInt8: return cast_from<int8_t>(input, to, output, count);
    case DType::kUInt8: return cast_from<uint8_t>(input, to, output, count);
    case DType::kInt16: return cast_from<int16_t>(input, to, output, count);
    case DType::kUInt16: return cast_from<uint16_t>(input, to, output, count);
    case DType::kInt32: return cast_from<int32_t>(input, to, output, count);
    case DType::kUInt32: return cast_from<uint32_t>(input, to, output, count);
    case DType::kInt64: return cast_from<int64_t>(input, to, output, count);
    default: return;
  }
}

}  // namespace reference
}  // namespace mote
