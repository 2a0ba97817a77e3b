// `mote run MODEL --input FILE... [--output FILE...]`: runs one inference on
// the host with the same runtime that runs on the device, and shows/saves the
// outputs.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace mote {
namespace cli {

struct RunOptions {
  std::string model_path;
  std::vector<std::string> inputs;   // one per model input, in model order
  std::vector<std::string> outputs;  // output j goes to outputs[j]
  int values_shown = 16;
};

CLI::App* add_run_command(CLI::App& app, RunOptions& options);

// Returns the exit code; throws UserError for errors the user can fix.
int run_run(const RunOptions& options);

}  // namespace cli
}  // namespace mote
