// Placement against its lower bound (plan_lower_bound): exhaustive search on
// small cases (bound <= optimum <= plan), ResNet-style graphs with skip
// connections and streaming/in-place overlaps, and a ResNet-8-like int8 model
// built here and run through the interpreter.
#include <gtest/gtest.h>
#include <stdio.h>

#include <algorithm>
#include <random>
#include <vector>

#include "mote/interpreter.h"
#include "mote/memory_planner.h"
#include "mote/op_resolver.h"
#include "mote/ops.h"
#include "tools/model_builder.h"

namespace {

constexpr uint32_t kAlign = 16;

uint32_t plan(std::vector<mote::PlanBuffer>& b, const std::vector<mote::PlanOverlap>& o) {
  std::vector<uint32_t> work(mote::planner_work_bytes(int(b.size())) / 4 + 4);
  return mote::plan_buffers(b.data(), int(b.size()), kAlign, work.data(), o.data(), int(o.size()));
}

uint32_t bound(const std::vector<mote::PlanBuffer>& b, const std::vector<mote::PlanOverlap>& o) {
  return mote::plan_lower_bound(b.data(), int(b.size()), kAlign, o.data(), int(o.size()));
}

mote::PlanOverlap allowance(int32_t input, int32_t output, int32_t min_lead, int32_t max_lead) {
  mote::PlanOverlap a;
  a.input = input;
  a.output = output;
  a.min_lead = min_lead;
  a.max_lead = max_lead;
  return a;
}

// The smallest block any placement reaches (offsets in units of the alignment,
// every combination up to the best found so far).
struct Exhaustive {
  const std::vector<mote::PlanBuffer>* buffers;
  const std::vector<mote::PlanOverlap>* overlaps;
  std::vector<mote::PlanBuffer> placed;
  uint32_t best = 0;

  void search(size_t k, uint32_t top) {
    if (top >= best) return;
    if (k == placed.size()) {
      best = top;
      return;
    }
    const uint32_t size = (placed[k].size + kAlign - 1) / kAlign * kAlign;
    for (uint32_t offset = 0; offset + size < best; offset += kAlign) {
      placed[k].offset = offset;
      if (mote::plan_has_overlap(placed.data(), int(k + 1), overlaps->data(), int(overlaps->size()))) continue;
      search(k + 1, std::max(top, offset + size));
    }
  }
  uint32_t optimum(uint32_t start) {
    placed = *buffers;
    best = start + 1;
    search(0, 0);
    return best;
  }
};

// Overlaps of allowances whose buffers are among the first k are all the
// search sees at depth k: plan_has_overlap only looks at those indices.
TEST(MemoryPlacement, BoundAndPlanBracketTheOptimum) {
  std::mt19937 rng(2024);
  int at_optimum = 0, bound_tight = 0, cases = 0;
  for (int trial = 0; trial < 500; ++trial) {
    const int n = 2 + int(rng() % 4);
    std::vector<mote::PlanBuffer> b(size_t(n), mote::PlanBuffer{});
    for (auto& x : b) {
      x.first = int32_t(rng() % 5);
      x.last = x.first + int32_t(rng() % 3);
      x.size = 16 * (1 + rng() % 5) - (rng() % 2 ? 0 : uint32_t(rng() % 16));
    }
    std::vector<mote::PlanOverlap> o;
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) {
        if (i == j || b[size_t(i)].last != b[size_t(j)].first || rng() % 2) continue;
        const int kind = int(rng() % 3);
        if (kind == 0) o.push_back(allowance(i, j, 0, 0));
        if (kind == 1) o.push_back(allowance(i, j, mote::kUnboundedLead, -16 * int32_t(rng() % 4)));
        if (kind == 2) o.push_back(allowance(i, j, -16 * int32_t(rng() % 3), 16 * int32_t(rng() % 3)));
      }
    std::vector<mote::PlanBuffer> planned = b;
    const uint32_t total = plan(planned, o);
    ASSERT_FALSE(mote::plan_has_overlap(planned.data(), n, o.data(), int(o.size()))) << "trial " << trial;
    Exhaustive search{&b, &o, {}, 0};
    const uint32_t optimum = search.optimum(total);
    const uint32_t lower = bound(b, o);
    ASSERT_LE(lower, optimum) << "trial " << trial;
    ASSERT_LE(optimum, total) << "trial " << trial;
    ++cases;
    if (total == optimum) ++at_optimum;
    if (lower == optimum) ++bound_tight;
  }
  printf("exhaustive: plan at the optimum in %d of %d cases, bound equal to it in %d\n", at_optimum, cases,
         bound_tight);
  EXPECT_GE(at_optimum * 100, cases * 99);
}

// A ResNet-style stack as the interpreter would plan it: per block two
// convolutions (output streaming over an input that dies there: lead at most
// about one input row below the input's end, minus the output), an optional
// 1x1 projection of the skip, and an in-place ADD. Sizes shrink by stage.
struct Graph {
  std::vector<mote::PlanBuffer> buffers;
  std::vector<mote::PlanOverlap> overlaps;
  int32_t node = 0;

  int32_t add(uint32_t size, int32_t first) {
    mote::PlanBuffer b;
    b.size = size;
    b.first = first;
    b.last = first;
    buffers.push_back(b);
    return int32_t(buffers.size()) - 1;
  }
  void read(int32_t t, int32_t at) { buffers[size_t(t)].last = std::max(buffers[size_t(t)].last, at); }
  // A node reading `in` (dying there when `dies`) and writing a new buffer.
  int32_t conv(int32_t in, uint32_t out_size, uint32_t row_bytes, bool dies) {
    ++node;
    read(in, node);
    const int32_t out = add(out_size, node);
    if (dies) {
      const int64_t in_size = buffers[size_t(in)].size;
      const int64_t lead = std::min<int64_t>(0, in_size - int64_t(out_size)) - int64_t(row_bytes);
      overlaps.push_back(allowance(in, out, mote::kUnboundedLead, int32_t(lead)));
    }
    return out;
  }
  int32_t add_op(int32_t a, int32_t b) {
    ++node;
    read(a, node);
    read(b, node);
    const int32_t out = add(buffers[size_t(a)].size, node);
    overlaps.push_back(allowance(a, out, 0, 0));
    overlaps.push_back(allowance(b, out, 0, 0));
    return out;
  }
};

Graph resnet_like(std::mt19937& rng) {
  Graph g;
  const uint32_t side = 8 + rng() % 25, base_channels = 4 + rng() % 13, image_channels = 1 + rng() % 3;
  int32_t cur = g.add(side * side * image_channels, 0);
  uint32_t h = side, c = base_channels;
  cur = g.conv(cur, h * h * c, h * image_channels, true);
  const int stages = 2 + int(rng() % 2);
  for (int s = 0; s < stages; ++s) {
    const int blocks = 1 + int(rng() % 2);
    for (int k = 0; k < blocks; ++k) {
      const bool downsample = s > 0 && k == 0;
      const uint32_t in_row = h * c;
      const uint32_t oh = downsample ? (h + 1) / 2 : h, oc = downsample ? c * 2 : c;
      const int32_t skip = cur;
      const bool projection_first = downsample && rng() % 2;
      int32_t projected = -1;
      if (projection_first) projected = g.conv(skip, oh * oh * oc, in_row, false);
      const int32_t a = g.conv(skip, oh * oh * oc, in_row, !downsample ? false : projection_first);
      const int32_t b = g.conv(a, oh * oh * oc, oh * oc, true);
      if (downsample && !projection_first) projected = g.conv(skip, oh * oh * oc, in_row, true);
      cur = g.add_op(b, downsample ? projected : skip);
      h = oh;
      c = oc;
    }
  }
  const int32_t pooled = g.conv(cur, c, h * c, true);
  const int32_t logits = g.conv(pooled, 10, c, true);
  g.read(logits, g.node);
  return g;
}

TEST(MemoryPlacement, ResNetStyleGraphsReachTheBound) {
  std::mt19937 rng(8);
  int at_bound = 0, cases = 0;
  uint64_t gap = 0, bounds = 0;
  for (int trial = 0; trial < 300; ++trial) {
    Graph g = resnet_like(rng);
    const uint32_t lower = bound(g.buffers, g.overlaps);
    const uint32_t total = plan(g.buffers, g.overlaps);
    ASSERT_FALSE(mote::plan_has_overlap(g.buffers.data(), int(g.buffers.size()), g.overlaps.data(),
                                        int(g.overlaps.size())))
        << "trial " << trial;
    ASSERT_GE(total, lower);
    ++cases;
    if (total == lower) ++at_bound;
    gap += total - lower;
    bounds += lower;
  }
  printf("resnet-style: %d of %d plans at the bound, total gap %.3f%% of the bounds\n", at_bound, cases,
         100.0 * double(gap) / double(bounds));
  EXPECT_GE(at_bound * 100, cases * 95);
}

// ResNet-8 (MLPerf Tiny's shape: 32x32x3, three stages of 16/32/64 channels,
// 1x1 projections at the stride-2 stages, average pool, 10 classes) as an
// int8 model with made-up weights, built here: the interpreter's plan reaches
// its lower bound, and a run succeeds.
std::vector<uint8_t> resnet8_model() {
  using mote::DType;
  using mote::tools::Options;
  using mote::tools::TensorSpec;
  namespace schema = mote::schema;
  mote::tools::ModelBuilder m;
  std::mt19937 rng(3);
  int count = 0;
  auto activation = [&](std::vector<int32_t> shape) {
    return m.add_tensor({"t" + std::to_string(count++), DType::kInt8, shape, {0.05f}, {-10}});
  };
  auto conv = [&](int32_t in, int32_t in_c, int32_t out_c, int32_t side, int32_t k, int32_t stride, bool relu) {
    std::vector<int8_t> w(size_t(out_c * k * k * in_c));
    for (auto& v : w) v = int8_t(int(rng() % 255) - 127);
    std::vector<float> scales(size_t(out_c), 0.004f), bias_scales(size_t(out_c), 0.05f * 0.004f);
    std::vector<int64_t> zeros(size_t(out_c), 0);
    std::vector<int32_t> bias(static_cast<size_t>(out_c));
    for (auto& v : bias) v = int32_t(rng() % 2001) - 1000;
    const int32_t wt = m.add_tensor(TensorSpec::constant<int8_t>("w" + std::to_string(count), DType::kInt8,
                                                                 {out_c, k, k, in_c}, w, scales, zeros, 0));
    const int32_t bt = m.add_tensor(
        TensorSpec::constant<int32_t>("b" + std::to_string(count), DType::kInt32, {out_c}, bias, bias_scales, zeros, 0));
    const int32_t out_side = side / stride;
    const int32_t out = activation({1, out_side, out_side, out_c});
    namespace co = schema::conv2d_options;
    m.add_operator(schema::BuiltinOp::kConv2D, {in, wt, bt}, {out},
                   Options(schema::OptionsType::kConv2D)
                       .i8(co::padding, 0)
                       .i32(co::stride_w, stride)
                       .i32(co::stride_h, stride)
                       .i8(co::fused_activation_function, int8_t(relu ? schema::Activation::kRelu : schema::Activation::kNone)),
                   3);
    return out;
  };
  auto add = [&](int32_t a, int32_t b, std::vector<int32_t> shape) {
    const int32_t out = activation(shape);
    m.add_operator(schema::BuiltinOp::kAdd, {a, b}, {out},
                   Options(schema::OptionsType::kAdd).i8(schema::add_options::fused_activation_function,
                                                         int8_t(schema::Activation::kRelu)));
    return out;
  };
  const int32_t image = activation({1, 32, 32, 3});
  m.set_inputs({image});
  int32_t x = conv(image, 3, 16, 32, 3, 1, true);
  int32_t side = 32, channels = 16;
  for (int32_t out_c : {16, 32, 64}) {
    const int32_t stride = out_c == channels ? 1 : 2;
    const int32_t a = conv(x, channels, out_c, side, 3, stride, true);
    const int32_t b = conv(a, out_c, out_c, side / stride, 3, 1, false);
    const int32_t skip = stride == 1 ? x : conv(x, channels, out_c, side, 1, stride, false);
    side /= stride;
    channels = out_c;
    x = add(b, skip, {1, side, side, channels});
  }
  const int32_t pooled = activation({1, 1, 1, channels});
  namespace po = schema::pool2d_options;
  m.add_operator(schema::BuiltinOp::kAveragePool2D, {x}, {pooled},
                 Options(schema::OptionsType::kPool2D)
                     .i8(po::padding, 1)
                     .i32(po::stride_w, side)
                     .i32(po::stride_h, side)
                     .i32(po::filter_width, side)
                     .i32(po::filter_height, side));
  const int32_t flat = m.add_tensor(TensorSpec::constant<int32_t>("shape", DType::kInt32, {2}, {1, channels}));
  const int32_t reshaped = activation({1, channels});
  m.add_operator(schema::BuiltinOp::kReshape, {pooled, flat}, {reshaped},
                 Options(schema::OptionsType::kReshape).i32_vector(schema::reshape_options::new_shape, {1, channels}));
  std::vector<int8_t> w(size_t(10 * channels));
  for (auto& v : w) v = int8_t(int(rng() % 255) - 127);
  const int32_t fw = m.add_tensor(TensorSpec::constant<int8_t>("fc_w", DType::kInt8, {10, channels}, w, {0.004f}, {0}));
  const int32_t logits = activation({1, 10});
  m.add_operator(schema::BuiltinOp::kFullyConnected, {reshaped, fw, -1}, {logits},
                 Options(schema::OptionsType::kFullyConnected));
  m.set_outputs({logits});
  return m.serialize();
}

TEST(MemoryPlacement, ResNet8PlanReachesItsBound) {
  const std::vector<uint8_t> model = resnet8_model();
  mote::OpResolver resolver;
  ASSERT_EQ(mote::register_all_ops(resolver), mote::Status::kOk);
  std::vector<uint8_t> arena(256 * 1024);
  mote::Interpreter interp(model.data(), model.size(), resolver, arena.data(), arena.size());
  ASSERT_EQ(interp.allocate(), mote::Status::kOk) << interp.error_message();
  printf("resnet-8: planned %zu B, lower bound %zu B, arena %zu B\n", interp.arena_planned_bytes(),
         interp.arena_planned_bound_bytes(), interp.arena_used_bytes());
  EXPECT_EQ(interp.arena_planned_bytes(), interp.arena_planned_bound_bytes());
  // The skip beside the first block's second conv, which streams over its
  // input (32x32x16 each): at least two whole activations.
  EXPECT_GE(interp.arena_planned_bound_bytes(), 2u * 32 * 32 * 16);
  for (size_t i = 0; i < interp.input(0).bytes; ++i) static_cast<int8_t*>(interp.input(0).data)[i] = int8_t(i * 7);
  EXPECT_EQ(interp.invoke(), mote::Status::kOk) << interp.error_message();
}

}  // namespace
