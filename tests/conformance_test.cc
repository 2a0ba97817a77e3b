// Runs every model of shared/conformance on its reference inputs and compares
// every output byte with what TFLM produced. On a mismatch it walks the
// per-tensor dumps of sample 0 and names the first node whose output differs.
// Stateful models with a sequence/ folder also run it: consecutive invokes on
// one interpreter, every output and state tensor compared after every step.
// When the suite runs in one process it ends with a table of all models.
#include <gtest/gtest.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "mote/interpreter.h"
#include "mote/op_resolver.h"
#include "mote/ops.h"
#include "op_harness.h"
#include "tools/common/conformance_manifest.h"
#include "tools/common/host_interpreter.h"
#include "tools/prepared_constants_writer.h"

namespace fs = std::filesystem;
using mote::tools::ConformanceModel;

namespace {

// Without shared data one placeholder case, which then skips (or fails on CI).
std::vector<std::string> or_placeholder(std::vector<std::string> names) {
  if (names.empty()) names.push_back("no_shared_data");
  return names;
}

struct Row {
  std::string result;
  std::string sequence;  // the sequence test's result, when it ran
  size_t mote_arena = 0;
  size_t prepared_arena = 0;  // with the "mote" metadata of `mote prepare`
  long long tflm_arena = -1;
  std::string patched;  // the patch stage test's result, when it ran
};
std::map<std::string, Row>& table() {
  static std::map<std::string, Row> rows;
  return rows;
}

// Float outputs: how far apart, for the report.
std::string float_difference(const std::vector<uint8_t>& got, const std::vector<uint8_t>& want) {
  size_t n = std::min(got.size(), want.size()) / 4;
  double max_abs = 0;
  int64_t max_ulp = 0;
  for (size_t i = 0; i < n; ++i) {
    float a, b;
    int32_t ia, ib;
    memcpy(&a, &got[4 * i], 4);
    memcpy(&b, &want[4 * i], 4);
    memcpy(&ia, &a, 4);
    memcpy(&ib, &b, 4);
    max_abs = std::max(max_abs, double(fabsf(a - b)));
    max_ulp = std::max<int64_t>(max_ulp, std::llabs(int64_t(ia) - int64_t(ib)));
  }
  std::ostringstream s;
  s << "max abs diff " << max_abs << ", max " << max_ulp << " ulp";
  return s.str();
}

std::vector<uint8_t> bytes_of(const mote::TensorView& v) {
  const uint8_t* data = static_cast<const uint8_t*>(v.data);
  return data == nullptr ? std::vector<uint8_t>() : std::vector<uint8_t>(data, data + v.bytes);
}

// "3 of 40 bytes differ, first at byte 6"; empty when equal.
std::string byte_difference(const std::vector<uint8_t>& got, const std::vector<uint8_t>& want) {
  if (got == want) return "";
  std::ostringstream s;
  if (got.size() != want.size()) {
    s << got.size() << " bytes, the reference has " << want.size();
    return s.str();
  }
  size_t differing = 0, first = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    if (got[i] == want[i]) continue;
    if (differing++ == 0) first = i;
  }
  s << differing << " of " << want.size() << " bytes differ, first at byte " << first;
  return s.str();
}

struct Capture {
  std::map<int, std::vector<uint8_t>> tensors;  // tensor index -> bytes right after its producer ran
};

void capture_node(void* user, int node, const mote::Interpreter& interp) {
  auto* cap = static_cast<Capture*>(user);
  mote::OperatorInfo op = interp.model().op(uint32_t(node));
  for (uint32_t k = 0; k < op.outputs.size(); ++k) {
    mote::TensorView v = interp.tensor(op.outputs[k]);
    if (v.data) cap->tensors[op.outputs[k]] = bytes_of(v);
  }
  for (uint32_t k = 0; k < op.inputs.size(); ++k) {
    int32_t t = op.inputs[k];
    if (t < 0) continue;
    mote::TensorInfo info = interp.model().tensor(uint32_t(t));
    if (!info.is_variable) continue;
    mote::TensorView v = interp.tensor(t);
    if (v.data) cap->tensors[t] = bytes_of(v);
  }
}

// Names the first node (in execution order) whose outputs, or the state it
// updates, differ from the reference dump of sample 0's first invoke.
std::string first_divergence(const ConformanceModel& model, const std::vector<uint8_t>& model_bytes) {
  const mote::tools::ConformanceDump dump = mote::tools::read_conformance_dump(model);
  mote::OpResolver resolver;
  mote::register_all_ops(resolver);
  std::vector<uint8_t> arena(4 << 20);
  mote::Interpreter interp(model_bytes.data(), model_bytes.size(), resolver, arena.data(), arena.size());
  interp.set_patch_options({mote::PatchMode::kOff, 0});  // every tensor whole, to compare
  if (interp.allocate() != mote::Status::kOk) return interp.error_message();
  const auto& files = model.samples.at(0).inputs;
  for (size_t i = 0; i < files.size(); ++i) {
    auto in = read_file(files[i]);
    mote::TensorView v = interp.input(i);
    memcpy(v.data, in.data(), std::min<size_t>(in.size(), v.bytes));
  }
  Capture cap;
  interp.set_node_observer(capture_node, &cap);
  if (interp.invoke() != mote::Status::kOk) return interp.error_message();
  for (const auto& node : dump.nodes) {
    std::vector<int32_t> checked = node.outputs;
    for (int32_t t : node.inputs) {
      const auto* entry = dump.find(t);
      if (entry != nullptr && entry->is_variable) checked.push_back(t);
    }
    for (int32_t t : checked) {
      const auto* entry = dump.find(t);
      if (entry == nullptr || entry->file.empty()) continue;
      auto it = cap.tensors.find(t);
      if (it == cap.tensors.end()) continue;
      const std::string diff = byte_difference(it->second, read_file(entry->file));
      if (diff.empty()) continue;
      std::ostringstream s;
      s << "first divergence in sample 0 at node " << node.node << " (" << node.op << "), tensor " << t << " '"
        << entry->name << "' (" << entry->dtype << "): " << diff;
      return s.str();
    }
  }
  return "no single node diverges in sample 0";
}

void fill_inputs(mote::Interpreter& interp, const std::vector<std::string>& files) {
  ASSERT_EQ(files.size(), interp.num_inputs());
  for (size_t i = 0; i < files.size(); ++i) {
    auto in = read_file(files[i]);
    mote::TensorView v = interp.input(i);
    ASSERT_EQ(in.size(), v.bytes) << files[i];
    memcpy(v.data, in.data(), in.size());
  }
}

std::string conformance_dir() { return shared_dir() + "/conformance"; }

class Conformance : public ::testing::TestWithParam<std::string> {};

TEST(ConformanceData, SharedDataPresent) {
  MOTE_REQUIRE_SHARED();
  EXPECT_TRUE(fs::exists(conformance_dir() + "/README.md")) << conformance_dir();
}

TEST_P(Conformance, BitExactOnAllSamples) {
  MOTE_REQUIRE_SHARED();
  const std::string name = GetParam();
  const ConformanceModel model = mote::tools::read_conformance_model(shared_dir(), name);
  Row& row = table()[name];
  row.tflm_arena = model.reference_arena_ilp32;
  auto model_bytes = read_file(model.model_file);

  mote::OpResolver resolver;
  ASSERT_EQ(mote::register_all_ops(resolver), mote::Status::kOk);
  std::vector<uint8_t> arena(4 << 20);
  auto interp = std::make_unique<mote::Interpreter>(model_bytes.data(), model_bytes.size(), resolver, arena.data(),
                                                    arena.size());
  mote::Status st = interp->allocate();
  if (!model.reference_ok) {
    // No reference output (TFLM refused the model, e.g. a hybrid one): mote
    // must refuse it too, in prepare, naming the node.
    row.result = "rejected, as by TFLM";
    ASSERT_NE(st, mote::Status::kOk) << name << ": TFLM rejected this model (" << model.reference_error
                                     << ") but mote allocated it";
    EXPECT_NE(std::string(interp->error_message()).find("node "), std::string::npos) << interp->error_message();
    return;
  }
  if (model.has_custom_ops()) {
    // Only the audio front ends use custom (Signal*) ops; mote has no kernels
    // for them and must say so clearly.
    ASSERT_NE(st, mote::Status::kOk) << "custom ops should not resolve";
    EXPECT_NE(std::string(interp->error_message()).find("custom op"), std::string::npos) << interp->error_message();
    row.result = "unsupported (custom ops)";
    return;
  }
  ASSERT_EQ(st, mote::Status::kOk) << interp->error_message();
  row.mote_arena = interp->arena_used_bytes();

  bool all_exact = true;
  std::string float_note;
  for (size_t k = 0; k < model.samples.size(); ++k) {
    const auto& sample = model.samples[k];
    // Each reference output is the first invoke() after allocation;
    // reset_state() must bring a used interpreter back to that point.
    ASSERT_EQ(interp->reset_state(), mote::Status::kOk);
    fill_inputs(*interp, sample.inputs);
    if (HasFatalFailure()) return;
    ASSERT_EQ(interp->invoke(), mote::Status::kOk) << interp->error_message();
    ASSERT_EQ(sample.outputs.size(), interp->num_outputs());
    for (size_t j = 0; j < sample.outputs.size(); ++j) {
      auto want = read_file(sample.outputs[j]);
      mote::TensorView v = interp->output(j);
      std::vector<uint8_t> got = bytes_of(v);
      if (got == want) continue;
      all_exact = false;
      if (v.type == mote::DType::kFloat32) float_note = float_difference(got, want);
      ADD_FAILURE() << name << " sample " << k << " output " << j << " differs"
                    << (float_note.empty() ? "" : " (" + float_note + ")") << "; "
                    << first_divergence(model, model_bytes);
    }
  }
  row.result = all_exact ? "bit-exact" : ("DIFFERS" + (float_note.empty() ? "" : " (" + float_note + ")"));
  if (row.tflm_arena > 0) {
    EXPECT_LE(row.mote_arena, size_t(row.tflm_arena)) << name << ": mote's arena is larger than TFLM's (ILP32)";
  }
}

// allocate() succeeds in exactly `used` bytes (using all of them) and fails
// with 16 fewer.
void expect_exact_arena(const uint8_t* model, size_t size, size_t used, const std::string& what) {
  mote::OpResolver resolver;
  ASSERT_EQ(mote::register_all_ops(resolver), mote::Status::kOk);
  mote::tools::AlignedBuffer arena = mote::tools::aligned_buffer(used);
  {
    mote::Interpreter interp(model, size, resolver, arena.get(), used);
    ASSERT_EQ(interp.allocate(), mote::Status::kOk) << what << " in exactly " << used << " bytes: "
                                                    << interp.error_message();
    EXPECT_EQ(interp.arena_used_bytes(), used) << what;
  }
  mote::Interpreter smaller(model, size, resolver, arena.get(), used - 16);
  EXPECT_NE(smaller.allocate(), mote::Status::kOk) << what << " should not fit in " << used - 16 << " bytes";
}

// The model as `mote prepare` / `mote export` write it, with every op's
// per-channel constants in its "mote" metadata, read in place: every output
// of every sample byte-identical to TFLM's, an exact arena with and without
// the metadata, never a larger one with it.
TEST_P(Conformance, BitExactWithPreparedConstants) {
  MOTE_REQUIRE_SHARED();
  const std::string name = GetParam();
  const ConformanceModel model = mote::tools::read_conformance_model(shared_dir(), name);
  if (!model.reference_ok || model.has_custom_ops()) GTEST_SKIP() << name << " does not run on mote";
  const std::vector<uint8_t> plain = read_file(model.model_file);
  const mote::tools::PreparedModel prepared = mote::tools::add_prepared_constants(plain.data(), plain.size());
  mote::tools::AlignedBuffer bytes = mote::tools::aligned_buffer(prepared.bytes.size());
  memcpy(bytes.get(), prepared.bytes.data(), prepared.bytes.size());
  EXPECT_EQ(mote::tools::has_prepared_constants(bytes.get(), prepared.bytes.size()), prepared.nodes_with_constants > 0);

  mote::OpResolver resolver;
  ASSERT_EQ(mote::register_all_ops(resolver), mote::Status::kOk);
  std::vector<uint8_t> arena(4 << 20);
  mote::Interpreter interp(bytes.get(), prepared.bytes.size(), resolver, arena.data(), arena.size());
  ASSERT_EQ(interp.allocate(), mote::Status::kOk) << interp.error_message();
  EXPECT_EQ(interp.has_prepared_constants(), prepared.nodes_with_constants > 0);
  const size_t used = interp.arena_used_bytes();
  table()[name].prepared_arena = used;
  for (size_t k = 0; k < model.samples.size(); ++k) {
    ASSERT_EQ(interp.reset_state(), mote::Status::kOk);
    fill_inputs(interp, model.samples[k].inputs);
    if (HasFatalFailure()) return;
    ASSERT_EQ(interp.invoke(), mote::Status::kOk) << interp.error_message();
    for (size_t j = 0; j < model.samples[k].outputs.size(); ++j)
      EXPECT_EQ(byte_difference(bytes_of(interp.output(j)), read_file(model.samples[k].outputs[j])), "")
          << name << " with prepared constants, sample " << k << " output " << j;
  }

  mote::Interpreter plain_interp(plain.data(), plain.size(), resolver, arena.data(), arena.size());
  ASSERT_EQ(plain_interp.allocate(), mote::Status::kOk) << plain_interp.error_message();
  const size_t plain_used = plain_interp.arena_used_bytes();
  EXPECT_EQ(plain_used - used, prepared.constant_bytes) << name << ": the arena shrinks by the arrays moved to flash";
  expect_exact_arena(bytes.get(), prepared.bytes.size(), used, name + " with prepared constants");
  expect_exact_arena(plain.data(), plain.size(), plain_used, name);
}

// MemoryOptions only change where buffers lie: with no overlaps and no shared
// buffers (every tensor its own bytes) sample 0 gives the same outputs, in an
// arena no smaller; and the persistent section's breakdown adds up.
TEST_P(Conformance, BitExactWithoutSharedBytes) {
  MOTE_REQUIRE_SHARED();
  const std::string name = GetParam();
  const ConformanceModel model = mote::tools::read_conformance_model(shared_dir(), name);
  if (!model.reference_ok || model.has_custom_ops()) GTEST_SKIP() << name << " does not run on mote";
  const std::vector<uint8_t> bytes = read_file(model.model_file);
  mote::OpResolver resolver;
  ASSERT_EQ(mote::register_all_ops(resolver), mote::Status::kOk);
  std::vector<uint8_t> arena(4 << 20);
  mote::Interpreter shared_interp(bytes.data(), bytes.size(), resolver, arena.data(), arena.size());
  shared_interp.set_patch_options({mote::PatchMode::kOff, 0});
  ASSERT_EQ(shared_interp.allocate(), mote::Status::kOk) << shared_interp.error_message();
  const size_t with_sharing = shared_interp.arena_used_bytes();

  mote::Interpreter interp(bytes.data(), bytes.size(), resolver, arena.data(), arena.size());
  interp.set_patch_options({mote::PatchMode::kOff, 0});
  mote::MemoryOptions none;
  none.overlaps = false;
  none.shared_buffers = false;
  interp.set_memory_options(none);
  ASSERT_EQ(interp.allocate(), mote::Status::kOk) << interp.error_message();
  EXPECT_GE(interp.arena_used_bytes(), with_sharing) << name;
  const mote::PersistentBytes& parts = interp.arena_persistent_breakdown();
  EXPECT_EQ(parts.records + parts.op_data + parts.constants + parts.state, interp.arena_persistent_bytes()) << name;
  fill_inputs(interp, model.samples.at(0).inputs);
  if (HasFatalFailure()) return;
  ASSERT_EQ(interp.invoke(), mote::Status::kOk) << interp.error_message();
  for (size_t j = 0; j < model.samples[0].outputs.size(); ++j)
    EXPECT_EQ(byte_difference(bytes_of(interp.output(j)), read_file(model.samples[0].outputs[j])), "")
        << name << " without shared bytes, sample 0 output " << j;
}

INSTANTIATE_TEST_SUITE_P(SharedModels, Conformance,
                         ::testing::ValuesIn(or_placeholder(mote::tools::conformance_model_names(shared_dir()))),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

// The same samples with the first stage run patch by patch: chosen by
// PatchMode::kAuto, and forced to strips of 1, 2 and 5 rows. Every output must
// stay bit-exact, and the auto arena figure exact: allocate() succeeds with
// arena_used_bytes() and fails with 16 bytes fewer. Auto chooses by the placed
// plans, so it needs no more than any forced strip height at least as tall as
// its own (shorter strips it may leave for their kernel calls' cost).
class ConformancePatched : public ::testing::TestWithParam<std::string> {};

TEST_P(ConformancePatched, BitExactWithPatchStage) {
  MOTE_REQUIRE_SHARED();
  const std::string name = GetParam();
  const ConformanceModel model = mote::tools::read_conformance_model(shared_dir(), name);
  if (!model.reference_ok || model.has_custom_ops()) GTEST_SKIP() << name << ": no reference run";
  auto model_bytes = read_file(model.model_file);
  mote::OpResolver resolver;
  ASSERT_EQ(mote::register_all_ops(resolver), mote::Status::kOk);
  const mote::PatchOptions variants[] = {{mote::PatchMode::kAuto, 0},
                                         {mote::PatchMode::kRows, 1},
                                         {mote::PatchMode::kRows, 2},
                                         {mote::PatchMode::kRows, 5}};
  std::string result;
  size_t auto_used = 0;
  int32_t auto_rows = 0;
  for (const mote::PatchOptions& patch : variants) {
    const std::string what = patch.mode == mote::PatchMode::kAuto ? "auto" : std::to_string(patch.rows) + " rows";
    size_t used = 0;
    {
      std::vector<uint8_t> big(4 << 20);
      mote::Interpreter sizing(model_bytes.data(), model_bytes.size(), resolver, big.data(), big.size());
      sizing.set_patch_options(patch);
      ASSERT_EQ(sizing.allocate(), mote::Status::kOk) << what << ": " << sizing.error_message();
      used = sizing.arena_used_bytes();
    }
    if (patch.mode == mote::PatchMode::kAuto) {
      auto_used = used;
    } else if (patch.rows >= auto_rows) {
      EXPECT_LE(auto_used, used) << name << ": auto needs more than " << what;
    }
    // The exact arena, 16-byte aligned like the device's.
    std::vector<uint8_t> storage(used + 16);
    uint8_t* arena = storage.data() + (16 - reinterpret_cast<uintptr_t>(storage.data()) % 16) % 16;
    if (patch.mode == mote::PatchMode::kAuto) {
      mote::Interpreter smaller(model_bytes.data(), model_bytes.size(), resolver, arena, used - 16);
      smaller.set_patch_options(patch);
      EXPECT_NE(smaller.allocate(), mote::Status::kOk) << name << ": allocate() fits in 16 bytes fewer than " << used;
    }
    mote::Interpreter interp(model_bytes.data(), model_bytes.size(), resolver, arena, used);
    interp.set_patch_options(patch);
    ASSERT_EQ(interp.allocate(), mote::Status::kOk) << what << ": " << interp.error_message();
    ASSERT_EQ(interp.arena_used_bytes(), used);
    for (size_t k = 0; k < model.samples.size(); ++k) {
      ASSERT_EQ(interp.reset_state(), mote::Status::kOk);
      fill_inputs(interp, model.samples[k].inputs);
      if (HasFatalFailure()) return;
      ASSERT_EQ(interp.invoke(), mote::Status::kOk) << what << ": " << interp.error_message();
      for (size_t j = 0; j < model.samples[k].outputs.size(); ++j)
        EXPECT_EQ(bytes_of(interp.output(j)), read_file(model.samples[k].outputs[j]))
            << name << " (" << what << ") sample " << k << " output " << j << " differs";
    }
    if (patch.mode == mote::PatchMode::kAuto) {
      const mote::PatchStage stage = interp.patch_stage();
      auto_rows = stage.rows_per_strip;
      result = stage.num_layers == 0 ? "auto: no stage"
                                     : "auto " + std::to_string(used) + " (nodes " + std::to_string(stage.first_node) +
                                           ".." + std::to_string(stage.first_node + stage.num_layers - 1) + ", " +
                                           std::to_string(stage.num_strips) + "x" +
                                           std::to_string(stage.rows_per_strip) + " rows)";
    }
  }
  table()[name].patched = (HasFailure() ? "DIFFERS; " : "bit-exact; ") + result;
}

INSTANTIATE_TEST_SUITE_P(SharedModels, ConformancePatched,
                         ::testing::ValuesIn(or_placeholder(mote::tools::conformance_model_names(shared_dir()))),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

// Consecutive invokes on one interpreter, no reset: after every step each
// output and each listed state tensor must equal the reference bytes. The
// first step that differs fails the test (later steps inherit its state).
class ConformanceSequence : public ::testing::TestWithParam<std::string> {};

TEST_P(ConformanceSequence, BitExactAtEveryStep) {
  MOTE_REQUIRE_SHARED();
  const std::string name = GetParam();
  const ConformanceModel model = mote::tools::read_conformance_model(shared_dir(), name);
  const std::vector<mote::tools::ConformanceStep> steps = mote::tools::read_conformance_sequence(model);
  ASSERT_FALSE(steps.empty()) << name << ": sequence/sequence.json lists no steps";
  auto model_bytes = read_file(model.model_file);
  mote::OpResolver resolver;
  ASSERT_EQ(mote::register_all_ops(resolver), mote::Status::kOk);
  std::vector<uint8_t> arena(4 << 20);
  mote::Interpreter interp(model_bytes.data(), model_bytes.size(), resolver, arena.data(), arena.size());
  ASSERT_EQ(interp.allocate(), mote::Status::kOk) << interp.error_message();

  for (size_t s = 0; s < steps.size(); ++s) {
    const mote::tools::ConformanceStep& step = steps[s];
    fill_inputs(interp, step.sample.inputs);
    if (HasFatalFailure()) return;
    ASSERT_EQ(interp.invoke(), mote::Status::kOk) << "step " << s << ": " << interp.error_message();
    ASSERT_EQ(step.sample.outputs.size(), interp.num_outputs());
    std::vector<std::string> differences;
    std::string float_note;  // the last float difference, for the table
    auto compare = [&](const std::string& what, const mote::TensorView& v, const std::string& file) {
      const std::vector<uint8_t> got = bytes_of(v), want = read_file(file);
      std::string diff = byte_difference(got, want);
      if (diff.empty()) return;
      if (v.type == mote::DType::kFloat32) {
        float_note = float_difference(got, want);
        diff += " (" + float_note + ")";
      }
      differences.push_back(what + ": " + diff);
    };
    for (size_t j = 0; j < step.sample.outputs.size(); ++j)
      compare("output " + std::to_string(j), interp.output(j), step.sample.outputs[j]);
    for (const auto& state : step.state_after) {
      const mote::TensorView v = interp.tensor(state.tensor);
      ASSERT_NE(v.data, nullptr) << "step " << s << ": state tensor " << state.tensor << " has no data";
      compare("state tensor " + std::to_string(state.tensor), v, state.file);
    }
    if (differences.empty()) continue;
    table()[name].sequence = "DIFFERS at step " + std::to_string(s) +
                             (float_note.empty() ? "" : " (" + float_note + ")");
    std::ostringstream where;
    for (const std::string& d : differences) where << "\n  " << d;
    // Step 0 is sample 0's first invoke, which the per-tensor dump covers;
    // later steps began from state that still matched.
    where << "\n  " << (s == 0 ? first_divergence(model, model_bytes)
                               : "the state after step " + std::to_string(s - 1) +
                                     " matched, so this step's invoke carries or updates it differently");
    FAIL() << name << " differs from the reference at step " << s << " of " << steps.size() << where.str();
  }
  table()[name].sequence = "bit-exact, " + std::to_string(steps.size()) + " steps";
}

INSTANTIATE_TEST_SUITE_P(SharedModels, ConformanceSequence,
                         ::testing::ValuesIn(or_placeholder(mote::tools::conformance_sequence_names(shared_dir()))),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

// Prints the table when the conformance tests ran in this process.
class ReportTable : public ::testing::Environment {
 public:
  void TearDown() override {
    if (table().empty()) return;
    printf("\n%-32s %-28s %12s %12s %12s %7s %7s  %-24s %s\n", "model", "result", "mote arena", "with meta",
           "TFLM ilp32", "ratio", "meta", "sequence", "patch stage");
    std::vector<double> plain_ratios, meta_ratios;
    for (const auto& [name, row] : table()) {
      char ratio[16] = "-", meta_ratio[16] = "-";
      if (row.mote_arena && row.tflm_arena > 0) {
        plain_ratios.push_back(double(row.mote_arena) / double(row.tflm_arena));
        snprintf(ratio, sizeof(ratio), "%.3f", plain_ratios.back());
        // The deployed figure: with the metadata where the model has some.
        const size_t deployed = row.prepared_arena ? row.prepared_arena : row.mote_arena;
        meta_ratios.push_back(double(deployed) / double(row.tflm_arena));
        snprintf(meta_ratio, sizeof(meta_ratio), "%.3f", meta_ratios.back());
      }
      printf("%-32s %-28s %12s %12s %12s %7s %7s  %-24s %s\n", name.c_str(),
             row.result.empty() ? "-" : row.result.c_str(), row.mote_arena ? std::to_string(row.mote_arena).c_str() : "-",
             row.prepared_arena ? std::to_string(row.prepared_arena).c_str() : "-",
             row.tflm_arena > 0 ? std::to_string(row.tflm_arena).c_str() : "-", ratio, meta_ratio,
             row.sequence.empty() ? "-" : row.sequence.c_str(), row.patched.empty() ? "-" : row.patched.c_str());
    }
    if (plain_ratios.empty()) return;
    const auto median = [](std::vector<double> v) {
      std::sort(v.begin(), v.end());
      const size_t n = v.size();
      return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    };
    printf("median arena / TFLM over %zu models: %.3f plain, %.3f as deployed (with the metadata)\n",
           plain_ratios.size(), median(plain_ratios), median(meta_ratios));
  }
};
const auto* const kReport = ::testing::AddGlobalTestEnvironment(new ReportTable);

}  // namespace
