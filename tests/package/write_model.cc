// Writes a one-layer int8 model with mote::tools' model builder: y = W x with
// unit scales and zero offsets, so the outputs are exact integers
// (x = 1 2 3 4 gives y = 1 2 10).
#include <stdio.h>

#include <vector>

#include "tools/model_builder.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: write_model OUT.tflite\n");
    return 2;
  }
  using mote::DType;
  using namespace mote::tools;
  const std::vector<int8_t> weights = {1, 0, 0, 0,  //
                                       0, 1, 0, 0,  //
                                       1, 1, 1, 1};
  ModelBuilder b;
  const int in = b.add_tensor({"x", DType::kInt8, {1, 4}, {1.0f}, {0}});
  const int w = b.add_tensor(TensorSpec::constant<int8_t>("w", DType::kInt8, {3, 4}, weights, {1.0f}, {0}));
  const int out = b.add_tensor({"y", DType::kInt8, {1, 3}, {1.0f}, {0}});
  b.add_operator(mote::schema::BuiltinOp::kFullyConnected, {in, w, -1}, {out},
                 Options(mote::schema::OptionsType::kFullyConnected)
                     .i8(mote::schema::fully_connected_options::fused_activation_function, 0),
                 /*version=*/4);
  b.set_inputs({in});
  b.set_outputs({out});
  const std::vector<uint8_t> bytes = b.serialize();
  FILE* f = fopen(argv[1], "wb");
  if (!f || fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size() || fclose(f) != 0) {
    fprintf(stderr, "cannot write %s\n", argv[1]);
    return 1;
  }
  return 0;
}
