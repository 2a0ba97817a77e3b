// `mote inspect`: op attributes and per-op output shapes (text and JSON), and
// where the model goes on an ESP32-S3 (arena in internal SRAM or PSRAM, flash).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_harness.h"
#include "op_harness.h"
#include "tools/model_builder.h"

using mote::DType;
using mote::tools::ModelBuilder;
using mote::tools::Options;
using mote::tools::TensorSpec;
namespace schema = mote::schema;
using Json = nlohmann::json;

namespace {

// [1, 16, 16, 3] -> CONV_2D 3x3 stride 2 SAME RELU6 dilation 1 -> [1, 8, 8, 4]
// -> DEPTHWISE 3x3 x2 VALID dilation 2 -> [1, 4, 4, 8] -> AVERAGE_POOL 2x2 s2 -> [1, 2, 2, 8]
// -> FC 5 units -> SOFTMAX beta 0.5. `wide` makes the input large enough
// to need PSRAM, `heavy_bytes` adds an unused large constant (flash).
std::vector<uint8_t> cnn(int side, size_t heavy_bytes) {
  ModelBuilder b;
  const int half = side / 2, quarter = half - 4, pooled = quarter / 2;
  const int x = b.add_tensor({"image", DType::kFloat32, {1, side, side, 3}});
  const int cw = b.add_tensor(TensorSpec::constant<float>("cw", DType::kFloat32, {4, 3, 3, 3}, std::vector<float>(108, 0.1f)));
  const int cb = b.add_tensor(TensorSpec::constant<float>("cb", DType::kFloat32, {4}, std::vector<float>(4, 0.0f)));
  const int c = b.add_tensor({"conv", DType::kFloat32, {1, half, half, 4}});
  b.add_operator(schema::BuiltinOp::kConv2D, {x, cw, cb}, {c},
                 Options(schema::OptionsType::kConv2D)
                     .i8(schema::conv2d_options::padding, 0)
                     .i32(schema::conv2d_options::stride_w, 2)
                     .i32(schema::conv2d_options::stride_h, 2)
                     .i8(schema::conv2d_options::fused_activation_function, int8_t(schema::Activation::kRelu6)));
  const int dw = b.add_tensor(TensorSpec::constant<float>("dw", DType::kFloat32, {1, 3, 3, 8}, std::vector<float>(72, 0.1f)));
  const int db = b.add_tensor(TensorSpec::constant<float>("db", DType::kFloat32, {8}, std::vector<float>(8, 0.0f)));
  const int d = b.add_tensor({"depthwise", DType::kFloat32, {1, quarter, quarter, 8}});
  b.add_operator(schema::BuiltinOp::kDepthwiseConv2D, {c, dw, db}, {d},
                 Options(schema::OptionsType::kDepthwiseConv2D)
                     .i8(schema::depthwise_conv2d_options::padding, 1)
                     .i32(schema::depthwise_conv2d_options::stride_w, 1)
                     .i32(schema::depthwise_conv2d_options::stride_h, 1)
                     .i32(schema::depthwise_conv2d_options::depth_multiplier, 2)
                     .i32(schema::depthwise_conv2d_options::dilation_w_factor, 2)
                     .i32(schema::depthwise_conv2d_options::dilation_h_factor, 2));
  const int p = b.add_tensor({"pool", DType::kFloat32, {1, pooled, pooled, 8}});
  b.add_operator(schema::BuiltinOp::kAveragePool2D, {d}, {p},
                 Options(schema::OptionsType::kPool2D)
                     .i8(schema::pool2d_options::padding, 1)
                     .i32(schema::pool2d_options::stride_w, 2)
                     .i32(schema::pool2d_options::stride_h, 2)
                     .i32(schema::pool2d_options::filter_width, 2)
                     .i32(schema::pool2d_options::filter_height, 2));
  const int features = pooled * pooled * 8;
  const int fw = b.add_tensor(TensorSpec::constant<float>("fw", DType::kFloat32, {5, features},
                                                          std::vector<float>(size_t(5 * features), 0.01f)));
  const int logits = b.add_tensor({"logits", DType::kFloat32, {1, 5}});
  b.add_operator(schema::BuiltinOp::kFullyConnected, {p, fw, -1}, {logits}, Options(schema::OptionsType::kFullyConnected));
  const int y = b.add_tensor({"probabilities", DType::kFloat32, {1, 5}});
  b.add_operator(schema::BuiltinOp::kSoftmax, {logits}, {y},
                 Options(schema::OptionsType::kSoftmax).f32(schema::softmax_options::beta, 0.5f));
  if (heavy_bytes > 0) {
    const int heavy = b.add_tensor(TensorSpec::constant<float>("unused_heavy", DType::kFloat32,
                                                               {int32_t(heavy_bytes / 4)}, std::vector<float>(heavy_bytes / 4, 1.0f)));
    (void)heavy;
  }
  b.set_inputs({x});
  b.set_outputs({y});
  return b.serialize();
}

class InspectAttributes : public MoteCliTest {};

TEST_F(InspectAttributes, OperatorsShowTheirAttributesAndOutputShapes) {
  const std::string model = save("cnn.tflite", cnn(16, 0));
  const CommandResult r = mote({"inspect", model});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* needle : {"output shape", "attributes", "[1,8,8,4]", "kernel 3x3, stride 2x2, SAME, RELU6",
                             "kernel 3x3, stride 1x1, VALID, dilation 2x2, depth multiplier 2", "[1,4,4,8]",
                             "kernel 2x2, stride 2x2, VALID", "[1,2,2,8]", "units 5", "beta 0.5"})
    EXPECT_TRUE(contains(r.out, needle)) << needle << "\n" << r.out;

  const Json j = Json::parse(mote({"inspect", model, "--json"}).out);
  const Json& conv = j["operators"][0];
  EXPECT_EQ(conv["output_shapes"], Json::parse("[[1, 8, 8, 4]]"));
  EXPECT_EQ(conv["attributes"]["kernel"], Json::parse("[3, 3]"));
  EXPECT_EQ(conv["attributes"]["stride"], Json::parse("[2, 2]"));
  EXPECT_EQ(conv["attributes"]["padding"], "SAME");
  EXPECT_EQ(conv["attributes"]["activation"], "RELU6");
  EXPECT_FALSE(conv["attributes"].contains("dilation")) << "defaults are left out";
  EXPECT_EQ(j["operators"][1]["attributes"]["depth multiplier"], 2);
  EXPECT_EQ(j["operators"][1]["attributes"]["dilation"], Json::parse("[2, 2]"));
  EXPECT_EQ(j["operators"][3]["attributes"]["units"], 5);
  EXPECT_EQ(j["operators"][4]["attributes"]["beta"], "0.5");
}

TEST_F(InspectAttributes, SaysWhereTheModelGoesOnAnEsp32S3) {
  // Small: internal SRAM and the default 4 MB flash layout.
  CommandResult r = mote({"inspect", save("small.tflite", cnn(16, 0))});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "On an ESP32-S3")) << r.out;
  EXPECT_TRUE(contains(r.out, "B: internal SRAM")) << r.out;
  EXPECT_TRUE(contains(r.out, "fits the default app partition of a 4 MB flash")) << r.out;
  Json j = Json::parse(mote({"inspect", path("small.tflite"), "--json"}).out);
  EXPECT_EQ(j["esp32s3"]["arena"]["placement"], "internal");
  EXPECT_EQ(j["esp32s3"]["arena"]["bytes"], j["allocation"]["arena_used_bytes"]);
  EXPECT_EQ(j["esp32s3"]["flash"]["flash_mb"], 4);

  // A 192x192x3 float input alone is 442,368 B: more than the internal DRAM.
  r = mote({"inspect", save("wide.tflite", cnn(192, 0))});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "B: PSRAM (more than the")) << r.out;
  j = Json::parse(mote({"inspect", path("wide.tflite"), "--json"}).out);
  EXPECT_EQ(j["esp32s3"]["arena"]["placement"], "psram");
  EXPECT_EQ(j["esp32s3"]["arena"]["psram_required"], true);

  // 4 MB of weights: an app partition of 5 MB, on an 8 MB flash.
  r = mote({"inspect", save("heavy.tflite", cnn(16, 4 << 20))});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "needs 8 MB flash")) << r.out;
  j = Json::parse(mote({"inspect", path("heavy.tflite"), "--json"}).out);
  EXPECT_EQ(j["esp32s3"]["flash"]["flash_mb"], 8);
  EXPECT_EQ(j["esp32s3"]["flash"]["custom_partitions"], true);
}

}  // namespace
