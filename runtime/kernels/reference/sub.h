// SUB, as TFLite's reference kernels compute it: the ADD arithmetic with the
// rescaled second input subtracted (see add.h).
#pragma once

#include <stdint.h>

#include "kernels/reference/add.h"
#include "kernels/reference/elementwise_broadcast.h"

namespace mote {
namespace reference {

void sub_float(const BroadcastDesc& d, float activation_min, float activation_max, const float* input1,
               const float* input2, float* output);
// Wraps on overflow (TFLite does not check).
void sub_int32(const BroadcastDesc& d, int32_t activation_min, int32_t activation_max, const int32_t* input1,
               const int32_t* input2, int32_t* output);
void sub_int8(const BroadcastDesc& d, const AddSubQuantParams& p, const int8_t* input1, const int8_t* input2,
              int8_t* output);
void sub_int16(const BroadcastDesc& d, const AddSubQuantParams& p, const int16_t* input1, const int16_t* input2,
               int16_t* output);

}  // namespace reference
}  // namespace mote
