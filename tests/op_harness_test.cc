// The op test harness itself, with small custom test ops so it does not
// depend on any builtin kernel being right.
#include "op_harness.h"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include "mote/op.h"
#include "mote/op_resolver.h"
#include "tools/model_builder.h"

namespace {

using mote::DType;
using mote::OpContext;
using mote::Status;
using mote::tools::ModelBuilder;
using mote::tools::Options;
using mote::tools::TensorSpec;
namespace schema = mote::schema;

const int32_t kCustom = int32_t(schema::BuiltinOp::kCustom);

Status prepare_nothing(OpContext&) { return Status::kOk; }

// out[i] = in[i] + 1 (int8).
Status add_one_eval(OpContext& ctx) {
  mote::TensorView in = ctx.input(0);
  mote::TensorView out = ctx.output(0);
  for (int64_t i = 0; i < in.num_elements(); ++i) out.as<int8_t>()[i] = int8_t(in.as<int8_t>()[i] + 1);
  return Status::kOk;
}
const mote::OpRegistration kAddOne = {kCustom, "AddOne", "AddOne", prepare_nothing, add_one_eval};

// state += x; out = state (int32, state is a variable tensor).
Status accumulate_eval(OpContext& ctx) {
  mote::TensorView x = ctx.input(0);
  mote::TensorView state = ctx.input(1);
  mote::TensorView out = ctx.output(0);
  for (int64_t i = 0; i < x.num_elements(); ++i) {
    state.as<int32_t>()[i] += x.as<int32_t>()[i];
    out.as<int32_t>()[i] = state.as<int32_t>()[i];
  }
  return Status::kOk;
}
const mote::OpRegistration kAccumulate = {kCustom, "Accumulate", "Accumulate", prepare_nothing, accumulate_eval};

// Writes one byte just past the end of the arena.
Status overrun_eval(OpContext& ctx) {
  harness_arena()[harness_arena_bytes()] ^= 0xFF;
  return Status::kOk;
}
const mote::OpRegistration kOverrun = {kCustom, "Overrun", "Overrun", prepare_nothing, overrun_eval};

// A faulty kernel: AddOne, then one byte past the end of its output, which
// lands in the alignment gap after that buffer (unused arena).
Status past_output_eval(OpContext& ctx) {
  add_one_eval(ctx);
  mote::TensorView out = ctx.output(0);
  static_cast<uint8_t*>(out.data)[out.bytes] ^= 0xFF;
  return Status::kOk;
}
const mote::OpRegistration kPastOutput = {kCustom, "PastOutput", "PastOutput", prepare_nothing, past_output_eval};

Status failing_eval(OpContext& ctx) { return ctx.fail("asked to fail"); }
const mote::OpRegistration kFail = {kCustom, "Fail", "Fail", prepare_nothing, failing_eval};

mote::OpResolver& test_ops() {
  static mote::OpResolver resolver;
  static bool added = false;
  if (!added) {
    added = true;
    for (const mote::OpRegistration* r : {&kAddOne, &kAccumulate, &kOverrun, &kPastOutput, &kFail}) resolver.add(*r);
  }
  return resolver;
}

std::vector<uint8_t> unary_model(const char* op, DType type, std::vector<int32_t> shape) {
  ModelBuilder b;
  int in = b.add_tensor({"in", type, shape, {}, {}, 0, {}, false});
  int out = b.add_tensor({"out", type, shape, {}, {}, 0, {}, false});
  b.add_operator(schema::BuiltinOp::kCustom, {in}, {out}, Options(), 1, {}, op);
  b.set_inputs({in});
  b.set_outputs({out});
  return b.serialize();
}

TEST(OpHarness, RunsAModelAndReturnsOutputs) {
  RunResult r = run_model_with(test_ops(), unary_model("AddOne", DType::kInt8, {2, 3}),
                               {bytes_of<int8_t>({-128, -1, 0, 1, 2, 126})});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.output<int8_t>(0), (std::vector<int8_t>{-127, 0, 1, 2, 3, 127}));
  ASSERT_EQ(r.output_shapes.size(), 1u);
  EXPECT_EQ(r.output_shapes[0].rank, 2);
  EXPECT_EQ(r.output_shapes[0].dims[0], 2);
  EXPECT_EQ(r.output_shapes[0].dims[1], 3);
  EXPECT_EQ(r.output_types[0], DType::kInt8);
  EXPECT_GT(r.arena_used, 0u);
  EXPECT_LE(r.arena_used, size_t(1) << 20);
}

TEST(OpHarness, StepsKeepVariableState) {
  ModelBuilder b;
  int x = b.add_tensor({"x", DType::kInt32, {2}, {}, {}, 0, {}, false});
  // A variable tensor starts at zero (TFLM semantics) and lives across invokes.
  TensorSpec state{"state", DType::kInt32, {2}, {}, {}, 0, {}, true};
  int s = b.add_tensor(state);
  int y = b.add_tensor({"y", DType::kInt32, {2}, {}, {}, 0, {}, false});
  b.add_operator(schema::BuiltinOp::kCustom, {x, s}, {y}, Options(), 1, {}, "Accumulate");
  b.set_inputs({x});
  b.set_outputs({y});

  std::vector<RunResult> steps = run_model_steps_with(
      test_ops(), b.serialize(),
      {{bytes_of<int32_t>({1, 2})}, {bytes_of<int32_t>({3, 4})}, {bytes_of<int32_t>({-100, 0})}});
  ASSERT_EQ(steps.size(), 3u);
  for (const RunResult& r : steps) ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(steps[0].output<int32_t>(0), (std::vector<int32_t>{1, 2}));
  EXPECT_EQ(steps[1].output<int32_t>(0), (std::vector<int32_t>{4, 6}));
  EXPECT_EQ(steps[2].output<int32_t>(0), (std::vector<int32_t>{-96, 6}));
}

TEST(OpHarness, ReportsInterpreterErrors) {
  RunResult missing = run_model(unary_model("NoSuchOp", DType::kInt8, {4}), {bytes_of<int8_t>({1, 2, 3, 4})});
  EXPECT_EQ(missing.status, Status::kError);
  EXPECT_FALSE(missing.error.empty());
  EXPECT_TRUE(missing.outputs.empty());

  RunResult failed = run_model_with(test_ops(), unary_model("Fail", DType::kInt8, {4}), {bytes_of<int8_t>({1, 2, 3, 4})});
  EXPECT_EQ(failed.status, Status::kError);
  EXPECT_NE(failed.error.find("asked to fail"), std::string::npos) << failed.error;

  RunResult tiny = run_model_with(test_ops(), unary_model("AddOne", DType::kInt8, {1024}),
                                  {std::vector<uint8_t>(1024)}, 64);
  EXPECT_EQ(tiny.status, Status::kError);
  EXPECT_FALSE(tiny.error.empty());
}

TEST(OpHarness, DetectsWritesPastTheArena) {
  std::vector<uint8_t> model = unary_model("Overrun", DType::kInt8, {4});
  EXPECT_NONFATAL_FAILURE(run_model_with(test_ops(), model, {bytes_of<int8_t>({1, 2, 3, 4})}), "arena overrun");
}

TEST(OpHarness, DetectsWritesIntoUnusedArena) {
  // 3 int8 outputs in a 16-byte aligned buffer: the byte after them is a gap.
  std::vector<uint8_t> model = unary_model("PastOutput", DType::kInt8, {3});
  EXPECT_NONFATAL_FAILURE(run_model_with(test_ops(), model, {bytes_of<int8_t>({1, 2, 3})}),
                          "unused arena written by invoke 0: 1 byte(s) lost the sentinel");
  EXPECT_NONFATAL_FAILURE(run_model_with(test_ops(), model, {bytes_of<int8_t>({1, 2, 3})}),
                          "0 byte(s) past the end of tensor 1 'out'");
  // The same kernel without the stray byte passes the check.
  RunResult clean = run_model_with(test_ops(), unary_model("AddOne", DType::kInt8, {3}), {bytes_of<int8_t>({1, 2, 3})});
  EXPECT_TRUE(clean.ok()) << clean.error;
}

TEST(OpHarness, WrongInputsAreTestErrors) {
  std::vector<uint8_t> model = unary_model("AddOne", DType::kInt8, {4});
  EXPECT_NONFATAL_FAILURE(run_model_with(test_ops(), model, {bytes_of<int8_t>({1, 2, 3})}), "needs 4 bytes");
  EXPECT_NONFATAL_FAILURE(run_model_with(test_ops(), model, {}), "the model has 1 inputs");
}

TEST(OpHarness, TypedHelpers) {
  std::vector<float> values = {1.5f, -2.0f, 3.25f};
  std::vector<uint8_t> bytes = bytes_of(values);
  EXPECT_EQ(bytes.size(), 12u);
  EXPECT_EQ(values_of<float>(bytes), values);
  EXPECT_EQ(values_of<int16_t>(bytes_of<int16_t>({-32768, 7, 32767})), (std::vector<int16_t>{-32768, 7, 32767}));
  EXPECT_NONFATAL_FAILURE(values_of<int32_t>(std::vector<uint8_t>(6)), "not a whole number");
}

TEST(OpHarness, ReadFileAndSharedDir) {
  EXPECT_THROW(read_file("/nonexistent/mote/file.bin"), std::runtime_error);
  EXPECT_FALSE(shared_dir().empty());
  MOTE_REQUIRE_SHARED();
  std::vector<uint8_t> model = read_file(shared_dir() + "/models/simple_add_model.tflite");
  ASSERT_GE(model.size(), 8u);
  EXPECT_EQ(std::string(model.begin() + 4, model.begin() + 8), "TFL3");
}

TEST(OpHarness, MissingSharedDataSkipsOrFailsOnCi) {
  const char* old_dir = getenv("MOTE_SHARED_DIR");
  const char* old_ci = getenv("CI");
  std::string saved_dir = old_dir ? old_dir : "";
  std::string saved_ci = old_ci ? old_ci : "";
  setenv("MOTE_SHARED_DIR", "/nonexistent/mote-shared", 1);
  EXPECT_FALSE(shared_available());

  setenv("CI", "true", 1);
  EXPECT_TRUE(running_in_ci());
  EXPECT_FATAL_FAILURE(
      {
        []() { MOTE_REQUIRE_SHARED(); }();
      },
      "required when CI=true");
  setenv("CI", "false", 1);
  EXPECT_FALSE(running_in_ci());

  if (old_dir) setenv("MOTE_SHARED_DIR", saved_dir.c_str(), 1); else unsetenv("MOTE_SHARED_DIR");
  if (old_ci) setenv("CI", saved_ci.c_str(), 1); else unsetenv("CI");
}

}  // namespace
