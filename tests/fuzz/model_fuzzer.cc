// Treats the fuzzer's bytes as a .tflite file: load, allocate with every op
// registered, and invoke with a fixed input pattern. Any crash, sanitizer
// report or hang is a bug in mote's checks.
#include <stdint.h>
#include <string.h>

#include <memory>

#include "mote/interpreter.h"
#include "mote/op_resolver.h"
#include "mote/ops.h"

namespace {
const mote::OpResolver& resolver() {
  static mote::OpResolver r = [] {
    mote::OpResolver x;
    mote::register_all_ops(x);
    return x;
  }();
  return r;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // An exactly sized copy (malloc gives 16-byte alignment): reads past the end
  // are caught and constant data keeps the alignment a real model has.
  std::unique_ptr<uint8_t[]> model(new uint8_t[size ? size : 1]);
  if (size) memcpy(model.get(), data, size);
  static uint8_t arena[512 * 1024] __attribute__((aligned(16)));
  mote::Interpreter interp(model.get(), size, resolver(), arena, sizeof(arena));
  if (interp.allocate() != mote::Status::kOk) return 0;
  for (size_t i = 0; i < interp.num_inputs(); ++i) {
    mote::TensorView v = interp.input(i);
    if (v.data) memset(v.data, 0x5a, v.bytes);
  }
  interp.invoke();
  return 0;
}
