#include "kernels/reference/add.h"

namespace mote {
namespace reference {

namespace {

bool multiplier_below_one(double real, int32_t* multiplier, int32_t* shift) {
  if (!(real > 0.0 && real < 1.0)) return false;
  int s = 0;
  fixedpoint::quantize_multiplier(real, multiplier, &s);
  *shift = s;
  return s <= 0;
}

template <typename T>
void add_quantized(const BroadcastDesc& d, const AddSubQuantParams& p, const T* input1, const T* input2, T* output) {
  broadcast_binary(d, input1, input2, output, [&p](T a, T b) {
    const int32_t a_scaled =
        add_sub_rescale_input(a, p.input1_offset, p.left_shift, p.input1_multiplier, p.input1_shift);
    const int32_t b_scaled =
        add_sub_rescale_input(b, p.input2_offset, p.left_shift, p.input2_multiplier, p.input2_shift);
    return T(add_sub_output(p, a_scaled + b_scaled));
  });
}

}  // namespace

bool make_add_sub_quant_params(bool is_sub, bool output_is_int16, float input1_scale, int32_t input1_zero_point,
                               float input2_scale, int32_t input2_zero_point, float output_scale,
                               int32_t output_zero_point, int32_t activation_min, int32_t activation_max,
                               AddSubQuantParams* params) {
  AddSubQuantParams p = {};
  p.input1_offset = -input1_zero_point;
  p.input2_offset = -input2_zero_point;
  p.output_offset = output_zero_point;
  p.left_shift = output_is_int16 ? 15 : 20;
  p.activation_min = activation_min;
  p.activation_max = activation_max;
  const float max_input_scale = input1_scale > input2_scale ? input1_scale : input2_scale;
  double real_input1, real_input2, real_output;
  if (is_sub) {
    const float twice_max = 2 * max_input_scale;
    real_input1 = double(input1_scale / twice_max);
    real_input2 = double(input2_scale / twice_max);
    real_output = double(twice_max / (float(1 << p.left_shift) * output_scale));
  } else {
    const double twice_max = 2 * double(max_input_scale);
    real_input1 = double(input1_scale) / twice_max;
    real_input2 = double(input2_scale) / twice_max;
    real_output = twice_max / (double(1 << p.left_shift) * double(output_scale));
  }
  if (!multiplier_below_one(real_input1, &p.input1_multiplier, &p.input1_shift) ||
      !multiplier_below_one(real_input2, &p.input2_multiplier, &p.input2_shift) ||
      !multiplier_below_one(real_output, &p.output_multiplier, &p.output_shift)) {
    return false;
  }
  *params = p;
  return true;
}

void add_float(const BroadcastDesc& d, float activation_min, float activation_max, const float* input1,
               const float* input2, float* output) {
  broadcast_binary(d, input1, input2, output, [=](float a, float b) {
    return clamp_activation(a + b, activation_min, activation_max);
  });
}

void add_int32(const BroadcastDesc& d, int32_t activation_min, int32_t activation_max, const int32_t* input1,
               const int32_t* input2, int32_t* output) {
  broadcast_binary(d, input1, input2, output, [=](int32_t a, int32_t b) {
    return clamp_activation(int32_t(uint32_t(a) + uint32_t(b)), activation_min, activation_max);
  });
}

void add_int8(const BroadcastDesc& d, const AddSubQuantParams& p, const int8_t* input1, const int8_t* input2,
              int8_t* output) {
  add_quantized(d, p, input1, input2, output);
}

void add_int16(const BroadcastDesc& d, const AddSubQuantParams& p, const int16_t* input1, const int16_t* input2,
               int16_t* output) {
  add_quantized(d, p, input1, input2, output);
}

}  // namespace reference
}  // namespace mote
