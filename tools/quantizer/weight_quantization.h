// Turns float32 constant tensors into their quantized form in place: int8
// symmetric weights (per channel or per tensor), int32 biases, and int8
// constants read as activations (e.g. a constant operand of ADD).
#pragma once

#include <vector>

#include "tools/quantizer/graph.h"
#include "tools/quantizer/quant_params.h"

namespace mote {
namespace tools {
namespace quantizer {

// int8 symmetric weights; `axis` >= 0 gives one scale per channel along it.
void quantize_weights(Tensor& tensor, int32_t axis);

// int32 bias with scale input_scale x weight_scales[c] (one weight scale, or
// one per bias element).
void quantize_bias(Tensor& tensor, float input_scale, const std::vector<float>& weight_scales);

// int8 constant with the given parameters.
void quantize_constant(Tensor& tensor, QuantParams params);

// int8 parameters that cover a float constant's values.
QuantParams constant_params(const Tensor& tensor);

}  // namespace quantizer
}  // namespace tools
}  // namespace mote
