// `mote eval FLOAT.tflite [INT8.tflite] --data PATH... --labels FILE|--labels-from-folders`:
// accuracy and confusion matrix (classification), error against targets
// (regression) or against the input (reconstruction) of one or two models on
// labelled data, as text, JSON and HTML (tools/eval/).
#pragma once

#include <string>
#include <vector>

#include "cli/data_options.h"

namespace CLI {
class App;
}

namespace mote {
namespace cli {

struct EvalOptions {
  std::string model;         // the reference (the float model when two are given)
  std::string second_model;  // optional, e.g. the int8 model
  std::vector<std::string> data;    // files / folders (NAME=PATH for multi-input models)
  std::string labels;               // a labels file
  bool labels_from_folders = false;
  std::string classes;  // class names in output order: "a,b,c" or a file
  std::string task = "auto";
  int output = 0;
  int samples = -1;
  std::string json_path, html_path;
  SampleDataOptions preprocessing;  // --scale, --mean, --color
};

CLI::App* add_eval_command(CLI::App& app, EvalOptions& options);

// Returns the exit code; throws UserError for errors the user can fix.
int run_eval(const EvalOptions& options);

}  // namespace cli
}  // namespace mote
