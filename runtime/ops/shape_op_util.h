// Helpers shared by the data-movement ops (RESHAPE, SQUEEZE, EXPAND_DIMS,
// CONCATENATION, PAD, TRANSPOSE, STRIDED_SLICE): element types they can move,
// reading small index tensors stored in the model, printing shapes for error
// messages, and the plain copy of the reshape family.
#pragma once

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mote/op.h"

namespace mote {
namespace ops {
namespace shape_op {

// Element sizes the copy kernels handle: these ops move bits, so any fixed
// size type of 1, 2, 4 or 8 bytes works.
inline int movable_element_size(DType type) {
  const size_t size = dtype_size(type);
  return (size == 1 || size == 2 || size == 4 || size == 8) ? int(size) : 0;
}

// Element i of an int32 or int64 tensor (begin/end/perm/paddings/axis).
// Model data may be unaligned, hence memcpy.
inline int64_t index_value(const TensorView& t, int64_t i) {
  if (t.type == DType::kInt64) {
    int64_t v;
    memcpy(&v, static_cast<const uint8_t*>(t.data) + i * 8, 8);
    return v;
  }
  int32_t v;
  memcpy(&v, static_cast<const uint8_t*>(t.data) + i * 4, 4);
  return v;
}

inline bool is_index_type(DType type) { return type == DType::kInt32 || type == DType::kInt64; }

// "[1,2,3]" into buf (cut to fit).
struct ShapeText {
  char text[80];
  explicit ShapeText(const Shape& s) {
    size_t used = 0;
    text[used++] = '[';
    for (int32_t d = 0; d < s.rank && used < sizeof(text) - 16; ++d)
      used += size_t(snprintf(text + used, sizeof(text) - used, d ? ",%d" : "%d", int(s.dims[d])));
    snprintf(text + used, sizeof(text) - used, "]");
  }
  const char* c_str() const { return text; }
};

// The reshape family: one input, one output, same type and element count;
// only the shape differs.
inline Status check_same_data(const OpContext& ctx) {
  const TensorView input = ctx.input(0);
  const TensorView output = ctx.output(0);
  if (input.type != output.type)
    return ctx.fail("input is %s but output is %s; they must have the same type", dtype_name(input.type),
                    dtype_name(output.type));
  if (dtype_size(input.type) == 0) return ctx.fail("type %s is not supported", dtype_name(input.type));
  if (input.num_elements() != output.num_elements())
    return ctx.fail("input %s has %lld elements but output %s has %lld", ShapeText(input.shape).c_str(),
                    (long long)input.num_elements(), ShapeText(output.shape).c_str(), (long long)output.num_elements());
  return Status::kOk;
}

// Copies the bytes unless the memory planner placed input and output on the
// same memory, where there is nothing to do.
inline Status copy_input_to_output(OpContext& ctx) {
  const TensorView input = ctx.input(0);
  const TensorView output = ctx.output(0);
  if (input.data != output.data && input.bytes > 0) memcpy(output.data, input.data, input.bytes);
  return Status::kOk;
}

}  // namespace shape_op
}  // namespace ops
}  // namespace mote
