// ops/quantization.h: one rule for a usable per-tensor scale in every op's
// prepare, and TFLite's fused-activation clamp ranges.
#include "ops/quantization.h"

#include <gtest/gtest.h>
#include <math.h>
#include <stdint.h>

#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "mote/schema.h"
#include "op_harness.h"
#include "tools/model_builder.h"

namespace {

using mote::DType;
using mote::tools::ModelBuilder;
using mote::tools::Options;
using mote::tools::TensorSpec;
namespace schema = mote::schema;
using Activation = schema::Activation;
using Op = schema::BuiltinOp;

TEST(ValidScale, PositiveFiniteOnly) {
  EXPECT_TRUE(mote::ops::valid_scale(0.5f));
  EXPECT_TRUE(mote::ops::valid_scale(std::numeric_limits<float>::denorm_min()));
  EXPECT_TRUE(mote::ops::valid_scale(std::numeric_limits<float>::max()));
  EXPECT_FALSE(mote::ops::valid_scale(0.0f));
  EXPECT_FALSE(mote::ops::valid_scale(-0.0f));
  EXPECT_FALSE(mote::ops::valid_scale(-1.0f));
  EXPECT_FALSE(mote::ops::valid_scale(std::numeric_limits<float>::infinity()));
  EXPECT_FALSE(mote::ops::valid_scale(-std::numeric_limits<float>::infinity()));
  EXPECT_FALSE(mote::ops::valid_scale(std::numeric_limits<float>::quiet_NaN()));
}

// A one-op int8 model whose tensor `bad` (the output, or the input for
// DEQUANTIZE) has scale `scale`; every other tensor is valid, so the model
// runs when `scale` is a usable one.
struct ScaleCase {
  const char* name;
  std::function<std::vector<uint8_t>(float scale)> model;
  std::vector<uint8_t> input;
};

TensorSpec int8_tensor(const char* name, std::vector<int32_t> shape, float scale, int64_t zero_point) {
  return TensorSpec(name, DType::kInt8, std::move(shape), {scale}, {zero_point});
}

std::vector<uint8_t> one_op(Op op, const std::vector<TensorSpec>& inputs, const TensorSpec& output,
                            Options options = Options(), int32_t version = 1) {
  ModelBuilder b;
  std::vector<int32_t> ins;
  for (const TensorSpec& t : inputs) ins.push_back(b.add_tensor(t));
  const int out = b.add_tensor(output);
  b.add_operator(op, ins, {out}, std::move(options), version);
  b.set_inputs({ins[0]});
  b.set_outputs({out});
  return b.serialize();
}

std::vector<ScaleCase> scale_cases() {
  const std::vector<uint8_t> input16(16, 3);
  std::vector<ScaleCase> cases;
  cases.push_back({"CONV_2D",
                   [](float s) {
                     return one_op(Op::kConv2D,
                                   {int8_tensor("x", {1, 2, 2, 4}, 0.5f, 1),
                                    TensorSpec::constant<int8_t>("w", DType::kInt8, {2, 1, 1, 4},
                                                                 std::vector<int8_t>(8, 1), {0.25f, 0.5f}, {0, 0})},
                                   int8_tensor("y", {1, 2, 2, 2}, s, 0),
                                   Options(schema::OptionsType::kConv2D)
                                       .i32(schema::conv2d_options::stride_w, 1)
                                       .i32(schema::conv2d_options::stride_h, 1),
                                   3);
                   },
                   input16});
  cases.push_back({"FULLY_CONNECTED",
                   [](float s) {
                     return one_op(Op::kFullyConnected,
                                   {int8_tensor("x", {1, 16}, 0.5f, 1),
                                    TensorSpec::constant<int8_t>("w", DType::kInt8, {3, 16}, std::vector<int8_t>(48, 1),
                                                                 {0.25f}, {0})},
                                   int8_tensor("y", {1, 3}, s, 0), Options(schema::OptionsType::kFullyConnected), 4);
                   },
                   input16});
  cases.push_back({"ADD",
                   [](float s) {
                     return one_op(Op::kAdd,
                                   {int8_tensor("a", {1, 16}, 0.5f, 1),
                                    TensorSpec::constant<int8_t>("b", DType::kInt8, {1, 16}, std::vector<int8_t>(16, 2),
                                                                 {0.5f}, {0})},
                                   int8_tensor("y", {1, 16}, s, 0), Options(schema::OptionsType::kAdd), 2);
                   },
                   input16});
  cases.push_back({"AVERAGE_POOL_2D",
                   [](float s) {
                     // Pooling requires equal input and output quantization.
                     return one_op(Op::kAveragePool2D, {int8_tensor("x", {1, 2, 2, 4}, s, 0)},
                                   int8_tensor("y", {1, 1, 1, 4}, s, 0),
                                   Options(schema::OptionsType::kPool2D)
                                       .i32(schema::pool2d_options::stride_w, 1)
                                       .i32(schema::pool2d_options::stride_h, 1)
                                       .i32(schema::pool2d_options::filter_width, 2)
                                       .i32(schema::pool2d_options::filter_height, 2)
                                       .i8(schema::pool2d_options::padding, int8_t(schema::Padding::kValid)),
                                   2);
                   },
                   input16});
  cases.push_back({"QUANTIZE",
                   [](float s) {
                     return one_op(Op::kQuantize, {TensorSpec("x", DType::kFloat32, {1, 4})},
                                   int8_tensor("y", {1, 4}, s, 0));
                   },
                   std::vector<uint8_t>(16, 0)});
  cases.push_back({"DEQUANTIZE",
                   [](float s) {
                     return one_op(Op::kDequantize, {int8_tensor("x", {1, 16}, s, 0)},
                                   TensorSpec("y", DType::kFloat32, {1, 16}), Options(), 2);
                   },
                   input16});
  cases.push_back({"SOFTMAX",
                   [](float s) {
                     // A valid int8 softmax output is fixed at 1/256, -128:
                     // the input carries the scale under test.
                     return one_op(Op::kSoftmax, {int8_tensor("x", {1, 16}, s, 0)},
                                   int8_tensor("y", {1, 16}, 1.0f / 256, -128),
                                   Options(schema::OptionsType::kSoftmax).f32(schema::softmax_options::beta, 1.0f), 2);
                   },
                   input16});
  cases.push_back({"LOGISTIC",
                   [](float s) {
                     return one_op(Op::kLogistic, {int8_tensor("x", {1, 16}, s, 0)},
                                   int8_tensor("y", {1, 16}, 1.0f / 256, -128), Options(), 2);
                   },
                   input16});
  cases.push_back({"MEAN",
                   [](float s) {
                     return one_op(Op::kMean,
                                   {int8_tensor("x", {1, 4, 4}, 0.5f, 0),
                                    TensorSpec::constant<int32_t>("axis", DType::kInt32, {1}, std::vector<int32_t>{2})},
                                   int8_tensor("y", {1, 4}, s, 0), Options(schema::OptionsType::kReducer), 2);
                   },
                   input16});
  return cases;
}

// Every op gives the same answer for the same scale: a valid one runs, zero,
// a negative, NaN and +-infinity fail with the same message.
TEST(PerTensorQuantization, InvalidScalesFailTheSameWayInEveryOp) {
  const float bad_scales[] = {0.0f, -0.25f, std::numeric_limits<float>::infinity(),
                              -std::numeric_limits<float>::infinity(), std::numeric_limits<float>::quiet_NaN()};
  for (const ScaleCase& c : scale_cases()) {
    SCOPED_TRACE(c.name);
    const RunResult good = run_model(c.model(0.125f), {c.input});
    EXPECT_TRUE(good.ok()) << good.error;
    for (float scale : bad_scales) {
      SCOPED_TRACE(scale);
      const RunResult r = run_model(c.model(scale), {c.input});
      EXPECT_FALSE(r.ok());
      EXPECT_NE(r.error.find("is not a positive finite number"), std::string::npos) << r.error;
    }
  }
}

TEST(FusedActivation, QuantizedRanges) {
  using namespace mote::ops;
  int32_t lo, hi;
  int8_activation_range(Activation::kNone, 0.1f, -10, &lo, &hi);
  EXPECT_EQ(lo, -128);
  EXPECT_EQ(hi, 127);
  int8_activation_range(Activation::kRelu, 0.1f, -10, &lo, &hi);
  EXPECT_EQ(lo, -10);
  EXPECT_EQ(hi, 127);
  int8_activation_range(Activation::kRelu6, 0.1f, -10, &lo, &hi);
  EXPECT_EQ(lo, -10);
  EXPECT_EQ(hi, 50);
  int8_activation_range(Activation::kReluN1To1, 0.1f, -10, &lo, &hi);
  EXPECT_EQ(lo, -20);
  EXPECT_EQ(hi, 0);
  // Bounds beyond the type's range are cut to it.
  int8_activation_range(Activation::kRelu6, 0.01f, 100, &lo, &hi);
  EXPECT_EQ(lo, 100);
  EXPECT_EQ(hi, 127);
  int16_activation_range(Activation::kReluN1To1, 1.0f / 16384, 0, &lo, &hi);
  EXPECT_EQ(lo, -16384);
  EXPECT_EQ(hi, 16384);
  quantized_activation_range(Activation::kRelu, 0.5f, -5, -128, 127, &lo, &hi);
  EXPECT_EQ(lo, -5);
  // A scale so small that 6 / scale and 1 / scale exceed int32 (UB when
  // converted before it saturated): the bounds lie beyond the type's range.
  int8_activation_range(Activation::kRelu6, 1e-10f, -5, &lo, &hi);
  EXPECT_EQ(lo, -5);
  EXPECT_EQ(hi, 127);
  int16_activation_range(Activation::kReluN1To1, 1e-45f, 0, &lo, &hi);
  EXPECT_EQ(lo, -32768);
  EXPECT_EQ(hi, 32767);
  int32_activation_range(Activation::kRelu6, &lo, &hi);
  EXPECT_EQ(lo, 0);
  EXPECT_EQ(hi, 6);
  int32_activation_range(Activation::kReluN1To1, &lo, &hi);
  EXPECT_EQ(lo, -1);
  EXPECT_EQ(hi, 1);
  int32_activation_range(Activation::kNone, &lo, &hi);
  EXPECT_EQ(lo, INT32_MIN);
  EXPECT_EQ(hi, INT32_MAX);
  // Activations a kernel cannot clamp to leave the whole range.
  int8_activation_range(Activation::kTanh, 0.1f, 3, &lo, &hi);
  EXPECT_EQ(lo, -128);
  EXPECT_EQ(hi, 127);
}

TEST(FusedActivation, FloatRanges) {
  using namespace mote::ops;
  float lo, hi;
  float_activation_range(Activation::kRelu6, &lo, &hi);
  EXPECT_EQ(lo, 0.0f);
  EXPECT_EQ(hi, 6.0f);
  float_activation_range(Activation::kReluN1To1, &lo, &hi);
  EXPECT_EQ(lo, -1.0f);
  EXPECT_EQ(hi, 1.0f);
  float_activation_range(Activation::kNone, &lo, &hi);
  EXPECT_LT(lo, -1e38f);
  EXPECT_GT(hi, 1e38f);
  EXPECT_TRUE(is_clamp_activation(Activation::kRelu));
  EXPECT_FALSE(is_clamp_activation(Activation::kTanh));
}

}  // namespace
