// Maps the operator codes of a model to OpRegistrations. Fixed capacity, no
// heap: sized for the ops one model uses.
#pragma once

#include <stdint.h>

#include "mote/flatbuffer.h"
#include "mote/op.h"

namespace mote {

class OpResolver {
 public:
  static constexpr int kCapacity = 48;

  // kError if the resolver is full or the op is already registered.
  Status add(const OpRegistration& registration);
  // nullptr when nothing is registered for the code (and custom name).
  const OpRegistration* find(int32_t builtin_code, fb::Bytes custom_name) const;
  int size() const { return count_; }
  const OpRegistration& at(int i) const { return *regs_[i]; }

 private:
  const OpRegistration* regs_[kCapacity] = {};
  int count_ = 0;
};

}  // namespace mote
