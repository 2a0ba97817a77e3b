// mote command line: subcommand wiring and error reporting.
#include <stdio.h>

#include <CLI/CLI.hpp>
#include <string>

#include "cli/bench_command.h"
#include "cli/cli_common.h"
#include "cli/eval_command.h"
#include "cli/export_command.h"
#include "cli/inspect_command.h"
#include "cli/prepare_command.h"
#include "cli/quantize_command.h"
#include "cli/run_command.h"

#ifndef MOTE_VERSION
#define MOTE_VERSION "unknown"
#endif

namespace {

const char* const kOverview =
    "mote: run TensorFlow Lite models on microcontrollers (ESP32-S3), and check them on your PC first.\n"
    "The host commands use the same runtime (same kernels, same arena layout) as the device.";

const char* const kExamples =
    "Examples:\n"
    "  mote inspect person_detect.tflite          ops, cost, tensors, memory plan, arena size\n"
    "  mote inspect person_detect.tflite --json   the same as one JSON document\n"
    "  mote run person_detect.tflite -i image.bin -o scores.npy\n"
    "  mote quantize model_float.tflite -o model_int8.tflite --calibration data/   int8 + accuracy report\n"
    "  mote export person_detect.tflite --format idf --out pd   ESP32-S3 project, ready to flash\n"
    "  mote prepare person_detect.tflite -o pd.tflite   per-channel constants into the model (less arena)\n"
    "  mote bench person_detect.tflite --repeat 50   time per node and op type, invokes/s\n"
    "  mote eval vww_float.tflite vww_int8.tflite --data photos/ --labels-from-folders --html eval.html\n"
    "                                             accuracy of both, confusion matrix, HTML with pictures\n"
    "\n"
    "Run `mote COMMAND --help` for the options and examples of one command.\n"
    "Exit status: 0 ok, 1 error (model, input file, runtime), 2 bad command line.";

}  // namespace

int main(int argc, char** argv) {
  using namespace mote::cli;
  CLI::App app(kOverview, "mote");
  app.set_version_flag("--version", std::string("mote ") + MOTE_VERSION);
  app.require_subcommand(1, 1);
  app.footer(kExamples);
  app.get_formatter()->column_width(28);

  InspectOptions inspect_options;
  RunOptions run_options;
  ExportCommandOptions export_options;
  QuantizeCommandOptions quantize_options;
  BenchOptions bench_options;
  EvalOptions eval_options;
  PrepareOptions prepare_options;
  CLI::App* inspect = add_inspect_command(app, inspect_options);
  CLI::App* run = add_run_command(app, run_options);
  CLI::App* export_cmd = add_export_command(app, export_options);
  CLI::App* quantize = add_quantize_command(app, quantize_options);
  CLI::App* bench = add_bench_command(app, bench_options);
  CLI::App* eval = add_eval_command(app, eval_options);
  CLI::App* prepare = add_prepare_command(app, prepare_options);

  if (argc <= 1) {
    fputs(app.help().c_str(), stderr);
    return kExitUsage;
  }
  const std::string first = argv[1];
  if (!first.empty() && first[0] != '-' && first != "inspect" && first != "run" && first != "export" &&
      first != "quantize" && first != "bench" && first != "eval" && first != "prepare") {
    print_error("unknown command '" + first + "'",
                "the commands are `inspect`, `run`, `export`, `quantize`, `bench`, `eval` and `prepare`; see "
                "`mote --help`");
    return kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForVersion& e) {
    printf("%s\n", e.what());
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    std::string help = "mote --help";
    if (inspect->parsed()) help = "mote inspect --help";
    if (run->parsed()) help = "mote run --help";
    if (export_cmd->parsed()) help = "mote export --help";
    if (quantize->parsed()) help = "mote quantize --help";
    if (bench->parsed()) help = "mote bench --help";
    if (eval->parsed()) help = "mote eval --help";
    if (prepare->parsed()) help = "mote prepare --help";
    print_error(e.what(), "see `" + help + "` for usage and examples");
    return kExitUsage;
  }

  try {
    if (inspect->parsed()) return run_inspect(inspect_options);
    if (run->parsed()) return run_run(run_options);
    if (export_cmd->parsed()) return run_export(export_options);
    if (quantize->parsed()) return run_quantize(quantize_options);
    if (bench->parsed()) return run_bench(bench_options);
    if (eval->parsed()) return run_eval(eval_options);
    if (prepare->parsed()) return run_prepare(prepare_options);
  } catch (const UserError& e) {
    print_error(e.what(), e.hint());
    return kExitError;
  } catch (const std::exception& e) {
    print_error(std::string("unexpected error: ") + e.what(),
                "this is probably a bug in mote; please report it with the command line you used");
    return kExitError;
  }
  return kExitUsage;
}
