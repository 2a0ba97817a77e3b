#include "kernels/optimized/fully_connected.h"

#include "kernels/optimized/gemm_float.h"
#include "kernels/optimized/gemm_int8.h"
#include "kernels/optimized/requantize.h"
#include "kernels/optimized/requantize32.h"
#include "kernels/reference/accumulate.h"

namespace mote {
namespace optimized {
namespace {

// 32-bit cores (kSmallCore, requantize.h): two units per tile (four do not
// fit a 16-register file) and requantization without 64-bit products.
template <bool kSmall>
constexpr int kTileUnits = kSmall ? 2 : 4;

using reference::FullyConnectedParams;
using reference::wrapping_add;

// Units [unit, unit + N) of M batch rows starting at `batch`. `row_offset[m]`
// is filter_offset * sum (input + input_offset) of row m (0 for symmetric
// weights).
template <bool kSmall, int M, int N>
void int8_tile(const FullyConnectedParams& p, const int32_t* multiplier, const int32_t* shift, int32_t accum_depth,
               int32_t output_depth, const int8_t* input, const int8_t* filter, const int32_t* bias, int8_t* output,
               int32_t batch, int32_t unit, const int32_t* row_offset) {
  int32_t acc[M * N] = {};
  dot_tile<M, N>(input + batch * accum_depth, filter + unit * accum_depth, contiguous_rows(accum_depth), p.input_offset,
                 acc);
  for (int n = 0; n < N; ++n) {
    const int32_t o = unit + n;
    const CoreRequant<kSmall> requant = multiplier != nullptr
                                            ? make_core_requant<kSmall>(multiplier[o], shift[o])
                                            : make_core_requant<kSmall>(p.output_multiplier, p.output_shift);
    const int32_t channel_bias = bias != nullptr ? bias[o] : 0;
    for (int m = 0; m < M; ++m) {
      const int32_t total = wrapping_add(wrapping_add(acc[m * N + n], row_offset[m]), channel_bias);
      output[(batch + m) * output_depth + o] =
          int8_t(requantize_clamp(requant, total, p.output_offset, p.activation_min, p.activation_max));
    }
  }
}

template <bool kSmall, int M>
void int8_rows(const FullyConnectedParams& p, const int32_t* multiplier, const int32_t* shift, int32_t accum_depth,
               int32_t output_depth, const int8_t* input, const int8_t* filter, const int32_t* bias, int8_t* output,
               int32_t batch) {
  int32_t row_offset[M] = {};
  if (p.filter_offset != 0) {
    for (int m = 0; m < M; ++m) {
      const int8_t* row = input + (batch + m) * accum_depth;
      uint32_t sum = 0;
      for (int32_t d = 0; d < accum_depth; ++d) sum += uint32_t(int32_t(row[d]) + p.input_offset);
      row_offset[m] = int32_t(sum * uint32_t(p.filter_offset));
    }
  }
  int32_t unit = 0;
  constexpr int kUnits = kTileUnits<kSmall>;
  for (; unit + kUnits <= output_depth; unit += kUnits)
    int8_tile<kSmall, M, kUnits>(p, multiplier, shift, accum_depth, output_depth, input, filter, bias, output,
                                     batch, unit, row_offset);
  for (; unit < output_depth; ++unit)
    int8_tile<kSmall, M, 1>(p, multiplier, shift, accum_depth, output_depth, input, filter, bias, output, batch,
                                unit, row_offset);
}

template <int M, int N>
void float_tile(const FullyConnectedParams& p, int32_t accum_depth, int32_t output_depth, const float* input,
                const float* filter, const float* bias, float* output, int32_t batch, int32_t unit) {
  float acc[M * N] = {};
  dot_tile_float<M, N>(input + batch * accum_depth, filter + unit * accum_depth, contiguous_rows(accum_depth), acc);
  for (int n = 0; n < N; ++n) {
    const float channel_bias = bias != nullptr ? bias[unit + n] : 0.0f;
    for (int m = 0; m < M; ++m)
      output[(batch + m) * output_depth + unit + n] =
          reference::clamp_float(acc[m * N + n] + channel_bias, p.float_activation_min, p.float_activation_max);
  }
}

template <int M>
void float_rows(const FullyConnectedParams& p, int32_t accum_depth, int32_t output_depth, const float* input,
                const float* filter, const float* bias, float* output, int32_t batch) {
  int32_t unit = 0;
  for (; unit + 4 <= output_depth; unit += 4)
    float_tile<M, 4>(p, accum_depth, output_depth, input, filter, bias, output, batch, unit);
  for (; unit < output_depth; ++unit)
    float_tile<M, 1>(p, accum_depth, output_depth, input, filter, bias, output, batch, unit);
}

}  // namespace

bool fully_connected_int8_applies(int32_t accum_depth) { return accum_depth <= kMaxDotDepth; }

namespace {

template <bool kSmall>
void fully_connected_int8_with(const FullyConnectedParams& params, const int32_t* output_multiplier,
                               const int32_t* output_shift, int32_t batches, int32_t accum_depth,
                               int32_t output_depth, const int8_t* input, const int8_t* filter, const int32_t* bias,
                               int8_t* output) {
  int32_t batch = 0;
  for (; batch + 2 <= batches; batch += 2)
    int8_rows<kSmall, 2>(params, output_multiplier, output_shift, accum_depth, output_depth, input, filter, bias,
                             output, batch);
  if (batch < batches)
    int8_rows<kSmall, 1>(params, output_multiplier, output_shift, accum_depth, output_depth, input, filter, bias,
                             output, batch);
}

}  // namespace

void fully_connected_int8(const FullyConnectedParams& params, const int32_t* output_multiplier,
                          const int32_t* output_shift, int32_t batches, int32_t accum_depth, int32_t output_depth,
                          const int8_t* input, const int8_t* filter, const int32_t* bias, int8_t* output) {
  fully_connected_int8_with<kSmallCore>(params, output_multiplier, output_shift, batches, accum_depth,
                                              output_depth, input, filter, bias, output);
}

void fully_connected_int8_32bit(const FullyConnectedParams& params, const int32_t* output_multiplier,
                                const int32_t* output_shift, int32_t batches, int32_t accum_depth,
                                int32_t output_depth, const int8_t* input, const int8_t* filter, const int32_t* bias,
                                int8_t* output) {
  fully_connected_int8_with<true>(params, output_multiplier, output_shift, batches, accum_depth, output_depth, input,
                                  filter, bias, output);
}

void fully_connected_float(const FullyConnectedParams& params, int32_t batches, int32_t accum_depth,
                           int32_t output_depth, const float* input, const float* filter, const float* bias,
                           float* output) {
  int32_t batch = 0;
  for (; batch + 2 <= batches; batch += 2)
    float_rows<2>(params, accum_depth, output_depth, input, filter, bias, output, batch);
  if (batch < batches) float_rows<1>(params, accum_depth, output_depth, input, filter, bias, output, batch);
}

}  // namespace optimized
}  // namespace mote
