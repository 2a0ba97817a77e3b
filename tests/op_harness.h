// Test-side harness shared by all operator tests: runs a serialized model
// (usually built with tools/model_builder.h) through mote::Interpreter with
// every op registered, and returns its outputs.
//
//   RunResult r = run_model(builder.serialize(), {bytes_of<int8_t>({1, 2, 3})});
//   ASSERT_EQ(r.status, mote::Status::kOk) << r.error;
//   EXPECT_EQ(r.output<int8_t>(0), (std::vector<int8_t>{...}));
//
// The arena sits between guard zones filled with a sentinel pattern; a write
// outside the arena is reported as a test failure (ADD_FAILURE). The arena
// itself is filled with a non-zero sentinel before allocate() and, after it,
// everywhere but the persistent section, so a kernel that relies on memory it
// did not clear fails deterministically. After each invoke() every arena byte
// outside the planned buffers (activations, scratch) and the persistent
// section must still hold the sentinel: a kernel writing past its buffer into
// unused space is a test failure that names the buffer it ran past.
#pragma once

#include <gtest/gtest.h>
#include <stdint.h>
#include <string.h>

#include <string>
#include <vector>

#include "mote/status.h"
#include "mote/tensor.h"
#include "tools/model_builder.h"

namespace mote {
class OpResolver;
}

struct RunResult {
  mote::Status status = mote::Status::kError;
  std::string error;  // the interpreter's error message when status != kOk
  std::vector<std::vector<uint8_t>> outputs;
  size_t arena_used = 0;
  std::vector<mote::Shape> output_shapes;
  std::vector<mote::DType> output_types;

  bool ok() const { return status == mote::Status::kOk; }
  // Output i reinterpreted as elements of T (fails the test when the byte
  // count is not a multiple of sizeof(T)).
  template <class T>
  std::vector<T> output(size_t i) const;
};

// Loads the model, allocates, copies `inputs` (one byte vector per model input,
// sizes must match exactly) and invokes once.
RunResult run_model(const std::vector<uint8_t>& model, const std::vector<std::vector<uint8_t>>& inputs,
                    size_t arena_bytes = 1 << 20);

// Same interpreter invoked once per step (for stateful ops: SVDF, LSTM);
// result i holds the outputs after step i. Stops at the first failure.
std::vector<RunResult> run_model_steps(const std::vector<uint8_t>& model,
                                       const std::vector<std::vector<std::vector<uint8_t>>>& steps,
                                       size_t arena_bytes = 1 << 20);

// Both with a given resolver instead of every builtin op (custom test ops).
RunResult run_model_with(const mote::OpResolver& resolver, const std::vector<uint8_t>& model,
                         const std::vector<std::vector<uint8_t>>& inputs, size_t arena_bytes = 1 << 20);
std::vector<RunResult> run_model_steps_with(const mote::OpResolver& resolver, const std::vector<uint8_t>& model,
                                            const std::vector<std::vector<std::vector<uint8_t>>>& steps,
                                            size_t arena_bytes = 1 << 20);

// The arena of the run in progress (nullptr / 0 outside a run); only for
// testing the harness's own overrun detection.
uint8_t* harness_arena();
size_t harness_arena_bytes();

template <class T>
std::vector<uint8_t> bytes_of(const std::vector<T>& values) {
  std::vector<uint8_t> bytes(values.size() * sizeof(T));
  if (!bytes.empty()) memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

template <class T>
std::vector<T> values_of(const std::vector<uint8_t>& bytes) {
  if (bytes.size() % sizeof(T) != 0) {
    ADD_FAILURE() << "values_of: " << bytes.size() << " bytes is not a whole number of " << sizeof(T)
                  << "-byte elements";
    return {};
  }
  std::vector<T> values(bytes.size() / sizeof(T));
  if (!values.empty()) memcpy(values.data(), bytes.data(), bytes.size());
  return values;
}

template <class T>
std::vector<T> RunResult::output(size_t i) const {
  if (i >= outputs.size()) {
    ADD_FAILURE() << "RunResult::output(" << i << "): the run produced " << outputs.size() << " outputs";
    return {};
  }
  return values_of<T>(outputs[i]);
}

// A tensor for a model built in a test: not quantized when scale is 0, else
// with one scale and zero point.
inline mote::tools::TensorSpec tensor(const char* name, mote::DType type, std::vector<int32_t> shape,
                                      float scale = 0.0f, int64_t zp = 0) {
  mote::tools::TensorSpec t;
  t.name = name;
  t.type = type;
  t.shape = std::move(shape);
  if (scale > 0.0f) {
    t.scales = {scale};
    t.zero_points = {zp};
  }
  return t;
}

// Whole file; throws std::runtime_error naming the path when it can't be read.
std::vector<uint8_t> read_file(const std::string& path);

// The shared test data folder: $MOTE_SHARED_DIR if set, else the MOTE_SHARED_DIR
// the tests were configured with.
std::string shared_dir();
// True when shared_dir() exists and holds models/.
bool shared_available();
// True when the environment variable CI is "true".
bool running_in_ci();

// For a test that needs something from outside the repository (the shared
// data, a compiler, a tool) and finds it missing: skips the test with `why`,
// but fails it on CI (CI=true), where a missing dependency is a setup error a
// skip would hide. Every skip of the suite goes through here.
#define MOTE_MISSING_DEPENDENCY(why)                                          \
  do {                                                                        \
    if (running_in_ci()) GTEST_FAIL() << (why) << " (required when CI=true)"; \
    GTEST_SKIP() << (why);                                                    \
  } while (0)

// At the top of a TEST body that needs /work/shared-style data.
#define MOTE_REQUIRE_SHARED()                                                                        \
  do {                                                                                               \
    if (!shared_available())                                                                         \
      MOTE_MISSING_DEPENDENCY("shared test data not found at '" + shared_dir() +                     \
                              "'; configure with -DMOTE_SHARED_DIR=<path> or set MOTE_SHARED_DIR"); \
  } while (0)
