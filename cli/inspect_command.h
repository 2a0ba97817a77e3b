// `mote inspect MODEL [--json]`: everything mote knows about a model before
// running it (I/O, operators and their cost, tensors, memory plan, the exact
// arena size to give on the device).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "mote/interpreter.h"

namespace CLI {
class App;
}

namespace mote {
namespace cli {

struct InspectOptions {
  std::string model_path;
  bool json = false;
  std::string patch = "auto";  // off, auto or rows per strip (--patch)
};

// --patch's text as interpreter options; throws UserError for anything but
// off, auto or a positive whole number.
PatchOptions parse_patch_option(const std::string& text);

// Adds the subcommand (options and help) to `app`; `options` is filled when it
// is parsed.
CLI::App* add_inspect_command(CLI::App& app, InspectOptions& options);

// Runs it; returns the exit code.
int run_inspect(const InspectOptions& options);

// The whole report as one JSON document (the --json output). Throws UserError
// when the model can't be loaded. `allocated` tells whether the interpreter
// could allocate the model (the document then has the memory plan).
// `patch`: how allocate() may run the first stage patch by patch.
nlohmann::json inspect_report(const std::string& model_path, bool* allocated, const PatchOptions& patch = {});

}  // namespace cli
}  // namespace mote
