// Whether the wrappers (kernels/conv_2d.h, depthwise_conv_2d.h) may choose
// the PIE kernels: pie::kSelectable (pie.h) on the ESP32-S3, or on a host
// built with MOTE_PIE_MODEL, where they run through the C++ model.
#pragma once

#include "kernels/optimized/selection.h"
#include "kernels/pie/pie.h"

namespace mote {
namespace pie {

// `pie_kernel` where the PIE kernels can be chosen, else `fallback`, so that
// builds for other cores do not link the PIE kernels (prepare never picks
// them there).
template <typename Kernel>
constexpr Kernel unless_unselectable(Kernel pie_kernel, Kernel fallback) {
  return kSelectable && optimized::kEnabled ? pie_kernel : fallback;
}

}  // namespace pie
}  // namespace mote
