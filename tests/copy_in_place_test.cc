// Copy ops planned over their inputs: PAD/PADV2 writing back to front over
// its input (reference::pad_min_lead), the case of a MobileNetV2 stride-2
// block (PAD, then a VALID depthwise), and CONCATENATION with its inputs
// planned as slices of its output. Each model runs twice, once with the copied
// input free to be overwritten and once with it kept (also a model output):
// the same bytes out, a smaller arena. op_harness checks every arena byte
// outside the planned buffers after the run.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "op_harness.h"
#include "tools/model_builder.h"

namespace {

using mote::DType;
using mote::tools::ModelBuilder;
using mote::tools::Options;
using mote::tools::TensorSpec;
namespace schema = mote::schema;

// The model's outputs and arena with `x` free to be overwritten and with `x`
// kept whole as a second model output.
struct Pair {
  RunResult free_input, kept_input;
};

template <typename Build>
Pair run_both(const Build& build, const std::vector<std::vector<uint8_t>>& inputs) {
  Pair pair;
  for (bool keep : {false, true}) {
    ModelBuilder m;
    std::vector<int32_t> outputs;
    const int32_t x = build(m, &outputs);
    if (keep) outputs.push_back(x);
    m.set_outputs(outputs);
    (keep ? pair.kept_input : pair.free_input) = run_model(m.serialize(), inputs);
  }
  return pair;
}

int32_t add_pad(ModelBuilder& m, int32_t x, const std::vector<int32_t>& paddings, const TensorSpec& out) {
  const int32_t rank = int32_t(paddings.size() / 2);
  const int32_t pads = m.add_tensor(TensorSpec::constant<int32_t>("paddings", DType::kInt32, {rank, 2}, paddings));
  const int32_t y = m.add_tensor(out);
  m.add_operator(schema::BuiltinOp::kPad, {x, pads}, {y});
  return y;
}

TEST(PadInPlace, SameBytesAndASmallerArena) {
  std::mt19937 rng(31);
  int smaller = 0;
  for (int trial = 0; trial < 60; ++trial) {
    const bool is_float = trial % 3 == 0;
    const DType type = is_float ? DType::kFloat32 : DType::kInt8;
    const size_t element = is_float ? 4 : 1;
    std::vector<int32_t> shape = {1 + int32_t(rng() % 2), 1 + int32_t(rng() % 12), 1 + int32_t(rng() % 12),
                                  1 + int32_t(rng() % 20)};
    std::vector<int32_t> paddings(8), out_shape(4);
    int64_t count = 1;
    for (int d = 0; d < 4; ++d) {
      paddings[2 * d] = int32_t(rng() % 3);
      paddings[2 * d + 1] = int32_t(rng() % 3);
      out_shape[d] = shape[d] + paddings[2 * d] + paddings[2 * d + 1];
      count *= shape[d];
    }
    std::vector<uint8_t> input(size_t(count) * element);
    for (auto& v : input) v = uint8_t(rng());
    if (is_float)
      for (size_t i = 0; i < input.size(); i += 4) input[i + 3] = 0x3f;  // finite values
    const Pair r = run_both(
        [&](ModelBuilder& m, std::vector<int32_t>* outputs) {
          const int32_t x = is_float ? m.add_tensor({"x", type, shape}) : m.add_tensor({"x", type, shape, {0.5f}, {-7}});
          m.set_inputs({x});
          const TensorSpec y = is_float ? TensorSpec{"y", type, out_shape} : TensorSpec{"y", type, out_shape, {0.5f}, {-7}};
          outputs->push_back(add_pad(m, x, paddings, y));
          return x;
        },
        {input});
    ASSERT_TRUE(r.free_input.ok() && r.kept_input.ok()) << r.free_input.error << r.kept_input.error;
    ASSERT_EQ(r.free_input.outputs[0], r.kept_input.outputs[0]) << "trial " << trial;
    EXPECT_LE(r.free_input.arena_used, r.kept_input.arena_used);
    if (r.free_input.arena_used + input.size() / 2 < r.kept_input.arena_used) ++smaller;
  }
  EXPECT_GT(smaller, 40);
}

// x -> PAD (bottom/right, or all sides) -> 3x3 stride-2 VALID depthwise, as
// MobileNetV2 downsamples: the PAD's peak (input + output) becomes its output.
TEST(PadInPlace, MobileNetV2StrideTwoBlock) {
  for (bool all_sides : {false, true}) {
    const int32_t h = 28, w = 28, c = 24;
    const int32_t ph = h + 1 + (all_sides ? 1 : 0), pw = w + 1 + (all_sides ? 1 : 0);
    const int32_t oh = (ph - 3) / 2 + 1, ow = (pw - 3) / 2 + 1;
    std::mt19937 rng(41);
    std::vector<int8_t> filter(size_t(9 * c));
    for (auto& v : filter) v = int8_t(rng());
    std::vector<int32_t> bias(static_cast<size_t>(c));
    for (auto& v : bias) v = int32_t(rng() % 2001) - 1000;
    std::vector<float> scales(size_t(c), 0.003f), bias_scales(size_t(c), 0.003f * 0.05f);
    std::vector<int64_t> zeros(size_t(c), 0);
    std::vector<uint8_t> input(size_t(h * w * c));
    for (auto& v : input) v = uint8_t(rng());
    const Pair r = run_both(
        [&](ModelBuilder& m, std::vector<int32_t>* outputs) {
          const int32_t x = m.add_tensor({"x", DType::kInt8, {1, h, w, c}, {0.05f}, {3}});
          m.set_inputs({x});
          const int32_t before = all_sides ? 1 : 0;
          const int32_t padded = add_pad(m, x, {0, 0, before, 1, before, 1, 0, 0},
                                         {"padded", DType::kInt8, {1, ph, pw, c}, {0.05f}, {3}});
          const int32_t f = m.add_tensor(
              TensorSpec::constant<int8_t>("f", DType::kInt8, {1, 3, 3, c}, filter, scales, zeros, 3));
          const int32_t b =
              m.add_tensor(TensorSpec::constant<int32_t>("b", DType::kInt32, {c}, bias, bias_scales, zeros, 0));
          const int32_t y = m.add_tensor({"y", DType::kInt8, {1, oh, ow, c}, {0.04f}, {-5}});
          namespace dwo = schema::depthwise_conv2d_options;
          m.add_operator(schema::BuiltinOp::kDepthwiseConv2D, {padded, f, b}, {y},
                         Options(schema::OptionsType::kDepthwiseConv2D)
                             .i8(dwo::padding, 1)
                             .i32(dwo::stride_w, 2)
                             .i32(dwo::stride_h, 2)
                             .i32(dwo::depth_multiplier, 1)
                             .i32(dwo::dilation_w_factor, 1)
                             .i32(dwo::dilation_h_factor, 1),
                         3);
          outputs->push_back(y);
          return x;
        },
        {input});
    ASSERT_TRUE(r.free_input.ok() && r.kept_input.ok()) << r.free_input.error << r.kept_input.error;
    EXPECT_EQ(r.free_input.outputs[0], r.kept_input.outputs[0]);
    // Kept, x lives beside the padded tensor; free, the PAD writes over it.
    EXPECT_GE(r.kept_input.arena_used - r.free_input.arena_used, input.size() - 32)
        << "all sides " << all_sides << ": arena " << r.free_input.arena_used << " (free) vs " << r.kept_input.arena_used
        << " (kept)";
  }
}

// CONCATENATION along an axis with nothing but 1s before it: each input may be
// planned as a slice of the output. Model inputs (they die at the
// CONCATENATION) with sizes that are and are not multiples of the planner's
// 16-byte alignment, and one input given twice.
TEST(ConcatenationInPlace, InputsBecomeSlicesOfTheOutput) {
  std::mt19937 rng(51);
  int smaller = 0;
  for (int trial = 0; trial < 40; ++trial) {
    const int num_inputs = 2 + trial % 3;
    const int32_t inner = trial % 4 == 3 ? 99 : 256;
    const bool repeat_first = trial % 5 == 4;
    std::vector<int32_t> rows;
    std::vector<std::vector<uint8_t>> inputs;
    int32_t total = 0;
    for (int i = 0; i < num_inputs; ++i) {
      rows.push_back(1 + int32_t(rng() % 5));
      total += rows.back();
      inputs.emplace_back(size_t(rows.back() * inner));
      for (auto& v : inputs.back()) v = uint8_t(rng());
    }
    if (repeat_first) total += rows[0];
    const Pair r = run_both(
        [&](ModelBuilder& m, std::vector<int32_t>* outputs) {
          std::vector<int32_t> parts;
          for (int i = 0; i < num_inputs; ++i)
            parts.push_back(m.add_tensor({"part", DType::kInt8, {1, rows[size_t(i)], inner}, {0.5f}, {-7}}));
          m.set_inputs(parts);
          if (repeat_first) parts.push_back(parts[0]);
          const int32_t y = m.add_tensor({"y", DType::kInt8, {1, total, inner}, {0.5f}, {-7}});
          m.add_operator(schema::BuiltinOp::kConcatenation, parts, {y},
                         Options(schema::OptionsType::kConcatenation).i32(schema::concatenation_options::axis, 1));
          outputs->push_back(y);
          return parts[0];  // kept: also a model output, read after the CONCATENATION
        },
        inputs);
    ASSERT_TRUE(r.free_input.ok() && r.kept_input.ok()) << r.free_input.error << r.kept_input.error;
    std::vector<uint8_t> expected;
    for (int i = 0; i < num_inputs; ++i) expected.insert(expected.end(), inputs[size_t(i)].begin(), inputs[size_t(i)].end());
    if (repeat_first) expected.insert(expected.end(), inputs[0].begin(), inputs[0].end());
    ASSERT_EQ(r.free_input.outputs[0], expected) << "trial " << trial;
    ASSERT_EQ(r.kept_input.outputs[0], expected) << "trial " << trial;
    EXPECT_LE(r.free_input.arena_used, r.kept_input.arena_used) << "trial " << trial;
    if (r.free_input.arena_used < r.kept_input.arena_used) ++smaller;
    // Slices 16-byte aligned: kept costs exactly the first input's bytes more.
    if (inner % 16 == 0 && !repeat_first)
      EXPECT_EQ(r.kept_input.arena_used - r.free_input.arena_used, inputs[0].size()) << "trial " << trial;
  }
  EXPECT_GT(smaller, 20);
}

}  // namespace
