// The int8 dot product of `depth` (a positive multiple of 16) values at x
// and w through ACCX: two instructions per 16 products, a fused
// multiply-accumulate-and-load and a load. Returns ACCX's low 32 bits: the
// exact sum modulo 2^32 (ACCX holds 40 bits; depth <= 2^25 never saturates).
#pragma once

#include <stdint.h>

#include "kernels/pie/pie.h"

namespace mote {
namespace pie {

template <bool kXAligned, bool kWAligned>
inline uint32_t dot_s8(Core& core, const int8_t* x, const int8_t* w, int32_t depth) {
  core.zero_accx();
  if constexpr (kXAligned && kWAligned) {
    core.vld_128_ip<0, 16>(x);
    core.vld_128_ip<1, 16>(w);
    for (int32_t k = 16; k < depth; k += 16) {
      core.vmulas_s8_accx_ld_ip<0, 16, 0, 1>(x);
      core.vld_128_ip<1, 16>(w);
    }
    core.vmulas_s8_accx<0, 1>();
  } else {
    for (int32_t k = 0; k < depth; k += 16) {
      load_16<kXAligned, 0, 2>(core, x);
      load_16<kWAligned, 1, 3>(core, w);
      core.vmulas_s8_accx<0, 1>();
    }
  }
  return core.rur_accx_0();
}

}  // namespace pie
}  // namespace mote
