#include "kernels/reference/softmax.h"

#include <math.h>

#include <limits>

#include "kernels/fixedpoint.h"
#include "kernels/fixedpoint_transcendental.h"

namespace mote {
namespace reference {
namespace {

// Q5.26 input differences: differences skipped by diff_min may reach -32
// before scaling, exp(-16) is negligible against a sum of Q12.19 terms.
constexpr int kScaledDiffIntegerBits = 5;
constexpr int kAccumulationIntegerBits = 12;

template <typename Output>
void softmax_int8_impl(const SoftmaxInt8Params& p, int32_t rows, int32_t depth, const int8_t* input, Output* output) {
  using fixedpoint::exp_on_negative_values;
  constexpr int32_t kOutputMin = std::numeric_limits<Output>::min();
  constexpr int32_t kOutputMax = std::numeric_limits<Output>::max();
  constexpr int kOutputBits = int(sizeof(Output)) * 8;

  // The scaled difference in Q5.26; only called for diff >= diff_min, which
  // bounds |diff| * 2^left_shift below 2^31.
  auto scaled_diff = [&p](int32_t diff) {
    const int32_t shifted = int32_t(uint32_t(diff) << p.input_left_shift);
    return fixedpoint::saturating_rounding_doubling_high_mul(shifted, p.input_multiplier);
  };

  for (int32_t r = 0; r < rows; ++r) {
    const int8_t* in = input + r * depth;
    Output* out = output + r * depth;
    int32_t max_in_row = std::numeric_limits<int8_t>::min();
    for (int32_t c = 0; c < depth; ++c) max_in_row = in[c] > max_in_row ? in[c] : max_in_row;

    int32_t sum_of_exps = 0;  // Q12.19
    for (int32_t c = 0; c < depth; ++c) {
      const int32_t diff = int32_t(in[c]) - max_in_row;
      if (diff >= p.diff_min) {
        const int32_t exp_q0 = exp_on_negative_values<kScaledDiffIntegerBits>(scaled_diff(diff));
        sum_of_exps = fixedpoint::wrapping_add(sum_of_exps, fixedpoint::rescale(exp_q0, 0, kAccumulationIntegerBits));
      }
    }

    // 1 / sum = reciprocal * 2^-num_bits_over_unit; outputs are
    // exp * reciprocal in Q0.31 shifted down to the output's bit width.
    int num_bits_over_unit = 0;
    const int32_t reciprocal = fixedpoint::reciprocal(sum_of_exps, kAccumulationIntegerBits, &num_bits_over_unit);
    const int exponent = num_bits_over_unit + 31 - kOutputBits;

    for (int32_t c = 0; c < depth; ++c) {
      const int32_t diff = int32_t(in[c]) - max_in_row;
      if (diff >= p.diff_min) {
        const int32_t exp_q0 = exp_on_negative_values<kScaledDiffIntegerBits>(scaled_diff(diff));
        // TFLite aborts when exponent > 31 (a sum of exps of 512 or more with
        // int8 output); the exact result there is below half a step: 0.
        const int32_t unsaturated =
            exponent > 31 ? 0
                          : fixedpoint::rounding_divide_by_pot(
                                fixedpoint::saturating_rounding_doubling_high_mul(reciprocal, exp_q0), exponent);
        int32_t value = unsaturated + kOutputMin;
        if (value > kOutputMax) value = kOutputMax;
        if (value < kOutputMin) value = kOutputMin;
        out[c] = Output(value);
      } else {
        out[c] = Output(kOutputMin);
      }
    }
  }
}

// TFLite's LUT generator, for a function on [input_min, input_max] with values
// in [output_min, output_max] mapped onto the int16 range. Each entry is the
// sampled value minus half the error linear interpolation would make at the
// segment midpoint. All arithmetic in float, as the reference.
void build_int16_lut(float (*func)(float), float input_min, float input_max, float output_min, float output_max,
                     int16_t* lut) {
  const int32_t segments = kSoftmaxLutSize - 1;
  const float step = (input_max - input_min) / segments;
  const float half_step = step / 2;
  const float output_scaling_inv = 65536.0f / (output_max - output_min);
  const float table_min = -32768.0f;
  const float table_max = 32767.0f;
  auto clamp = [&](float v) { return v < table_min ? table_min : (v > table_max ? table_max : v); };

  for (int32_t i = 0; i < segments; ++i) {
    const float val = func(input_min + float(i) * step);
    const float val_midpoint = func(input_min + float(i) * step + half_step);
    const float val_next = func(input_min + float(i + 1) * step);

    const float sample_val = roundf(val * output_scaling_inv);
    const float midpoint_interp_val = roundf((val_next * output_scaling_inv + roundf(val * output_scaling_inv)) / 2);
    const float midpoint_val = roundf(val_midpoint * output_scaling_inv);
    const float midpoint_err = midpoint_interp_val - midpoint_val;
    const float bias = roundf(midpoint_err / 2);
    lut[i] = int16_t(clamp(sample_val - bias));
  }
  lut[segments] = int16_t(clamp(roundf(func(input_max) * output_scaling_inv)));
}

float exp_float(float x) { return expf(x); }
float one_over_one_plus_x_float(float x) { return 1.0f / (1.0f + x); }

}  // namespace

bool softmax_int8_params(double beta, double input_scale, SoftmaxInt8Params* params) {
  // beta * input_scale as a Q5.26 step, capped at the largest Q0.31 multiplier.
  const double max_real_multiplier = double((int64_t(1) << 31) - 1);
  double real_multiplier = beta * input_scale * double(int64_t(1) << (31 - kScaledDiffIntegerBits));
  if (real_multiplier > max_real_multiplier) real_multiplier = max_real_multiplier;
  int shift = 0;
  fixedpoint::quantize_multiplier(real_multiplier, &params->input_multiplier, &shift);
  params->input_left_shift = shift;
  // TFLite requires a multiplier above one (a non-negative left shift).
  if (shift < 0 || params->input_multiplier == 0) return false;
  // The largest input difference whose scaled value still fits Q5.26:
  // floor((2^5 - 1) * 2^26 / 2^left_shift).
  const double max_input_rescaled = 1.0 * double((1 << kScaledDiffIntegerBits) - 1) *
                                    double(int64_t(1) << (31 - kScaledDiffIntegerBits)) / double(int64_t(1) << shift);
  params->diff_min = -int32_t(floor(max_input_rescaled));
  return true;
}

void softmax_int16_multiplier(double beta, double input_scale, int32_t* input_multiplier, int32_t* input_shift) {
  // Input differences in [-65535, 0] map onto exp's table range [-10, 0].
  const double real_multiplier = input_scale * beta / (10.0 / 65535.0);
  int shift = 0;
  fixedpoint::quantize_multiplier(real_multiplier, input_multiplier, &shift);
  *input_shift = shift;
}

void softmax_int16_build_luts(int16_t* exp_lut, int16_t* one_over_one_plus_x_lut) {
  build_int16_lut(exp_float, -10.0f, 0.0f, -1.0f, 1.0f, exp_lut);
  build_int16_lut(one_over_one_plus_x_float, 0.0f, 1.0f, -1.0f, 1.0f, one_over_one_plus_x_lut);
}

int16_t int16_lut_lookup(int16_t value, const int16_t* lut) {
  const uint16_t index = uint16_t(256 + (value >> 7));
  const int16_t offset = int16_t(value & 0x7f);
  const int16_t base = lut[index];
  // The reference keeps the slope in int16.
  const int16_t slope = int16_t(lut[index + 1] - lut[index]);
  const int32_t delta = (int32_t(slope) * offset + 64) >> 7;
  return int16_t(base + delta);
}

void softmax_float(int32_t rows, int32_t depth, float beta, const float* input, float* output) {
  for (int32_t r = 0; r < rows; ++r) {
    const float* in = input + r * depth;
    float* out = output + r * depth;
    float max = std::numeric_limits<float>::lowest();
    for (int32_t c = 0; c < depth; ++c) max = in[c] > max ? in[c] : max;
    float sum = 0.0f;
    for (int32_t c = 0; c < depth; ++c) {
      const float e = expf((in[c] - max) * beta);
      out[c] = e;
      sum += e;
    }
    for (int32_t c = 0; c < depth; ++c) out[c] = out[c] / sum;
  }
}

void softmax_int8(const SoftmaxInt8Params& params, int32_t rows, int32_t depth, const int8_t* input, int8_t* output) {
  softmax_int8_impl<int8_t>(params, rows, depth, input, output);
}

void softmax_int8_int16(const SoftmaxInt8Params& params, int32_t rows, int32_t depth, const int8_t* input,
                        int16_t* output) {
  softmax_int8_impl<int16_t>(params, rows, depth, input, output);
}

void softmax_int16(const SoftmaxInt16Params& p, int32_t rows, int32_t depth, const int16_t* input, int16_t* output) {
  for (int32_t r = 0; r < rows; ++r) {
    const int16_t* in = input + r * depth;
    int16_t* exp_q15 = output + r * depth;  // exp values first, results later
    int32_t max_in_row = std::numeric_limits<int16_t>::min();
    for (int32_t c = 0; c < depth; ++c) max_in_row = in[c] > max_in_row ? in[c] : max_in_row;

    int32_t sum_of_exps = 0;  // Q16.15
    for (int32_t c = 0; c < depth; ++c) {
      const int32_t diff = int32_t(in[c]) - max_in_row;
      const int32_t scaled_diff = fixedpoint::multiply_by_quantized_multiplier(diff, p.input_multiplier, p.input_shift);
      // Recenter [-65535, 0] -> [-32768, 32767] for the symmetric table.
      const int16_t table_arg = fixedpoint::saturate<int16_t>(scaled_diff + 32767);
      exp_q15[c] = int16_lut_lookup(table_arg, p.exp_lut);
      sum_of_exps = fixedpoint::wrapping_add(sum_of_exps, exp_q15[c]);
    }

    // 1 / sum through the 1/(1+x) table: normalize sum to [1, 2) in Q1.15
    // (rounded), subtract 1, recenter to the table's symmetric argument.
    const int headroom_plus_one = fixedpoint::count_leading_zeros(uint32_t(sum_of_exps));
    const int32_t shifted_sum = int32_t(((int64_t(sum_of_exps) << (headroom_plus_one - 1)) + (1 << 13)) >> 14);
    const int32_t table_arg = shifted_sum - ((1 << 15) + (1 << 16));
    const int16_t reciprocal_q15 =
        int16_lut_lookup(fixedpoint::saturate<int16_t>(table_arg), p.one_over_one_plus_x_lut);

    const int right_shift = 31 - headroom_plus_one;
    const int64_t round = int64_t(1) << (right_shift - 1);
    for (int32_t c = 0; c < depth; ++c) {
      int64_t value = (int64_t(exp_q15[c]) * int64_t(reciprocal_q15) + round) >> right_shift;
      // The reference narrows to int32 before clamping.
      int32_t result = int32_t(value);
      if (result < 0) result = 0;
      if (result > 32767) result = 32767;
      exp_q15[c] = int16_t(result);
    }
  }
}

}  // namespace reference
}  // namespace mote
