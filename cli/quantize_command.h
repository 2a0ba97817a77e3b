// `mote quantize FLOAT.tflite -o INT8.tflite --calibration PATH...`: post-training
// full-integer (int8) quantization with a representative dataset, and a report of
// where accuracy is lost.
#pragma once

#include <stdint.h>

#include <string>
#include <vector>

#include "cli/data_options.h"

namespace CLI {
class App;
}

namespace mote {
namespace cli {

struct QuantizeCommandOptions {
  std::string model_path;
  std::string output_path;
  std::vector<std::string> calibration;  // files / directories (NAME=PATH for multi-input models)
  std::vector<std::string> eval;         // held-out data for the report (default: the calibration data)
  int samples = -1;                      // <= 0: all
  std::string input_type = "int8";
  std::string output_type = "int8";
  bool per_channel_fc = false;
  std::string method = "minmax";
  double percentile = 99.99;
  std::string report_path;
  int report_rows = 15;
  std::string task = "auto";
  bool random = false;
  uint32_t seed = 1;
  SampleDataOptions preprocessing;  // --scale, --mean, --color
};

CLI::App* add_quantize_command(CLI::App& app, QuantizeCommandOptions& options);

// Returns the exit code; throws UserError for errors the user can fix.
int run_quantize(const QuantizeCommandOptions& options);

}  // namespace cli
}  // namespace mote
