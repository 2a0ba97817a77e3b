#include "mote/op_resolver.h"

#include <string.h>

namespace mote {

static bool same_custom_name(const char* registered, fb::Bytes name) {
  if (registered == nullptr) return false;
  size_t n = strlen(registered);
  return n == name.size && memcmp(registered, name.data, n) == 0;
}

Status OpResolver::add(const OpRegistration& registration) {
  fb::Bytes name{reinterpret_cast<const uint8_t*>(registration.custom_name),
                 registration.custom_name ? strlen(registration.custom_name) : 0};
  if (find(registration.builtin_code, name) != nullptr) return Status::kError;
  if (count_ >= kCapacity) return Status::kError;
  regs_[count_++] = &registration;
  return Status::kOk;
}

const OpRegistration* OpResolver::find(int32_t builtin_code, fb::Bytes custom_name) const {
  for (int i = 0; i < count_; ++i) {
    const OpRegistration* r = regs_[i];
    if (r->builtin_code != builtin_code) continue;
    if (builtin_code == int32_t(schema::BuiltinOp::kCustom) && !same_custom_name(r->custom_name, custom_name)) continue;
    return r;
  }
  return nullptr;
}

}  // namespace mote
