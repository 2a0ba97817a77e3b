// SOFTMAX int8 -> int8 / int16, optimized: byte-exact with
// kernels/reference/softmax.h.
//
// The reference evaluates the fixed-point exp of every input difference twice
// per row (once for the sum, once for the output). Here each exp is computed
// once: either looked up in a table of the 256 possible differences (input
// minus row maximum, 0 .. -255) built in prepare, or, without a table, kept
// on the stack for rows of up to kSoftmaxCachedDepth values. A difference
// below diff_min has the table entry 0, which gives exactly the reference's
// result (no contribution to the sum, the output minimum).
#pragma once

#include <stdint.h>

#include "kernels/reference/softmax.h"

namespace mote {
namespace optimized {

constexpr int32_t kSoftmaxExpTableSize = 256;  // differences 0, -1, ..., -255
constexpr int32_t kSoftmaxCachedDepth = 64;

// exp_table[i] = exp(-i * beta * input_scale) in Q0.31 as the reference
// computes it, 0 where -i < diff_min.
void softmax_int8_exp_table(const reference::SoftmaxInt8Params& params, int32_t* exp_table);

// The table holds everything the parameters contribute.
void softmax_int8_with_table(const int32_t* exp_table, int32_t rows, int32_t depth, const int8_t* input,
                             int8_t* output);
void softmax_int8_int16_with_table(const int32_t* exp_table, int32_t rows, int32_t depth, const int8_t* input,
                                   int16_t* output);

// Without a table; same signatures as the reference. Rows longer than
// kSoftmaxCachedDepth compute each exp twice, like the reference.
void softmax_int8(const reference::SoftmaxInt8Params& params, int32_t rows, int32_t depth, const int8_t* input,
                  int8_t* output);
void softmax_int8_int16(const reference::SoftmaxInt8Params& params, int32_t rows, int32_t depth, const int8_t* input,
                        int16_t* output);

}  // namespace optimized
}  // namespace mote
