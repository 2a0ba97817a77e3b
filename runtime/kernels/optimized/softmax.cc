#include "kernels/optimized/softmax.h"

#include <limits>

#include "kernels/fixedpoint.h"
#include "kernels/fixedpoint_transcendental.h"
#include "kernels/optimized/requantize.h"

namespace mote {
namespace optimized {
namespace {

// The reference's formats: input differences in Q5.26, the sum in Q12.19.
constexpr int kScaledDiffIntegerBits = 5;
constexpr int kAccumulationIntegerBits = 12;

// exp(diff * beta * input_scale) in Q0.31 as the reference computes it, 0
// where the reference skips the difference.
int32_t exp_of_difference(const reference::SoftmaxInt8Params& p, int32_t diff) {
  if (diff < p.diff_min) return 0;
  const int32_t shifted = int32_t(uint32_t(diff) << p.input_left_shift);
  const int32_t scaled = fixedpoint::saturating_rounding_doubling_high_mul(shifted, p.input_multiplier);
  return fixedpoint::exp_on_negative_values<kScaledDiffIntegerBits>(scaled);
}

int32_t row_max(const int8_t* in, int32_t depth) {
  int32_t max = std::numeric_limits<int8_t>::min();
  for (int32_t c = 0; c < depth; ++c) max = in[c] > max ? in[c] : max;
  return max;
}

// The sum's term for one exp: Q0.31 -> Q12.19, rounded.
inline int32_t accumulation_term(int32_t exp_q31) {
  return fixedpoint::rounding_divide_by_pot(exp_q31, kAccumulationIntegerBits);
}

// out[c] = exp_at(c) / sum_of_exps in the output's format.
template <typename Output, typename ExpAt>
void write_row(int32_t sum_of_exps, int32_t depth, ExpAt exp_at, Output* out) {
  constexpr int32_t kOutputMin = std::numeric_limits<Output>::min();
  constexpr int32_t kOutputMax = std::numeric_limits<Output>::max();
  constexpr int kOutputBits = int(sizeof(Output)) * 8;
  int num_bits_over_unit = 0;
  const int32_t reciprocal = fixedpoint::reciprocal(sum_of_exps, kAccumulationIntegerBits, &num_bits_over_unit);
  const int exponent = num_bits_over_unit + 31 - kOutputBits;
  if (exponent > 31) {  // every quotient is below half a step (see the reference)
    for (int32_t c = 0; c < depth; ++c) out[c] = Output(kOutputMin);
    return;
  }
  for (int32_t c = 0; c < depth; ++c) {
    // reciprocal > 0, so the one-multiply high product is exact.
    const int32_t quotient = fixedpoint::rounding_divide_by_pot(rounding_high_mul(reciprocal, exp_at(c)), exponent);
    int32_t value = quotient + kOutputMin;
    value = value > kOutputMax ? kOutputMax : value;
    out[c] = Output(value < kOutputMin ? kOutputMin : value);
  }
}

template <typename Output>
void softmax_table_impl(const int32_t* exp_table, int32_t rows, int32_t depth, const int8_t* input, Output* output) {
  for (int32_t r = 0; r < rows; ++r) {
    const int8_t* in = input + r * depth;
    const int32_t max = row_max(in, depth);
    int32_t sum_of_exps = 0;
    for (int32_t c = 0; c < depth; ++c)
      sum_of_exps = fixedpoint::wrapping_add(sum_of_exps, accumulation_term(exp_table[max - in[c]]));
    write_row(sum_of_exps, depth, [&](int32_t c) { return exp_table[max - in[c]]; }, output + r * depth);
  }
}

template <typename Output>
void softmax_cached_impl(const reference::SoftmaxInt8Params& p, int32_t rows, int32_t depth, const int8_t* input,
                         Output* output) {
  int32_t cache[kSoftmaxCachedDepth];
  const bool cached = depth <= kSoftmaxCachedDepth;
  for (int32_t r = 0; r < rows; ++r) {
    const int8_t* in = input + r * depth;
    const int32_t max = row_max(in, depth);
    int32_t sum_of_exps = 0;
    for (int32_t c = 0; c < depth; ++c) {
      const int32_t e = exp_of_difference(p, in[c] - max);
      if (cached) cache[c] = e;
      sum_of_exps = fixedpoint::wrapping_add(sum_of_exps, accumulation_term(e));
    }
    if (cached)
      write_row(sum_of_exps, depth, [&](int32_t c) { return cache[c]; }, output + r * depth);
    else
      write_row(sum_of_exps, depth, [&](int32_t c) { return exp_of_difference(p, in[c] - max); }, output + r * depth);
  }
}

}  // namespace

void softmax_int8_exp_table(const reference::SoftmaxInt8Params& params, int32_t* exp_table) {
  for (int32_t i = 0; i < kSoftmaxExpTableSize; ++i) exp_table[i] = exp_of_difference(params, -i);
}

void softmax_int8_with_table(const int32_t* exp_table, int32_t rows, int32_t depth, const int8_t* input,
                             int8_t* output) {
  softmax_table_impl(exp_table, rows, depth, input, output);
}

void softmax_int8_int16_with_table(const int32_t* exp_table, int32_t rows, int32_t depth, const int8_t* input,
                                   int16_t* output) {
  softmax_table_impl(exp_table, rows, depth, input, output);
}

void softmax_int8(const reference::SoftmaxInt8Params& params, int32_t rows, int32_t depth, const int8_t* input,
                  int8_t* output) {
  softmax_cached_impl(params, rows, depth, input, output);
}

void softmax_int8_int16(const reference::SoftmaxInt8Params& params, int32_t rows, int32_t depth, const int8_t* input,
                        int16_t* output) {
  softmax_cached_impl(params, rows, depth, input, output);
}

}  // namespace optimized
}  // namespace mote
