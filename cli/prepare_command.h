// `mote prepare MODEL -o OUT`: writes the model with every op's per-channel
// requantization constants precomputed into its "mote" metadata, so the
// device reads them from flash instead of computing them into its arena
// (what `mote export` embeds by default; tools/prepared_constants_writer.h).
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace mote {
namespace cli {

struct PrepareOptions {
  std::string model_path;
  std::string output_path;
  bool remove = false;
};

CLI::App* add_prepare_command(CLI::App& app, PrepareOptions& options);

// Returns the exit code; throws UserError for errors the user can fix.
int run_prepare(const PrepareOptions& options);

}  // namespace cli
}  // namespace mote
