// `mote export`: writes a ready-to-build ESP32-S3 project for one model
// (ESP-IDF, PlatformIO or an Arduino sketch) with the runtime copied in, the
// model in flash, the exact arena size, a resolver with only the model's ops
// and a main that runs the model and prints outputs, latency and arena use.
//
// Board-specific calls live in one small seam (mote_platform.h: time, console,
// PSRAM allocation, delay) so every other generated file is plain C++ that any
// GCC compiles.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <string>
#include <vector>

#include "tools/exporter/model_analysis.h"
#include "tools/exporter/project_writer.h"

namespace mote {
namespace exporter {

enum class Format { kEspIdf, kPlatformIo, kArduino };
enum class Framework { kEspIdf, kArduino };  // PlatformIO's framework
enum class ArenaPlacement { kInternal, kPsram, kAuto };
enum class Embed { kArray, kFile };
enum class PsramMode { kOctal, kQuad };

// Internal RAM the ESP32-S3 leaves to an application: ~300 KiB of DRAM are
// free for static data and heap in a typical ESP-IDF 5 app. --arena auto keeps
// 100 KiB of that for stacks, heap and Wi-Fi/Bluetooth buffers, so arenas up to
// 200 KiB go to internal SRAM and larger ones to PSRAM.
constexpr size_t kEsp32S3UsableDramBytes = 300 * 1024;
constexpr size_t kEsp32S3DramReserveBytes = 100 * 1024;
constexpr size_t kEsp32S3InternalArenaBudget = kEsp32S3UsableDramBytes - kEsp32S3DramReserveBytes;

// One --sample: the input tensor's bytes as read from `file`.
struct InputSample {
  std::string file;
  std::vector<uint8_t> bytes;
  std::string how;  // "" or how the file was converted (e.g. an image quantized)
};

struct ExportOptions {
  std::string model_path;
  std::string target = "esp32s3";
  Format format = Format::kEspIdf;
  Framework framework = Framework::kEspIdf;
  std::string out_dir;
  std::string name;  // empty: the name of the output folder
  ArenaPlacement arena = ArenaPlacement::kAuto;
  size_t internal_budget = kEsp32S3InternalArenaBudget;
  std::vector<InputSample> samples;  // one per model input, in order (fewer: the rest get zeros)
  Embed embed = Embed::kArray;
  PsramMode psram_mode = PsramMode::kOctal;
  // Write the ops' per-channel constants into the model's "mote" metadata
  // (tools/prepared_constants_writer.h), read from flash instead of the arena.
  bool prepared_constants = true;
  std::string mote_version = "unknown";
};

struct ExportResult {
  std::string name;        // project / sketch name
  std::string identifier;  // C++ namespace of the generated model API
  std::string out_dir;
  std::string app_dir;     // folder of the generated sources, relative ("main", "src")
  ModelAnalysis model;
  bool arena_in_psram = false;
  std::string arena_reason;  // why the arena goes where it goes
  std::vector<std::string> warnings;
  std::vector<FileAction> files;
  std::string next_steps;  // commands to build and flash
};

// Throws tools::UserError (bad options, unusable model, sample mismatch) or
// std::runtime_error (I/O).
ExportResult export_project(const ExportOptions& options);

const char* format_name(Format format);

// "person-detect" from "models/person-detect": a valid project/sketch name
// (letters, digits, '_', '-', '.'; starts with a letter or digit; at most 63).
bool valid_project_name(const std::string& name);
// "person_detect": a C++ identifier for the namespace of the model API.
std::string identifier_from_name(const std::string& name);

}  // namespace exporter
}  // namespace mote
