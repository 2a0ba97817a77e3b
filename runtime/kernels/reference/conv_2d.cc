#include "kernels/reference/conv_2d.h"

#include "kernels/reference/accumulate.h"

namespace mote {
namespace reference {
namespace {

// Shared loop nest of the quantized kernels. Acc is the accumulator type
// (int32_t or int64_t); Bias is int32_t or int64_t.
template <typename Input, typename Acc, typename Bias>
void conv_2d_quantized(const ConvParams& p, const int32_t* output_multiplier, const int32_t* output_shift,
                       const Dims4& in, const Input* input, const Dims4& fd, const int8_t* filter, const Bias* bias,
                       const Dims4& out, Input* output) {
  const int32_t groups = in.c / fd.c;
  const int32_t filters_per_group = out.c / groups;
  for (int32_t b = 0; b < out.n; ++b) {
    for (int32_t out_y = 0; out_y < out.h; ++out_y) {
      const int32_t in_y_origin = out_y * p.stride_h - p.pad_h;
      for (int32_t out_x = 0; out_x < out.w; ++out_x) {
        const int32_t in_x_origin = out_x * p.stride_w - p.pad_w;
        for (int32_t oc = 0; oc < out.c; ++oc) {
          const int32_t first_in_channel = (oc / filters_per_group) * fd.c;
          Acc acc = 0;
          for (int32_t fy = 0; fy < fd.h; ++fy) {
            const int32_t in_y = in_y_origin + fy * p.dilation_h;
            if (in_y < 0 || in_y >= in.h) continue;
            for (int32_t fx = 0; fx < fd.w; ++fx) {
              const int32_t in_x = in_x_origin + fx * p.dilation_w;
              if (in_x < 0 || in_x >= in.w) continue;
              const Input* in_pixel = input + ((b * in.h + in_y) * in.w + in_x) * in.c + first_in_channel;
              const int8_t* filter_pixel = filter + ((oc * fd.h + fy) * fd.w + fx) * fd.c;
              for (int32_t ic = 0; ic < fd.c; ++ic) {
                const int32_t product = int32_t(filter_pixel[ic]) * (int32_t(in_pixel[ic]) + p.input_offset);
                acc = wrapping_add(acc, Acc(product));
              }
            }
          }
          if (bias != nullptr) acc = wrapping_add(acc, Acc(bias[oc]));
          int32_t result = wrapping_add(requantize(acc, output_multiplier[oc], output_shift[oc]), p.output_offset);
          if (result < p.activation_min) result = p.activation_min;
          if (result > p.activation_max) result = p.activation_max;
          output[((b * out.h + out_y) * out.w + out_x) * out.c + oc] = Input(result);
        }
      }
    }
  }
}

}  // namespace

void conv_2d_int8(const ConvParams& params, const int32_t* output_multiplier, const int32_t* output_shift,
                  const Dims4& input_dims, const int8_t* input, const Dims4& filter_dims, const int8_t* filter,
                  const int32_t* bias, const Dims4& output_dims, int8_t* output) {
  conv_2d_quantized<int8_t, int32_t, int32_t>(params, output_multiplier, output_shift, input_dims, input, filter_dims,
                                              filter, bias, output_dims, output);
}

void conv_2d_int16(const ConvParams& params, const int32_t* output_multiplier, const int32_t* output_shift,
                   const Dims4& input_dims, const int16_t* input, const Dims4& filter_dims, const int8_t* filter,
                   const int64_t* bias, const Dims4& output_dims, int16_t* output) {
  conv_2d_quantized<int16_t, int64_t, int64_t>(params, output_multiplier, output_shift, input_dims, input, filter_dims,
                                               filter, bias, output_dims, output);
}

void conv_2d_int16_bias32(const ConvParams& params, const int32_t* output_multiplier, const int32_t* output_shift,
                          const Dims4& input_dims, const int16_t* input, const Dims4& filter_dims, const int8_t* filter,
                          const int32_t* bias, const Dims4& output_dims, int16_t* output) {
  conv_2d_quantized<int16_t, int32_t, int32_t>(params, output_multiplier, output_shift, input_dims, input, filter_dims,
                                               filter, bias, output_dims, output);
}

void conv_2d_float(const ConvParams& p, const Dims4& in, const float* input, const Dims4& fd, const float* filter,
                   const float* bias, const Dims4& out, float* output) {
  const int32_t groups = in.c / fd.c;
  const int32_t filters_per_group = out.c / groups;
  for (int32_t b = 0; b < out.n; ++b) {
    for (int32_t out_y = 0; out_y < out.h; ++out_y) {
      const int32_t in_y_origin = out_y * p.stride_h - p.pad_h;
      for (int32_t out_x = 0; out_x < out.w; ++out_x) {
        const int32_t in_x_origin = out_x * p.stride_w - p.pad_w;
        for (int32_t oc = 0; oc < out.c; ++oc) {
          const int32_t first_in_channel = (oc / filters_per_group) * fd.c;
          float total = 0.0f;
          for (int32_t fy = 0; fy < fd.h; ++fy) {
            const int32_t in_y = in_y_origin + fy * p.dilation_h;
            if (in_y < 0 || in_y >= in.h) continue;
            for (int32_t fx = 0; fx < fd.w; ++fx) {
              const int32_t in_x = in_x_origin + fx * p.dilation_w;
              if (in_x < 0 || in_x >= in.w) continue;
              const float* in_pixel = input + ((b * in.h + in_y) * in.w + in_x) * in.c + first_in_channel;
              const float* filter_pixel = filter + ((oc * fd.h + fy) * fd.w + fx) * fd.c;
              for (int32_t ic = 0; ic < fd.c; ++ic) total += in_pixel[ic] * filter_pixel[ic];
            }
          }
          const float value = total + (bias != nullptr ? bias[oc] : 0.0f);
          output[((b * out.h + out_y) * out.w + out_x) * out.c + oc] =
              clamp_float(value, p.float_activation_min, p.float_activation_max);
        }
      }
    }
  }
}

}  // namespace reference
}  // namespace mote
