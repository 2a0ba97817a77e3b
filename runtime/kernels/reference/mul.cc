#include "kernels/reference/mul.h"

#include "kernels/fixedpoint.h"

namespace mote {
namespace reference {

namespace {

template <typename T>
void mul_quantized(const BroadcastDesc& d, const MulQuantParams& p, const T* input1, const T* input2, T* output) {
  broadcast_binary(d, input1, input2, output, [&p](T a, T b) {
    const int32_t product = (a + p.input1_offset) * (b + p.input2_offset);
    const int32_t q =
        fixedpoint::multiply_by_quantized_multiplier(product, p.output_multiplier, p.output_shift) + p.output_offset;
    return T(clamp_activation(q, p.activation_min, p.activation_max));
  });
}

}  // namespace

void make_single_multiplier_params(double real_multiplier, int32_t input1_zero_point, int32_t input2_zero_point,
                                   int32_t output_zero_point, int32_t activation_min, int32_t activation_max,
                                   MulQuantParams* params) {
  MulQuantParams p = {};
  p.input1_offset = -input1_zero_point;
  p.input2_offset = -input2_zero_point;
  p.output_offset = output_zero_point;
  p.activation_min = activation_min;
  p.activation_max = activation_max;
  int shift = 0;
  fixedpoint::quantize_multiplier(real_multiplier, &p.output_multiplier, &shift);
  p.output_shift = shift;
  *params = p;
}

void make_mul_quant_params(float input1_scale, int32_t input1_zero_point, float input2_scale,
                           int32_t input2_zero_point, float output_scale, int32_t output_zero_point,
                           int32_t activation_min, int32_t activation_max, MulQuantParams* params) {
  const double real = double(input1_scale) * double(input2_scale) / double(output_scale);
  make_single_multiplier_params(real, input1_zero_point, input2_zero_point, output_zero_point, activation_min,
                                activation_max, params);
}

void mul_float(const BroadcastDesc& d, float activation_min, float activation_max, const float* input1,
               const float* input2, float* output) {
  broadcast_binary(d, input1, input2, output, [=](float a, float b) {
    return clamp_activation(a * b, activation_min, activation_max);
  });
}

void mul_int32(const BroadcastDesc& d, int32_t activation_min, int32_t activation_max, const int32_t* input1,
               const int32_t* input2, int32_t* output) {
  broadcast_binary(d, input1, input2, output, [=](int32_t a, int32_t b) {
    return clamp_activation(int32_t(uint32_t(a) * uint32_t(b)), activation_min, activation_max);
  });
}

void mul_int8(const BroadcastDesc& d, const MulQuantParams& p, const int8_t* input1, const int8_t* input2,
              int8_t* output) {
  mul_quantized(d, p, input1, input2, output);
}

void mul_int16(const BroadcastDesc& d, const MulQuantParams& p, const int16_t* input1, const int16_t* input2,
               int16_t* output) {
  mul_quantized(d, p, input1, input2, output);
}

}  // namespace reference
}  // namespace mote
