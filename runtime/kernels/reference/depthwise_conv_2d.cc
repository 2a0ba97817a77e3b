#include "kernels/reference/depthwise_conv_2d.h"

#include "kernels/reference/accumulate.h"
#include "kernels/reference/conv_window.h"

namespace mote {
namespace reference {
namespace {

template <typename Input, typename Acc, typename Bias>
void depthwise_conv_2d_quantized(const ConvParams& p, const int32_t* output_multiplier, const int32_t* output_shift,
                                 const Dims4& in, const Input* input, const Dims4& fd, const int8_t* filter,
                                 const Bias* bias, const Dims4& out, Input* output) {
  for_each_output_pixel(p, out, [&](int32_t b, int32_t in_y_origin, int32_t in_x_origin, int32_t output_pixel) {
    for (int32_t ic = 0; ic < in.c; ++ic) {
      for (int32_t m = 0; m < p.depth_multiplier; ++m) {
        const int32_t oc = ic * p.depth_multiplier + m;
        Acc acc = 0;
        for_each_tap(p, in, fd, b, in_y_origin, in_x_origin, [&](int32_t input_pixel, int32_t fy, int32_t fx) {
          const int32_t input_value = input[input_pixel + ic];
          const int32_t filter_value = filter[(fy * fd.w + fx) * fd.c + oc];
          acc = wrapping_add(acc, Acc(filter_value * (input_value + p.input_offset)));
        });
        output[output_pixel + oc] =
            quantized_output<Input>(p, acc, bias, oc, output_multiplier[oc], output_shift[oc]);
      }
    }
  });
}

}  // namespace

void depthwise_conv_2d_int8(const ConvParams& params, const int32_t* output_multiplier, const int32_t* output_shift,
                            const Dims4& input_dims, const int8_t* input, const Dims4& filter_dims,
                            const int8_t* filter, const int32_t* bias, const Dims4& output_dims, int8_t* output) {
  depthwise_conv_2d_quantized<int8_t, int32_t, int32_t>(params, output_multiplier, output_shift, input_dims, input,
                                                        filter_dims, filter, bias, output_dims, output);
}

void depthwise_conv_2d_int16(const ConvParams& params, const int32_t* output_multiplier, const int32_t* output_shift,
                             const Dims4& input_dims, const int16_t* input, const Dims4& filter_dims,
                             const int8_t* filter, const int64_t* bias, const Dims4& output_dims, int16_t* output) {
  depthwise_conv_2d_quantized<int16_t, int64_t, int64_t>(params, output_multiplier, output_shift, input_dims, input,
                                                         filter_dims, filter, bias, output_dims, output);
}

void depthwise_conv_2d_float(const ConvParams& p, const Dims4& in, const float* input, const Dims4& fd,
                             const float* filter, const float* bias, const Dims4& out, float* output) {
  for_each_output_pixel(p, out, [&](int32_t b, int32_t in_y_origin, int32_t in_x_origin, int32_t output_pixel) {
    for (int32_t ic = 0; ic < in.c; ++ic) {
      for (int32_t m = 0; m < p.depth_multiplier; ++m) {
        const int32_t oc = ic * p.depth_multiplier + m;
        float total = 0.0f;
        for_each_tap(p, in, fd, b, in_y_origin, in_x_origin, [&](int32_t input_pixel, int32_t fy, int32_t fx) {
          total += input[input_pixel + ic] * filter[(fy * fd.w + fx) * fd.c + oc];
        });
        output[output_pixel + oc] = float_output(p, total, bias, oc);
      }
    }
  });
}

}  // namespace reference
}  // namespace mote
