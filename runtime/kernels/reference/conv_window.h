// The window walk of the DEPTHWISE_CONV_2D reference kernels: output pixels
// in NHWC order and, per pixel, the filter taps that land inside the input.
// Taps in the padding are skipped, i.e. they count as real zeros. (CONV_2D
// writes the same walk out; see reference/conv_2d.cc.)
#pragma once

#include <stdint.h>

#include "kernels/conv_params.h"

namespace mote {
namespace reference {

// visit(b, in_y_origin, in_x_origin, output_pixel) for each output pixel:
// its window's top-left input coordinate (negative inside the padding) and
// the offset of its first channel in the output.
template <typename Visit>
inline void for_each_output_pixel(const ConvParams& p, const Dims4& out, Visit visit) {
  for (int32_t b = 0; b < out.n; ++b) {
    for (int32_t out_y = 0; out_y < out.h; ++out_y) {
      const int32_t in_y_origin = out_y * p.stride_h - p.pad_h;
      for (int32_t out_x = 0; out_x < out.w; ++out_x) {
        const int32_t in_x_origin = out_x * p.stride_w - p.pad_w;
        visit(b, in_y_origin, in_x_origin, ((b * out.h + out_y) * out.w + out_x) * out.c);
      }
    }
  }
}

// tap(input_pixel, fy, fx) for each filter tap (fy, fx) of the window at
// (in_y_origin, in_x_origin) in batch b that lies inside the input;
// input_pixel is the offset of that input pixel's first channel. Extents and
// dilations are copied so the compiler can keep them in registers.
template <typename Tap>
inline void for_each_tap(const ConvParams& p, Dims4 in, Dims4 fd, int32_t b, int32_t in_y_origin, int32_t in_x_origin,
                         Tap tap) {
  const int32_t dilation_h = p.dilation_h;
  const int32_t dilation_w = p.dilation_w;
  for (int32_t fy = 0; fy < fd.h; ++fy) {
    const int32_t in_y = in_y_origin + fy * dilation_h;
    if (in_y < 0 || in_y >= in.h) continue;
    for (int32_t fx = 0; fx < fd.w; ++fx) {
      const int32_t in_x = in_x_origin + fx * dilation_w;
      if (in_x < 0 || in_x >= in.w) continue;
      tap(((b * in.h + in_y) * in.w + in_x) * in.c, fy, fx);
    }
  }
}

}  // namespace reference
}  // namespace mote
