// `mote bench MODEL [--repeat N] [--json]`: times invoke() on the host with
// the same runtime and kernels as the device: per node and per op type the
// time, its share of the total and the MACs, then the total and invokes/s.
#pragma once

#include <stdint.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace CLI {
class App;
}

namespace mote {
namespace cli {

struct BenchOptions {
  std::string model_path;
  std::vector<std::string> inputs;  // empty: deterministic random inputs
  int repeat = 20;
  int warmup = 2;
  uint32_t seed = 1;
  bool json = false;
};

CLI::App* add_bench_command(CLI::App& app, BenchOptions& options);

// Returns the exit code; throws UserError for errors the user can fix.
int run_bench(const BenchOptions& options);

// The measurements as one JSON document (the --json output).
nlohmann::json bench_report(const BenchOptions& options);

}  // namespace cli
}  // namespace mote
