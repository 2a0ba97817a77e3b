#include "kernels/reference/svdf.h"

#include <math.h>

#include <limits>
#include <type_traits>

#include "kernels/fixedpoint.h"
#include "kernels/reference/accumulate.h"

namespace mote {
namespace reference {
namespace {

// Moves the whole state buffer one element towards the front. The last
// element of each filter row is overwritten by the feature step.
template <typename T>
void shift_state_left(T* state, int32_t count) {
  for (int32_t i = 0; i + 1 < count; ++i) state[i] = state[i + 1];
}

// v modulo 2^bits of T, as a narrowing conversion on two's complement.
template <typename T>
T wrap_to(int32_t v) {
  using U = typename std::make_unsigned<T>::type;
  const U bits = U(uint32_t(v));
  return bits > U(std::numeric_limits<T>::max()) ? T(int32_t(bits) - (int32_t(std::numeric_limits<U>::max()) + 1))
                                                 : T(bits);
}

// The steps are separate functions so that each gets the registers to itself:
// inlined into one body, GCC for the lx106 spills the feature loop's zero
// point and bound (2 more instructions per product).
template <typename State>
__attribute__((noinline)) void feature_step(const SvdfDims& d, const SvdfQuantParams& p, const int8_t* input,
                                            const int8_t* weights_feature, State* state) {
  constexpr int32_t kStateMin = std::numeric_limits<State>::min();
  constexpr int32_t kStateMax = std::numeric_limits<State>::max();
  const int32_t input_zero_point = p.input_zero_point;
  for (int32_t b = 0; b < d.batches; ++b) {
    const int8_t* in = input + b * d.input_size;
    State* newest = state + b * d.num_filters * d.memory_size + (d.memory_size - 1);
    for (int32_t f = 0; f < d.num_filters; ++f) {
      const int8_t* w = weights_feature + f * d.input_size;
      int32_t acc = 0;
      for (int32_t i = 0; i < d.input_size; ++i)
        acc = wrapping_add(acc, int32_t(w[i]) * (int32_t(in[i]) - input_zero_point));
      int32_t v = fixedpoint::multiply_by_quantized_multiplier(acc, p.feature_multiplier, p.feature_shift);
      v = v < kStateMin ? kStateMin : (v > kStateMax ? kStateMax : v);
      newest[f * d.memory_size] = wrap_to<State>(v + p.state_zero_point);
    }
  }
}

// Time step, bias and rank reduction in one pass: a unit's rank filters are
// consecutive rows of weights_time and of the state, so its sum runs over
// rank * memory_size products. TFLM sums each filter first and the filters
// onto the bias after; int32 wrapping addition gives the same integer in any
// order, so no per-filter buffer is needed.
template <typename State>
__attribute__((noinline)) void time_step(const SvdfDims& d, const SvdfQuantParams& p, const State* weights_time,
                                         const int32_t* bias, const State* state, int8_t* output) {
  const int32_t state_zero_point = p.state_zero_point;
  const int32_t unit_span = d.rank * d.memory_size;
  for (int32_t b = 0; b < d.batches; ++b) {
    const State* s = state + b * d.num_filters * d.memory_size;
    int8_t* out = output + b * d.num_units;
    for (int32_t u = 0; u < d.num_units; ++u) {
      const State* w = weights_time + u * unit_span;
      const State* m = s + u * unit_span;
      int32_t acc = bias != nullptr ? bias[u] : 0;
      for (int32_t k = 0; k < unit_span; ++k)
        acc = wrapping_add(acc, int32_t(w[k]) * (int32_t(m[k]) - state_zero_point));
      const int32_t v =
          fixedpoint::multiply_by_quantized_multiplier(acc, p.output_multiplier, p.output_shift) + p.output_zero_point;
      out[u] = fixedpoint::saturate<int8_t>(v);
    }
  }
}

template <typename State>
void svdf_integer(const SvdfDims& d, const SvdfQuantParams& p, const int8_t* input, const int8_t* weights_feature,
                  const State* weights_time, const int32_t* bias, State* state, int8_t* output) {
  shift_state_left(state, d.batches * d.num_filters * d.memory_size);
  feature_step(d, p, input, weights_feature, state);
  time_step(d, p, weights_time, bias, state, output);
}

float apply_activation(schema::Activation activation, float x) {
  switch (activation) {
    case schema::Activation::kRelu:
      return x < 0.0f ? 0.0f : x;
    case schema::Activation::kReluN1To1:
      return x < -1.0f ? -1.0f : (x > 1.0f ? 1.0f : x);
    case schema::Activation::kRelu6:
      return x < 0.0f ? 0.0f : (x > 6.0f ? 6.0f : x);
    case schema::Activation::kTanh:
      return tanhf(x);
    case schema::Activation::kSignBit:
      // 1.0f or 0.0f, converted rather than chosen: clang 22's Xtensa backend
      // with the FPU cannot compile a choice between two float constants.
      return static_cast<float>(signbit(x) ? 1 : 0);
    default:
      return x;
  }
}

}  // namespace

void svdf_int8_state16(const SvdfDims& dims, const SvdfQuantParams& params, const int8_t* input,
                       const int8_t* weights_feature, const int16_t* weights_time, const int32_t* bias, int16_t* state,
                       int8_t* output) {
  svdf_integer<int16_t>(dims, params, input, weights_feature, weights_time, bias, state, output);
}

void svdf_int8_state8(const SvdfDims& dims, const SvdfQuantParams& params, const int8_t* input,
                      const int8_t* weights_feature, const int8_t* weights_time, const int32_t* bias, int8_t* state,
                      int8_t* output) {
  svdf_integer<int8_t>(dims, params, input, weights_feature, weights_time, bias, state, output);
}

void svdf_float(const SvdfDims& d, schema::Activation activation, const float* input, const float* weights_feature,
                const float* weights_time, const float* bias, float* state, float* output) {
  shift_state_left(state, d.batches * d.num_filters * d.memory_size);

  for (int32_t b = 0; b < d.batches; ++b) {
    const float* in = input + b * d.input_size;
    float* newest = state + b * d.num_filters * d.memory_size + (d.memory_size - 1);
    for (int32_t f = 0; f < d.num_filters; ++f) {
      const float* w = weights_feature + f * d.input_size;
      float acc = 0.0f;
      for (int32_t i = 0; i < d.input_size; ++i) acc += w[i] * in[i];
      newest[f * d.memory_size] = acc;
    }
  }

  // TFLM's order of float additions: each filter's products from 0, then the
  // bias plus the unit's filters one by one, then the activation.
  for (int32_t b = 0; b < d.batches; ++b) {
    const float* s = state + b * d.num_filters * d.memory_size;
    float* out = output + b * d.num_units;
    for (int32_t u = 0; u < d.num_units; ++u) {
      float acc = bias != nullptr ? bias[u] : 0.0f;
      for (int32_t r = 0; r < d.rank; ++r) {
        const int32_t f = u * d.rank + r;
        const float* w = weights_time + f * d.memory_size;
        const float* m = s + f * d.memory_size;
        float dot = 0.0f;
        for (int32_t t = 0; t < d.memory_size; ++t) dot += w[t] * m[t];
        acc += dot;
      }
      out[u] = apply_activation(activation, acc);
    }
  }
}

}  // namespace reference
}  // namespace mote
