// Running a model on the host (CLI commands, quantizer, exporter): memory
// aligned like a device's, and an interpreter with every mote op over an
// arena large enough for any model.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <memory>

#include "mote/interpreter.h"
#include "mote/op_resolver.h"

namespace mote {
namespace tools {

// 16-byte aligned bytes: constant tensors are read in place and need their
// natural alignment, as the arena does.
struct AlignedFree {
  void operator()(uint8_t* p) const;
};
using AlignedBuffer = std::unique_ptr<uint8_t[], AlignedFree>;
AlignedBuffer aligned_buffer(size_t bytes);

class HostInterpreter {
 public:
  // `model` must be 16-byte aligned and outlive this object.
  HostInterpreter(const uint8_t* model, size_t size);
  // kOk or the interpreter's error (see error_message()). `patch`: whether
  // the first stage runs patch by patch (Interpreter::set_patch_options);
  // `memory`: what the planner may share (Interpreter::set_memory_options).
  Status allocate(const PatchOptions& patch = {}, const MemoryOptions& memory = {});
  // Passed on to the interpreter before allocate() (see
  // Interpreter::set_channel_constants_observer).
  void set_channel_constants_observer(Interpreter::ChannelConstantsObserver observer, void* user) {
    constants_observer_ = observer;
    constants_observer_user_ = user;
  }
  Interpreter& interpreter() { return *interpreter_; }
  const Interpreter& interpreter() const { return *interpreter_; }
  const OpResolver& resolver() const { return resolver_; }
  const char* error_message() const { return interpreter_->error_message(); }

 private:
  const uint8_t* model_;
  size_t size_;
  OpResolver resolver_;
  AlignedBuffer arena_;
  std::unique_ptr<Interpreter> interpreter_;
  Interpreter::ChannelConstantsObserver constants_observer_ = nullptr;
  void* constants_observer_user_ = nullptr;
};

}  // namespace tools
}  // namespace mote
