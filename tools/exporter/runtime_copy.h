// The runtime as the generated project holds it: the bundled runtime sources
// (runtime_bundle.h) placed where the project kind wants them. An Arduino
// sketch has no include path of ours, so there every `#include "..."` of the
// runtime is rewritten to a path relative to the including file (and, in the
// generated sources, to <mote.h> once the library has been moved).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "tools/exporter/export_context.h"

namespace mote {
namespace exporter {

struct RuntimeFile {
  std::string source;  // path in runtime/
  std::string target;  // path in the project
  std::string text;
};

// Every runtime file at its place in the project (for a sketch: .cpp names
// and relative includes).
std::vector<RuntimeFile> runtime_copy(const Layout& layout);

// Maps an include as written to the project path it means ("" leaves it).
using IncludeResolver = std::function<std::string(const std::string& include)>;
// Rewrites `#include "x"` lines to paths relative to the including file, for
// builds with no include path of ours (Arduino IDE sketches). `resolve` maps
// an include as written, seen from a file, to the project path it means.
std::string rewrite_includes(const std::string& text, const std::string& file_target, const IncludeResolver& resolve);

// For a sketch: the includes of public runtime headers in the app sources
// (file name -> text, in layout.app_dir) work both with the library inside the
// sketch (src/mote, included by relative path) and with it moved to the
// Arduino libraries folder (`<mote.h>`, the library's root header, which
// Arduino's builder finds the library by and adds its src/ to the include path).
void include_runtime_from_sketch(const Layout& layout, const std::vector<RuntimeFile>& runtime,
                                 std::map<std::string, std::string>* app);

}  // namespace exporter
}  // namespace mote
