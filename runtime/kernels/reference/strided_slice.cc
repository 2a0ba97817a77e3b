#include "kernels/reference/strided_slice.h"

#include "kernels/reference/strided_copy.h"

namespace mote {
namespace reference {
namespace {

int32_t clamp(int32_t v, int32_t lo, int32_t hi) { return v < lo ? lo : (v > hi ? hi : v); }

// First index along an axis: in [0, size] for stride > 0, [-1, size - 1] for
// stride < 0.
int32_t start_for_axis(int32_t begin, bool begin_masked, int32_t stride, int32_t size) {
  int32_t start = begin;
  if (start < 0) start += size;
  start = stride > 0 ? clamp(start, 0, size) : clamp(start, -1, size - 1);
  if (begin_masked) start = stride > 0 ? 0 : size - 1;
  return start;
}

// One past the last index (in the direction of the stride).
int32_t stop_for_axis(int32_t end, bool end_masked, bool offset, int32_t start, int32_t stride, int32_t size) {
  int64_t stop = end;
  if (offset) stop += start;
  if (stop < 0) stop += size;
  if (stride > 0) {
    stop = stop < 0 ? 0 : (stop > size ? size : stop);
  } else {
    stop = stop < -1 ? -1 : (stop > size - 1 ? size - 1 : stop);
  }
  if (end_masked) stop = stride > 0 ? size : -1;
  return int32_t(stop);
}

// ceil((stop - start) / stride), at least 0.
int32_t element_count(int32_t start, int32_t stop, int32_t stride) {
  const int64_t span = int64_t(stop) - start;
  if (stride > 0) return span > 0 ? int32_t((span + stride - 1) / stride) : 0;
  return span < 0 ? int32_t((-span + (-int64_t(stride)) - 1) / -int64_t(stride)) : 0;
}

const char* const kTooManyOutputDims = "the output would have more dimensions than mote supports (6)";

bool bit(int32_t mask, int32_t i) { return ((uint32_t(mask) >> i) & 1u) != 0; }

}  // namespace

const char* strided_slice_resolve(const Shape& input_shape, const StridedSliceSpec& spec, StridedSliceParams* params,
                                  Shape* output_shape) {
  if (spec.count < 0 || spec.count > kMaxSliceSpecs) return "too many begin/end/strides entries";
  int32_t ellipsis_at = -1;
  int32_t new_axes = 0;
  for (int32_t i = 0; i < spec.count; ++i) {
    if (bit(spec.ellipsis_mask, i)) {
      if (ellipsis_at >= 0) return "ellipsis_mask has more than one bit set";
      ellipsis_at = i;
    } else if (bit(spec.new_axis_mask, i)) {
      ++new_axes;
    }
  }
  const int32_t rank = input_shape.rank;
  const int32_t indexed = spec.count - new_axes - (ellipsis_at >= 0 ? 1 : 0);
  if (indexed > rank) return "the slice spec indexes more dimensions than the input has";

  int32_t input_strides[kMaxDims] = {};
  int32_t stride = 1;
  for (int32_t d = rank - 1; d >= 0; --d) {
    input_strides[d] = stride;
    stride *= input_shape.dims[d];
  }

  Shape out;
  int32_t starts[kMaxDims] = {};
  params->rank = rank;
  int32_t d = 0;  // next input dimension
  auto push_output_dim = [&out](int32_t size) {
    if (out.rank >= kMaxDims) return false;
    out.dims[out.rank++] = size;
    return true;
  };
  auto take_whole_dim = [&]() {
    const int32_t size = input_shape.dims[d];
    starts[d] = 0;
    params->counts[d] = size;
    params->input_steps[d] = input_strides[d];
    ++d;
    return push_output_dim(size);
  };

  for (int32_t i = 0; i < spec.count; ++i) {
    if (bit(spec.ellipsis_mask, i)) {
      for (int32_t k = 0; k < rank - indexed; ++k)
        if (!take_whole_dim()) return kTooManyOutputDims;
      continue;
    }
    if (bit(spec.new_axis_mask, i)) {
      if (!push_output_dim(1)) return kTooManyOutputDims;
      continue;
    }
    const int32_t s = spec.strides[i];
    if (s == 0) return "a stride is 0";
    const int32_t size = input_shape.dims[d];
    const int32_t start = start_for_axis(spec.begin[i], bit(spec.begin_mask, i), s, size);
    starts[d] = start;
    params->input_steps[d] = int32_t(int64_t(s) * input_strides[d]);
    if (bit(spec.shrink_axis_mask, i)) {
      if (start < 0 || start >= size) return "a shrunk axis index is out of range";
      params->counts[d] = 1;
    } else {
      const int32_t stop = stop_for_axis(spec.end[i], bit(spec.end_mask, i), spec.offset, start, s, size);
      params->counts[d] = element_count(start, stop, s);
      if (!push_output_dim(params->counts[d])) return kTooManyOutputDims;
    }
    ++d;
  }
  while (d < rank)
    if (!take_whole_dim()) return kTooManyOutputDims;

  // Only read when the output is not empty, where every start is in range.
  int64_t offset = 0;
  for (int32_t k = 0; k < rank; ++k) offset += int64_t(starts[k]) * input_strides[k];
  params->input_offset = int32_t(offset);
  *output_shape = out;
  return nullptr;
}

void strided_slice(const StridedSliceParams& params, const void* input, void* output, int element_size) {
  for (int32_t d = 0; d < params.rank; ++d)
    if (params.counts[d] <= 0) return;
  const uint8_t* first = static_cast<const uint8_t*>(input) + int64_t(params.input_offset) * element_size;
  detail::copy_strided_bytes(params.rank, params.counts, params.input_steps, first, output, element_size);
}

}  // namespace reference
}  // namespace mote
