// `mote inspect MODEL [--json]`: everything mote knows about a model before
// running it (I/O, operators and their cost, tensors, memory plan, the exact
// arena size to give on the device).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace CLI {
class App;
}

namespace mote {
namespace cli {

struct InspectOptions {
  std::string model_path;
  bool json = false;
};

// Adds the subcommand (options and help) to `app`; `options` is filled when it
// is parsed.
CLI::App* add_inspect_command(CLI::App& app, InspectOptions& options);

// Runs it; returns the exit code.
int run_inspect(const InspectOptions& options);

// The whole report as one JSON document (the --json output). Throws UserError
// when the model can't be loaded. `allocated` tells whether the interpreter
// could allocate the model (the document then has the memory plan).
nlohmann::json inspect_report(const std::string& model_path, bool* allocated);

}  // namespace cli
}  // namespace mote
