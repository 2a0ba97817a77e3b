// The runtime as the generated project holds it: the bundled runtime sources
// (runtime_bundle.h) placed where the project kind wants them. An Arduino
// sketch has no include path of ours, so there every `#include "..."` is
// rewritten to a path relative to the including file.
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

// For a sketch: rewrites the includes of the app sources (file name -> text,
// in layout.app_dir) that name public runtime headers to relative paths.
void include_runtime_relatively(const Layout& layout, const std::vector<RuntimeFile>& runtime,
                                std::map<std::string, std::string>* app);

}  // namespace exporter
}  // namespace mote
