#include "kernels/pie/conv_2d.h"

#include "kernels/optimized/input_offset_fold.h"
#include "kernels/optimized/prepared_shift.h"
#include "kernels/optimized/requantize.h"
#include "kernels/pie/dot_s8.h"
#include "kernels/pie/pie.h"

namespace mote {
namespace pie {
namespace {

template <bool kInputAligned, bool kFilterAligned>
void run(const ConvParams& p, const int32_t* multiplier, const int32_t* shift, const Dims4& in, const int8_t* input,
         const int8_t* filter, const int32_t* bias, const Dims4& out, int8_t* output) {
  Core core;
  const int32_t depth = in.c;
  for (int32_t o = 0; o < out.c; ++o) {
    const int32_t prepared = shift[o];
    const int32_t start = optimized::fold_input_offset(bias != nullptr ? bias[o] : 0, p.input_offset,
                                                       optimized::filter_sum_of(prepared));
    const optimized::ChannelRequant requant =
        optimized::make_channel_requant(multiplier[o], optimized::shift_of(prepared));
    const int8_t* row = filter + o * depth;
    int8_t* out_pixel = output + o;
    for (int32_t n = 0; n < out.n; ++n) {
      for (int32_t oy = 0; oy < out.h; ++oy) {
        const int8_t* in_row = input + ((n * in.h + oy * p.stride_h) * in.w) * depth;
        for (int32_t ox = 0; ox < out.w; ++ox) {
          const uint32_t sum =
              dot_s8<kInputAligned, kFilterAligned>(core, in_row + ox * p.stride_w * depth, row, depth);
          *out_pixel = int8_t(optimized::requantize_clamp(requant, int32_t(sum + uint32_t(start)), p.output_offset,
                                                          p.activation_min, p.activation_max));
          out_pixel += out.c;
        }
      }
    }
  }
}

}  // namespace

bool conv_2d_1x1_applies(const Dims4& input_dims, const Dims4& filter_dims) {
  return filter_dims.h == 1 && filter_dims.w == 1 && filter_dims.c == input_dims.c && input_dims.c % 16 == 0 &&
         input_dims.c <= optimized::kMaxPreparedWindow;
}

void conv_2d_int8_1x1(const ConvParams& params, const int32_t* output_multiplier, const int32_t* output_shift,
                      const Dims4& input_dims, const int8_t* input, const Dims4& filter_dims, const int8_t* filter,
                      const int32_t* bias, const Dims4& output_dims, int8_t* output) {
  (void)filter_dims;
  const bool input_aligned = aligned16(input), filter_aligned = aligned16(filter);
  if (input_aligned && filter_aligned) {
    run<true, true>(params, output_multiplier, output_shift, input_dims, input, filter, bias, output_dims, output);
  } else if (input_aligned) {
    run<true, false>(params, output_multiplier, output_shift, input_dims, input, filter, bias, output_dims, output);
  } else if (filter_aligned) {
    run<false, true>(params, output_multiplier, output_shift, input_dims, input, filter, bias, output_dims, output);
  } else {
    run<false, false>(params, output_multiplier, output_shift, input_dims, input, filter, bias, output_dims, output);
  }
}

}  // namespace pie
}  // namespace mote
