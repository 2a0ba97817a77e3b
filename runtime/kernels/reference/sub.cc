#include "kernels/reference/sub.h"

namespace mote {
namespace reference {

namespace {

template <typename T>
void sub_quantized(const BroadcastDesc& d, const AddSubQuantParams& p, const T* input1, const T* input2, T* output) {
  broadcast_binary(d, input1, input2, output, [&p](T a, T b) {
    const int32_t a_scaled =
        add_sub_rescale_input(a, p.input1_offset, p.left_shift, p.input1_multiplier, p.input1_shift);
    const int32_t b_scaled =
        add_sub_rescale_input(b, p.input2_offset, p.left_shift, p.input2_multiplier, p.input2_shift);
    return T(add_sub_output(p, a_scaled - b_scaled));
  });
}

}  // namespace

void sub_float(const BroadcastDesc& d, float activation_min, float activation_max, const float* input1,
               const float* input2, float* output) {
  broadcast_binary(d, input1, input2, output, [=](float a, float b) {
    return clamp_activation(a - b, activation_min, activation_max);
  });
}

void sub_int32(const BroadcastDesc& d, int32_t activation_min, int32_t activation_max, const int32_t* input1,
               const int32_t* input2, int32_t* output) {
  broadcast_binary(d, input1, input2, output, [=](int32_t a, int32_t b) {
    return clamp_activation(int32_t(uint32_t(a) - uint32_t(b)), activation_min, activation_max);
  });
}

void sub_int8(const BroadcastDesc& d, const AddSubQuantParams& p, const int8_t* input1, const int8_t* input2,
              int8_t* output) {
  sub_quantized(d, p, input1, input2, output);
}

void sub_int16(const BroadcastDesc& d, const AddSubQuantParams& p, const int16_t* input1, const int16_t* input2,
               int16_t* output) {
  sub_quantized(d, p, input1, input2, output);
}

}  // namespace reference
}  // namespace mote
