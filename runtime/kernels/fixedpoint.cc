#include "kernels/fixedpoint.h"

#include <math.h>

namespace mote {
namespace fixedpoint {

void quantize_multiplier(double real, int32_t* multiplier, int* shift) {
  if (real == 0.0 || !isfinite(real)) {
    *multiplier = 0;
    *shift = 0;
    return;
  }
  int exponent = 0;
  const double fraction = frexp(real, &exponent);
  int64_t q = int64_t(round(fraction * double(int64_t(1) << 31)));
  if (q == (int64_t(1) << 31)) {
    q /= 2;
    ++exponent;
  }
  if (exponent < -31) {
    exponent = 0;
    q = 0;
  }
  *multiplier = int32_t(q);
  *shift = exponent;
}

void quantize_multiplier_smaller_than_one(double real, int32_t* multiplier, int* shift) {
  quantize_multiplier(real, multiplier, shift);
}

int32_t round_to_int32(float x) { return int32_t(roundf(x)); }

}  // namespace fixedpoint
}  // namespace mote
