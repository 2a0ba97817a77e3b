#include "kernels/pie/fully_connected.h"

#include "kernels/optimized/fully_connected.h"
#include "kernels/optimized/requantize.h"
#include "kernels/pie/pie.h"

namespace mote {
namespace pie {
namespace {

// q4 (and q5 when kSplit) = input_offset in every lane, as int8.
template <int Q>
void broadcast(Core& core, int32_t value) {
  const uint32_t word = uint32_t(uint8_t(int8_t(value))) * 0x01010101u;
  core.movi_32_q<Q, 0>(word);
  core.movi_32_q<Q, 1>(word);
  core.movi_32_q<Q, 2>(word);
  core.movi_32_q<Q, 3>(word);
}

// sum w * (x + offset) over depth values, modulo 2^32.
template <bool kXAligned, bool kWAligned, bool kSplit>
inline uint32_t offset_dot(Core& core, const int8_t* x, const int8_t* w, int32_t depth) {
  core.zero_accx();
  for (int32_t k = 0; k < depth; k += 16) {
    load_16<kXAligned, 0, 2>(core, x);
    load_16<kWAligned, 1, 3>(core, w);
    core.vmulas_s8_accx<0, 1>();
    core.vmulas_s8_accx<4, 1>();
    if constexpr (kSplit) core.vmulas_s8_accx<5, 1>();
  }
  return core.rur_accx_0();
}

template <bool kXAligned, bool kWAligned, bool kSplit>
void run(const reference::FullyConnectedParams& p, const int32_t* multiplier, const int32_t* shift, int32_t batches,
         int32_t depth, int32_t units, const int8_t* input, const int8_t* filter, const int32_t* bias,
         int8_t* output) {
  Core core;
  if constexpr (kSplit) {
    broadcast<4>(core, p.input_offset / 2);
    broadcast<5>(core, p.input_offset - p.input_offset / 2);
  } else {
    broadcast<4>(core, p.input_offset);
  }
  const optimized::ChannelRequant per_tensor = optimized::make_channel_requant(p.output_multiplier, p.output_shift);
  for (int32_t o = 0; o < units; ++o) {
    const optimized::ChannelRequant requant =
        multiplier != nullptr ? optimized::make_channel_requant(multiplier[o], shift[o]) : per_tensor;
    const uint32_t start = bias != nullptr ? uint32_t(bias[o]) : 0u;
    const int8_t* row = filter + o * depth;
    for (int32_t b = 0; b < batches; ++b) {
      const uint32_t sum = offset_dot<kXAligned, kWAligned, kSplit>(core, input + b * depth, row, depth);
      output[b * units + o] = int8_t(optimized::requantize_clamp(requant, int32_t(sum + start), p.output_offset,
                                                                 p.activation_min, p.activation_max));
    }
  }
}

template <bool kSplit>
void run_aligned_as(const reference::FullyConnectedParams& p, const int32_t* multiplier, const int32_t* shift,
                    int32_t batches, int32_t depth, int32_t units, const int8_t* input, const int8_t* filter,
                    const int32_t* bias, int8_t* output) {
  const bool input_aligned = aligned16(input), filter_aligned = aligned16(filter);
  if (input_aligned && filter_aligned) {
    run<true, true, kSplit>(p, multiplier, shift, batches, depth, units, input, filter, bias, output);
  } else if (input_aligned) {
    run<true, false, kSplit>(p, multiplier, shift, batches, depth, units, input, filter, bias, output);
  } else if (filter_aligned) {
    run<false, true, kSplit>(p, multiplier, shift, batches, depth, units, input, filter, bias, output);
  } else {
    run<false, false, kSplit>(p, multiplier, shift, batches, depth, units, input, filter, bias, output);
  }
}

}  // namespace

bool fully_connected_int8_applies(int32_t accum_depth) {
  return accum_depth > 0 && accum_depth % 16 == 0 && accum_depth <= (int32_t(1) << 20);
}

void fully_connected_int8(const reference::FullyConnectedParams& params, const int32_t* output_multiplier,
                          const int32_t* output_shift, int32_t batches, int32_t accum_depth, int32_t output_depth,
                          const int8_t* input, const int8_t* filter, const int32_t* bias, int8_t* output) {
  // Offsets outside [-256, 254] cannot be two int8 lanes (an int8 zero
  // point never gives one).
  if (params.filter_offset != 0 || params.input_offset < -256 || params.input_offset > 254) {
    optimized::fully_connected_int8(params, output_multiplier, output_shift, batches, accum_depth, output_depth, input,
                                    filter, bias, output);
    return;
  }
  if (params.input_offset >= -128 && params.input_offset <= 127) {
    run_aligned_as<false>(params, output_multiplier, output_shift, batches, accum_depth, output_depth, input, filter,
                          bias, output);
  } else {
    run_aligned_as<true>(params, output_multiplier, output_shift, batches, accum_depth, output_depth, input, filter,
                         bias, output);
  }
}

}  // namespace pie
}  // namespace mote
