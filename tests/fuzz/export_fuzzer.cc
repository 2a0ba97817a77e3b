// Treats the fuzzer's bytes as an int8 .tflite model and runs `mote export`
// on it into a scratch folder (emptied every run). The input's size picks the
// project format, the embedding and the arena placement, so the seeds cover
// every option. Only std::runtime_error (ExportError and I/O errors, messages
// for the user) may come out.
#include <stdint.h>

#include <stdexcept>

#include "tests/fuzz/scratch_dir.h"
#include "tools/exporter/exporter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace ex = mote::exporter;
  static const mote_fuzz::ScratchDir scratch;
  static const ex::Format kFormats[] = {ex::Format::kEspIdf, ex::Format::kPlatformIo, ex::Format::kArduino};
  static const ex::ArenaPlacement kArenas[] = {ex::ArenaPlacement::kAuto, ex::ArenaPlacement::kInternal,
                                               ex::ArenaPlacement::kPsram};
  scratch.clear();
  ex::ExportOptions options;
  options.model_path = scratch.write("model.tflite", data, size);
  options.out_dir = scratch.path() + "/project";
  options.format = kFormats[size % 3];
  options.framework = size / 3 % 2 ? ex::Framework::kArduino : ex::Framework::kEspIdf;
  options.embed = options.format != ex::Format::kArduino && size / 6 % 2 ? ex::Embed::kFile : ex::Embed::kArray;
  options.arena = kArenas[size / 12 % 3];
  try {
    ex::export_project(options);
  } catch (const std::runtime_error&) {
  }
  return 0;
}
