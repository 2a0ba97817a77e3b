#include "cli/export_command.h"

#include <stdio.h>

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "cli/cli_common.h"
#include "cli/option_checks.h"
#include "tools/common/text_table.h"
#include "tools/exporter/exporter.h"

#ifndef MOTE_VERSION
#define MOTE_VERSION "unknown"
#endif

namespace mote {
namespace cli {
namespace {

using exporter::FileAction;
using tools::with_commas;

exporter::ExportOptions to_exporter_options(const ExportCommandOptions& o) {
  exporter::ExportOptions e;
  e.model_path = o.model_path;
  e.target = o.target;
  e.format = o.format == "platformio" ? exporter::Format::kPlatformIo
             : o.format == "arduino"  ? exporter::Format::kArduino
                                      : exporter::Format::kEspIdf;
  e.framework = o.framework == "arduino" ? exporter::Framework::kArduino : exporter::Framework::kEspIdf;
  e.out_dir = o.out_dir;
  e.name = o.name;
  e.arena = o.arena == "internal" ? exporter::ArenaPlacement::kInternal
            : o.arena == "psram"  ? exporter::ArenaPlacement::kPsram
                                  : exporter::ArenaPlacement::kAuto;
  if (o.internal_budget >= 0) e.internal_budget = size_t(o.internal_budget);
  e.embed = o.embed == "file" ? exporter::Embed::kFile : exporter::Embed::kArray;
  e.psram_mode = o.psram_mode == "quad" ? exporter::PsramMode::kQuad : exporter::PsramMode::kOctal;
  e.prepared_constants = !o.plain_model;
  e.mote_version = MOTE_VERSION;
  return e;
}

const char* project_kind(const ExportCommandOptions& o) {
  if (o.format == "platformio") return o.framework == "arduino" ? "PlatformIO project (Arduino)" : "PlatformIO project (ESP-IDF)";
  if (o.format == "arduino") return "Arduino sketch";
  return "ESP-IDF project";
}

// --sample files read as `mote run` reads inputs (the tensor's own bytes, or
// float data and images converted with the recorded or given preprocessing).
std::vector<exporter::InputSample> read_samples(const ExportCommandOptions& o) {
  if (o.samples.empty()) return {};
  std::unique_ptr<ModelFile> file = load_model_file(o.model_path);
  const Model& m = file->model;
  if (o.samples.size() > m.num_inputs())
    throw UserError(std::to_string(o.samples.size()) + " --sample files for a model with " +
                        std::to_string(m.num_inputs()) + " input(s)",
                    "give one --sample per input, in input order");
  const InputPreprocessing preprocessing = with_recorded_preprocessing(o.preprocessing, m);
  std::vector<exporter::InputSample> samples;
  for (uint32_t i = 0; i < o.samples.size(); ++i) {
    try {
      ModelInput input = read_model_input(o.samples[i], i, m.tensor(uint32_t(m.input(i))), preprocessing);
      samples.push_back({o.samples[i], std::move(input.bytes), input.how});
    } catch (const UserError& e) {
      throw UserError("--sample for input " + std::to_string(i) + ": " + e.what(), e.hint());
    }
  }
  return samples;
}

void print_report(const ExportCommandOptions& o, const exporter::ExportResult& r) {
  const exporter::ModelAnalysis& m = r.model;
  printf("mote export: %s for %s in %s\n", project_kind(o), o.target.c_str(), r.out_dir.c_str());
  std::string ops;
  for (const exporter::ModelOp& op : m.ops) ops += (ops.empty() ? "" : ", ") + op.name;
  const std::string app = r.app_dir + "/";
  printf("  %-7s %s, %s bytes, %s\n", "model", o.model_path.c_str(), with_commas(int64_t(m.model_bytes)).c_str(),
         o.embed == "file" ? ("embedded from " + app + "model.tflite by " + app + "model_embed.S").c_str()
                           : ("16-byte aligned array in " + app + "model_data").c_str());
  printf("  %-7s %zu: %s (resolver in %smodel_ops)\n", "ops", m.ops.size(), ops.c_str(), app.c_str());
  printf("  %-7s %s bytes (%s::kArenaBytes in %smodel.h, = `mote inspect`)\n", "arena",
         with_commas(int64_t(m.arena_bytes)).c_str(), r.identifier.c_str(), app.c_str());
  if (m.plain_arena_bytes != m.arena_bytes)
    printf("  %-7s per-channel constants precomputed into the model (\"mote\" metadata), read from flash;\n"
           "          the plain .tflite needs %s bytes (--plain-model)\n",
           "", with_commas(int64_t(m.plain_arena_bytes)).c_str());
  printf("  %-7s %s: %s\n", "placed", r.arena_in_psram ? "PSRAM" : "internal SRAM", r.arena_reason.c_str());
  for (const std::string& w : r.warnings) printf("  warning: %s\n", w.c_str());

  int created = 0, updated = 0, unchanged = 0, removed = 0;
  for (const FileAction& a : r.files) {
    switch (a.kind) {
      case FileAction::kCreated: ++created; break;
      case FileAction::kUpdated: ++updated; break;
      case FileAction::kUnchanged: ++unchanged; break;
      case FileAction::kRemoved: ++removed; break;
      default: break;
    }
  }
  printf("  %-7s %d created, %d updated, %d unchanged%s\n", "files", created, updated, unchanged,
         removed ? (", " + std::to_string(removed) + " no longer generated and removed").c_str() : "");
  for (const FileAction& a : r.files) {
    if (a.kind == FileAction::kKeptEdited)
      printf("  kept your edited %s; the new version is %s\n", a.path.c_str(), a.new_version_path.c_str());
    else if (a.kind == FileAction::kKeptForeign)
      printf("  kept %s, which mote did not write; the new version is %s\n", a.path.c_str(),
             a.new_version_path.c_str());
    else if (a.kind == FileAction::kKeptRemoved)
      printf("  kept your edited %s although this export no longer generates it\n", a.path.c_str());
  }
  printf("next: %s\n", r.next_steps.c_str());
}

}  // namespace

CLI::App* add_export_command(CLI::App& app, ExportCommandOptions& options) {
  CLI::App* cmd = app.add_subcommand("export", "Write a ready-to-build ESP32-S3 project (ESP-IDF, PlatformIO, Arduino)");
  cmd->add_option("MODEL", options.model_path, "The .tflite model file")->required()->type_name("");
  cmd->add_option("--target", options.target, "The chip (default esp32s3)")
      ->check(CLI::IsMember({"esp32s3"}))
      ->type_name("CHIP");
  cmd->add_option("--format", options.format, "Project kind: idf (default), platformio, arduino")
      ->check(CLI::IsMember({"idf", "platformio", "arduino"}))
      ->type_name("KIND");
  cmd->add_option("--out", options.out_dir, "Project folder (created; re-export into it to refresh)")
      ->required()
      ->type_name("DIR");
  cmd->add_option("--name", options.name, "Project / sketch name (default: the --out folder's name)")
      ->type_name("NAME");
  cmd->add_option("--framework", options.framework, "With --format platformio: espidf (default) or arduino")
      ->check(CLI::IsMember({"espidf", "arduino"}))
      ->type_name("FW");
  cmd->add_option("--arena", options.arena, "Tensor arena in internal SRAM, PSRAM, or auto (default)")
      ->check(CLI::IsMember({"auto", "internal", "psram"}))
      ->type_name("WHERE");
  cmd->add_option("--internal-budget", options.internal_budget,
                  "With --arena auto: largest arena kept in internal SRAM, bytes, K or M (default 200K)")
      ->transform(byte_size("--internal-budget 200K"))
      ->type_name("BYTES");
  cmd->add_option("--sample", options.samples,
                  "Input data for the generated main, one per input: the tensor's .bin/.npy, or float data and "
                  "images converted as by mote run")
      ->type_name("FILE")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  add_preprocessing_options(cmd, &options.preprocessing);
  cmd->add_option("--embed", options.embed, "Model as a C array (array, default) or the .tflite file (file)")
      ->check(CLI::IsMember({"array", "file"}))
      ->type_name("HOW");
  cmd->add_option("--psram-mode", options.psram_mode, "PSRAM interface when used: oct (default, N8R8) or quad (N8R2)")
      ->check(CLI::IsMember({"oct", "quad"}))
      ->type_name("MODE");
  cmd->add_flag("--plain-model", options.plain_model,
                "Embed the model without mote's precomputed per-channel constants (larger arena)");
  cmd->footer(
      "What it writes (ESP-IDF layout; PlatformIO uses src/ instead of main/):\n"
      "  main/model.h           kArenaBytes (exact, = `mote inspect`), model_data(), add_ops()\n"
      "  main/model_data.cc     the model as a 16-byte aligned array in flash, with the ops'\n"
      "                         per-channel constants precomputed in its \"mote\" metadata\n"
      "                         (read in place from flash: a smaller arena; see `mote prepare`)\n"
      "  main/model_ops.cc      resolver.add(mote::ops::...()) for exactly the model's ops\n"
      "  main/model_runner.cc   fills inputs (--sample, else zeros), invokes, prints outputs,\n"
      "                         latency and arena use: put your own code here\n"
      "  main/main.cc           app_main() (Arduino: NAME.ino with setup() and loop())\n"
      "  main/mote_platform.*   the only board-specific code (clock, console, PSRAM, delay)\n"
      "  sdkconfig.defaults     240 MHz, -O2, flash size, PSRAM when used\n"
      "  components/mote/       the runtime (Arduino: src/mote/, PlatformIO arduino: lib/mote/)\n"
      "\n"
      "Arena placement: the runtime uses one arena. --arena auto keeps it in internal SRAM up to\n"
      "204,800 bytes (~300 KiB of DRAM free in an ESP32-S3 app, minus 100 KiB for stacks, heap\n"
      "and Wi-Fi) and puts larger arenas in PSRAM.\n"
      "\n"
      "Re-running export refreshes the generated files; a file you edited is kept and the new\n"
      "version is written next to it as FILE.mote-new (.mote-export.json records what mote wrote).\n"
      "\n"
      "Examples:\n"
      "  mote export person_detect.tflite --format idf --out person_detect\n"
      "  mote export person_detect.tflite --format platformio --out pd_pio --arena psram\n"
      "  mote export person_detect.tflite --format arduino --out sketches/person_detect --sample img.npy\n"
      "\n"
      "Exit status: 0 ok, 1 error (model, sample file, output folder), 2 bad command line.");
  return cmd;
}

int run_export(const ExportCommandOptions& options) {
  if (options.framework == "arduino" && options.format != "platformio")
    throw UserError("--framework applies to --format platformio only",
                    "--format arduino already means an Arduino sketch; --format idf is ESP-IDF");
  try {
    exporter::ExportOptions export_options = to_exporter_options(options);
    export_options.samples = read_samples(options);
    const exporter::ExportResult result = exporter::export_project(export_options);
    print_report(options, result);
    for (size_t i = 0; i < export_options.samples.size(); ++i) {
      if (!export_options.samples[i].how.empty())
        printf("  sample %zu: %s\n", i, export_options.samples[i].how.c_str());
    }
  } catch (const UserError&) {
    throw;
  } catch (const std::runtime_error& e) {
    throw UserError(e.what());
  }
  return kExitOk;
}

}  // namespace cli
}  // namespace mote
