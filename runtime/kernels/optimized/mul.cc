#include "kernels/optimized/mul.h"

#include "kernels/optimized/elementwise_rows.h"
#include "kernels/optimized/requantize.h"

namespace mote {
namespace optimized {
namespace {

struct MulRescale {
  ChannelRequant output;
  int32_t input1_offset, input2_offset, output_offset, activation_min, activation_max;

  explicit MulRescale(const reference::MulQuantParams& p)
      : output(make_channel_requant(p.output_multiplier, p.output_shift)),
        input1_offset(p.input1_offset),
        input2_offset(p.input2_offset),
        output_offset(p.output_offset),
        activation_min(p.activation_min),
        activation_max(p.activation_max) {}

  // a and b already carry their offsets.
  int32_t output_value(int32_t a, int32_t b) const {
    const int32_t q = requantize(output, a * b) + output_offset;
    return q < activation_min ? activation_min : (q > activation_max ? activation_max : q);
  }
};

template <typename T>
void mul_quantized(const reference::BroadcastDesc& d, const reference::MulQuantParams& params, const T* input1,
                   const T* input2, T* output) {
  const MulRescale r(params);
  const int32_t offset1 = r.input1_offset;
  const int32_t offset2 = r.input2_offset;
  for_each_row(d, input1, input2, output,
               [&](int32_t n, const T* a, int32_t a_stride, const T* b, int32_t b_stride, T* out) {
                 if (a_stride == 1 && b_stride == 1) {
                   for (int32_t i = 0; i < n; ++i) out[i] = T(r.output_value(a[i] + offset1, b[i] + offset2));
                 } else if (a_stride == 1 && b_stride == 0) {
                   const int32_t b_value = b[0] + offset2;
                   for (int32_t i = 0; i < n; ++i) out[i] = T(r.output_value(a[i] + offset1, b_value));
                 } else if (a_stride == 0 && b_stride == 1) {
                   const int32_t a_value = a[0] + offset1;
                   for (int32_t i = 0; i < n; ++i) out[i] = T(r.output_value(a_value, b[i] + offset2));
                 } else {
                   for (int32_t i = 0; i < n; ++i)
                     out[i] = T(r.output_value(a[i * a_stride] + offset1, b[i * b_stride] + offset2));
                 }
               });
}

}  // namespace

void mul_int8(const reference::BroadcastDesc& d, const reference::MulQuantParams& p, const int8_t* input1,
              const int8_t* input2, int8_t* output) {
  mul_quantized(d, p, input1, input2, output);
}

void mul_int16(const reference::BroadcastDesc& d, const reference::MulQuantParams& p, const int16_t* input1,
               const int16_t* input2, int16_t* output) {
  mul_quantized(d, p, input1, input2, output);
}

}  // namespace optimized
}  // namespace mote
