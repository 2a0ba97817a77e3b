// STRIDED_SLICE reference kernel and the resolution of its slice spec.
//
// The spec is numpy's basic indexing, input[b0:e0:s0, ..., bk:ek:sk], with
// the TFLite masks: bit i of begin_mask / end_mask ignores begin[i] / end[i]
// (full range), ellipsis_mask marks the entry standing for "all remaining
// dimensions", new_axis_mask inserts a size-1 dimension, shrink_axis_mask
// takes the single element at begin[i] and drops the dimension. With the
// `offset` option end[i] is relative to begin[i]. Out-of-range indices clamp
// as in TFLite (StridedSliceStartForAxis / StridedSliceEndForAxis).
//
// strided_slice_resolve() turns the spec into, per input dimension, a first
// index, an element count and a signed stride; the kernel then copies
//   output[i] = input[offset + sum_d i[d] * step[d]]
// Moves elements only: one kernel serves every element size (1, 2, 4, 8).
#pragma once

#include <stdint.h>

#include "mote/tensor.h"

namespace mote {
namespace reference {

// Most begin/end/strides entries a spec may have (masks are per entry).
constexpr int kMaxSliceSpecs = 16;

struct StridedSliceSpec {
  int32_t count = 0;  // entries in begin / end / strides
  int32_t begin[kMaxSliceSpecs] = {};
  int32_t end[kMaxSliceSpecs] = {};
  int32_t strides[kMaxSliceSpecs] = {};
  int32_t begin_mask = 0;
  int32_t end_mask = 0;
  int32_t ellipsis_mask = 0;
  int32_t new_axis_mask = 0;
  int32_t shrink_axis_mask = 0;
  bool offset = false;
};

struct StridedSliceParams {
  int32_t rank = 0;                    // input rank
  int32_t counts[kMaxDims] = {};       // elements taken along each input dimension (1 when shrunk)
  int32_t input_steps[kMaxDims] = {};  // signed distance in input elements between them
  int32_t input_offset = 0;            // input element of output element 0
};

// Resolves `spec` against the input shape: fills params and the shape the
// output must have. Returns nullptr on success, else a description of what
// is wrong with the spec.
const char* strided_slice_resolve(const Shape& input_shape, const StridedSliceSpec& spec, StridedSliceParams* params,
                                  Shape* output_shape);

void strided_slice(const StridedSliceParams& params, const void* input, void* output, int element_size);

}  // namespace reference
}  // namespace mote
