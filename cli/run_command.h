// `mote run MODEL --input FILE... [--output FILE...]`: runs one inference on
// the host with the same runtime that runs on the device, and shows/saves the
// outputs. Given the inputs of several steps (more --input sets, or --steps
// DIR), it runs them one after another on one interpreter, keeping the
// model's state (LSTM/SVDF variable tensors) from step to step.
#pragma once

#include <string>
#include <vector>

#include "cli/run_inputs.h"

namespace CLI {
class App;
}

namespace mote {
namespace cli {

struct RunOptions {
  std::string model_path;
  std::vector<std::string> inputs;   // one per model input, in model order; again per further step
  std::string steps_dir;             // or: a folder of step_<s>_input_<i>.bin/.npy
  std::vector<std::string> outputs;  // output j of step s goes to outputs[s * num_outputs + j]
  std::string output_dir;            // every step's outputs as step_<s>_output_<j>.bin
  int reset_every = 0;               // reset_state() before steps N, 2N, ...; 0 never
  int values_shown = 16;
  bool dequantize = false;              // save quantized outputs as float32 real values
  InputPreprocessing preprocessing;     // images / float data for quantized inputs
};

CLI::App* add_run_command(CLI::App& app, RunOptions& options);

// Returns the exit code; throws UserError for errors the user can fix.
int run_run(const RunOptions& options);

}  // namespace cli
}  // namespace mote
