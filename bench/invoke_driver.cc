// Runs one model's invoke() for instruction counting (not a benchmark):
//
//   invoke_driver MODEL.tflite [INPUT.bin ...] [--repeat N]
//   valgrind --tool=callgrind --toggle-collect=mote_run_invoke invoke_driver ...
//
// Everything but the invokes themselves (loading, allocate(), one warm-up
// invoke that also resolves lazily bound library calls, refilling the
// inputs) happens outside mote_run_invoke(), so callgrind's count with
// --toggle-collect is the instructions of N invokes. Inputs come from raw
// .bin files (exact size) or, without files, a fixed byte pattern.
// scripts/callgrind-invoke.sh drives it.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "mote/interpreter.h"
#include "mote/op_resolver.h"
#include "mote/ops.h"

namespace {

constexpr size_t kArenaBytes = 4u << 20;
alignas(16) uint8_t g_arena[kArenaBytes];

bool read_file(const char* path, std::vector<uint8_t>* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

void fill_inputs(mote::Interpreter& interp, const std::vector<std::vector<uint8_t>>& inputs) {
  for (size_t i = 0; i < interp.num_inputs(); ++i) {
    mote::TensorView v = interp.input(i);
    if (i < inputs.size()) {
      memcpy(v.data, inputs[i].data(), v.bytes);
    } else {
      for (size_t b = 0; b < v.bytes; ++b) static_cast<uint8_t*>(v.data)[b] = uint8_t(b * 37u + 11u);
    }
  }
}

}  // namespace

// The only function callgrind counts (--toggle-collect=mote_run_invoke).
extern "C" __attribute__((noinline)) int mote_run_invoke(mote::Interpreter* interp) {
  return interp->invoke() == mote::Status::kOk ? 0 : 1;
}

int main(int argc, char** argv) {
  const char* model_path = nullptr;
  std::vector<const char*> input_paths;
  int repeat = 1;
  for (int a = 1; a < argc; ++a) {
    if (strcmp(argv[a], "--repeat") == 0 && a + 1 < argc) {
      repeat = atoi(argv[++a]);
    } else if (model_path == nullptr) {
      model_path = argv[a];
    } else {
      input_paths.push_back(argv[a]);
    }
  }
  if (model_path == nullptr || repeat < 1) {
    fprintf(stderr, "usage: invoke_driver MODEL.tflite [INPUT.bin ...] [--repeat N]\n");
    return 2;
  }

  std::vector<uint8_t> file;
  if (!read_file(model_path, &file)) {
    fprintf(stderr, "invoke_driver: cannot read %s\n", model_path);
    return 1;
  }
  // Constant tensors are read in place and need their natural alignment.
  std::vector<uint64_t> model_words((file.size() + 7) / 8 + 1);
  uint8_t* model = reinterpret_cast<uint8_t*>(model_words.data());
  memcpy(model, file.data(), file.size());

  mote::OpResolver resolver;
  if (mote::register_all_ops(resolver) != mote::Status::kOk) return 1;
  mote::Interpreter interp(model, file.size(), resolver, g_arena, sizeof(g_arena));
  if (interp.allocate() != mote::Status::kOk) {
    fprintf(stderr, "invoke_driver: allocate: %s\n", interp.error_message());
    return 1;
  }
  if (input_paths.size() > interp.num_inputs()) {
    fprintf(stderr, "invoke_driver: %zu input files for %zu inputs\n", input_paths.size(), interp.num_inputs());
    return 1;
  }
  std::vector<std::vector<uint8_t>> inputs(input_paths.size());
  for (size_t i = 0; i < input_paths.size(); ++i) {
    if (!read_file(input_paths[i], &inputs[i]) || inputs[i].size() != interp.input(i).bytes) {
      fprintf(stderr, "invoke_driver: %s: cannot read %zu bytes for input %zu\n", input_paths[i],
              size_t(interp.input(i).bytes), i);
      return 1;
    }
  }

  fill_inputs(interp, inputs);
  if (interp.invoke() != mote::Status::kOk) {  // warm-up, not counted
    fprintf(stderr, "invoke_driver: invoke: %s\n", interp.error_message());
    return 1;
  }
  for (int r = 0; r < repeat; ++r) {
    fill_inputs(interp, inputs);
    interp.reset_state();
    if (mote_run_invoke(&interp) != 0) {
      fprintf(stderr, "invoke_driver: invoke: %s\n", interp.error_message());
      return 1;
    }
  }
  printf("model %s\ninvokes %d\narena_used_bytes %zu\n", model_path, repeat, interp.arena_used_bytes());
  return 0;
}
