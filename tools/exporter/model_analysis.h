// What the exporter needs to know about a model, computed on the host with
// the same runtime the device runs: the exact arena size, the ops to register
// and the inputs/outputs.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <string>
#include <vector>

#include "mote/tensor.h"
#include "tools/common/user_error.h"

namespace mote {
namespace exporter {

struct ModelOp {
  std::string name;      // "CONV_2D"
  std::string function;  // "conv_2d": mote::ops::conv_2d()
  int32_t nodes = 0;
  int32_t max_version = 0;
};

struct ModelTensor {
  std::string name;
  DType type = DType::kFloat32;
  std::vector<int32_t> shape;
  uint32_t bytes = 0;
  bool quantized = false;
  bool per_channel = false;
  float scale = 0;
  int32_t zero_point = 0;
};

struct ModelAnalysis {
  size_t model_bytes = 0;
  std::string sha256;
  std::string description;
  uint32_t num_operators = 0;
  int64_t total_macs = 0;
  size_t arena_bytes = 0;        // Interpreter::arena_used_bytes(), what `mote inspect` prints
  size_t arena_planned_bytes = 0;
  size_t arena_persistent_bytes = 0;
  size_t plain_arena_bytes = 0;  // the same model without its "mote" metadata (= arena_bytes when it has none)
  std::vector<ModelOp> ops;      // sorted by name
  std::vector<ModelTensor> inputs;
  std::vector<ModelTensor> outputs;
};

// Loads, checks and allocates the model (`data` must be 16-byte aligned).
// Also allocates it a second time with a resolver holding only `ops`, in an
// arena of exactly `arena_bytes`, which is what the generated firmware does.
// Throws tools::UserError when the model can't run on mote (corrupt file, custom
// or missing op, prepare failure).
ModelAnalysis analyze_model(const uint8_t* data, size_t size);

}  // namespace exporter
}  // namespace mote
