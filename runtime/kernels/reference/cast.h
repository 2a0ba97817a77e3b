// CAST between float32, bool and the integer types, with C++ conversion
// semantics as in TFLite: integers wrap modulo 2^bits, floats truncate toward
// zero, anything nonzero becomes true. Float values outside the target range
// (undefined in TFLite) saturate here, NaN gives 0.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "mote/tensor.h"

namespace mote {
namespace reference {

// True for the element types cast() handles: float32, bool, int8, uint8,
// int16, uint16, int32, uint32, int64.
bool cast_supported(DType type);

// Converts `count` elements; both types must be supported. Front to back,
// reading element i before writing it: an output no wider than the input may
// overlap it (OpContext::allow_in_place).
void cast(DType from, const void* input, DType to, void* output, int32_t count);

}  // namespace reference
}  // namespace mote
