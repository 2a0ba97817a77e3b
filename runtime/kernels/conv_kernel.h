// What the kernel wrappers of CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED
// (kernels/conv_2d.h, depthwise_conv_2d.h, fully_connected.h) share: the
// arithmetic the tensor types ask for, the choice a wrapper makes from it in
// prepare, and the buffers of one conv call.
//
// CMSIS-NN's wrapper style: the op validates and calls select_<op>() in
// prepare, which returns the variant eval will run and the size of what
// prepare precomputes for it; eval hands the variant to run_<op>(), which
// only dispatches. The op never repeats the decision.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "kernels/conv_params.h"

namespace mote {

// The arithmetic, by activation / weight / bias types.
enum class ConvArithmetic : int32_t {
  kFloat32 = 0,      // float activations, float weights, float bias
  kInt8 = 1,         // int8 activations, int8 weights, int32 bias
  kInt16 = 2,        // int16 activations, int8 weights, int64 bias (64-bit accumulator)
  kInt16Bias32 = 3,  // int16 activations, int8 weights, int32 bias or none (32-bit accumulator)
};

// A wrapper's choice: the kernel eval runs, and what prepare precomputes for
// it: a requantization multiplier and shift (two int32 arrays in the
// persistent arena) for each of `requant_channels` output channels; 0 when
// the kernel needs none.
template <typename Variant>
struct KernelChoice {
  Variant variant;
  int32_t requant_channels;
};

// The tensors of one CONV_2D / DEPTHWISE_CONV_2D call, as the selected
// kernel reads them (element types follow from the variant).
struct ConvBuffers {
  Dims4 input_dims, filter_dims, output_dims;
  const void* input;
  const void* filter;
  const void* bias;  // nullptr when omitted
  void* output;
  const int32_t* output_multiplier;  // per output channel (quantized only)
  const int32_t* output_shift;
};

// Whether the memory plan put the output over the input: the planner does
// so only where the op allowed it (OpContext::allow_*overlap), and only the
// streaming form of a kernel may then run. A few compares per invoke; the
// plan is not known in prepare.
inline bool output_overlaps_input(const ConvBuffers& b, int32_t element_size) {
  const auto bytes = [element_size](const Dims4& d) { return size_t(d.n) * d.h * d.w * d.c * size_t(element_size); };
  const auto* in = static_cast<const uint8_t*>(b.input);
  const auto* out = static_cast<const uint8_t*>(b.output);
  return out < in + bytes(b.input_dims) && in < out + bytes(b.output_dims);
}

namespace conv_dispatch {

using FloatKernel = void (*)(const ConvParams&, const Dims4&, const float*, const Dims4&, const float*, const float*,
                             const Dims4&, float*);

inline void run_float(FloatKernel kernel, const ConvParams& params, const ConvBuffers& b) {
  kernel(params, b.input_dims, static_cast<const float*>(b.input), b.filter_dims, static_cast<const float*>(b.filter),
         static_cast<const float*>(b.bias), b.output_dims, static_cast<float*>(b.output));
}

// Activation type T (int8_t or int16_t) with int8 weights and a Bias bias.
template <typename T, typename Bias>
using QuantizedKernel = void (*)(const ConvParams&, const int32_t*, const int32_t*, const Dims4&, const T*,
                                 const Dims4&, const int8_t*, const Bias*, const Dims4&, T*);

template <typename T, typename Bias>
void run_quantized(QuantizedKernel<T, Bias> kernel, const ConvParams& params, const ConvBuffers& b) {
  kernel(params, b.output_multiplier, b.output_shift, b.input_dims, static_cast<const T*>(b.input), b.filter_dims,
         static_cast<const int8_t*>(b.filter), static_cast<const Bias*>(b.bias), b.output_dims,
         static_cast<T*>(b.output));
}

}  // namespace conv_dispatch
}  // namespace mote
