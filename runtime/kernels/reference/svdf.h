// SVDF reference kernels (TFLM's, including its quirks).
//
// Per invoke, for each batch b:
//   1. state[b] ([num_filters][memory_size], row major) shifts left by one
//      element (the whole buffer moves; the oldest time step drops out).
//   2. state[b][f][memory_size - 1] = dot(weights_feature[f], input[b])
//   3. per filter: dot(weights_time[f], state[b][f])
//   4. output[b][u] = act(bias[u] + sum of the `rank` filters of unit u)
// Steps 3 and 4 run unit by unit, so no per-filter buffer is needed (integer:
// one sum over the unit's filters; float: TFLM's order of additions).
//
// Integer variants: int8 input, weights_feature and output; weights_time and
// state are both int16 or both int8. Step 2 requantizes to the state's scale
// and step 4 to the output's, with the double-rounding multiplier. TFLM
// clamps the new state value to the state type's range before adding the
// state zero point and stores the sum narrowed to the state type (wrapping),
// and applies no fused activation besides the int8 clamp; both are
// reproduced. The float variant applies the fused activation.
#pragma once

#include <stdint.h>

#include "mote/schema.h"

namespace mote {
namespace reference {

struct SvdfDims {
  int32_t batches = 0;
  int32_t input_size = 0;
  int32_t num_filters = 0;
  int32_t num_units = 0;  // num_filters / rank
  int32_t rank = 0;
  int32_t memory_size = 0;
};

// Narrow fields: ops keep this struct as their op data, one per node.
struct SvdfQuantParams {
  // input_scale * weights_feature_scale / state_scale
  int32_t feature_multiplier = 0;
  // state_scale * weights_time_scale / output_scale
  int32_t output_multiplier = 0;
  int16_t state_zero_point = 0;  // int16 or int8 state
  int8_t input_zero_point = 0;
  int8_t output_zero_point = 0;
  int8_t feature_shift = 0;  // [-31, 31]
  int8_t output_shift = 0;
};

// bias may be nullptr.
void svdf_int8_state16(const SvdfDims& dims, const SvdfQuantParams& params, const int8_t* input,
                       const int8_t* weights_feature, const int16_t* weights_time, const int32_t* bias, int16_t* state,
                       int8_t* output);
void svdf_int8_state8(const SvdfDims& dims, const SvdfQuantParams& params, const int8_t* input,
                      const int8_t* weights_feature, const int8_t* weights_time, const int32_t* bias, int8_t* state,
                      int8_t* output);

// activation: NONE, RELU, RELU_N1_TO_1, RELU6, TANH or SIGN_BIT.
void svdf_float(const SvdfDims& dims, schema::Activation activation, const float* input, const float* weights_feature,
                const float* weights_time, const float* bias, float* state, float* output);

}  // namespace reference
}  // namespace mote
