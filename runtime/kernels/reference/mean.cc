#include "kernels/reference/mean.h"

#include <limits>

#include "kernels/fixedpoint.h"

namespace mote {
namespace reference {
namespace {

// Visits the input in row-major order and calls add(output_index, value).
template <typename T, typename Add>
void for_each_input(const MeanParams& p, const T* input, Add add) {
  if (p.rank == 0) {
    add(0, input[0]);
    return;
  }
  for (int32_t d = 0; d < p.rank; ++d)
    if (p.input_dims[d] <= 0) return;

  const int32_t last = p.rank - 1;
  const int32_t inner_count = p.input_dims[last];
  const int32_t inner_stride = p.output_strides[last];
  int32_t index[kMaxDims] = {};
  int32_t out = 0;  // output index of the current inner row's first element
  for (;;) {
    for (int32_t i = 0; i < inner_count; ++i) add(out + i * inner_stride, input[i]);
    input += inner_count;

    int32_t d = last - 1;
    for (; d >= 0; --d) {
      out += p.output_strides[d];
      if (++index[d] < p.input_dims[d]) break;
      out -= p.output_strides[d] * p.input_dims[d];
      index[d] = 0;
    }
    if (d < 0) return;
  }
}

template <typename T>
void mean_quantized(const MeanParams& p, const T* input, T* output, int32_t* sums) {
  for (int32_t o = 0; o < p.num_outputs; ++o) sums[o] = 0;
  if (p.reduced_count == 0) {
    for (int32_t o = 0; o < p.num_outputs; ++o) output[o] = 0;
    return;
  }
  // Wrapping add, like TFLite's AddTensorValuesWithExpectedOverflow.
  for_each_input(p, input, [sums](int32_t o, T v) { sums[o] = int32_t(uint32_t(sums[o]) + uint32_t(int32_t(v))); });

  const int64_t zero_point_sum = int64_t(p.input_zero_point) * p.reduced_count;
  for (int32_t o = 0; o < p.num_outputs; ++o) {
    const int32_t centered = int32_t(int64_t(sums[o]) - zero_point_sum);
    const int32_t scaled = fixedpoint::multiply_by_quantized_multiplier(centered, p.multiplier, p.shift);
    output[o] = fixedpoint::saturate<T>(scaled + p.output_zero_point);
  }
}

}  // namespace

void mean_params(const Shape& input_shape, const bool* reduced, MeanParams* params) {
  params->rank = input_shape.rank;
  int32_t stride = 1;
  int32_t count = 1;
  for (int32_t d = input_shape.rank - 1; d >= 0; --d) {
    params->input_dims[d] = input_shape.dims[d];
    if (reduced[d]) {
      params->output_strides[d] = 0;
      count *= input_shape.dims[d];
    } else {
      params->output_strides[d] = stride;
      stride *= input_shape.dims[d];
    }
  }
  params->num_outputs = stride;
  params->reduced_count = count;
}

void mean_fold_count(int64_t count, int32_t* multiplier, int32_t* shift) {
  if (count <= 0) return;
  int log2_count = 0;
  while ((count >> (log2_count + 1)) != 0) ++log2_count;
  int extra = log2_count < 32 ? log2_count : 32;
  if (extra > 31 + *shift) extra = 31 + *shift;
  if (extra < 0) extra = 0;  // only for shift < -31, which quantize_multiplier never returns
  *multiplier = int32_t((int64_t(*multiplier) << extra) / count);
  *shift -= extra;
}

void mean_float(const MeanParams& p, const float* input, float* output) {
  for (int32_t o = 0; o < p.num_outputs; ++o) output[o] = 0.0f;
  for_each_input(p, input, [output](int32_t o, float v) { output[o] = output[o] + v; });
  if (p.reduced_count == 0) return;
  const float n = float(p.reduced_count);
  for (int32_t o = 0; o < p.num_outputs; ++o) output[o] = output[o] / n;
}

void mean_int8(const MeanParams& params, const int8_t* input, int8_t* output, int32_t* sums) {
  mean_quantized(params, input, output, sums);
}

void mean_int16(const MeanParams& params, const int16_t* input, int16_t* output, int32_t* sums) {
  mean_quantized(params, input, output, sums);
}

}  // namespace reference
}  // namespace mote
