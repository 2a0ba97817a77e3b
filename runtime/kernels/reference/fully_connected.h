// FULLY_CONNECTED reference kernels:
//   output[b][o] = act(bias[o] + sum_d (filter[o][d] + filter_offset) * (input[b][d] + input_offset))
// input is [batches][accum_depth], filter [output_depth][accum_depth] (row
// major), output [batches][output_depth]. Bias is optional (nullptr).
#pragma once

#include <stdint.h>

namespace mote {
namespace reference {

// ops/fully_connected.cc builds this by position in eval: keep that in step
// with the field order.
struct FullyConnectedParams {
  // Quantized kernels. input_offset is -(input zero point) for int8
  // activations, 0 for int16 (symmetric). filter_offset is -(filter zero point) for per-tensor int8 weights, 0 for
  // per-channel weights (symmetric by definition).
  int32_t input_offset = 0;
  int32_t filter_offset = 0;
  int32_t output_offset = 0;  // int8 only; int16 activations are symmetric
  // Per-tensor requantization, used when the kernel gets no per-channel arrays.
  int32_t output_multiplier = 0;
  int32_t output_shift = 0;
  int32_t activation_min = 0;
  int32_t activation_max = 0;
  // Float kernel.
  float float_activation_min = 0.0f;
  float float_activation_max = 0.0f;
};

// output_multiplier / output_shift: per output channel, or nullptr to use the
// per-tensor values in params. 32-bit accumulator.
void fully_connected_int8(const FullyConnectedParams& params, const int32_t* output_multiplier,
                          const int32_t* output_shift, int32_t batches, int32_t accum_depth, int32_t output_depth,
                          const int8_t* input, const int8_t* filter, const int32_t* bias, int8_t* output);

// int16 activations, int8 weights, int64 bias: 64-bit accumulator.
void fully_connected_int16(const FullyConnectedParams& params, const int32_t* output_multiplier,
                           const int32_t* output_shift, int32_t batches, int32_t accum_depth, int32_t output_depth,
                           const int16_t* input, const int8_t* filter, const int64_t* bias, int16_t* output);

// int16 activations with an int32 bias (or none): 32-bit accumulator.
void fully_connected_int16_bias32(const FullyConnectedParams& params, const int32_t* output_multiplier,
                                  const int32_t* output_shift, int32_t batches, int32_t accum_depth,
                                  int32_t output_depth, const int16_t* input, const int8_t* filter, const int32_t* bias,
                                  int16_t* output);

void fully_connected_float(const FullyConnectedParams& params, int32_t batches, int32_t accum_depth,
                           int32_t output_depth, const float* input, const float* filter, const float* bias,
                           float* output);

}  // namespace reference
}  // namespace mote
