// Reader of the shared conformance data (../shared/conformance, layout in its
// README.md): per model its manifest.json, the per-tensor dump of sample 0
// (tensors/index.json) and the sequence of consecutive invokes
// (sequence/sequence.json). The one place that knows those files' fields, for
// the conformance test, the invoke benchmark and the device embedding tool.
// Every file name it returns is a full path. Throws std::runtime_error naming
// the file when one is missing or malformed.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <string>
#include <vector>

namespace mote {
namespace tools {

// A model input or output as the manifest lists it.
struct ConformanceTensor {
  int32_t index = -1;  // in subgraph 0's tensors
  std::string name;
  std::string dtype;   // "int8", "float32", ...
  std::vector<int32_t> shape;
  size_t bytes = 0;
};

// One set of input files and the reference output files for them.
struct ConformanceSample {
  std::vector<std::string> inputs;   // one per model input, in order
  std::vector<std::string> outputs;  // one per model output, in order
};

// A variable (state) tensor's reference bytes.
struct ConformanceState {
  int32_t tensor = -1;
  std::string file;
};

// One step of a sequence: its inputs, then the outputs and state after the
// (s+1)-th consecutive invoke on one interpreter.
struct ConformanceStep {
  ConformanceSample sample;
  std::vector<ConformanceState> state_after;
};

struct ConformanceModel {
  std::string name;        // folder name, e.g. "mnist_lstm_int8"
  std::string dir;         // conformance/<name>
  std::string model_file;  // models/<model_file>
  bool reference_ok = false;    // false when the reference runtime refused the model
  std::string reference_error;  // its reason then
  std::vector<std::string> ops;  // subgraph 0, execution order; custom ops as "CUSTOM:<name>"
  std::vector<ConformanceTensor> inputs, outputs;
  std::vector<ConformanceSample> samples;
  int64_t reference_arena_ilp32 = -1;  // TFLM's arena_used_bytes on ILP32, -1 when not given

  bool has_custom_ops() const;
  bool has_sequence() const;
};

// The per-tensor dump of sample 0's first invoke (tensors/).
struct ConformanceDump {
  struct Node {
    int32_t node = -1;
    std::string op;
    std::vector<int32_t> inputs, outputs;  // -1 = omitted optional input
  };
  struct Tensor {
    int32_t index = -1;
    std::string name, dtype;
    bool is_variable = false;
    std::string file;  // empty when not written
  };
  std::vector<Node> nodes;      // execution order
  std::vector<Tensor> tensors;  // the non-constant ones
  const Tensor* find(int32_t index) const;
};

// Models with a manifest.json under <shared>/conformance, sorted by name.
std::vector<std::string> conformance_model_names(const std::string& shared_dir);
// Those of them with a sequence/ folder.
std::vector<std::string> conformance_sequence_names(const std::string& shared_dir);
ConformanceModel read_conformance_model(const std::string& shared_dir, const std::string& name);
ConformanceDump read_conformance_dump(const ConformanceModel& model);
// The steps of sequence/; empty when the model has none.
std::vector<ConformanceStep> read_conformance_sequence(const ConformanceModel& model);

}  // namespace tools
}  // namespace mote
