// Runs the built `mote` binary (MOTE_CLI_PATH) as a user would: exit codes,
// the key parts of its messages, and the files it writes.
#include <gtest/gtest.h>
#include <string.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_harness.h"
#include "mote/interpreter.h"
#include "mote/op_resolver.h"
#include "mote/ops.h"
#include "op_harness.h"
#include "tools/common/conformance_manifest.h"
#include "tools/common/text_table.h"
#include "tools/model_builder.h"
#include "tools/prepared_constants_writer.h"
#include "tools/tensor_io.h"

namespace fs = std::filesystem;
using mote::DType;
using mote::tools::ModelBuilder;
using mote::tools::Options;
using mote::tools::TensorSpec;
using nlohmann::json;
namespace schema = mote::schema;

namespace {

class CliTest : public MoteCliTest {};

// Float32 model: y = a + b, both [1,4].
std::vector<uint8_t> add_model() {
  ModelBuilder b;
  int a = b.add_tensor({"a", DType::kFloat32, {1, 4}});
  int c = b.add_tensor({"b", DType::kFloat32, {1, 4}});
  int y = b.add_tensor({"sum", DType::kFloat32, {1, 4}});
  b.add_operator(schema::BuiltinOp::kAdd, {a, c}, {y},
                 Options(schema::OptionsType::kAdd).i8(schema::add_options::fused_activation_function, 0));
  b.set_inputs({a, c});
  b.set_outputs({y});
  return b.serialize();
}

// Float32 CONV_2D -> DEPTHWISE_CONV_2D -> RESHAPE -> FULLY_CONNECTED, with
// MACs worked out by hand:
//   conv  [1,5,5,2] * [3,3,3,2] VALID -> [1,3,3,3]: 3*3*3 outputs * 3*3*2 = 486
//   dw    [1,3,3,3] * [1,3,3,3] VALID -> [1,1,1,3]: 3 outputs * 3*3      = 27
//   fc    [1,3] * [4,3]^T             -> [1,4]:     4 * 3                = 12
std::vector<uint8_t> small_cnn_model() {
  ModelBuilder b;
  int in = b.add_tensor({"image", DType::kFloat32, {1, 5, 5, 2}});
  int conv_w = b.add_tensor(TensorSpec::constant<float>("conv_w", DType::kFloat32, {3, 3, 3, 2},
                                                        std::vector<float>(54, 0.01f)));
  int conv_b = b.add_tensor(TensorSpec::constant<float>("conv_b", DType::kFloat32, {3}, std::vector<float>(3, 0.f)));
  int conv_out = b.add_tensor({"conv_out", DType::kFloat32, {1, 3, 3, 3}});
  int dw_w =
      b.add_tensor(TensorSpec::constant<float>("dw_w", DType::kFloat32, {1, 3, 3, 3}, std::vector<float>(27, 0.1f)));
  int dw_out = b.add_tensor({"dw_out", DType::kFloat32, {1, 1, 1, 3}});
  int flat = b.add_tensor({"flat", DType::kFloat32, {1, 3}});
  int fc_w =
      b.add_tensor(TensorSpec::constant<float>("fc_w", DType::kFloat32, {4, 3}, std::vector<float>(12, 0.5f)));
  int logits = b.add_tensor({"logits", DType::kFloat32, {1, 4}});
  namespace conv = schema::conv2d_options;
  namespace dw = schema::depthwise_conv2d_options;
  b.add_operator(schema::BuiltinOp::kConv2D, {in, conv_w, conv_b}, {conv_out},
                 Options(schema::OptionsType::kConv2D)
                     .i8(conv::padding, int8_t(schema::Padding::kValid))
                     .i32(conv::stride_w, 1)
                     .i32(conv::stride_h, 1));
  b.add_operator(schema::BuiltinOp::kDepthwiseConv2D, {conv_out, dw_w, -1}, {dw_out},
                 Options(schema::OptionsType::kDepthwiseConv2D)
                     .i8(dw::padding, int8_t(schema::Padding::kValid))
                     .i32(dw::stride_w, 1)
                     .i32(dw::stride_h, 1)
                     .i32(dw::depth_multiplier, 1),
                 /*version=*/1);
  b.add_operator(schema::BuiltinOp::kReshape, {dw_out}, {flat},
                 Options(schema::OptionsType::kReshape).i32_vector(schema::reshape_options::new_shape, {1, 3}));
  b.add_operator(schema::BuiltinOp::kFullyConnected, {flat, fc_w, -1}, {logits},
                 Options(schema::OptionsType::kFullyConnected));
  b.set_inputs({in});
  b.set_outputs({logits});
  b.set_description("small cnn for cli_test");
  return b.serialize();
}

// One CUSTOM op mote has no kernel for.
std::vector<uint8_t> custom_op_model() {
  ModelBuilder b;
  int in = b.add_tensor({"x", DType::kInt8, {1, 8}, {0.5f}, {0}});
  int out = b.add_tensor({"y", DType::kInt8, {1, 8}, {0.5f}, {0}});
  b.add_operator(schema::BuiltinOp::kCustom, {in}, {out}, Options(), 1, {}, "FancyWindow");
  b.set_inputs({in});
  b.set_outputs({out});
  return b.serialize();
}

// What the interpreter itself reports for a model.
struct Allocation {
  bool ok = false;
  std::string error;
  size_t used = 0, planned = 0, persistent = 0;
  int plan_entries = 0;
};
// The model as `mote export` deploys it, whose arena `mote inspect` reports.
std::vector<uint8_t> as_deployed(const std::vector<uint8_t>& model) {
  try {
    return mote::tools::add_prepared_constants(model.data(), model.size()).bytes;
  } catch (const std::exception&) {
    return model;  // does not allocate: inspect reports the error
  }
}

Allocation allocate_directly(const std::vector<uint8_t>& model, const mote::PatchOptions& patch = {},
                              const mote::MemoryOptions& memory = {}) {
  mote::OpResolver resolver;
  mote::register_all_ops(resolver);
  std::vector<uint8_t> copy(model.size() + 16);
  uint8_t* aligned = copy.data() + (16 - reinterpret_cast<uintptr_t>(copy.data()) % 16) % 16;
  memcpy(aligned, model.data(), model.size());
  std::vector<uint8_t> arena(8 << 20);
  mote::Interpreter interp(aligned, model.size(), resolver, arena.data(), arena.size());
  interp.set_patch_options(patch);
  interp.set_memory_options(memory);
  Allocation a;
  a.ok = interp.allocate() == mote::Status::kOk;
  a.error = interp.error_message();
  a.used = interp.arena_used_bytes();
  a.planned = interp.arena_planned_bytes();
  a.persistent = interp.arena_persistent_bytes();
  a.plan_entries = interp.memory_plan(nullptr, 0);
  return a;
}

std::string person_detect() { return shared_dir() + "/models/person_detect.tflite"; }

std::vector<float> floats_of(const std::string& bytes) {
  std::vector<float> v(bytes.size() / 4);
  memcpy(v.data(), bytes.data(), v.size() * 4);
  return v;
}

// ------------------------------------------------------------------ general

TEST_F(CliTest, HelpTeachesWithExamplesAndExitsZero) {
  for (const auto& args : std::vector<std::vector<std::string>>{{"--help"}, {"inspect", "--help"}, {"run", "--help"}}) {
    CommandResult r = mote(args);
    EXPECT_EQ(r.exit_code, 0) << args[0];
    EXPECT_TRUE(contains(r.out, "Examples:")) << r.out;
    EXPECT_TRUE(contains(r.out, "mote ")) << r.out;
  }
  CommandResult top = mote({"--help"});
  EXPECT_TRUE(contains(top.out, "inspect"));
  EXPECT_TRUE(contains(top.out, "run"));
  CommandResult run = mote({"run", "--help"});
  EXPECT_TRUE(contains(run.out, "--input"));
  EXPECT_TRUE(contains(run.out, ".npy"));
}

TEST_F(CliTest, BadCommandLinesExitWithUsageError) {
  CommandResult none = mote({});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_TRUE(contains(none.err, "Usage"));

  CommandResult unknown = mote({"frobnicate"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_TRUE(contains(unknown.err, "unknown command 'frobnicate'")) << unknown.err;

  CommandResult no_model = mote({"inspect"});
  EXPECT_EQ(no_model.exit_code, 2);
  EXPECT_TRUE(contains(no_model.err, "MODEL")) << no_model.err;
  EXPECT_TRUE(contains(no_model.err, "mote inspect --help")) << no_model.err;

  CommandResult bad_option = mote({"run", "m.tflite", "--frob"});
  EXPECT_EQ(bad_option.exit_code, 2);
  EXPECT_TRUE(contains(bad_option.err, "--frob")) << bad_option.err;
}

TEST_F(CliTest, NumericOptionErrorsNameTheRangeAndAnExample) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"bench", "m.tflite", "--repeat", "0"}, "--repeat: must be a whole number from 1 to 1000000, e.g. --repeat 50; got '0'"},
      {{"bench", "m.tflite", "--warmup", "-1"}, "--warmup: must be a whole number from 0 to 1000000"},
      {{"bench", "m.tflite", "--seed", "abc"}, "--seed: must be a whole number from 0 to 4294967295, e.g. --seed 7; got 'abc'"},
      {{"run", "m.tflite", "--show", "-2"}, "--show: must be a whole number 0 or more, e.g. --show 100; got '-2'"},
      {{"quantize", "m.tflite", "-o", "o.tflite", "--random", "--samples", "0"}, "--samples: must be a whole number 1 or more"},
      {{"quantize", "m.tflite", "-o", "o.tflite", "--random", "--percentile", "0"},
       "--percentile: must be a number above 0 and at most 100, e.g. --percentile 99.99; got '0'"},
      {{"quantize", "m.tflite", "-o", "o.tflite", "--random", "--report-rows", "1.5"}, "--report-rows: must be a whole number"},
      {{"export", "m.tflite", "--out", "x", "--internal-budget", "200KB"},
       "--internal-budget: must be a size in bytes: a whole number, optionally with K/KiB (1024) or M/MiB (1048576), "
       "e.g. --internal-budget 200K; got '200KB'"},
      {{"export", "m.tflite", "--out", "x", "--internal-budget", "-5"}, "--internal-budget: must be a size in bytes"},
  };
  for (const Case& c : cases) {
    const CommandResult r = mote(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args[0] << " " << c.message;
    EXPECT_TRUE(contains(r.err, c.message)) << r.err;
    EXPECT_FALSE(contains(r.err, "not in range")) << r.err;
  }
}

TEST_F(CliTest, MissingAndNonModelFilesGiveClearErrors) {
  CommandResult missing = mote({"inspect", path("nope.tflite")});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(contains(missing.err, "does not exist")) << missing.err;

  const std::string text = save("notes.tflite", std::vector<uint8_t>(64, 'x'));
  CommandResult not_model = mote({"inspect", text});
  EXPECT_EQ(not_model.exit_code, 1);
  EXPECT_TRUE(contains(not_model.err, "TFL3")) << not_model.err;
  EXPECT_TRUE(contains(not_model.err, "hint:")) << not_model.err;
}

TEST_F(CliTest, TruncatedModelFailsCleanly) {
  const std::vector<uint8_t> model = small_cnn_model();
  for (size_t keep : {size_t(0), size_t(7), size_t(64), model.size() / 2, model.size() * 3 / 4}) {
    std::vector<uint8_t> cut(model.begin(), model.begin() + std::ptrdiff_t(keep));
    const std::string file = save("cut_" + std::to_string(keep) + ".tflite", cut);
    for (const auto& args : std::vector<std::vector<std::string>>{{"inspect", file}, {"run", file, "-i", file}}) {
      CommandResult r = mote(args);
      EXPECT_EQ(r.exit_code, 1) << args[0] << " on " << keep << " bytes: " << r.err;  // not a crash (>= 1000)
      EXPECT_TRUE(contains(r.err, "mote: error:")) << r.err;
      EXPECT_TRUE(contains(r.err, "not a usable model")) << r.err;
    }
  }
  CommandResult half = mote({"inspect", path("cut_" + std::to_string(model.size() / 2) + ".tflite")});
  EXPECT_TRUE(contains(half.err, "truncated")) << half.err;
}

// ------------------------------------------------------------------ inspect

TEST_F(CliTest, InspectReportsMacsWeightsAndOpsOfABuiltModel) {
  const std::vector<uint8_t> model = small_cnn_model();
  const std::string file = save("cnn.tflite", model);
  CommandResult r = mote({"inspect", file, "--json"});
  const Allocation direct = allocate_directly(as_deployed(model));
  EXPECT_EQ(r.exit_code, direct.ok ? 0 : 1) << r.err;
  json doc = json::parse(r.out);

  ASSERT_EQ(doc["operators"].size(), 4u);
  EXPECT_EQ(doc["operators"][0]["op"], "CONV_2D");
  EXPECT_EQ(doc["operators"][0]["macs"], 486);
  EXPECT_EQ(doc["operators"][1]["op"], "DEPTHWISE_CONV_2D");
  EXPECT_EQ(doc["operators"][1]["macs"], 27);
  EXPECT_EQ(doc["operators"][2]["op"], "RESHAPE");
  EXPECT_EQ(doc["operators"][2]["macs"], 0);
  EXPECT_EQ(doc["operators"][3]["op"], "FULLY_CONNECTED");
  EXPECT_EQ(doc["operators"][3]["macs"], 12);
  EXPECT_EQ(doc["total_macs"], 486 + 27 + 12);
  // conv_w 54 + conv_b 3 + dw_w 27 + fc_w 12 floats.
  EXPECT_EQ(doc["weight_bytes"], (54 + 3 + 27 + 12) * 4);
  EXPECT_EQ(doc["weight_tensors"], 4);
  EXPECT_EQ(doc["model"]["description"], "small cnn for cli_test");
  EXPECT_EQ(doc["model"]["file_bytes"], model.size());
  EXPECT_EQ(doc["inputs"][0]["name"], "image");
  EXPECT_EQ(doc["inputs"][0]["shape"], json({1, 5, 5, 2}));
  EXPECT_EQ(doc["inputs"][0]["bytes"], 200);
  EXPECT_TRUE(doc["inputs"][0]["quantization"].is_null());
  std::vector<std::string> needed;
  for (const auto& op : doc["required_ops"]) needed.push_back(op["name"]);
  EXPECT_EQ(needed, (std::vector<std::string>{"CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "RESHAPE"}));
  EXPECT_EQ(doc["tensors"].size(), 9u);
  EXPECT_EQ(doc["tensors"][1]["kind"], "constant");
  EXPECT_EQ(doc["tensors"][3]["kind"], "activation");

  EXPECT_EQ(doc["allocation"]["ok"], direct.ok);
  if (direct.ok) {
    EXPECT_EQ(doc["allocation"]["arena_used_bytes"], direct.used);
    EXPECT_EQ(doc["allocation"]["arena_planned_bytes"], direct.planned);
    EXPECT_EQ(doc["allocation"]["arena_persistent_bytes"], direct.persistent);
    EXPECT_EQ(doc["allocation"]["memory_plan"].size(), size_t(direct.plan_entries));
  } else {
    EXPECT_TRUE(contains(r.err, direct.error)) << r.err;
  }

  CommandResult text = mote({"inspect", file});
  EXPECT_EQ(text.exit_code, r.exit_code);
  EXPECT_TRUE(contains(text.out, "DEPTHWISE_CONV_2D"));
  EXPECT_TRUE(contains(text.out, "resolver.add(mote::ops::fully_connected());")) << text.out;
  EXPECT_TRUE(contains(text.out, "525")) << "total MACs";
  if (direct.ok) {
    EXPECT_TRUE(contains(text.out, "tensor_arena[" + std::to_string(direct.used) + "]")) << text.out;
    EXPECT_TRUE(contains(text.out, "Arena use over time")) << text.out;
  }
}

TEST_F(CliTest, InspectWithAnUnsupportedCustomOpPrintsWhatItCanThenFails) {
  const std::string file = save("custom.tflite", custom_op_model());
  CommandResult r = mote({"inspect", file});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.out, "CUSTOM:FancyWindow")) << r.out;
  EXPECT_TRUE(contains(r.out, "MISSING")) << r.out;
  EXPECT_TRUE(contains(r.out, "Tensors")) << r.out;
  EXPECT_TRUE(contains(r.err, "FancyWindow")) << r.err;
  EXPECT_TRUE(contains(r.err, "hint:")) << r.err;

  CommandResult j = mote({"inspect", "--json", file});
  EXPECT_EQ(j.exit_code, 1);
  json doc = json::parse(j.out);
  EXPECT_EQ(doc["allocation"]["ok"], false);
  EXPECT_TRUE(contains(doc["allocation"]["error"].get<std::string>(), "FancyWindow"));
  EXPECT_TRUE(doc["allocation"]["arena_used_bytes"].is_null());
  EXPECT_EQ(doc["required_ops"][0]["available"], false);
  EXPECT_EQ(doc["required_ops"][0]["custom_code"], "FancyWindow");
}

TEST_F(CliTest, InspectPersonDetectShowsOpsAndTheInterpretersArenaSize) {
  MOTE_REQUIRE_SHARED();
  const std::vector<uint8_t> model = read_file(person_detect());
  const Allocation direct = allocate_directly(as_deployed(model));
  CommandResult r = mote({"inspect", person_detect()});
  for (const char* op : {"DEPTHWISE_CONV_2D", "CONV_2D", "AVERAGE_POOL_2D", "RESHAPE", "SOFTMAX"})
    EXPECT_TRUE(contains(r.out, op)) << op;
  EXPECT_TRUE(contains(r.out, "int8[1,96,96,1]")) << r.out;
  if (direct.ok) {
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "tensor_arena[" + std::to_string(direct.used) + "]")) << r.out;
  } else {
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(contains(r.err, direct.error)) << r.err;
  }
}

// --patch decides the stage of every figure inspect reports: the headline
// (the deployed model's arena), the plain model's, and the stage section.
TEST_F(CliTest, InspectPatchOptionSetsTheHeadlineArena) {
  MOTE_REQUIRE_SHARED();
  const std::vector<uint8_t> model = read_file(person_detect());
  mote::PatchOptions off, one_row;
  off.mode = mote::PatchMode::kOff;
  one_row.mode = mote::PatchMode::kRows;
  one_row.rows = 1;
  const Allocation deployed_off = allocate_directly(as_deployed(model), off);
  const Allocation deployed_one = allocate_directly(as_deployed(model), one_row);
  const Allocation plain_one = allocate_directly(model, one_row);
  ASSERT_TRUE(deployed_off.ok && deployed_one.ok && plain_one.ok) << deployed_off.error << deployed_one.error;
  ASSERT_NE(deployed_off.used, deployed_one.used);

  CommandResult r_off = mote({"inspect", "--json", "--patch", "off", person_detect()});
  ASSERT_EQ(r_off.exit_code, 0) << r_off.err;
  const json off_doc = json::parse(r_off.out)["allocation"];
  EXPECT_EQ(off_doc["arena_used_bytes"], deployed_off.used);
  EXPECT_TRUE(off_doc["patch_stage"].is_null());

  CommandResult r_one = mote({"inspect", "--json", "--patch", "1", person_detect()});
  ASSERT_EQ(r_one.exit_code, 0) << r_one.err;
  const json one_doc = json::parse(r_one.out)["allocation"];
  EXPECT_EQ(one_doc["arena_used_bytes"], deployed_one.used);
  EXPECT_EQ(one_doc["arena_planned_bytes"], deployed_one.planned);
  EXPECT_EQ(one_doc["arena_plain_bytes"], plain_one.used);
  EXPECT_EQ(one_doc["patch_stage"]["rows_per_strip"], 1);
  EXPECT_EQ(one_doc["patch_stage"]["arena_used_bytes"], deployed_one.used);

  CommandResult text = mote({"inspect", "--patch", "1", person_detect()});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_TRUE(contains(text.out, "tensor_arena[" + std::to_string(deployed_one.used) + "]")) << text.out;
}

// Each saving is the deployed model's arena with that one turned off: the
// same figure an interpreter gives with the option off.
TEST_F(CliTest, InspectReportsWhatEachSavingSaves) {
  MOTE_REQUIRE_SHARED();
  const std::vector<uint8_t> deployed = as_deployed(read_file(person_detect()));
  mote::MemoryOptions no_overlaps, no_sharing;
  no_overlaps.overlaps = false;
  no_sharing.shared_buffers = false;
  mote::PatchOptions off;
  off.mode = mote::PatchMode::kOff;
  const Allocation base = allocate_directly(deployed);
  const Allocation without_overlaps = allocate_directly(deployed, {}, no_overlaps);
  const Allocation without_sharing = allocate_directly(deployed, {}, no_sharing);
  const Allocation without_stage = allocate_directly(deployed, off);
  ASSERT_TRUE(base.ok && without_overlaps.ok && without_sharing.ok && without_stage.ok) << base.error;

  CommandResult r = mote({"inspect", "--json", person_detect()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json alloc = json::parse(r.out)["allocation"];
  ASSERT_EQ(alloc["arena_used_bytes"], base.used);
  std::map<std::string, int64_t> without;
  for (const json& s : alloc["savings"]) {
    without[s["name"]] = s["arena_without_bytes"];
    const int64_t used = int64_t(base.used), off_bytes = s["arena_without_bytes"];
    EXPECT_EQ(s["saved_bytes"], off_bytes > used ? off_bytes - used : 0) << s["name"];
  }
  EXPECT_EQ(without["prepared_constants"], alloc["arena_plain_bytes"]);
  EXPECT_EQ(without["overlaps"], int64_t(without_overlaps.used));
  EXPECT_EQ(without["shared_buffers"], int64_t(without_sharing.used));
  EXPECT_EQ(without["patch_stage"], int64_t(without_stage.used));
  // person_detect's arena owes something to each but the reshape sharing.
  EXPECT_GT(without["overlaps"], int64_t(base.used));
  EXPECT_GT(without["patch_stage"], int64_t(base.used));
  EXPECT_GT(without["prepared_constants"], int64_t(base.used));

  const json& parts = alloc["arena_persistent"];
  EXPECT_EQ(parts["records"].get<int64_t>() + parts["op_data"].get<int64_t>() + parts["constants"].get<int64_t>() +
                parts["state"].get<int64_t>(),
            alloc["arena_persistent_bytes"].get<int64_t>());
  CommandResult text = mote({"inspect", person_detect()});
  EXPECT_TRUE(contains(text.out, "What keeps the arena small")) << text.out;
}

// The stage section says how the two arenas compare, either way: forced
// strips of vww_96_int8 plan smaller with one row, larger with four.
TEST_F(CliTest, InspectSaysWhetherTheStageArenaIsSmallerOrLarger) {
  MOTE_REQUIRE_SHARED();
  const std::string vww = shared_dir() + "/models/vww_96_int8.tflite";
  const std::vector<uint8_t> model = as_deployed(read_file(vww));
  mote::PatchOptions off;
  off.mode = mote::PatchMode::kOff;
  const Allocation layer_by_layer = allocate_directly(model, off);
  ASSERT_TRUE(layer_by_layer.ok) << layer_by_layer.error;
  bool saw_less = false, saw_more = false;
  for (int32_t rows : {1, 4}) {
    const Allocation staged = allocate_directly(model, {mote::PatchMode::kRows, rows});
    ASSERT_TRUE(staged.ok) << staged.error;
    const int64_t difference = int64_t(staged.used) - int64_t(layer_by_layer.used);
    const std::string expected = difference < 0   ? mote::tools::with_commas(-difference) + " B less"
                                 : difference > 0 ? mote::tools::with_commas(difference) + " B more"
                                                  : "the same";
    saw_less |= difference < 0;
    saw_more |= difference > 0;
    CommandResult r = mote({"inspect", "--patch", std::to_string(rows), vww});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "B layer by layer (" + expected + ")")) << r.out;
    EXPECT_FALSE(contains(r.out, "(-")) << r.out;
  }
  EXPECT_TRUE(saw_less && saw_more);
}

TEST_F(CliTest, InspectJsonOfPersonDetectHasTheStableKeys) {
  MOTE_REQUIRE_SHARED();
  const std::vector<uint8_t> model = read_file(person_detect());
  const Allocation direct = allocate_directly(as_deployed(model));
  CommandResult r = mote({"inspect", person_detect(), "--json"});
  EXPECT_EQ(r.exit_code, direct.ok ? 0 : 1) << r.err;
  json doc = json::parse(r.out);
  for (const char* key : {"model", "inputs", "outputs", "operators", "total_macs", "weight_bytes", "weight_tensors",
                          "required_ops", "tensors", "allocation"})
    EXPECT_TRUE(doc.contains(key)) << key;
  for (const char* key : {"path", "file_bytes", "description", "schema_version", "subgraphs", "tensors", "operators"})
    EXPECT_TRUE(doc["model"].contains(key)) << key;
  for (const char* key : {"ok", "error", "arena_used_bytes", "arena_planned_bytes", "arena_planned_bound_bytes",
                          "arena_persistent_bytes", "memory_plan"})
    EXPECT_TRUE(doc["allocation"].contains(key)) << key;
  // person_detect's plan reaches its lower bound.
  EXPECT_EQ(doc["allocation"]["arena_planned_bound_bytes"], doc["allocation"]["arena_planned_bytes"]);
  EXPECT_EQ(doc["model"]["file_bytes"], model.size());
  EXPECT_EQ(doc["model"]["schema_version"], 3);
  ASSERT_EQ(doc["operators"].size(), 31u);
  int64_t sum = 0;
  for (const auto& op : doc["operators"]) sum += op["macs"].get<int64_t>();
  EXPECT_EQ(doc["total_macs"], sum);
  // Node 2: CONV_2D [1,48,48,8] -> [1,48,48,16] with a 1x1 filter.
  EXPECT_EQ(doc["operators"][2]["op"], "CONV_2D");
  EXPECT_EQ(doc["operators"][2]["macs"], 48 * 48 * 16 * 8);
  // Node 0: 3x3 depthwise, stride 2, [1,96,96,1] -> [1,48,48,8].
  EXPECT_EQ(doc["operators"][0]["macs"], 48 * 48 * 8 * 9);
  const json& input = doc["inputs"][0];
  EXPECT_EQ(input["dtype"], "int8");
  EXPECT_EQ(input["bytes"], 9216);
  EXPECT_EQ(input["quantization"]["zero_points"][0], -1);
  // A per-channel weight tensor keeps every scale.
  const json& weights = doc["tensors"][1];
  EXPECT_EQ(weights["kind"], "constant");
  EXPECT_EQ(weights["quantization"]["count"], 128);
  EXPECT_EQ(weights["quantization"]["scales"].size(), 128u);
  if (direct.ok) {
    EXPECT_EQ(doc["allocation"]["arena_used_bytes"], direct.used);
    // Beside it the plain .tflite's figure, 8 bytes per output channel of
    // its 14 CONV_2D / DEPTHWISE_CONV_2D ops more.
    EXPECT_EQ(doc["allocation"]["arena_plain_bytes"], allocate_directly(model).used);
    EXPECT_EQ(doc["allocation"]["arena_plain_bytes"].get<int64_t>() - doc["allocation"]["arena_used_bytes"].get<int64_t>(),
              doc["allocation"]["prepared_constants"]["bytes"].get<int64_t>());
    EXPECT_LT(doc["allocation"]["arena_used_bytes"], doc["allocation"]["arena_plain_bytes"]);
    EXPECT_EQ(doc["allocation"]["memory_plan"].size(), size_t(direct.plan_entries));
    for (const auto& b : doc["allocation"]["memory_plan"]) {
      EXPECT_LE(b["offset"].get<int64_t>() + b["size"].get<int64_t>(), int64_t(direct.planned));
      EXPECT_LE(b["first"].get<int64_t>(), b["last"].get<int64_t>());
    }
  }
}

// ------------------------------------------------------------------ run

TEST_F(CliTest, RunWritesOutputsAndSummarises) {
  const std::string model = save("add.tflite", add_model());
  const std::vector<float> a = {1.5f, -2.0f, 3.25f, 0.0f}, b = {0.5f, 1.0f, 10.0f, -4.0f};
  const std::string a_file = save("a.bin", bytes_of(a)), b_file = save("b.bin", bytes_of(b));
  CommandResult r = mote({"run", model, "-i", a_file, "--input", b_file, "-o", path("sum.bin")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string sum = slurp(dir_ / "sum.bin");
  ASSERT_EQ(sum.size(), 16u);
  EXPECT_EQ(floats_of(sum), (std::vector<float>{2.0f, -1.0f, 13.25f, -4.0f}));
  EXPECT_TRUE(contains(r.out, "output 0 'sum' float32[1,4]")) << r.out;
  EXPECT_TRUE(contains(r.out, "argmax 2")) << r.out;
  EXPECT_TRUE(contains(r.out, "max 13.25")) << r.out;
  EXPECT_TRUE(contains(r.out, "min -4")) << r.out;

  // .npy inputs and output.
  const std::string a_npy = path("a.npy");
  mote::tools::write_npy(a_npy, DType::kFloat32, {1, 4}, bytes_of(a));
  CommandResult n = mote({"run", model, "-i", a_npy, "-i", b_file, "-o", path("sum.npy")});
  ASSERT_EQ(n.exit_code, 0) << n.err;
  mote::tools::NpyArray out = mote::tools::read_npy(path("sum.npy"));
  EXPECT_EQ(out.type, DType::kFloat32);
  EXPECT_EQ(out.shape, (std::vector<int32_t>{1, 4}));
  EXPECT_EQ(values_of<float>(out.data), (std::vector<float>{2.0f, -1.0f, 13.25f, -4.0f}));
  // No temporary files left behind.
  for (const auto& f : files()) EXPECT_FALSE(contains(f, ".tmp")) << f;
}

TEST_F(CliTest, RunRejectsWrongInputCountAndSize) {
  const std::string model = save("add.tflite", add_model());
  const std::string good = save("good.bin", bytes_of(std::vector<float>(4, 1.0f)));
  const std::string short_file = save("short.bin", bytes_of(std::vector<float>(3, 1.0f)));

  CommandResult too_few = mote({"run", model, "-i", good, "-o", path("out.bin")});
  EXPECT_EQ(too_few.exit_code, 1);
  EXPECT_TRUE(contains(too_few.err, "2 inputs")) << too_few.err;
  EXPECT_TRUE(contains(too_few.err, "1 --input file")) << too_few.err;
  EXPECT_TRUE(contains(too_few.err, "'b'")) << "lists the expected inputs: " << too_few.err;

  CommandResult too_many = mote({"run", model, "-i", good, "-i", good, "-i", good});
  EXPECT_EQ(too_many.exit_code, 1);
  EXPECT_TRUE(contains(too_many.err, "3 --input files")) << too_many.err;

  // An existing output file must survive a failed run untouched.
  save("out.bin", {'o', 'l', 'd'});
  CommandResult wrong_size = mote({"run", model, "-i", good, "-i", short_file, "-o", path("out.bin")});
  EXPECT_EQ(wrong_size.exit_code, 1);
  EXPECT_TRUE(contains(wrong_size.err, "input 1 'b' expects float32[1,4] = 16 bytes")) << wrong_size.err;
  EXPECT_TRUE(contains(wrong_size.err, "has 12 bytes")) << wrong_size.err;
  EXPECT_EQ(slurp(dir_ / "out.bin"), "old");
  for (const auto& f : files()) EXPECT_FALSE(contains(f, ".tmp")) << f;

  mote::tools::write_npy(path("ints.npy"), DType::kInt32, {1, 4}, bytes_of(std::vector<int32_t>(4, 1)));
  CommandResult wrong_type = mote({"run", model, "-i", good, "-i", path("ints.npy")});
  EXPECT_EQ(wrong_type.exit_code, 1);
  EXPECT_TRUE(contains(wrong_type.err, "float32")) << wrong_type.err;
  EXPECT_TRUE(contains(wrong_type.err, "int32")) << wrong_type.err;

  CommandResult missing = mote({"run", model, "-i", good, "-i", path("missing.bin")});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(contains(missing.err, "does not exist")) << missing.err;

  CommandResult bad_ext = mote({"run", model, "-i", good, "-i", good, "-o", path("out.txt")});
  EXPECT_EQ(bad_ext.exit_code, 1);
  EXPECT_TRUE(contains(bad_ext.err, ".npy")) << bad_ext.err;
  EXPECT_FALSE(fs::exists(dir_ / "out.txt"));

  CommandResult no_dir = mote({"run", model, "-i", good, "-i", good, "-o", path("no/such/dir/out.bin")});
  EXPECT_EQ(no_dir.exit_code, 1);
  EXPECT_TRUE(contains(no_dir.err, "cannot write")) << no_dir.err;
}

TEST_F(CliTest, RunWithAnUnsupportedOpFailsWithAHint) {
  const std::string model = save("custom.tflite", custom_op_model());
  const std::string in = save("x.bin", std::vector<uint8_t>(8, 1));
  CommandResult r = mote({"run", model, "-i", in, "-o", path("y.bin")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "FancyWindow")) << r.err;
  EXPECT_TRUE(contains(r.err, "hint:")) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "y.bin"));
}

TEST_F(CliTest, RunPersonDetectMatchesTheInterpreter) {
  MOTE_REQUIRE_SHARED();
  const std::vector<uint8_t> model = read_file(person_detect());
  const std::string input = shared_dir() + "/conformance/person_detect/input_0_0.bin";
  const RunResult direct = run_model(model, {read_file(input)});
  CommandResult r = mote({"run", person_detect(), "--input", input, "--output", path("scores.bin")});
  if (!direct.ok()) {
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(contains(r.err, direct.error)) << r.err;
    return;
  }
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string scores = slurp(dir_ / "scores.bin");
  ASSERT_EQ(scores.size(), 2u);
  EXPECT_EQ(std::vector<uint8_t>(scores.begin(), scores.end()), direct.outputs[0]);
  EXPECT_TRUE(contains(r.out, "int8[1,2]")) << r.out;
  EXPECT_TRUE(contains(r.out, "dequantized:")) << r.out;
  const int8_t s0 = int8_t(scores[0]), s1 = int8_t(scores[1]);
  EXPECT_TRUE(contains(r.out, "argmax " + std::string(s1 > s0 ? "1" : "0"))) << r.out;

  std::vector<uint8_t> short_input = read_file(input);
  short_input.resize(9000);
  CommandResult bad = mote({"run", person_detect(), "--input", save("x.bin", short_input)});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_TRUE(contains(bad.err, "input 0 'input' expects int8[1,96,96,1] = 9216 bytes")) << bad.err;
  EXPECT_TRUE(contains(bad.err, "has 9000 bytes")) << bad.err;
}

// `mote run` over the shared five-step sequence of mnist_lstm_int8 on one
// interpreter reproduces TFLM's output of every step byte for byte, given as
// repeated --input sets or as a --steps folder.
TEST_F(CliTest, RunSequenceReproducesTheReferenceAtEveryStep) {
  MOTE_REQUIRE_SHARED();
  const auto data = mote::tools::read_conformance_model(shared_dir(), "mnist_lstm_int8");
  const auto steps = mote::tools::read_conformance_sequence(data);
  ASSERT_EQ(steps.size(), 5u);
  std::vector<std::string> args = {"run", data.model_file};
  for (size_t s = 0; s < steps.size(); ++s) {
    ASSERT_EQ(steps[s].sample.inputs.size(), 1u);
    args.insert(args.end(), {"--input", steps[s].sample.inputs[0], "--output", path("out" + std::to_string(s) + ".bin")});
  }
  const CommandResult listed = mote(args);
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_TRUE(contains(listed.out, "5 steps on one interpreter")) << listed.out;

  fs::create_directories(dir_ / "steps");
  const CommandResult folder = mote({"run", data.model_file, "--steps", data.dir + "/sequence", "--output-dir",
                                     path("steps")});
  ASSERT_EQ(folder.exit_code, 0) << folder.err;

  // Independent one-step sequences: every step starts from the initial state.
  fs::create_directories(dir_ / "reset");
  const CommandResult reset = mote({"run", data.model_file, "--steps", data.dir + "/sequence", "--reset-every", "1",
                                    "--output-dir", path("reset")});
  ASSERT_EQ(reset.exit_code, 0) << reset.err;

  int carried = 0;
  for (size_t s = 0; s < steps.size(); ++s) {
    const std::vector<uint8_t> want = read_file(steps[s].sample.outputs[0]);
    const std::string name = "step_" + std::to_string(s) + "_output_0.bin";
    EXPECT_EQ(read_file(path("out" + std::to_string(s) + ".bin")), want) << "step " << s << " (--input)";
    EXPECT_EQ(read_file(path("steps/" + name)), want) << "step " << s << " (--steps)";
    // Reset before every step: the same bytes as a fresh run of that input alone.
    const CommandResult alone =
        mote({"run", data.model_file, "--input", steps[s].sample.inputs[0], "--output", path("alone.bin")});
    ASSERT_EQ(alone.exit_code, 0) << alone.err;
    EXPECT_EQ(read_file(path("reset/" + name)), read_file(path("alone.bin"))) << "step " << s << " (--reset-every 1)";
    if (read_file(path("alone.bin")) != want) ++carried;
  }
  EXPECT_GT(carried, 0) << "no step depends on the carried state: the sequence checks nothing";
}

TEST_F(CliTest, RunSequenceRejectsIncompleteSteps) {
  const std::string model = save("add.tflite", add_model());
  const std::string good = save("good.bin", bytes_of(std::vector<float>(4, 1.0f)));
  // Two steps of two inputs, but three --output files for two outputs in total.
  CommandResult outputs = mote({"run", model, "-i", good, "-i", good, "-i", good, "-i", good, "-o", path("a.bin"),
                                "-o", path("b.bin"), "-o", path("c.bin")});
  EXPECT_EQ(outputs.exit_code, 1);
  EXPECT_TRUE(contains(outputs.err, "2 steps of 1 output but 3 --output files")) << outputs.err;

  fs::create_directories(dir_ / "seq");
  write_file(dir_ / "seq/step_0_input_0.bin", bytes_of(std::vector<float>(4, 1.0f)));
  write_file(dir_ / "seq/step_0_input_1.bin", bytes_of(std::vector<float>(4, 2.0f)));
  write_file(dir_ / "seq/step_1_input_0.bin", bytes_of(std::vector<float>(4, 3.0f)));
  CommandResult missing = mote({"run", model, "--steps", path("seq")});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(contains(missing.err, "step 1")) << missing.err;
  EXPECT_TRUE(contains(missing.err, "step_1_input_1.bin")) << missing.err;

  CommandResult empty = mote({"run", model, "--steps", dir_.string()});
  EXPECT_EQ(empty.exit_code, 1);
  EXPECT_TRUE(contains(empty.err, "no step_0_input_0.bin")) << empty.err;

  CommandResult both = mote({"run", model, "--steps", path("seq"), "-i", good});
  EXPECT_EQ(both.exit_code, 2) << both.err;

  write_file(dir_ / "seq/step_1_input_1.bin", bytes_of(std::vector<float>(4, 4.0f)));
  CommandResult ok = mote({"run", model, "--steps", path("seq"), "-o", path("s0.bin"), "-o", path("s1.bin")});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(read_file(path("s0.bin")), bytes_of(std::vector<float>(4, 3.0f)));
  EXPECT_EQ(read_file(path("s1.bin")), bytes_of(std::vector<float>(4, 7.0f)));
}

}  // namespace
