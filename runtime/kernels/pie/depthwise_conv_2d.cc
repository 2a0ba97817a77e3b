#include "kernels/pie/depthwise_conv_2d.h"

#include "kernels/optimized/input_offset_fold.h"
#include "kernels/optimized/prepared_shift.h"
#include "kernels/optimized/requantize.h"
#include "kernels/pie/pie.h"

namespace mote {
namespace pie {
namespace {

constexpr int32_t kLanes = 16;

using optimized::ChannelRequant;

// One block of 16 channels: what every pixel of the block shares.
struct Block {
  int32_t start[kLanes];  // bias + input_offset * sum(filter), for whole windows
  int32_t bias[kLanes];
  ChannelRequant requant[kLanes];
};

struct Geometry {
  const ConvParams& p;
  Dims4 in, out;
  int32_t channels;
};

inline int8_t output_value(const ConvParams& p, const ChannelRequant& r, int32_t acc) {
  return int8_t(optimized::requantize_clamp(r, acc, p.output_offset, p.activation_min, p.activation_max));
}

// A pixel whose window is inside the input: nine multiply-accumulates of 16
// lanes. `window` points at the window's top-left input value of the block's
// first channel, `taps` at the block's first channel of the filter.
template <bool kInputAligned, bool kFilterAligned>
inline void interior_pixel(Core& core, const Geometry& g, const Block& b, const int8_t* window, const int8_t* taps,
                           int8_t* out) {
  const int32_t row_step = g.in.w * g.channels;
  core.zero_qacc();
  for (int ky = 0; ky < 3; ++ky) {
    const int8_t* x = window + ky * row_step;
    const int8_t* f = taps + ky * 3 * g.channels;
    for (int kx = 0; kx < 3; ++kx) {
      const int8_t* xp = x + kx * g.channels;
      const int8_t* fp = f + kx * g.channels;
      load_16<kInputAligned, 0, 2>(core, xp);
      load_16<kFilterAligned, 1, 3>(core, fp);
      core.vmulas_s8_qacc<0, 1>();
    }
  }
  int32_t lanes[kLanes];
  read_qacc_s8(core, lanes);
  for (int c = 0; c < kLanes; ++c)
    out[c] = output_value(g.p, b.requant[c], int32_t(uint32_t(lanes[c]) + uint32_t(b.start[c])));
}

// A pixel on the border: the reference's sum over the taps inside the input.
inline void border_pixel(const Geometry& g, const Block& b, const int8_t* input, const int8_t* filter, int32_t in_y,
                         int32_t in_x, int8_t* out) {
  int32_t acc[kLanes];
  for (int c = 0; c < kLanes; ++c) acc[c] = b.bias[c];
  for (int ky = 0; ky < 3; ++ky) {
    const int32_t y = in_y + ky;
    if (y < 0 || y >= g.in.h) continue;
    for (int kx = 0; kx < 3; ++kx) {
      const int32_t x = in_x + kx;
      if (x < 0 || x >= g.in.w) continue;
      const int8_t* xv = input + (y * g.in.w + x) * g.channels;
      const int8_t* fv = filter + (ky * 3 + kx) * g.channels;
      for (int c = 0; c < kLanes; ++c)
        acc[c] = int32_t(uint32_t(acc[c]) + uint32_t((xv[c] + g.p.input_offset) * fv[c]));
    }
  }
  for (int c = 0; c < kLanes; ++c) out[c] = output_value(g.p, b.requant[c], acc[c]);
}

template <bool kInputAligned, bool kFilterAligned>
void run(const Geometry& g, const int32_t* multiplier, const int32_t* shift, const int8_t* input, const int8_t* filter,
         const int32_t* bias, int8_t* output) {
  Core core;
  const ConvParams& p = g.p;
  for (int32_t n = 0; n < g.in.n; ++n) {
    const int8_t* image = input + n * g.in.h * g.in.w * g.channels;
    int8_t* out_image = output + n * g.out.h * g.out.w * g.channels;
    for (int32_t c0 = 0; c0 < g.channels; c0 += kLanes) {
      Block b;
      for (int c = 0; c < kLanes; ++c) {
        const int32_t prepared = shift[c0 + c];
        b.bias[c] = bias != nullptr ? bias[c0 + c] : 0;
        b.start[c] = optimized::fold_input_offset(b.bias[c], p.input_offset, optimized::filter_sum_of(prepared));
        b.requant[c] = optimized::make_channel_requant(multiplier[c0 + c], optimized::shift_of(prepared));
      }
      const int8_t* taps = filter + c0;
      for (int32_t oy = 0; oy < g.out.h; ++oy) {
        const int32_t in_y = oy * p.stride_h - p.pad_h;
        const bool rows_inside = in_y >= 0 && in_y + 2 < g.in.h;
        for (int32_t ox = 0; ox < g.out.w; ++ox) {
          const int32_t in_x = ox * p.stride_w - p.pad_w;
          int8_t* out = out_image + (oy * g.out.w + ox) * g.channels + c0;
          if (rows_inside && in_x >= 0 && in_x + 2 < g.in.w) {
            interior_pixel<kInputAligned, kFilterAligned>(core, g, b, image + (in_y * g.in.w + in_x) * g.channels + c0,
                                                          taps, out);
          } else {
            border_pixel(g, b, image + c0, taps, in_y, in_x, out);
          }
        }
      }
    }
  }
}

}  // namespace

bool depthwise_conv_2d_3x3_applies(const ConvParams& params, const Dims4& filter_dims) {
  return filter_dims.h == 3 && filter_dims.w == 3 && params.dilation_h == 1 && params.dilation_w == 1 &&
         params.depth_multiplier == 1 && filter_dims.c % kLanes == 0;
}

void depthwise_conv_2d_int8_3x3(const ConvParams& params, const int32_t* output_multiplier,
                                const int32_t* output_shift, const Dims4& input_dims, const int8_t* input,
                                const Dims4& filter_dims, const int8_t* filter, const int32_t* bias,
                                const Dims4& output_dims, int8_t* output) {
  const Geometry g{params, input_dims, output_dims, filter_dims.c};
  const bool input_aligned = aligned16(input), filter_aligned = aligned16(filter);
  if (input_aligned && filter_aligned) {
    run<true, true>(g, output_multiplier, output_shift, input, filter, bias, output);
  } else if (input_aligned) {
    run<true, false>(g, output_multiplier, output_shift, input, filter, bias, output);
  } else if (filter_aligned) {
    run<false, true>(g, output_multiplier, output_shift, input, filter, bias, output);
  } else {
    run<false, false>(g, output_multiplier, output_shift, input, filter, bias, output);
  }
}

}  // namespace pie
}  // namespace mote
