// Pieces shared by the mote subcommands: loading a model file, running the
// interpreter over a host arena, and reporting errors with a hint.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <memory>
#include <new>
#include <stdexcept>
#include <string>

#include "mote/interpreter.h"
#include "mote/model.h"
#include "mote/op_resolver.h"
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

struct AlignedFree {
  void operator()(uint8_t* p) const { ::operator delete[](p, std::align_val_t(16)); }
};
using AlignedBuffer = std::unique_ptr<uint8_t[], AlignedFree>;
AlignedBuffer aligned_buffer(size_t bytes);

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

// An interpreter with every mote op registered, over an arena large enough for
// any model, for host-side use.
class HostInterpreter {
 public:
  explicit HostInterpreter(const ModelFile& file);
  // kOk or the interpreter's error (see error_message()).
  Status allocate();
  // allocate(), or a UserError "cannot allocate '<model path>': <error>"
  // with allocate_hint(); for the commands that need a running model.
  Interpreter& allocated();
  Interpreter& interpreter() { return *interpreter_; }
  const Interpreter& interpreter() const { return *interpreter_; }
  const OpResolver& resolver() const { return resolver_; }
  const char* error_message() const { return interpreter_->error_message(); }

 private:
  const ModelFile& file_;
  OpResolver resolver_;
  AlignedBuffer arena_;
  std::unique_ptr<Interpreter> interpreter_;
};

// What to tell the user after allocate() failed with `error`.
std::string allocate_hint(const std::string& error);

// Lower-case file extension including the dot (".npy"), or "".
std::string extension_of(const std::string& path);

}  // namespace cli
}  // namespace mote
