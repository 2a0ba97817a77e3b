// Patch-based execution of the first stage: the row arithmetic of
// src/patch_stage.h checked by brute force, and synthetic chains of window
// ops run strip by strip against the same model run layer by layer (odd
// sizes, strides, SAME/VALID, dilation, pooling), bit for bit, in an arena of
// exactly the printed size with guard bytes behind it.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "kernels/conv_params.h"
#include "mote/interpreter.h"
#include "mote/op_resolver.h"
#include "mote/ops.h"
#include "src/patch_stage.h"
#include "tools/model_builder.h"

namespace {

using mote::DType;
using mote::RowRange;
using mote::StageLayer;
namespace schema = mote::schema;
using mote::tools::ModelBuilder;
using mote::tools::Options;
using mote::tools::TensorSpec;

StageLayer layer(int32_t in_h, int32_t filter, int32_t stride, int32_t dilation, bool same) {
  const auto padding = same ? schema::Padding::kSame : schema::Padding::kValid;
  StageLayer l;
  l.input_height = in_h;
  l.stride = stride;
  l.extent = (filter - 1) * dilation + 1;
  l.output_height = mote::conv_output_size(padding, in_h, filter, stride, dilation);
  l.pad_before = mote::conv_padding_before(in_h, filter, stride, dilation, l.output_height);
  return l;
}

TEST(PatchStageRows, InputRowsOfAStridedSamePaddedWindow) {
  const StageLayer l = layer(96, 3, 2, 1, true);  // person_detect's first layer: 48 rows, pad 0 above
  EXPECT_EQ(l.output_height, 48);
  EXPECT_EQ(l.pad_before, 0);
  const StageLayer s1 = layer(48, 3, 1, 1, true);  // pad 1 above
  EXPECT_EQ(s1.pad_before, 1);
  RowRange r = mote::layer_input_rows(s1, {0, 1});
  EXPECT_EQ(r.begin, 0);  // row -1 is padding, not stored
  EXPECT_EQ(r.end, 2);
  r = mote::layer_input_rows(s1, {47, 48});
  EXPECT_EQ(r.begin, 46);
  EXPECT_EQ(r.end, 48);  // row 48 is padding
  r = mote::layer_input_rows(l, {5, 7});
  EXPECT_EQ(r.begin, 10);
  EXPECT_EQ(r.end, 15);
  EXPECT_EQ(mote::layer_input_rows(l, {3, 3}).count(), 0);
}

// A random chain of 2..6 window layers (fewer when the rows run out) over
// 5..64 input rows.
std::vector<StageLayer> random_layers(std::mt19937& rng) {
  const int count = 2 + int(rng() % 5);
  std::vector<StageLayer> layers;
  int32_t h = 5 + int32_t(rng() % 60);
  for (int i = 0; i < count && h > 0; ++i) {
    const int32_t filter = 1 + int32_t(rng() % 5), stride = 1 + int32_t(rng() % 3);
    const int32_t dilation = 1 + int32_t(rng() % 2);
    const StageLayer l = layer(h, filter, stride, dilation, rng() % 2 == 0);
    if (l.output_height <= 0) break;
    layers.push_back(l);
    h = l.output_height;
  }
  return layers;
}

// For random chains and strip heights: every input row a window of a strip's
// fresh output rows touches (inside the image) is held in the input's strip
// buffer when the layer runs, every row of every tensor the output depends on
// is computed, no row twice, and no strip holds more rows than its buffer.
TEST(PatchStageRows, StripsComputeEveryNeededRowOnceAndHoldWhatTheyRead) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 400; ++trial) {
    const std::vector<StageLayer> layers = random_layers(rng);
    const int n = int(layers.size());
    if (n < 2) continue;
    const int32_t out_h = layers.back().output_height;
    const int32_t rows = 1 + int32_t(rng() % uint32_t(out_h));
    SCOPED_TRACE("trial " + std::to_string(trial) + ", " + std::to_string(rows) + " rows per strip");

    // Rows of each tensor the whole-image run reads.
    std::vector<std::vector<int>> needed(size_t(n) + 1);
    needed[size_t(n)].assign(size_t(out_h), 1);
    for (int i = n - 1; i >= 0; --i) {
      needed[size_t(i)].assign(size_t(layers[size_t(i)].input_height), 0);
      for (int32_t o = 0; o < layers[size_t(i)].output_height; ++o) {
        if (!needed[size_t(i) + 1][size_t(o)]) continue;
        for (int32_t k = 0; k < layers[size_t(i)].extent; ++k) {
          const int32_t r = o * layers[size_t(i)].stride - layers[size_t(i)].pad_before + k;
          if (r >= 0 && r < layers[size_t(i)].input_height) needed[size_t(i)][size_t(r)] = 1;
        }
      }
    }
    std::vector<int32_t> heights(size_t(n) + 1);
    mote::stage_buffer_rows(layers.data(), n, rows, heights.data());
    std::vector<std::vector<int>> computed(size_t(n) + 1);
    for (int t = 1; t <= n; ++t) computed[size_t(t)].assign(size_t(layers[size_t(t) - 1].output_height), 0);
    std::vector<int32_t> done(size_t(n) + 1, 0), held_begin(size_t(n) + 1, 0);
    std::vector<RowRange> strip(size_t(n) + 1);
    const int32_t strips = mote::stage_strip_count(layers.data(), n, rows);
    for (int32_t s = 0; s < strips; ++s) {
      mote::stage_strip_rows(layers.data(), n, rows, s, strip.data());
      for (int i = 0; i < n; ++i) {
        const RowRange fresh = mote::new_rows(strip[size_t(i) + 1], done[size_t(i) + 1]);
        if (fresh.count() == 0) continue;
        const RowRange in = mote::layer_input_rows(layers[size_t(i)], fresh);
        // The input rows are all held: computed earlier and not yet dropped.
        if (i > 0) {
          ASSERT_GE(in.begin, strip[size_t(i)].begin);
          ASSERT_LE(in.end, done[size_t(i)]);
        }
        for (int32_t o = fresh.begin; o < fresh.end; ++o) {
          for (int32_t k = 0; k < layers[size_t(i)].extent; ++k) {
            const int32_t r = o * layers[size_t(i)].stride - layers[size_t(i)].pad_before + k;
            if (r >= 0 && r < layers[size_t(i)].input_height) {
              ASSERT_GE(r, in.begin);
              ASSERT_LT(r, in.end);
            }
          }
          ASSERT_EQ(computed[size_t(i) + 1][size_t(o)], 0) << "row " << o << " of tensor " << i + 1 << " twice";
          computed[size_t(i) + 1][size_t(o)] = 1;
        }
        done[size_t(i) + 1] = fresh.end;
        ASSERT_LE(strip[size_t(i) + 1].count(), heights[size_t(i) + 1]);
      }
    }
    // Rows a dilated window skips may be computed too (layer by layer computes
    // every row), but never twice and never fewer than the run reads.
    for (int t = 1; t <= n; ++t)
      for (size_t r = 0; r < needed[size_t(t)].size(); ++r)
        if (needed[size_t(t)][r]) EXPECT_EQ(computed[size_t(t)][r], 1) << "tensor " << t << " row " << r;
  }
}

// The strip loop of Interpreter::run_stage() over plain memory: the stage
// input and output in one block, `lead` bytes apart, the tensors between
// layers in strip buffers whose halo rows move to the front; each layer
// computes an output row from the bytes of its window rows. Layer 0 may read
// any byte of its view of input rows (as a kernel may): `clobbered` says
// whether one of them had already been overwritten by the output.
struct StripRun {
  std::vector<uint8_t> output;
  bool clobbered = false;
};

StripRun run_strips(const std::vector<StageLayer>& layers, int32_t rows_per_strip,
                    const std::vector<int32_t>& row_bytes, const std::vector<uint8_t>& input, int64_t lead) {
  const int n = int(layers.size());
  const size_t out_bytes = size_t(layers.back().output_height) * size_t(row_bytes[size_t(n)]);
  const size_t base = out_bytes;  // room below the input for negative leads
  std::vector<uint8_t> memory(base + std::max<int64_t>(int64_t(input.size()), lead + int64_t(out_bytes)));
  std::vector<char> written(memory.size(), 0);
  memcpy(memory.data() + base, input.data(), input.size());
  std::vector<int32_t> heights(size_t(n) + 1);
  mote::stage_buffer_rows(layers.data(), n, rows_per_strip, heights.data());
  std::vector<std::vector<uint8_t>> strips(size_t(n) + 1);
  std::vector<uint8_t*> data(size_t(n) + 1);
  data[0] = memory.data() + base;
  data[size_t(n)] = memory.data() + base + lead;
  for (int t = 1; t < n; ++t) {
    strips[size_t(t)].assign(size_t(heights[size_t(t)]) * size_t(row_bytes[size_t(t)]), 0);
    data[size_t(t)] = strips[size_t(t)].data();
  }
  StripRun r;
  std::vector<int32_t> buffer_row(size_t(n) + 1, 0), done(size_t(n) + 1, 0);
  std::vector<RowRange> rows(size_t(n) + 1);
  for (int32_t s = 0; s < mote::stage_strip_count(layers.data(), n, rows_per_strip); ++s) {
    mote::stage_strip_rows(layers.data(), n, rows_per_strip, s, rows.data());
    for (int i = 0; i < n; ++i) {
      const size_t o = size_t(i) + 1;
      const RowRange fresh = mote::new_rows(rows[o], done[o]);
      if (fresh.count() == 0) continue;
      const size_t in_row = size_t(row_bytes[size_t(i)]), out_row = size_t(row_bytes[o]);
      if (int(o) < n) {
        const int32_t kept = done[o] - rows[o].begin;
        if (kept > 0 && rows[o].begin != buffer_row[o])
          memmove(data[o], data[o] + size_t(rows[o].begin - buffer_row[o]) * out_row, size_t(kept) * out_row);
        buffer_row[o] = rows[o].begin;
      }
      const RowRange in = mote::layer_input_rows(layers[size_t(i)], fresh);
      if (i == 0)
        for (size_t b = size_t(in.begin) * in_row; b < size_t(in.end) * in_row; ++b) r.clobbered |= written[base + b] != 0;
      for (int32_t y = fresh.begin; y < fresh.end; ++y) {
        uint32_t acc = uint32_t(y) * 2654435761u;
        for (int32_t k = 0; k < layers[size_t(i)].extent; ++k) {
          const int32_t src = y * layers[size_t(i)].stride - layers[size_t(i)].pad_before + k;
          if (src < in.begin || src >= in.end) continue;  // padding
          const uint8_t* row = data[size_t(i)] + size_t(src - buffer_row[size_t(i)]) * in_row;
          for (size_t b = 0; b < in_row; ++b) acc = (acc ^ row[b]) * 16777619u + uint32_t(k);
        }
        uint8_t* dst = data[o] + size_t(y - buffer_row[o]) * out_row;
        for (size_t b = 0; b < out_row; ++b) dst[b] = uint8_t((acc >> (b % 25)) + b);
        if (int(o) == n) std::fill_n(written.begin() + int64_t(base) + lead + int64_t(size_t(y) * out_row), out_row, 1);
      }
      done[o] = fresh.end;
    }
  }
  r.output.assign(data[size_t(n)], data[size_t(n)] + out_bytes);
  return r;
}

// stage_output_max_lead() by brute force on the strip loop: at every lead
// from the bound down to no overlap the stage gives the bytes it gives with
// its output apart, and no byte layer 0 may read is overwritten before it
// reads it; one byte more and one is (the bound is tight for a kernel that
// reads its whole view: the first byte of the view is the binding one).
TEST(PatchStageRows, OutputMaxLeadIsSafeAndTight) {
  std::mt19937 rng(23);
  int overlapping = 0, bound_binds = 0;
  for (int trial = 0; trial < 500; ++trial) {
    const std::vector<StageLayer> layers = random_layers(rng);
    const int n = int(layers.size());
    if (n < 2) continue;
    const int32_t rows = 1 + int32_t(rng() % uint32_t(std::min(layers.back().output_height, 6)));
    std::vector<int32_t> row_bytes(size_t(n) + 1);
    for (auto& b : row_bytes) b = 1 + int32_t(rng() % 9);
    std::vector<uint8_t> input(size_t(layers[0].input_height) * size_t(row_bytes[0]));
    for (auto& v : input) v = uint8_t(rng());
    const int64_t out_bytes = int64_t(layers.back().output_height) * row_bytes[size_t(n)];
    const int32_t max_lead = mote::stage_output_max_lead(layers.data(), n, rows, row_bytes[0], row_bytes[size_t(n)]);
    SCOPED_TRACE("trial " + std::to_string(trial) + ", " + std::to_string(rows) + " rows per strip, bound " +
                 std::to_string(max_lead));
    const StripRun apart = run_strips(layers, rows, row_bytes, input, int64_t(input.size()));
    ASSERT_FALSE(apart.clobbered);
    // Beyond the input's end nothing overlaps: INT32_MAX (one strip) means any lead.
    const int64_t top = std::min<int64_t>(max_lead, int64_t(input.size()));
    for (int64_t lead = top; lead >= -out_bytes; lead -= 1 + int64_t(rng() % 5)) {
      const StripRun r = run_strips(layers, rows, row_bytes, input, lead);
      ASSERT_FALSE(r.clobbered) << "lead " << lead;
      ASSERT_EQ(r.output, apart.output) << "lead " << lead;
      if (lead + out_bytes > 0 && lead < int64_t(input.size())) ++overlapping;
    }
    if (max_lead < int64_t(input.size())) {
      ++bound_binds;
      EXPECT_TRUE(run_strips(layers, rows, row_bytes, input, int64_t(max_lead) + 1).clobbered);
    }
  }
  EXPECT_GT(overlapping, 5000);
  EXPECT_GT(bound_binds, 200);
}

// One layer of a synthetic int8 chain.
enum class Kind { kConv, kDepthwise, kAveragePool, kMaxPool };
struct LayerSpec {
  Kind kind;
  int32_t filter_h, filter_w, stride_h, stride_w, dilation;
  bool same;
  int32_t out_c;  // conv only; depthwise multiplies by out_c / in_c
};

struct Chain {
  std::vector<uint8_t> model;
  int32_t input_bytes = 0;
};

Chain build_chain(int32_t h, int32_t w, int32_t c, const std::vector<LayerSpec>& specs, bool tail_conv,
                  uint32_t seed) {
  std::mt19937 rng(seed);
  auto random_int8 = [&](size_t n) {
    std::vector<int8_t> v(n);
    for (auto& x : v) x = int8_t(int(rng() % 255) - 127);
    return v;
  };
  ModelBuilder b;
  float scale = 0.05f;
  int64_t zero_point = 7;
  int32_t cur = b.add_tensor({"input", DType::kInt8, {1, h, w, c}, {scale}, {zero_point}});
  b.set_inputs({cur});
  Chain chain;
  chain.input_bytes = h * w * c;
  std::vector<LayerSpec> all = specs;
  if (tail_conv) all.push_back({Kind::kConv, 1, 1, 1, 1, 1, true, 3});
  for (size_t i = 0; i < all.size(); ++i) {
    const LayerSpec& l = all[i];
    const auto padding = l.same ? schema::Padding::kSame : schema::Padding::kValid;
    const int32_t oh = mote::conv_output_size(padding, h, l.filter_h, l.stride_h, l.dilation);
    const int32_t ow = mote::conv_output_size(padding, w, l.filter_w, l.stride_w, l.dilation);
    const std::string name = "t" + std::to_string(i);
    if (l.kind == Kind::kAveragePool || l.kind == Kind::kMaxPool) {
      const int32_t out = b.add_tensor({name, DType::kInt8, {1, oh, ow, c}, {scale}, {zero_point}});
      namespace o = schema::pool2d_options;
      b.add_operator(l.kind == Kind::kMaxPool ? schema::BuiltinOp::kMaxPool2D : schema::BuiltinOp::kAveragePool2D,
                     {cur}, {out},
                     Options(schema::OptionsType::kPool2D)
                         .i8(o::padding, int8_t(padding))
                         .i32(o::stride_w, l.stride_w)
                         .i32(o::stride_h, l.stride_h)
                         .i32(o::filter_width, l.filter_w)
                         .i32(o::filter_height, l.filter_h),
                     2);
      cur = out;
      h = oh;
      w = ow;
      continue;
    }
    const bool depthwise = l.kind == Kind::kDepthwise;
    const int32_t oc = depthwise ? c * (l.out_c / c > 0 ? l.out_c / c : 1) : l.out_c;
    const int32_t per_filter = depthwise ? l.filter_h * l.filter_w : l.filter_h * l.filter_w * c;
    const size_t channels = size_t(oc);
    std::vector<float> w_scales(channels), b_scales(channels);
    for (int32_t k = 0; k < oc; ++k) {
      w_scales[size_t(k)] = 0.01f + 0.002f * float(k % 5);
      b_scales[size_t(k)] = scale * w_scales[size_t(k)];
    }
    const std::vector<int32_t> filter_shape =
        depthwise ? std::vector<int32_t>{1, l.filter_h, l.filter_w, oc} : std::vector<int32_t>{oc, l.filter_h, l.filter_w, c};
    const int32_t filter = b.add_tensor(TensorSpec::constant<int8_t>(
        name + "_w", DType::kInt8, filter_shape, random_int8(size_t(per_filter) * size_t(oc)), w_scales,
        std::vector<int64_t>(size_t(oc), 0), depthwise ? 3 : 0));
    std::vector<int32_t> bias_values(channels);
    for (auto& v : bias_values) v = int32_t(rng() % 2001) - 1000;
    const int32_t bias = b.add_tensor(TensorSpec::constant<int32_t>(name + "_b", DType::kInt32, {oc}, bias_values,
                                                                    b_scales, std::vector<int64_t>(size_t(oc), 0)));
    scale = 0.08f + 0.01f * float(i);
    zero_point = int64_t(i % 2 == 0 ? -3 : 5);
    const int32_t out = b.add_tensor({name, DType::kInt8, {1, oh, ow, oc}, {scale}, {zero_point}});
    if (depthwise) {
      namespace o = schema::depthwise_conv2d_options;
      b.add_operator(schema::BuiltinOp::kDepthwiseConv2D, {cur, filter, bias}, {out},
                     Options(schema::OptionsType::kDepthwiseConv2D)
                         .i8(o::padding, int8_t(padding))
                         .i32(o::stride_w, l.stride_w)
                         .i32(o::stride_h, l.stride_h)
                         .i32(o::depth_multiplier, oc / c)
                         .i32(o::dilation_w_factor, l.dilation)
                         .i32(o::dilation_h_factor, l.dilation),
                     3);
    } else {
      namespace o = schema::conv2d_options;
      b.add_operator(schema::BuiltinOp::kConv2D, {cur, filter, bias}, {out},
                     Options(schema::OptionsType::kConv2D)
                         .i8(o::padding, int8_t(padding))
                         .i32(o::stride_w, l.stride_w)
                         .i32(o::stride_h, l.stride_h)
                         .i32(o::dilation_w_factor, l.dilation)
                         .i32(o::dilation_h_factor, l.dilation),
                     3);
    }
    cur = out;
    h = oh;
    w = ow;
    c = oc;
  }
  b.set_outputs({cur});
  chain.model = b.serialize();
  return chain;
}

struct RunResult {
  std::vector<uint8_t> output;
  size_t arena = 0;
  mote::PatchStage stage;
  int64_t stage_overlap = 0;  // bytes the stage's output buffer shares with its input's
};

// Allocates in exactly arena_used_bytes() (checking that 16 fewer fail), with
// guard bytes behind the arena, and runs one invoke on `input`.
RunResult run(const Chain& chain, const mote::PatchOptions& patch, const std::vector<uint8_t>& input) {
  mote::OpResolver resolver;
  EXPECT_EQ(mote::register_all_ops(resolver), mote::Status::kOk);
  RunResult r;
  {
    std::vector<uint8_t> big(1 << 22);
    mote::Interpreter sizing(chain.model.data(), chain.model.size(), resolver, big.data(), big.size());
    sizing.set_patch_options(patch);
    EXPECT_EQ(sizing.allocate(), mote::Status::kOk) << sizing.error_message();
    r.arena = sizing.arena_used_bytes();
  }
  constexpr size_t kGuard = 64;
  std::vector<uint8_t> storage(r.arena + 16 + kGuard, 0xA5);
  uint8_t* arena = storage.data() + (16 - reinterpret_cast<uintptr_t>(storage.data()) % 16) % 16;
  {
    mote::Interpreter smaller(chain.model.data(), chain.model.size(), resolver, arena, r.arena - 16);
    smaller.set_patch_options(patch);
    EXPECT_NE(smaller.allocate(), mote::Status::kOk) << "fits in 16 bytes fewer than " << r.arena;
  }
  std::fill(storage.begin(), storage.end(), uint8_t(0xA5));
  mote::Interpreter interp(chain.model.data(), chain.model.size(), resolver, arena, r.arena);
  interp.set_patch_options(patch);
  if (interp.allocate() != mote::Status::kOk) {
    ADD_FAILURE() << interp.error_message();
    return r;
  }
  memcpy(interp.input(0).data, input.data(), input.size());
  EXPECT_EQ(interp.invoke(), mote::Status::kOk) << interp.error_message();
  const mote::TensorView out = interp.output(0);
  r.output.assign(static_cast<const uint8_t*>(out.data), static_cast<const uint8_t*>(out.data) + out.bytes);
  r.stage = interp.patch_stage();
  if (r.stage.num_layers > 0) {
    // A tensor between two stage layers holds a strip only: no whole view.
    const int32_t inner = interp.model().op(uint32_t(r.stage.first_node)).outputs[0];
    EXPECT_EQ(interp.tensor(inner).data, nullptr);
    const mote::Model& model = interp.model();
    const int32_t input = model.op(uint32_t(r.stage.first_node)).inputs[0];
    const int32_t output = model.op(uint32_t(r.stage.first_node + r.stage.num_layers - 1)).outputs[0];
    std::vector<mote::PlannedBuffer> plan(size_t(interp.memory_plan(nullptr, 0)));
    interp.memory_plan(plan.data(), int(plan.size()));
    const mote::PlanBuffer* in = nullptr;
    const mote::PlanBuffer* out = nullptr;
    for (const auto& b : plan) {
      if (b.tensor == input) in = &b.placement;
      if (b.tensor == output) out = &b.placement;
    }
    if (in != nullptr && out != nullptr)
      r.stage_overlap = std::max<int64_t>(0, int64_t(std::min(in->offset + in->size, out->offset + out->size)) -
                                                 int64_t(std::max(in->offset, out->offset)));
  }
  for (size_t i = size_t(arena - storage.data()) + r.arena; i < storage.size(); ++i)
    EXPECT_EQ(storage[i], 0xA5) << "write past the arena's end at +" << i - size_t(arena - storage.data());
  return r;
}

struct ChainCase {
  const char* name;
  int32_t h, w, c;
  std::vector<LayerSpec> layers;
};

std::vector<ChainCase> chain_cases() {
  return {
      {"mobilenet_start", 37, 29, 3,
       {{Kind::kConv, 3, 3, 2, 2, 1, true, 8}, {Kind::kDepthwise, 3, 3, 1, 1, 1, true, 8},
        {Kind::kConv, 1, 1, 1, 1, 1, true, 12}, {Kind::kDepthwise, 3, 3, 2, 2, 1, true, 12}}},
      {"valid_and_dilated", 41, 17, 2,
       {{Kind::kConv, 5, 3, 1, 2, 1, false, 6}, {Kind::kDepthwise, 3, 3, 1, 1, 2, true, 12},
        {Kind::kConv, 3, 1, 3, 1, 1, true, 5}, {Kind::kDepthwise, 2, 2, 2, 2, 1, false, 5}}},
      {"pooling", 33, 23, 4,
       {{Kind::kDepthwise, 3, 3, 1, 1, 1, true, 4}, {Kind::kMaxPool, 3, 3, 2, 2, 1, true, 0},
        {Kind::kConv, 3, 3, 1, 1, 1, true, 7}, {Kind::kAveragePool, 2, 3, 2, 1, 1, false, 0},
        {Kind::kConv, 1, 1, 1, 1, 1, true, 9}}},
      {"even_filter_same", 26, 19, 5,
       {{Kind::kConv, 4, 4, 2, 2, 1, true, 6}, {Kind::kDepthwise, 5, 5, 1, 1, 1, true, 6},
        {Kind::kAveragePool, 3, 3, 3, 3, 1, true, 0}}},
  };
}

TEST(PatchStage, StripsGiveTheBytesOfLayerByLayerOnSyntheticChains) {
  uint32_t seed = 11;
  int overlapped = 0;  // runs whose stage output shares bytes with the stage input
  for (const ChainCase& k : chain_cases()) {
    for (bool tail : {false, true}) {
      SCOPED_TRACE(std::string(k.name) + (tail ? " + tail conv" : ""));
      const Chain chain = build_chain(k.h, k.w, k.c, k.layers, tail, seed++);
      std::mt19937 rng(seed);
      std::vector<uint8_t> input(size_t(chain.input_bytes));
      for (auto& x : input) x = uint8_t(rng());
      const RunResult whole = run(chain, {mote::PatchMode::kOff, 0}, input);
      ASSERT_FALSE(whole.output.empty());
      EXPECT_EQ(whole.stage.num_layers, 0);
      size_t smallest_forced = SIZE_MAX;
      for (int32_t rows : {1, 2, 3, 5, 100}) {
        const RunResult strips = run(chain, {mote::PatchMode::kRows, rows}, input);
        smallest_forced = std::min(smallest_forced, strips.arena);
        overlapped += strips.stage_overlap > 0;
        EXPECT_GE(strips.stage.num_layers, 2) << rows << " rows";
        EXPECT_EQ(strips.output, whole.output) << rows << " rows per strip";
        EXPECT_EQ(strips.stage.arena_bytes_without, whole.arena);
      }
      const RunResult automatic = run(chain, {mote::PatchMode::kAuto, 0}, input);
      EXPECT_EQ(automatic.output, whole.output);
      EXPECT_LE(automatic.arena, whole.arena);
      // The choice goes by the placed plans: no forced strip height does better.
      EXPECT_LE(automatic.arena, smallest_forced);
      if (automatic.stage.num_layers > 0) EXPECT_LT(automatic.arena, whole.arena);
      overlapped += automatic.stage_overlap > 0;
    }
  }
  // The stage input (the model input, dead after layer 0) lets the output over it.
  EXPECT_GT(overlapped, 10);
}

}  // namespace
