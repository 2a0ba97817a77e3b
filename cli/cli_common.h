// Pieces shared by the mote subcommands: loading a model file, running the
// interpreter over a host arena, and reporting errors with a hint.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <memory>
#include <string>
#include <vector>

#include "mote/interpreter.h"
#include "mote/model.h"
#include "mote/op_resolver.h"
#include "tools/common/host_interpreter.h"
#include "tools/common/user_error.h"

namespace mote {
namespace cli {

// Exit codes of every subcommand.
constexpr int kExitOk = 0;
constexpr int kExitError = 1;  // the model, an input file or the runtime failed
constexpr int kExitUsage = 2;  // bad command line

// main() prints a UserError's message and hint and exits with kExitError.
using tools::UserError;

// Prints "mote: error: <message>" and "  hint: <hint>" to stderr.
void print_error(const std::string& message, const std::string& hint = std::string());
// Prints "mote: warning: <message>" to stderr.
void print_warning(const std::string& message);

using tools::AlignedBuffer;
using tools::HostInterpreter;

// A .tflite file read into 16-byte aligned memory (constant tensors are read
// in place and need their natural alignment).
struct ModelFile {
  std::string path;
  AlignedBuffer data;
  size_t size = 0;
  Model model;  // loaded (validated) view of `data`
};

// Reads and validates the model; throws UserError (file missing, not a
// .tflite, truncated, ...).
std::unique_ptr<ModelFile> load_model_file(const std::string& path);
// The bytes of a model file load_model_file() accepts (for the tools that
// rewrite or re-read the model: quantize, eval).
std::vector<uint8_t> read_model_bytes(const std::string& path);

// host.allocate(), or a UserError "cannot allocate '<file path>': <error>"
// with allocate_hint(); for the commands that need a running model.
Interpreter& allocated(HostInterpreter& host, const ModelFile& file);

// What to tell the user after allocate() failed with `error`.
std::string allocate_hint(const std::string& error);

// Throws UserError when `path` cannot be a file to write: its folder is
// missing, or it is a folder. `what` names it ("report").
void check_writable_path(const std::string& path, const char* what);

// Lower-case file extension including the dot (".npy"), or "".
std::string extension_of(const std::string& path);

// Writes `bytes` to path + ".tmp" and renames it over `path`; the temporary
// file is removed on any failure.
void write_atomically(const std::string& path, const std::vector<uint8_t>& bytes);

}  // namespace cli
}  // namespace mote
