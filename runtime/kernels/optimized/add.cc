#include "kernels/optimized/add.h"

#include "kernels/optimized/elementwise_rows.h"
#include "kernels/optimized/requantize.h"

namespace mote {
namespace optimized {
namespace {

// AddSubQuantParams with its three multiplies precomputed.
struct AddRescale {
  ChannelRequant input1, input2, output;
  int32_t input1_offset, input2_offset, left_shift_multiplier;
  int32_t output_offset, activation_min, activation_max;

  explicit AddRescale(const reference::AddSubQuantParams& p)
      : input1(make_channel_requant(p.input1_multiplier, p.input1_shift)),
        input2(make_channel_requant(p.input2_multiplier, p.input2_shift)),
        output(make_channel_requant(p.output_multiplier, p.output_shift)),
        input1_offset(p.input1_offset),
        input2_offset(p.input2_offset),
        left_shift_multiplier(int32_t(1) << p.left_shift),
        output_offset(p.output_offset),
        activation_min(p.activation_min),
        activation_max(p.activation_max) {}

  int32_t scale1(int32_t q) const { return requantize(input1, (q + input1_offset) * left_shift_multiplier); }
  int32_t scale2(int32_t q) const { return requantize(input2, (q + input2_offset) * left_shift_multiplier); }
  // The reference adds the output offset without wrapping here.
  int32_t output_value(int32_t sum) const {
    const int32_t q = requantize(output, sum) + output_offset;
    return q < activation_min ? activation_min : (q > activation_max ? activation_max : q);
  }
};

template <typename T>
void add_quantized(const reference::BroadcastDesc& d, const reference::AddSubQuantParams& params, const T* input1,
                   const T* input2, T* output) {
  const AddRescale r(params);
  for_each_row(d, input1, input2, output,
               [&r](int32_t n, const T* a, int32_t a_stride, const T* b, int32_t b_stride, T* out) {
                 if (a_stride == 1 && b_stride == 1) {
                   for (int32_t i = 0; i < n; ++i) out[i] = T(r.output_value(r.scale1(a[i]) + r.scale2(b[i])));
                 } else if (a_stride == 1 && b_stride == 0) {
                   const int32_t b_scaled = r.scale2(b[0]);
                   for (int32_t i = 0; i < n; ++i) out[i] = T(r.output_value(r.scale1(a[i]) + b_scaled));
                 } else if (a_stride == 0 && b_stride == 1) {
                   const int32_t a_scaled = r.scale1(a[0]);
                   for (int32_t i = 0; i < n; ++i) out[i] = T(r.output_value(a_scaled + r.scale2(b[i])));
                 } else {
                   for (int32_t i = 0; i < n; ++i)
                     out[i] = T(r.output_value(r.scale1(a[i * a_stride]) + r.scale2(b[i * b_stride])));
                 }
               });
}

}  // namespace

void add_int8(const reference::BroadcastDesc& d, const reference::AddSubQuantParams& p, const int8_t* input1,
              const int8_t* input2, int8_t* output) {
  add_quantized(d, p, input1, input2, output);
}

void add_int16(const reference::BroadcastDesc& d, const reference::AddSubQuantParams& p, const int16_t* input1,
               const int16_t* input2, int16_t* output) {
  add_quantized(d, p, input1, input2, output);
}

}  // namespace optimized
}  // namespace mote
