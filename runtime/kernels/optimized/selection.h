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

// `optimized_kernel` in a normal build, `reference_kernel` in a
// reference-only one. Ops wrap the optimized kernels they call from eval in
// it, so that a reference-only build does not link them (prepare never picks
// them there; this only drops the code).
template <typename Kernel>
constexpr Kernel unless_reference_only(Kernel optimized_kernel, Kernel reference_kernel) {
  return kEnabled ? optimized_kernel : reference_kernel;
}

}  // namespace optimized
}  // namespace mote
