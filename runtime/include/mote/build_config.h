// How this copy of the runtime was built, for tools that report it.
#pragma once

namespace mote {

// False when the runtime was built to run only the reference kernels (CMake
// option MOTE_REFERENCE_KERNELS, ESP-IDF Kconfig MOTE_REFERENCE_KERNELS_ONLY);
// then every op runs its reference kernel. The results are the same bytes.
bool optimized_kernels_enabled();

}  // namespace mote
