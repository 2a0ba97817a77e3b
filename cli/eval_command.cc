#include "cli/eval_command.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <CLI/CLI.hpp>
#include <fstream>

#include "cli/cli_common.h"
#include "cli/data_options.h"
#include "cli/option_checks.h"
#include "cli/progress.h"
#include "tools/common/shapes.h"
#include "tools/eval/eval_labels.h"
#include "tools/eval/eval_report.h"
#include "tools/eval/model_evaluation.h"
#include "tools/quantizer/calibration_data.h"
#include "tools/quantizer/graph.h"
#include "tools/quantizer/output_task.h"

namespace mote {
namespace cli {
namespace {

namespace q = tools::quantizer;
namespace ev = tools::eval;

const char* const kHelpFooter =
    "Labels:\n"
    "  --labels FILE         one label per line, in sample order: files sorted by path, then the\n"
    "                        samples inside a file (.npy batch entries, .csv rows); blank lines and\n"
    "                        lines starting with # are skipped\n"
    "  --labels-from-folders a sample's label is its sub-folder of --data (data/cat/1.png: cat)\n"
    "  Class labels are indices into the output (0, 1, ...) or names; names are sorted (the order of\n"
    "  Keras' image_dataset_from_directory) unless --classes gives the model's order. A regression\n"
    "  label is the output's target value(s), comma-separated. Reconstruction (an output the size of\n"
    "  an input, e.g. an autoencoder) needs no labels: the error is against the input (labels given\n"
    "  are not used, with a note).\n"
    "  Without labels, two models are still compared with each other.\n"
    "\n"
    "The task of the output (--task auto): SOFTMAX (or LOGISTIC over several values) -> classification\n"
    "(accuracy, confusion matrix), the size of an input -> reconstruction (per-sample MSE, its\n"
    "percentiles and histogram), anything else -> regression (MSE, mean and max |error|): the same\n"
    "detection as the verdict of `mote quantize`.\n"
    "\n"
    "Examples:\n"
    "  mote eval vww_float.tflite vww_int8.tflite --data photos/ --labels-from-folders --html eval.html\n"
    "  mote eval kws_int8.tflite --data feats.npy --labels labels.txt --classes yes,no,up,down --json eval.json\n"
    "  mote eval ae_float.tflite ae_int8.tflite --data frames.npy          (autoencoder: no labels)\n"
    "  mote eval sine_int8.tflite --data x.npy --labels y.txt --task regression\n"
    "\n"
    "Exit status: 0 ok, 1 error (model, data, labels), 2 bad command line.";

int64_t elements(const std::vector<int32_t>& shape) {
  int64_t n = 1;
  for (int32_t d : shape) n *= d;
  return n;
}

std::string tensor_text(const q::Graph& g, int32_t t) {
  return "'" + g.tensors[size_t(t)].name + "' " + tools::shape_text(g.tensors[size_t(t)].shape);
}

// The second model must take the same inputs and give the judged output the same size.
void check_same_interface(const q::Graph& first, const q::Graph& second, const std::string& first_path,
                          const std::string& second_path, size_t output) {
  const std::string hint = "give the float model and its quantized version (or evaluate each alone)";
  if (first.inputs.size() != second.inputs.size())
    throw UserError("'" + first_path + "' has " + std::to_string(first.inputs.size()) + " inputs, '" + second_path +
                        "' has " + std::to_string(second.inputs.size()),
                    hint);
  for (size_t i = 0; i < first.inputs.size(); ++i)
    if (elements(first.tensors[size_t(first.inputs[i])].shape) != elements(second.tensors[size_t(second.inputs[i])].shape))
      throw UserError("input " + std::to_string(i) + " differs: " + tensor_text(first, first.inputs[i]) + " in '" +
                          first_path + "', " + tensor_text(second, second.inputs[i]) + " in '" + second_path + "'",
                      hint);
  if (second.outputs.size() <= output ||
      elements(first.tensors[size_t(first.outputs[output])].shape) !=
          elements(second.tensors[size_t(second.outputs[output])].shape))
    throw UserError("output " + std::to_string(output) + " differs between '" + first_path + "' and '" +
                        second_path + "'",
                    hint);
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw UserError("cannot write '" + path + "': " + strerror(errno));
  out << text;
  out.close();
  if (!out) throw UserError("cannot write '" + path + "': " + strerror(errno), "is the disk full?");
}

}  // namespace

CLI::App* add_eval_command(CLI::App& app, EvalOptions& options) {
  CLI::App* cmd = app.add_subcommand(
      "eval", "Accuracy of a float and/or int8 model on labelled data: confusion matrix, regression or "
              "reconstruction error");
  cmd->add_option("MODEL", options.model, "The .tflite model (the float one when two are given)")
      ->required()
      ->type_name("");
  cmd->add_option("MODEL2", options.second_model,
                  "Optional second model (e.g. the int8 one): evaluated too and compared with MODEL")
      ->type_name("");
  cmd->add_option("-d,--data", options.data, "Samples: files or folders (.npy .bin .csv .png .bmp .jpg)")
      ->required()
      ->expected(1, -1)
      ->type_name("PATH");
  CLI::Option* labels =
      cmd->add_option("-l,--labels", options.labels, "Labels file: one label per line, in sample order")
          ->type_name("FILE");
  CLI::Option* folders = cmd->add_flag("--labels-from-folders", options.labels_from_folders,
                                       "Label each sample with its sub-folder of --data (data/CLASS/file)");
  labels->excludes(folders);
  cmd->add_option("--classes", options.classes,
                  "Class names in the model's output order: a,b,c or a file with one per line")
      ->type_name("NAMES|FILE");
  cmd->add_option("--task", options.task,
                  "What the output is: auto (default), classification, regression, reconstruction")
      ->type_name("TASK")
      ->check(CLI::IsMember({"auto", "classification", "regression", "reconstruction"}));
  cmd->add_option("--output", options.output, "Index of the output to judge (default 0)")
      ->type_name("N")
      ->check(whole_number(0, "--output 1"));
  cmd->add_option("-n,--samples", options.samples, "Use at most the first N samples (default: all)")
      ->type_name("N")
      ->check(whole_number(1, "--samples 500"));
  cmd->add_option("--json", options.json_path, "Write the report as JSON")->type_name("FILE");
  cmd->add_option("--html", options.html_path, "Write the report as a self-contained HTML page with pictures")
      ->type_name("FILE");
  add_sample_data_options(cmd, &options.preprocessing);
  cmd->footer(footer_after_data_help(tools::data_files_help("Data", "--data"), kHelpFooter));
  return cmd;
}

int run_eval(const EvalOptions& o) {
  const q::OutputTask forced = q::parse_task(o.task);
  for (const std::string& path : {o.json_path, o.html_path})
    if (!path.empty()) check_writable_path(path, "report");
  tools::CalibrationOptions data_options = sample_loader_options(o.preprocessing, "evaluation");
  data_options.max_samples = o.samples;
  data_options.warn_few_samples = false;
  const bool has_labels = !o.labels.empty() || o.labels_from_folders;
  if (!o.classes.empty() && !has_labels)
    throw UserError("--classes names the classes of labels, but no labels were given",
                    "add --labels FILE or --labels-from-folders");

  std::vector<ev::EvalModel> models;
  std::vector<q::Graph> graphs;
  std::vector<std::string> paths = {o.model};
  if (!o.second_model.empty()) paths.push_back(o.second_model);
  for (const std::string& path : paths) {
    models.push_back({path, read_model_bytes(path)});
    graphs.push_back(q::read_graph(models.back().bytes.data(), models.back().bytes.size()));
  }
  const q::Graph& g = graphs[0];
  const size_t output = size_t(o.output);
  if (output >= g.outputs.size())
    throw UserError("--output " + std::to_string(output) + ": '" + o.model + "' has " +
                        std::to_string(g.outputs.size()) + " output" + (g.outputs.size() == 1 ? "" : "s"),
                    "outputs are numbered from 0; `mote inspect MODEL` lists them");
  if (graphs.size() == 2) check_same_interface(g, graphs[1], o.model, o.second_model, output);

  ev::EvalTarget target;
  target.output = output;
  target.kind = q::output_kind(g, output, forced);
  const int32_t out_tensor = g.outputs[output];
  const std::string out_name = g.tensors[size_t(out_tensor)].name;
  const int64_t out_values = elements(g.tensors[size_t(out_tensor)].shape);
  const std::string task = q::task_name(target.kind.task);
  const bool classification = target.kind.task == q::OutputTask::kClassification;
  if (classification && (out_values < 2 || out_values != (g.tensors[size_t(out_tensor)].shape.empty()
                                                              ? 1
                                                              : g.tensors[size_t(out_tensor)].shape.back())))
    throw UserError("output '" + out_name + "' " + tools::shape_text(g.tensors[size_t(out_tensor)].shape) +
                        " is not one row of class scores",
                    "classification needs one score per class in one row; use --task regression for other outputs");
  // An autoencoder's data often comes labelled (e.g. normal/anomalous folders):
  // its error is against the input, so the labels are left unread, with a note.
  const bool use_labels = has_labels && target.kind.task != q::OutputTask::kReconstruction;
  if (has_labels && !use_labels)
    print_warning(std::string(o.labels_from_folders ? "--labels-from-folders" : "--labels") +
                  (o.classes.empty() ? "" : " and --classes") + " not used: output '" + out_name +
                  "' is judged as a reconstruction (" + target.kind.reason +
                  "), whose error is measured against the input" +
                  (forced == q::OutputTask::kAuto
                       ? "; to judge the output against the labels, give --task regression (or --task classification)"
                       : ""));
  if (!has_labels && models.size() == 1 && target.kind.task != q::OutputTask::kReconstruction)
    throw UserError("output '" + out_name + "' is a " + task + " output (" + target.kind.reason +
                        "): evaluating it needs labels",
                    "give --labels FILE (one per line, in sample order) or --labels-from-folders, or a second "
                    "model to compare with");

  std::vector<tools::InputSpec> inputs;
  for (int32_t t : g.inputs) inputs.push_back({g.tensors[size_t(t)].name, g.tensors[size_t(t)].shape});
  std::vector<tools::DataPreprocessing> data;
  const std::vector<tools::Sample> samples = load_samples(o.data, inputs, data_options, "--data", "", "eval", &data);

  ev::EvalReport report;
  if (use_labels) {
    const std::vector<std::pair<std::string, int>>& files = data[0].files;
    const std::vector<std::string> names = ev::sample_names(files);
    std::vector<std::string> labels;
    if (o.labels_from_folders) {
      labels = ev::labels_from_folders(files, o.data);
      std::string folders;
      for (const std::string& d : o.data) folders += (folders.empty() ? "" : ", ") + d;
      report.labels = "sub-folders of " + folders;
    } else {
      labels = ev::read_labels_file(o.labels);
      report.labels = o.labels;
      ev::check_label_count(labels.size(), samples.size(), "the labels file '" + o.labels + "'", files);
    }
    if (classification) {
      const std::vector<std::string> given = o.classes.empty() ? std::vector<std::string>()
                                                                : ev::parse_class_names(o.classes);
      ev::ClassLabels classes = ev::class_labels(labels, given, int(out_values), out_name, names);
      target.classes = int(out_values);
      target.sample_class = std::move(classes.sample_class);
      report.class_names = std::move(classes.class_names);
    } else {
      target.targets = ev::regression_targets(labels, out_values, out_name, names);
    }
  }

  Progress progress;
  report.results = ev::evaluate_models(models, samples, target, [&](const std::string& phase, int done, int total) {
    progress(phase, done, total);
  });
  report.task = task;
  report.task_reason = target.kind.reason;
  report.output_name = out_name;
  report.output_index = output;
  report.output_values = out_values;
  if (target.kind.reconstructs >= 0)
    report.reconstructs = "input '" + g.tensors[size_t(g.inputs[size_t(target.kind.reconstructs)])].name + "'";
  report.samples = int(samples.size());
  report.data = data;

  printf("%s", ev::eval_report_text(report).c_str());
  if (!o.json_path.empty()) {
    write_text(o.json_path, ev::eval_report_json(report));
    printf("  report  %s\n", o.json_path.c_str());
  }
  if (!o.html_path.empty()) {
    write_text(o.html_path, ev::eval_report_html(report));
    printf("  report  %s\n", o.html_path.c_str());
  }
  return kExitOk;
}

}  // namespace cli
}  // namespace mote
