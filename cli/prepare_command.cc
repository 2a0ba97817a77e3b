#include "cli/prepare_command.h"

#include <stdio.h>
#include <string.h>

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "cli/cli_common.h"
#include "tools/common/text_table.h"
#include "tools/prepared_constants_writer.h"

namespace mote {
namespace cli {
namespace {

using tools::with_commas;

size_t arena_of(const std::vector<uint8_t>& bytes) {
  AlignedBuffer aligned = tools::aligned_buffer(bytes.size());
  memcpy(aligned.get(), bytes.data(), bytes.size());
  HostInterpreter host(aligned.get(), bytes.size());
  if (!ok(host.allocate()))
    throw UserError(std::string("the model does not allocate on mote: ") + host.error_message());
  return host.interpreter().arena_used_bytes();
}

}  // namespace

CLI::App* add_prepare_command(CLI::App& app, PrepareOptions& options) {
  CLI::App* cmd = app.add_subcommand(
      "prepare", "Precompute the ops' per-channel constants into the .tflite (smaller arena on the device)");
  cmd->add_option("MODEL", options.model_path, "The .tflite model file")->required()->type_name("");
  cmd->add_option("-o,--output", options.output_path, "The .tflite to write (may be MODEL itself)")
      ->required()
      ->type_name("FILE");
  cmd->add_flag("--remove", options.remove, "Write the model without mote's metadata instead");
  cmd->footer(
      "mote computes each CONV_2D, DEPTHWISE_CONV_2D and per-channel FULLY_CONNECTED op's requantization\n"
      "multipliers and shifts (8 bytes per output channel) in prepare and keeps them in the arena. This\n"
      "command stores them, in the form mote's kernels read them, in a metadata entry named \"mote\" of the\n"
      "model itself; the device then reads them in place from flash. TFLite and TFLM ignore the entry.\n"
      "`mote export` does this by default (--plain-model to leave it out).\n"
      "\n"
      "On load the runtime checks the entry (version, checksum, bounds, value ranges) and, per op, a hash\n"
      "of the weights, quantization and shapes it was computed from: a corrupt entry, or one left in a\n"
      "model edited afterwards, fails allocate() with a message to run `mote prepare` again. A runtime\n"
      "built with other kernels (MOTE_REFERENCE_KERNELS) computes the constants itself.\n"
      "\n"
      "Examples:\n"
      "  mote prepare person_detect.tflite -o person_detect.mote.tflite\n"
      "  mote inspect person_detect.mote.tflite      arena with the metadata, and without it\n"
      "  mote prepare person_detect.mote.tflite -o plain.tflite --remove\n"
      "\n"
      "Exit status: 0 ok, 1 error (model, output file), 2 bad command line.");
  return cmd;
}

int run_prepare(const PrepareOptions& options) {
  const std::unique_ptr<ModelFile> file = load_model_file(options.model_path);
  check_writable_path(options.output_path, "model");
  const std::vector<uint8_t> plain = tools::remove_prepared_constants(file->data.get(), file->size);
  if (options.remove) {
    write_atomically(options.output_path, plain);
    printf("mote prepare: wrote %s (%s bytes) without mote metadata; arena %s bytes\n", options.output_path.c_str(),
           with_commas(int64_t(plain.size())).c_str(), with_commas(int64_t(arena_of(plain))).c_str());
    return kExitOk;
  }
  const tools::PreparedModel prepared = tools::add_prepared_constants(file->data.get(), file->size);
  write_atomically(options.output_path, prepared.bytes);
  printf("mote prepare: wrote %s (%s bytes)\n", options.output_path.c_str(),
         with_commas(int64_t(prepared.bytes.size())).c_str());
  printf("  constants  %d ops, %s bytes moved from the arena to flash\n", prepared.nodes_with_constants,
         with_commas(int64_t(prepared.constant_bytes)).c_str());
  printf("  arena      %s bytes (the plain model: %s)\n", with_commas(int64_t(arena_of(prepared.bytes))).c_str(),
         with_commas(int64_t(arena_of(plain))).c_str());
  return kExitOk;
}

}  // namespace cli
}  // namespace mote
