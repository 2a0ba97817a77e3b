#include "mote/build_config.h"

#include "kernels/optimized/selection.h"

namespace mote {

bool optimized_kernels_enabled() { return optimized::kEnabled; }

}  // namespace mote
