// README "Using the runtime from C++", made a program: loads MODEL.tflite,
// fills input 0 with 1, 2, 3, ..., invokes, prints output 0 as integers.
#include <stdint.h>
#include <stdio.h>

#include <vector>

#include "mote/interpreter.h"
#include "mote/ops.h"

constexpr size_t ARENA_BYTES = 4096;

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: run_model MODEL.tflite\n");
    return 2;
  }
  std::vector<uint8_t> model;
  FILE* f = fopen(argv[1], "rb");
  if (!f) {
    fprintf(stderr, "cannot open %s\n", argv[1]);
    return 1;
  }
  for (int c; (c = fgetc(f)) != EOF;) model.push_back(static_cast<uint8_t>(c));
  fclose(f);
  const uint8_t* model_data = model.data();
  const size_t model_size = model.size();

  mote::OpResolver resolver;
  resolver.add(mote::ops::conv_2d());            // only the ops the model uses,
  resolver.add(mote::ops::fully_connected());    // or mote::register_all_ops(resolver)
  alignas(16) static uint8_t arena[ARENA_BYTES]; // ARENA_BYTES: from `mote inspect`
  mote::Interpreter interp(model_data, model_size, resolver, arena, sizeof(arena));
  if (interp.allocate() != mote::Status::kOk) {
    printf("%s\n", interp.error_message());
    return 1;
  }
  int8_t* in = interp.input_data<int8_t>(0);
  for (size_t i = 0; i < static_cast<size_t>(interp.input(0).num_elements()); ++i) in[i] = static_cast<int8_t>(i + 1);
  if (interp.invoke() != mote::Status::kOk) {
    printf("%s\n", interp.error_message());
    return 1;
  }
  const int8_t* out = interp.output_data<int8_t>(0);
  for (size_t i = 0; i < static_cast<size_t>(interp.output(0).num_elements()); ++i) printf("%s%d", i ? " " : "", out[i]);
  printf("\n");
  return 0;
}
