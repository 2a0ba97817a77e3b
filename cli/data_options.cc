#include "cli/data_options.h"

#include <CLI/CLI.hpp>

#include "cli/cli_common.h"
#include "tools/common/shapes.h"

namespace mote {
namespace cli {

void add_sample_data_options(CLI::App* cmd, SampleDataOptions* options) {
  cmd->add_option("--scale", options->scale, "Input normalisation: value = (x - mean) * scale, e.g. 1/255")
      ->type_name("S[,S...]");
  cmd->add_option("--mean", options->mean, "Input normalisation mean, one value or one per channel")
      ->type_name("M[,M...]");
  cmd->add_option("--color", options->color, "Images: auto (default), gray, rgb or bgr")->type_name("MODE");
}

tools::CalibrationOptions sample_loader_options(const SampleDataOptions& options, const std::string& purpose) {
  tools::CalibrationOptions loader;
  loader.color = options.color;
  loader.purpose = purpose;
  try {
    if (!options.scale.empty()) loader.scale = tools::parse_float_list(options.scale, "--scale");
    if (!options.mean.empty()) loader.mean = tools::parse_float_list(options.mean, "--mean");
  } catch (const std::exception& e) {
    throw UserError(e.what());
  }
  return loader;
}

std::vector<tools::Sample> load_samples(const std::vector<std::string>& paths,
                                        const std::vector<tools::InputSpec>& inputs,
                                        const tools::CalibrationOptions& options, const std::string& what,
                                        const std::string& value_type, const char* command,
                                        std::vector<tools::DataPreprocessing>* preprocessing) {
  try {
    return tools::load_calibration_data(paths, inputs, options, print_warning, preprocessing);
  } catch (const UserError&) {
    throw;
  } catch (const std::exception& e) {
    std::string shapes;
    for (const tools::InputSpec& in : inputs)
      shapes += (shapes.empty() ? "'" : ", '") + in.name + "' " + value_type + tools::shape_text(in.shape);
    throw UserError(what + ": " + e.what(), "the model's input" + std::string(inputs.size() == 1 ? " is " : "s are ") +
                                                shapes + "; see `mote " + command + " --help` for the accepted files");
  }
}

std::string footer_after_data_help(std::string data_help, const std::string& rest) {
  while (!data_help.empty() && data_help.back() == '\n') data_help.pop_back();
  return data_help + "\n\n" + rest;
}

}  // namespace cli
}  // namespace mote
