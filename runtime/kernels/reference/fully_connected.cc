#include "kernels/reference/fully_connected.h"

#include "kernels/reference/accumulate.h"

namespace mote {
namespace reference {
namespace {

template <typename Input, typename Acc, typename Bias>
void fully_connected_quantized(const FullyConnectedParams& p, const int32_t* output_multiplier,
                               const int32_t* output_shift, int32_t batches, int32_t accum_depth, int32_t output_depth,
                               const Input* input, const int8_t* filter, const Bias* bias, Input* output) {
  for (int32_t b = 0; b < batches; ++b) {
    const Input* input_row = input + b * accum_depth;
    for (int32_t o = 0; o < output_depth; ++o) {
      const int8_t* filter_row = filter + o * accum_depth;
      Acc acc = 0;
      for (int32_t d = 0; d < accum_depth; ++d) {
        const int32_t product = (int32_t(filter_row[d]) + p.filter_offset) * (int32_t(input_row[d]) + p.input_offset);
        acc = wrapping_add(acc, Acc(product));
      }
      const int32_t multiplier = output_multiplier != nullptr ? output_multiplier[o] : p.output_multiplier;
      const int32_t shift = output_shift != nullptr ? output_shift[o] : p.output_shift;
      output[b * output_depth + o] = quantized_output<Input>(p, acc, bias, o, multiplier, shift);
    }
  }
}

}  // namespace

void fully_connected_int8(const FullyConnectedParams& params, const int32_t* output_multiplier,
                          const int32_t* output_shift, int32_t batches, int32_t accum_depth, int32_t output_depth,
                          const int8_t* input, const int8_t* filter, const int32_t* bias, int8_t* output) {
  fully_connected_quantized<int8_t, int32_t, int32_t>(params, output_multiplier, output_shift, batches, accum_depth,
                                                      output_depth, input, filter, bias, output);
}

void fully_connected_int16(const FullyConnectedParams& params, const int32_t* output_multiplier,
                           const int32_t* output_shift, int32_t batches, int32_t accum_depth, int32_t output_depth,
                           const int16_t* input, const int8_t* filter, const int64_t* bias, int16_t* output) {
  fully_connected_quantized<int16_t, int64_t, int64_t>(params, output_multiplier, output_shift, batches, accum_depth,
                                                       output_depth, input, filter, bias, output);
}

void fully_connected_int16_bias32(const FullyConnectedParams& params, const int32_t* output_multiplier,
                                  const int32_t* output_shift, int32_t batches, int32_t accum_depth,
                                  int32_t output_depth, const int16_t* input, const int8_t* filter, const int32_t* bias,
                                  int16_t* output) {
  fully_connected_quantized<int16_t, int32_t, int32_t>(params, output_multiplier, output_shift, batches, accum_depth,
                                                       output_depth, input, filter, bias, output);
}

void fully_connected_float(const FullyConnectedParams& p, int32_t batches, int32_t accum_depth, int32_t output_depth,
                           const float* input, const float* filter, const float* bias, float* output) {
  for (int32_t b = 0; b < batches; ++b) {
    const float* input_row = input + b * accum_depth;
    for (int32_t o = 0; o < output_depth; ++o) {
      const float* filter_row = filter + o * accum_depth;
      float total = 0.0f;
      for (int32_t d = 0; d < accum_depth; ++d) total += input_row[d] * filter_row[d];
      output[b * output_depth + o] = float_output(p, total, bias, o);
    }
  }
}

}  // namespace reference
}  // namespace mote
