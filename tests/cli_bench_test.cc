// `mote bench`: runs the built binary on small models: exit codes, one row
// per node and per op type, MACs, the JSON document. No timing assertions.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_harness.h"
#include "tools/model_builder.h"

using mote::DType;
using mote::tools::ModelBuilder;
using mote::tools::Options;
using mote::tools::TensorSpec;
using nlohmann::json;
namespace schema = mote::schema;

namespace {

// Float32: image [1,6,6,2] -> CONV_2D 3x3x2 -> 4 channels [1,4,4,4] -> RELU
// -> RESHAPE [1,64]. CONV_2D MACs: 4*4*4 outputs * 3*3*2 = 1152; RELU 64.
std::vector<uint8_t> conv_relu_model() {
  ModelBuilder b;
  const int in = b.add_tensor({"image", DType::kFloat32, {1, 6, 6, 2}});
  std::vector<float> weights(4 * 3 * 3 * 2);
  for (size_t i = 0; i < weights.size(); ++i) weights[i] = 0.01f * float(int(i % 7) - 3);
  const int w = b.add_tensor(TensorSpec::constant<float>("w", DType::kFloat32, {4, 3, 3, 2}, weights));
  const int bias = b.add_tensor(TensorSpec::constant<float>("b", DType::kFloat32, {4}, std::vector<float>(4, 0.1f)));
  const int conv = b.add_tensor({"conv", DType::kFloat32, {1, 4, 4, 4}});
  const int relu = b.add_tensor({"relu", DType::kFloat32, {1, 4, 4, 4}});
  const int shape =
      b.add_tensor(TensorSpec::constant<int32_t>("shape", DType::kInt32, {2}, std::vector<int32_t>{1, 64}));
  const int flat = b.add_tensor({"flat", DType::kFloat32, {1, 64}});
  namespace conv_opt = schema::conv2d_options;
  b.add_operator(schema::BuiltinOp::kConv2D, {in, w, bias}, {conv},
                 Options(schema::OptionsType::kConv2D)
                     .i8(conv_opt::padding, 1)
                     .i32(conv_opt::stride_w, 1)
                     .i32(conv_opt::stride_h, 1),
                 3);
  b.add_operator(schema::BuiltinOp::kRelu, {conv}, {relu});
  b.add_operator(schema::BuiltinOp::kReshape, {relu, shape}, {flat},
                 Options(schema::OptionsType::kReshape).i32_vector(schema::reshape_options::new_shape, {1, 64}));
  b.set_inputs({in});
  b.set_outputs({flat});
  return b.serialize();
}

class CliBenchTest : public MoteCliTest {
 protected:
  void SetUp() override {
    MoteCliTest::SetUp();
    model_ = save("model.tflite", conv_relu_model());
  }

  std::string model_;
};

TEST_F(CliBenchTest, TablesHaveOneRowPerNodeAndOpType) {
  const CommandResult r = mote({"bench", model_, "--repeat", "3", "--warmup", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "3 invokes after 1 warm-up")) << r.out;
  EXPECT_TRUE(contains(r.out, "Per node")) << r.out;
  EXPECT_TRUE(contains(r.out, "Per op type")) << r.out;
  for (const char* op : {"CONV_2D", "RELU", "RESHAPE"}) EXPECT_TRUE(contains(r.out, op)) << op << "\n" << r.out;
  EXPECT_TRUE(contains(r.out, "1,152")) << "CONV_2D MACs\n" << r.out;
  EXPECT_TRUE(contains(r.out, "Total:")) << r.out;
  EXPECT_TRUE(contains(r.out, "invokes/s")) << r.out;
  EXPECT_TRUE(contains(r.out, "1,216 MACs")) << r.out;  // 1152 + 64
}

TEST_F(CliBenchTest, JsonHasEveryNodeAndSharesAddUp) {
  const CommandResult r = mote({"bench", model_, "--repeat", "4", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["repeat"], 4);
  ASSERT_EQ(j["nodes"].size(), 3u);
  EXPECT_EQ(j["nodes"][0]["op"], "CONV_2D");
  EXPECT_EQ(j["nodes"][0]["macs"], 1152);
  EXPECT_EQ(j["nodes"][1]["op"], "RELU");
  EXPECT_EQ(j["nodes"][1]["macs"], 64);
  EXPECT_EQ(j["nodes"][2]["op"], "RESHAPE");
  EXPECT_EQ(j["total_macs"], 1216);
  double share = 0;
  for (const json& n : j["nodes"]) {
    EXPECT_GE(n["mean_us"].get<double>(), 0.0);
    EXPECT_LE(n["min_us"].get<double>(), n["mean_us"].get<double>() + 1e-9);
    share += n["share"].get<double>();
  }
  EXPECT_NEAR(share, 1.0, 1e-6);
  EXPECT_EQ(j["ops"].size(), 3u);
  EXPECT_GT(j["invokes_per_second"].get<double>(), 0.0);
  EXPECT_GT(j["arena_used_bytes"].get<int64_t>(), 0);
  EXPECT_GE(j["invoke_us"]["max"].get<double>(), j["invoke_us"]["min"].get<double>());
}

TEST_F(CliBenchTest, InputFilesAreChecked) {
  const std::string good = save("good.bin", std::vector<uint8_t>(6 * 6 * 2 * 4, 0));
  const CommandResult ok = mote({"bench", model_, "-i", good, "-n", "1", "--json"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(json::parse(ok.out)["inputs"][0], good);

  const std::string short_file = save("short.bin", std::vector<uint8_t>(10, 0));
  const CommandResult bad = mote({"bench", model_, "-i", short_file});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_TRUE(contains(bad.err, "input 0")) << bad.err;

  const CommandResult two = mote({"bench", model_, "-i", good, "-i", good});
  EXPECT_EQ(two.exit_code, 1);
  EXPECT_TRUE(contains(two.err, "1 input")) << two.err;
}

TEST_F(CliBenchTest, BadCommandLinesAndMissingModels) {
  EXPECT_EQ(mote({"bench", model_, "--repeat", "0"}).exit_code, 2);
  EXPECT_EQ(mote({"bench"}).exit_code, 2);
  const CommandResult missing = mote({"bench", path("nope.tflite")});
  EXPECT_EQ(missing.exit_code, 1);
  const CommandResult help = mote({"bench", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_TRUE(contains(help.out, "Examples:")) << help.out;
  EXPECT_TRUE(contains(help.out, "--repeat")) << help.out;
}

}  // namespace
