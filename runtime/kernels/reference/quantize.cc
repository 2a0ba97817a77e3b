#include "kernels/reference/quantize.h"

#include <math.h>

#include <limits>

#include "kernels/fixedpoint.h"

namespace mote {
namespace reference {

namespace {

template <typename T>
void quantize_float(int32_t size, float scale, int32_t zero_point, const float* input, T* output) {
  const int32_t lo = std::numeric_limits<T>::min();
  const int32_t hi = std::numeric_limits<T>::max();
  for (int32_t i = 0; i < size; ++i) {
    const float r = roundf(input[i] / scale);
    int32_t q;
    if (r >= 2147483648.0f) {
      q = hi;
    } else if (!(r >= -2147483648.0f)) {
      q = lo;
    } else {
      const int64_t shifted = int64_t(r) + zero_point;
      q = shifted < lo ? lo : (shifted > hi ? hi : int32_t(shifted));
    }
    output[i] = T(q);
  }
}

}  // namespace

void quantize_float_to_int8(int32_t size, float scale, int32_t zero_point, const float* input, int8_t* output) {
  quantize_float(size, scale, zero_point, input, output);
}

void quantize_float_to_uint8(int32_t size, float scale, int32_t zero_point, const float* input, uint8_t* output) {
  quantize_float(size, scale, zero_point, input, output);
}

void quantize_float_to_int16(int32_t size, float scale, int32_t zero_point, const float* input, int16_t* output) {
  quantize_float(size, scale, zero_point, input, output);
}

template <typename In, typename Out>
void requantize(int32_t size, const RequantizeParams& p, const In* input, Out* output) {
  const int32_t lo = std::numeric_limits<Out>::min();
  const int32_t hi = std::numeric_limits<Out>::max();
  for (int32_t i = 0; i < size; ++i) {
    const int32_t x = int32_t(uint32_t(int32_t(input[i])) - uint32_t(p.input_zero_point));
    const int32_t q = fixedpoint::multiply_by_quantized_multiplier(x, p.multiplier, p.shift) + p.output_zero_point;
    output[i] = Out(q < lo ? lo : (q > hi ? hi : q));
  }
}

// The pairs TFLite Micro's QUANTIZE supports.
template void requantize(int32_t, const RequantizeParams&, const int8_t*, int8_t*);
template void requantize(int32_t, const RequantizeParams&, const int8_t*, uint8_t*);
template void requantize(int32_t, const RequantizeParams&, const uint8_t*, int8_t*);
template void requantize(int32_t, const RequantizeParams&, const int8_t*, int16_t*);
template void requantize(int32_t, const RequantizeParams&, const int8_t*, int32_t*);
template void requantize(int32_t, const RequantizeParams&, const int16_t*, int8_t*);
template void requantize(int32_t, const RequantizeParams&, const int16_t*, int16_t*);
template void requantize(int32_t, const RequantizeParams&, const int16_t*, int32_t*);
template void requantize(int32_t, const RequantizeParams&, const int32_t*, int8_t*);
template void requantize(int32_t, const RequantizeParams&, const int32_t*, int16_t*);

}  // namespace reference
}  // namespace mote
