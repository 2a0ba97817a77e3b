#include "cli/quantize_command.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>

#include "cli/cli_common.h"
#include "cli/data_options.h"
#include "cli/option_checks.h"
#include "cli/progress.h"
#include "tools/common/text_table.h"
#include "tools/quantizer/calibration_data.h"
#include "tools/quantizer/input_range_check.h"
#include "tools/quantizer/op_rules.h"
#include "tools/quantizer/preprocessing_metadata.h"
#include "tools/quantizer/quantize_report.h"
#include "tools/quantizer/quantizer.h"

namespace mote {
namespace cli {
namespace {

namespace fs = std::filesystem;
namespace q = tools::quantizer;

const char* const kHelpFooter =
    "What it does (TFLite's int8 scheme, as TensorFlow's converter with a representative dataset):\n"
    "  1. runs the float model with mote's float kernels over the calibration samples and records\n"
    "     the range of every activation (--calibration-method: minmax = TensorFlow's running\n"
    "     min/max; percentile = clip |x| at --percentile; mse = the clip with the least error);\n"
    "  2. activations int8 asymmetric (zero exactly representable); weights int8 symmetric,\n"
    "     per channel for CONV_2D / DEPTHWISE_CONV_2D, per tensor for FULLY_CONNECTED (unless\n"
    "     --per-channel-fc); biases int32; SOFTMAX/LOGISTIC 1/256, TANH 1/128; LSTM cell state\n"
    "     int16; standard operator versions, so TFLite and TFLM run the result unchanged;\n"
    "  3. runs both models on the samples (or --eval data) and reports the SQNR of every tensor,\n"
    "     worst first, and per output the metric of its task (--task): top-1 agreement for a\n"
    "     classifier (SOFTMAX output), the error against the input for an output the size of an\n"
    "     input (autoencoder: reconstruction), MSE and max |error| otherwise (regression).\n"
    "A hybrid model (float activations with int8 weights) is dequantized first. Already\n"
    "quantized models and operators without an int8 recipe are refused with the node named.\n"
    "The output file is written only when everything succeeded (never half-written).\n"
    "\n"
    "Examples:\n"
    "  mote quantize sine_float.tflite -o sine_int8.tflite --calibration x_train.npy\n"
    "  mote quantize kws_float.tflite -o kws_int8.tflite --calibration feats/ --samples 200 \\\n"
    "      --report kws_report.html\n"
    "  mote quantize vww_float.tflite -o vww_int8.tflite --calibration photos/ --scale 1/255 \\\n"
    "      --input-type uint8 --eval holdout/\n"
    "  mote quantize model.tflite -o model_int8.tflite --calibration data.npy --input-type float \\\n"
    "      --output-type float --calibration-method mse --report report.json\n"
    "  mote quantize model.tflite -o smoke.tflite --random --samples 20   (smoke test: ranges are wrong)\n"
    "\n"
    "Exit status: 0 ok, 1 error (model, data, unsupported op), 2 bad command line.";

// Breaks text at spaces into lines of at most `width` characters, indenting
// continuation lines by two spaces.
std::string wrap(const std::string& text, size_t width) {
  std::string result, line;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      result += line + "\n";
      line = "  " + word;
    } else {
      line += (line.empty() ? "" : " ") + word;
    }
    start = end + 1;
  }
  return result + line;
}

void print_summary(const QuantizeCommandOptions& o, const q::FloatModel& fm, const q::QuantizedModel& qm,
                   const tools::QuantizeReport& report, int eval_samples, bool held_out) {
  std::string ops;
  int op_count = 0;
  for (const auto& [name, count] : qm.quantized_ops) {
    ops += (ops.empty() ? "" : ", ") + name + (count > 1 ? " x" + std::to_string(count) : "");
    op_count += count;
  }
  printf("\nQuantized %s -> %s\n", o.model_path.c_str(), o.output_path.c_str());
  printf("  calibration   %s over %d sample%s\n", q::method_name(q::parse_method(o.method)), qm.calibration.samples,
         qm.calibration.samples == 1 ? "" : "s");
  if (fm.dequantized_constants > 0 || fm.folded_dequantize_ops > 0)
    printf("  hybrid input  %d quantized/float16 constant%s dequantized to float32 first\n",
           fm.dequantized_constants + fm.folded_dequantize_ops,
           fm.dequantized_constants + fm.folded_dequantize_ops == 1 ? "" : "s");
  printf("  operators     %d quantized: %s\n", op_count, ops.c_str());
  if (qm.io_ops > 0 || qm.requantize_ops > 0)
    printf("  added         %d QUANTIZE/DEQUANTIZE at the model inputs/outputs, %d requantizing QUANTIZE\n", qm.io_ops,
           qm.requantize_ops);
  for (const tools::DataPreprocessing& p : report.calibration_data)
    printf("  data          calibration %s\n", p.to_string().c_str());
  for (const tools::DataPreprocessing& p : report.evaluation_data)
    printf("  data          evaluation %s\n", p.to_string().c_str());
  printf("  model I/O     inputs %s, outputs %s\n", o.input_type.c_str(), o.output_type.c_str());
  printf("  size          %s -> %s\n", tools::bytes_string(int64_t(fm.original_bytes)).c_str(),
         tools::bytes_string(int64_t(qm.bytes.size())).c_str());
  printf("  agreement     on %d %s sample%s:\n", eval_samples, held_out ? "held-out" : "calibration",
         eval_samples == 1 ? "" : "s");
  for (const tools::OutputQuality& out : report.outputs)
    printf("    '%s' (%s: %s): %s\n", out.name.c_str(), out.task.c_str(), out.task_reason.c_str(),
           tools::output_metric_text(out).c_str());
}

}  // namespace

CLI::App* add_quantize_command(CLI::App& app, QuantizeCommandOptions& options) {
  CLI::App* cmd = app.add_subcommand(
      "quantize", "Quantize a float .tflite model to int8 with representative data, and report the accuracy");
  cmd->add_option("MODEL", options.model_path, "The float32 .tflite model")->required()->type_name("");
  cmd->add_option("-o,--output", options.output_path, "Where to write the int8 .tflite model")
      ->required()
      ->type_name("FILE");
  cmd->add_option("-c,--calibration", options.calibration,
                  "Representative data: files or folders (.npy .bin .csv .png .bmp .jpg)")
      ->type_name("PATH")
      ->expected(1, -1);
  cmd->add_option("--eval", options.eval, "Held-out data for the report (same formats); default: the calibration data")
      ->type_name("PATH")
      ->expected(1, -1);
  cmd->add_option("-n,--samples", options.samples, "Use at most N calibration samples (default: all)")
      ->type_name("N")
      ->check(whole_number(1, "--samples 200"));
  const std::vector<std::string> io_types = {"int8", "uint8", "float", "float32"};
  cmd->add_option("--input-type", options.input_type, "Model input type: int8 (default), uint8 or float")
      ->type_name("TYPE")
      ->check(CLI::IsMember(io_types));
  cmd->add_option("--output-type", options.output_type, "Model output type: int8 (default), uint8 or float")
      ->type_name("TYPE")
      ->check(CLI::IsMember(io_types));
  cmd->add_flag("--per-channel-fc", options.per_channel_fc,
                "Quantize FULLY_CONNECTED weights per channel (default: per tensor, as TensorFlow)");
  cmd->add_option("--calibration-method", options.method, "minmax (default, TensorFlow's), percentile or mse")
      ->type_name("METHOD")
      ->check(CLI::IsMember({"minmax", "percentile", "mse"}));
  cmd->add_option("--percentile", options.percentile, "Percentile of |x| kept by --calibration-method percentile")
      ->type_name("P")
      ->check(real_number(0.0, false, 100.0, "--percentile 99.99"));
  cmd->add_option("--task", options.task,
                  "What the outputs are, for the verdict's metric: auto (default: SOFTMAX -> classification, "
                  "the size of an input -> reconstruction, else regression), classification, regression, "
                  "reconstruction")
      ->type_name("TASK")
      ->check(CLI::IsMember({"auto", "classification", "regression", "reconstruction"}));
  cmd->add_option("--report", options.report_path, "Write the accuracy report as JSON (.json) or HTML (.html)")
      ->type_name("FILE");
  cmd->add_option("--report-rows", options.report_rows, "Tensors shown in the printed table (default 15)")
      ->type_name("N")
      ->check(whole_number(0, "--report-rows 40"));
  cmd->add_flag("--random", options.random,
                "Calibrate on uniform random data in [-1, 1] (smoke tests only: the ranges will be wrong)");
  cmd->add_option("--seed", options.seed, "Seed for --random")
      ->type_name("N")
      ->check(whole_number(0, UINT32_MAX, "--seed 7"));
  add_sample_data_options(cmd, &options.preprocessing);
  cmd->footer(footer_after_data_help(tools::calibration_data_help(), std::string(kHelpFooter) + "\n\n" +
                                     wrap("Supported operators: " + q::supported_op_names() + ".", 96)));
  return cmd;
}

int run_quantize(const QuantizeCommandOptions& o) {
  // Command-line checks first, before any work.
  q::RewriteOptions rewrite;
  q::CalibrationSettings settings;
  q::OutputTask task = q::OutputTask::kAuto;
  try {
    rewrite.input_type = q::parse_io_type(o.input_type);
    rewrite.output_type = q::parse_io_type(o.output_type);
    settings.method = q::parse_method(o.method);
    task = q::parse_task(o.task);
  } catch (const UserError& e) {
    throw UserError(e.what(), "see `mote quantize --help`");
  }
  rewrite.per_channel_fc = o.per_channel_fc;
  settings.percentile = o.percentile;
  if (o.calibration.empty() && !o.random)
    throw UserError("no calibration data given",
                    "pass --calibration PATH... with a few hundred representative inputs (see `mote quantize "
                    "--help`); --random exists for smoke tests only");
  if (!o.calibration.empty() && o.random)
    throw UserError("--random and --calibration exclude each other", "drop --random to calibrate on your data");
  if (fs::absolute(o.output_path).lexically_normal() == fs::absolute(o.model_path).lexically_normal())
    throw UserError("the output file is the input model", "write the int8 model to another file");
  check_writable_path(o.output_path, "model");
  if (!o.report_path.empty()) {
    const std::string ext = extension_of(o.report_path);
    if (ext != ".json" && ext != ".html" && ext != ".htm")
      throw UserError("don't know which format to write the report '" + o.report_path + "' in",
                      "name it *.json or *.html");
    check_writable_path(o.report_path, "report");
  }
  tools::CalibrationOptions data_options = sample_loader_options(o.preprocessing, "calibration");
  data_options.max_samples = o.samples;
  data_options.random = o.random;
  data_options.seed = o.seed;

  const q::FloatModel float_model = q::prepare_float_model(read_model_bytes(o.model_path));
  const std::vector<tools::InputSpec> inputs = q::input_specs(float_model);
  std::vector<tools::DataPreprocessing> calibration_data, evaluation_data;
  const std::vector<tools::Sample> samples =
      load_samples(o.calibration, inputs, data_options, "calibration data", "float32", "quantize", &calibration_data);
  std::vector<tools::Sample> eval_samples;
  if (!o.eval.empty()) {
    tools::CalibrationOptions eval_options = data_options;
    eval_options.max_samples = -1;
    eval_options.random = false;
    eval_options.purpose = "evaluation";
    eval_samples = load_samples(o.eval, inputs, eval_options, "--eval data", "float32", "quantize", &evaluation_data);
  }
  const std::vector<std::string> range_warnings =
      o.random ? std::vector<std::string>() : q::check_input_ranges(float_model, samples);
  for (const std::string& w : range_warnings) print_warning(w);

  Progress progress;
  q::QuantizeOptions options;
  options.rewrite = rewrite;
  options.calibration = settings;
  options.calibration.progress = [&](const std::string& phase, int done, int total) { progress(phase, done, total); };
  if (!o.random)
    options.metadata.emplace_back(tools::kPreprocessingMetadataName, tools::preprocessing_metadata(calibration_data));
  const q::QuantizedModel quantized = q::quantize_model(float_model, samples, options);
  const bool held_out = !eval_samples.empty();
  tools::QuantizeReport report =
      q::evaluate_quantization(float_model, quantized, held_out ? eval_samples : samples, options.calibration.progress,
                               task);
  report.float_model = o.model_path;
  report.quantized_model = o.output_path;
  report.method = q::method_name(settings.method);
  report.calibration_samples = quantized.calibration.samples;
  report.held_out = held_out;
  report.calibration_data = calibration_data;
  report.evaluation_data = evaluation_data;
  report.warnings = range_warnings;

  if (!o.report_path.empty()) {
    try {
      tools::write_report(report, o.report_path);
    } catch (const std::exception& e) {
      throw UserError(std::string("cannot write the report: ") + e.what());
    }
  }
  write_atomically(o.output_path, quantized.bytes);

  printf("%s", tools::report_to_text(report, o.report_rows).c_str());
  print_summary(o, float_model, quantized, report, report.evaluation_samples, held_out);
  for (const std::string& w : range_warnings) printf("  warning       %s\n", w.c_str());
  if (!o.report_path.empty()) printf("  report        %s\n", o.report_path.c_str());
  return kExitOk;
}

}  // namespace cli
}  // namespace mote
