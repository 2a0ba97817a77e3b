// `mote export MODEL --target esp32s3 --format idf|platformio|arduino --out DIR`:
// writes a ready-to-build project that runs the model on an ESP32-S3 (see
// tools/exporter/exporter.h and docs/deploy-esp32s3.md).
#pragma once

#include <string>

#include "cli/run_inputs.h"
#include <vector>

namespace CLI {
class App;
}

namespace mote {
namespace cli {

struct ExportCommandOptions {
  std::string model_path;
  std::string target = "esp32s3";
  std::string format = "idf";
  std::string framework = "espidf";
  std::string out_dir;
  std::string name;
  std::string arena = "auto";
  long long internal_budget = -1;  // -1: the exporter's default
  std::vector<std::string> samples;
  InputPreprocessing preprocessing;  // for images and float data given as --sample
  std::string embed = "array";
  std::string psram_mode = "oct";
  bool plain_model = false;
};

CLI::App* add_export_command(CLI::App& app, ExportCommandOptions& options);

// Returns the exit code; throws UserError for errors the user can fix.
int run_export(const ExportCommandOptions& options);

}  // namespace cli
}  // namespace mote
