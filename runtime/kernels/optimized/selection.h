// Whether ops may pick optimized kernels in prepare. Building with
// MOTE_REFERENCE_KERNELS_ONLY defined (CMake option MOTE_REFERENCE_KERNELS)
// forces the reference kernels everywhere, to measure one against the other
// on the same code base.
#pragma once

namespace mote {
namespace optimized {

#if defined(MOTE_REFERENCE_KERNELS_ONLY)
constexpr bool kEnabled = false;
#else
constexpr bool kEnabled = true;
#endif

}  // namespace optimized
}  // namespace mote
