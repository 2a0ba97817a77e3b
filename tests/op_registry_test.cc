// Every line of mote/op_registry.def round-trips: a one-op model written by
// the model builder loads with the op's code and options type, the resolver
// of register_all_ops() finds the op's registration under the table's name,
// and the names tools and error messages print come from the same line.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "mote/interpreter.h"
#include "mote/model.h"
#include "mote/op_resolver.h"
#include "mote/ops.h"
#include "mote/schema.h"
#include "tools/model_builder.h"
#include "tools/model_stats.h"
#include "tools/quantizer/op_rules.h"

namespace {

using mote::DType;
using mote::schema::BuiltinOp;
using mote::schema::OptionsType;

struct RegistryEntry {
  const char* name;
  const char* function;
  const mote::OpRegistration& (*registration)();
  int32_t code;
  OptionsType options;
};

const std::vector<RegistryEntry>& registry() {
  static const std::vector<RegistryEntry> entries = {
#define MOTE_OP(NAME, function, Enum, code, Options, ...) \
  {#NAME, #function, mote::ops::function, code, OptionsType::k##Options},
#include "mote/op_registry.def"
#undef MOTE_OP
  };
  return entries;
}

// A float op with one input and one output, its options table present (empty,
// so every field has its default) when the op has one.
std::vector<uint8_t> one_op_model(const RegistryEntry& op) {
  mote::tools::ModelBuilder b;
  const int in = b.add_tensor({"in", DType::kFloat32, {1, 4}});
  const int out = b.add_tensor({"out", DType::kFloat32, {1, 4}});
  b.add_operator(BuiltinOp(op.code), {in}, {out}, mote::tools::Options(op.options));
  b.set_inputs({in});
  b.set_outputs({out});
  return b.serialize();
}

TEST(OpRegistry, EveryBuiltinRoundTripsThroughWriterReaderAndResolver) {
  mote::OpResolver all;
  ASSERT_EQ(mote::register_all_ops(all), mote::Status::kOk);
  ASSERT_EQ(size_t(all.size()), registry().size()) << "register_all_ops() must register each line once";

  for (const RegistryEntry& op : registry()) {
    SCOPED_TRACE(op.name);
    const std::vector<uint8_t> bytes = one_op_model(op);
    mote::Model model;
    char error[256] = {};
    ASSERT_EQ(model.load(bytes.data(), bytes.size(), error, sizeof(error)), mote::Status::kOk) << error;
    ASSERT_EQ(model.num_operators(), 1u);
    const mote::OperatorInfo info = model.op(0);
    EXPECT_EQ(info.builtin_code, op.code);
    EXPECT_EQ(info.options_type, op.options);
    EXPECT_EQ(info.options.valid(), op.options != OptionsType::kNone);

    const mote::OpRegistration* found = all.find(info.builtin_code, info.custom_code);
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(found, &op.registration()) << "mote::ops::" << op.function << "() is not what the resolver finds";
    EXPECT_EQ(found->builtin_code, op.code);
    EXPECT_EQ(found->custom_name, nullptr);
    EXPECT_STREQ(found->name, op.name);

    EXPECT_STREQ(mote::schema::builtin_op_name(op.code), op.name);
    EXPECT_STREQ(mote::registration_function_name(op.code), op.function);
    EXPECT_EQ(mote::tools::op_display_name(model, 0), op.name);
    EXPECT_EQ(mote::tools::op_registration_function(op.code), op.function);
  }
}

TEST(OpRegistry, CodesAndFunctionNamesAreUnique) {
  std::set<int32_t> codes;
  std::set<std::string> functions;
  for (const RegistryEntry& op : registry()) {
    EXPECT_TRUE(codes.insert(op.code).second) << op.name;
    EXPECT_TRUE(functions.insert(op.function).second) << op.name;
  }
}

// The interpreter's error for an op the resolver lacks names the function
// from the table (PADV2's is pad_v2, not the lower-case name).
TEST(OpRegistry, MissingOpErrorNamesTheTablesFunction) {
  for (const RegistryEntry& op : registry()) {
    SCOPED_TRACE(op.name);
    const std::vector<uint8_t> bytes = one_op_model(op);
    mote::OpResolver empty;
    std::vector<uint8_t> arena(4096);
    mote::Interpreter interpreter(bytes.data(), bytes.size(), empty, arena.data(), arena.size());
    ASSERT_NE(interpreter.allocate(), mote::Status::kOk);
    const std::string e = interpreter.error_message();
    EXPECT_NE(e.find(std::string("needs op ") + op.name + " "), std::string::npos) << e;
    EXPECT_NE(e.find(std::string("mote::ops::") + op.function + "()"), std::string::npos) << e;
  }
}

TEST(OpRegistry, UnimplementedBuiltinsHaveNoFunction) {
  EXPECT_STREQ(mote::schema::builtin_op_name(int32_t(BuiltinOp::kReluN1To1)), "RELU_N1_TO_1");
  EXPECT_EQ(mote::registration_function_name(int32_t(BuiltinOp::kReluN1To1)), nullptr);
  EXPECT_EQ(mote::registration_function_name(int32_t(BuiltinOp::kCustom)), nullptr);
  EXPECT_EQ(mote::tools::op_registration_function(36), "");  // GATHER

  mote::tools::ModelBuilder b;
  const int t = b.add_tensor({"t", DType::kFloat32, {1, 4}});
  b.add_operator(BuiltinOp(36), {t}, {t});
  b.set_inputs({t});
  b.set_outputs({t});
  const std::vector<uint8_t> bytes = b.serialize();
  mote::OpResolver all;
  ASSERT_EQ(mote::register_all_ops(all), mote::Status::kOk);
  std::vector<uint8_t> arena(4096);
  mote::Interpreter interpreter(bytes.data(), bytes.size(), all, arena.data(), arena.size());
  ASSERT_NE(interpreter.allocate(), mote::Status::kOk);
  const std::string e = interpreter.error_message();
  EXPECT_NE(e.find("GATHER"), std::string::npos) << e;
  EXPECT_NE(e.find("no kernel"), std::string::npos) << e;
  EXPECT_EQ(e.find("mote::ops::"), std::string::npos) << e;
}

// The quantization column: ops marked not_quantized() have no rule, every
// other op has one under its code.
TEST(OpRegistry, QuantizationColumnGivesTheRules) {
  namespace q = mote::tools::quantizer;
  for (const char* name : {"CAST", "DIV", "QUANTIZE", "DEQUANTIZE"})
    for (const RegistryEntry& op : registry())
      if (std::string(op.name) == name) EXPECT_EQ(q::find_rule(op.code), nullptr) << name;
  const q::OpRule* conv = q::find_rule(int32_t(BuiltinOp::kConv2D));
  ASSERT_NE(conv, nullptr);
  EXPECT_EQ(conv->weight_input, 1);
  EXPECT_EQ(conv->weight_axis, 0);
  EXPECT_EQ(conv->bias_input, 2);
  const q::OpRule* concat = q::find_rule(int32_t(BuiltinOp::kConcatenation));
  ASSERT_NE(concat, nullptr);
  EXPECT_EQ(concat->output, q::OutputRule::kSameAsOutput);
  EXPECT_TRUE(q::is_activation_input(*concat, 5));
  const q::OpRule* softmax = q::find_rule(int32_t(BuiltinOp::kSoftmax));
  ASSERT_NE(softmax, nullptr);
  EXPECT_EQ(softmax->output, q::OutputRule::kFixed);
  EXPECT_EQ(softmax->fixed.zero_point, -128);
}

}  // namespace
