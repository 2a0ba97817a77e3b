// Writes the "mote" metadata entry (runtime/include/mote/prepared_constants.h)
// into a .tflite: every op's per-channel requantization constants, in the
// form the host build's kernels read them, so a device reads them in place
// from flash instead of computing them into its arena. `mote prepare` and
// `mote export` use it.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <vector>

namespace mote {
namespace tools {

struct PreparedModel {
  std::vector<uint8_t> bytes;  // the .tflite with the entry (or the plain model when no op has constants)
  int nodes_with_constants = 0;
  size_t constant_bytes = 0;  // bytes of arrays moved out of the arena
};

// The model without a "mote" entry, then with one computed by the host
// runtime. Throws UserError when the model does not load or allocate on mote.
PreparedModel add_prepared_constants(const uint8_t* model, size_t size);

// The model with its "mote" entry (if any) removed: what the device needs
// without precomputed constants.
std::vector<uint8_t> remove_prepared_constants(const uint8_t* model, size_t size);

// True when the model has a "mote" metadata entry.
bool has_prepared_constants(const uint8_t* model, size_t size);

}  // namespace tools
}  // namespace mote
