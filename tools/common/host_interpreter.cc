#include "tools/common/host_interpreter.h"

#include <string.h>

#include <new>

#include "mote/ops.h"

namespace mote {
namespace tools {

constexpr std::align_val_t kAlignment{16};

void AlignedFree::operator()(uint8_t* p) const { ::operator delete[](p, kAlignment); }

AlignedBuffer aligned_buffer(size_t bytes) {
  return AlignedBuffer(static_cast<uint8_t*>(::operator new[](bytes == 0 ? 1 : bytes, kAlignment)));
}

HostInterpreter::HostInterpreter(const uint8_t* model, size_t size) : model_(model), size_(size) {
  register_all_ops(resolver_);
}

Status HostInterpreter::allocate(const PatchOptions& patch, const MemoryOptions& memory) {
  // The arena is only touched as far as the model needs, so a big one costs
  // address space, not memory. Retry once with more for huge models.
  const size_t sizes[] = {size_t(64) << 20, size_t(1) << 30};
  Status status = Status::kError;
  for (size_t bytes : sizes) {
    arena_ = aligned_buffer(bytes);
    interpreter_ = std::make_unique<Interpreter>(model_, size_, resolver_, arena_.get(), bytes);
    interpreter_->set_channel_constants_observer(constants_observer_, constants_observer_user_);
    interpreter_->set_patch_options(patch);
    interpreter_->set_memory_options(memory);
    status = interpreter_->allocate();
    if (ok(status) || strncmp(interpreter_->error_message(), "arena", 5) != 0) break;
  }
  return status;
}

}  // namespace tools
}  // namespace mote
