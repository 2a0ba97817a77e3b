// The runtime's source files, compiled into the mote binary at build time
// (runtime_bundle.cmake), so `mote export` needs no source tree and exports
// exactly the runtime the binary runs on the host.
#pragma once

#include <stddef.h>

namespace mote {
namespace exporter {

struct BundledFile {
  const char* path;  // relative to runtime/, e.g. "include/mote/interpreter.h"
  const char* text;
  size_t size;
};

// Every bundled file, sorted by path.
const BundledFile* runtime_files(size_t* count);

}  // namespace exporter
}  // namespace mote
