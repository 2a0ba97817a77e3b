// The sample data `mote quantize` and `mote eval` read (files and folders of
// .npy/.bin/.csv and images, tools/quantizer/calibration_data.h): the
// preprocessing options both take, and loading with errors a user can act on.
#pragma once

#include <string>
#include <vector>

#include "tools/quantizer/calibration_data.h"

namespace CLI {
class App;
}

namespace mote {
namespace cli {

// --scale / --mean as given (empty: the loader's defaults) and --color.
struct SampleDataOptions {
  std::string scale, mean;
  std::string color = "auto";
};

void add_sample_data_options(CLI::App* cmd, SampleDataOptions* options);

// The loader's options with --scale, --mean and --color applied, the data
// named by `purpose` in its messages (tools::CalibrationOptions::purpose);
// throws UserError for a value that is not a number list.
tools::CalibrationOptions sample_loader_options(const SampleDataOptions& options, const std::string& purpose);

// tools::load_calibration_data(); an error becomes a UserError "<what>:
// <error>" whose hint lists the model's inputs (each "'name' <value_type>[shape]")
// and points to `mote <command> --help`.
std::vector<tools::Sample> load_samples(const std::vector<std::string>& paths,
                                        const std::vector<tools::InputSpec>& inputs,
                                        const tools::CalibrationOptions& options, const std::string& what,
                                        const std::string& value_type, const char* command,
                                        std::vector<tools::DataPreprocessing>* preprocessing);

// A --help footer: `data_help` (tools::data_files_help() or the like) and
// `rest`, a blank line between them.
std::string footer_after_data_help(std::string data_help, const std::string& rest);

}  // namespace cli
}  // namespace mote
