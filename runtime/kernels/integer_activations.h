// Sigmoid and tanh of int16 values, computed as TFLite does for int16 tensors
// (LOGISTIC and TANH with int16 input, and the gates of the integer LSTM):
// linear interpolation in one 256-entry table of sigmoid(i / 24), with tanh
// read from the same table through tanh(x) = 2 * sigmoid(2x) - 1.
//
// Input scaling follows TFLite's (input_multiplier, input_left_shift) pair:
//   input_multiplier == 0: the input is Q3.12 scaled by 2^input_left_shift,
//     i.e. real = q * 2^(input_left_shift - 12);
//   otherwise: the table argument is (q * input_multiplier + round) >>
//     input_left_shift, where input_multiplier already carries the factor 3
//     the table's 1/24 step needs (see the op's prepare).
// Outputs are Q0.15. input and output may be the same buffer.
#pragma once

#include <stdint.h>

namespace mote {
namespace integer_activations {

// sigmoid(i / 24) for i in [0, 256), unsigned Q0.16 (1.0 clamped to 65535).
// Kept as TFLite's exact values rather than recomputed: a few entries are one
// above the rounded function value, and bit-exactness depends on them.
extern const uint16_t kSigmoidTable[256];

void sigmoid_int16(const int16_t* input, int16_t* output, int32_t count, int32_t input_multiplier,
                   int32_t input_left_shift);

void tanh_int16(const int16_t* input, int16_t* output, int32_t count, int32_t input_multiplier,
                int32_t input_left_shift);

}  // namespace integer_activations
}  // namespace mote
