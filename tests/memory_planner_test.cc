#include "mote/memory_planner.h"

#include <gtest/gtest.h>
#include <math.h>
#include <string.h>

#include <algorithm>
#include <memory>
#include <random>
#include <vector>

#include "kernels/overlap_bounds.h"
#include "mote/interpreter.h"
#include "mote/op_resolver.h"
#include "mote/ops.h"
#include "tools/model_builder.h"

namespace {

uint32_t plan(std::vector<mote::PlanBuffer>& buffers, uint32_t alignment = 16) {
  std::vector<uint8_t> work(mote::planner_work_bytes(int(buffers.size())) + 16);
  return mote::plan_buffers(buffers.data(), int(buffers.size()), alignment, work.data());
}

// Peak of the sum of live (aligned) sizes over time: no placement can be smaller.
uint32_t lower_bound(const std::vector<mote::PlanBuffer>& buffers, uint32_t alignment) {
  int32_t last = 0;
  for (const auto& b : buffers) last = std::max(last, b.last);
  uint32_t peak = 0;
  for (int32_t t = 0; t <= last; ++t) {
    uint32_t live = 0;
    for (const auto& b : buffers)
      if (b.first <= t && t <= b.last) live += (b.size + alignment - 1) / alignment * alignment;
    peak = std::max(peak, live);
  }
  return peak;
}

TEST(MemoryPlanner, ChainReusesMemory) {
  // a -> b -> c: a and c never live together, so they share offset 0.
  std::vector<mote::PlanBuffer> b = {{1000, 0, 1}, {2000, 1, 2}, {1000, 2, 3}};
  uint32_t total = plan(b);
  EXPECT_FALSE(mote::plan_has_overlap(b.data(), 3));
  EXPECT_EQ(total, 1008u + 2000u);
  EXPECT_EQ(b[0].offset, b[2].offset);
}

TEST(MemoryPlanner, OffsetsAreAligned) {
  std::vector<mote::PlanBuffer> b = {{3, 0, 0}, {5, 0, 0}, {7, 0, 0}};
  uint32_t total = plan(b, 16);
  for (const auto& x : b) EXPECT_EQ(x.offset % 16, 0u);
  EXPECT_EQ(total, 48u);
}

TEST(MemoryPlanner, OverlapCheckDetectsConflicts) {
  std::vector<mote::PlanBuffer> b = {{100, 0, 2, 0}, {100, 1, 3, 50}};
  EXPECT_TRUE(mote::plan_has_overlap(b.data(), 2));
  b[1].offset = 100;
  EXPECT_FALSE(mote::plan_has_overlap(b.data(), 2));
  b[1].first = 3;  // no longer alive together
  b[1].offset = 0;
  EXPECT_FALSE(mote::plan_has_overlap(b.data(), 2));
}

TEST(MemoryPlanner, RandomGraphsNeverOverlapAndStayNearTheBound) {
  std::mt19937 rng(1234);
  for (int trial = 0; trial < 300; ++trial) {
    int n = 1 + int(rng() % 60);
    std::vector<mote::PlanBuffer> b(n);
    for (auto& x : b) {
      x.first = int32_t(rng() % 40);
      x.last = x.first + int32_t(rng() % 8);
      x.size = 1 + rng() % 5000;
    }
    uint32_t total = plan(b);
    ASSERT_FALSE(mote::plan_has_overlap(b.data(), n)) << "trial " << trial;
    uint32_t bound = lower_bound(b, 16);
    EXPECT_GE(total, bound);
    for (const auto& x : b) EXPECT_LE(x.offset + x.size, total);
  }
}
}  // namespace

// ---------------------------------------------------------------- overlaps
// (the planner's allowances; the interpreter's use of them is tested below)

namespace {

uint32_t plan_with(std::vector<mote::PlanBuffer>& buffers, const std::vector<mote::PlanOverlap>& overlaps,
                   uint32_t alignment = 16) {
  std::vector<uint32_t> work(mote::planner_work_bytes(int(buffers.size())) / 4 + 4);
  return mote::plan_buffers(buffers.data(), int(buffers.size()), alignment, work.data(), overlaps.data(),
                            int(overlaps.size()));
}

mote::PlanOverlap allowance(int32_t input, int32_t output, int32_t min_lead, int32_t max_lead) {
  mote::PlanOverlap o;
  o.input = input;
  o.output = output;
  o.min_lead = min_lead;
  o.max_lead = max_lead;
  return o;
}

TEST(MemoryPlanner, InPlaceAllowanceSharesTheOffset) {
  // a (0..1) -> elementwise node 1 -> b (1..2); c (0..2) lives throughout.
  std::vector<mote::PlanBuffer> b = {{1000, 0, 1}, {1000, 1, 2}, {500, 0, 2}};
  const uint32_t without = plan(b);
  EXPECT_EQ(without, 1008u + 1008u + 512u);
  const std::vector<mote::PlanOverlap> in_place = {allowance(0, 1, 0, 0)};
  const uint32_t with = plan_with(b, in_place);
  EXPECT_EQ(with, 1008u + 512u);
  EXPECT_EQ(b[0].offset, b[1].offset);
  EXPECT_FALSE(mote::plan_has_overlap(b.data(), 3, in_place.data(), 1));
  EXPECT_TRUE(mote::plan_has_overlap(b.data(), 3));  // without the allowance it is a conflict
}

TEST(MemoryPlanner, TwoWayAllowancesLetAChainAlternate) {
  // Eight equal layers in a chain whose kernels walk front to back (output
  // 256 B or more below the input) or back to front (256 B or more above):
  // one activation and one lead, where front to back alone drifts down by a
  // lead per layer or falls back to two activations.
  std::vector<mote::PlanBuffer> b;
  for (int32_t i = 0; i < 9; ++i) b.push_back({1024, i, i + 1});
  std::vector<mote::PlanOverlap> forward, both;
  for (int32_t i = 0; i < 8; ++i) {
    forward.push_back(allowance(i, i + 1, mote::kUnboundedLead, -256));
    both.push_back(forward.back());
    both.push_back(allowance(i, i + 1, 256, INT32_MAX));
  }
  std::vector<mote::PlanBuffer> one_way = b;
  EXPECT_GT(plan_with(one_way, forward), 1024u + 256u);
  EXPECT_EQ(plan_with(b, both), 1024u + 256u);
  EXPECT_EQ(mote::plan_lower_bound(b.data(), 9, 16, both.data(), int(both.size())), 1024u + 256u);
  EXPECT_FALSE(mote::plan_has_overlap(b.data(), 9, both.data(), int(both.size())));
  EXPECT_TRUE(mote::plan_has_overlap(b.data(), 9, forward.data(), int(forward.size())));
}

TEST(MemoryPlanner, InPlaceNeedsTheExactOffset) {
  std::vector<mote::PlanBuffer> b = {{1000, 0, 1, 0}, {1000, 1, 2, 16}};
  const std::vector<mote::PlanOverlap> in_place = {allowance(0, 1, 0, 0)};
  EXPECT_TRUE(mote::plan_has_overlap(b.data(), 2, in_place.data(), 1));
  b[1].offset = 0;
  EXPECT_FALSE(mote::plan_has_overlap(b.data(), 2, in_place.data(), 1));
}

TEST(MemoryPlanner, StreamingAllowanceKeepsTheOutputLowEnough) {
  // A 1x1 conv doubling the channels: input 1000 B, output 2000 B, the output
  // must end at or below the input's end: lead <= -1000.
  std::vector<mote::PlanBuffer> b = {{1008, 0, 1}, {2016, 1, 2}};
  const std::vector<mote::PlanOverlap> streaming = {allowance(0, 1, mote::kUnboundedLead, -1008)};
  const uint32_t total = plan_with(b, streaming);
  EXPECT_EQ(total, 2016u);
  EXPECT_LE(int64_t(b[1].offset) - int64_t(b[0].offset), -1008);
  EXPECT_FALSE(mote::plan_has_overlap(b.data(), 2, streaming.data(), 1));
  // A placement with the output higher than allowed is reported.
  b[0].offset = 0;
  b[1].offset = 0;
  EXPECT_TRUE(mote::plan_has_overlap(b.data(), 2, streaming.data(), 1));
}

TEST(MemoryPlanner, LeadStepKeepsChannelsAligned) {
  // Pixels of 48 bytes: leads must be multiples of 48 (and of the 16-byte
  // alignment), so -48 is the highest allowed lead below -20.
  std::vector<mote::PlanBuffer> b = {{480, 0, 1}, {480, 1, 2}};
  const std::vector<mote::PlanOverlap> stepped = {allowance(0, 1, mote::kUnboundedLead, -20)};
  std::vector<mote::PlanOverlap> with_step = stepped;
  with_step[0].lead_step = 48;
  const uint32_t total = plan_with(b, with_step);
  EXPECT_EQ(int64_t(b[1].offset) - int64_t(b[0].offset), -48);
  EXPECT_EQ(total, 480u + 48u);
  EXPECT_FALSE(mote::plan_has_overlap(b.data(), 2, with_step.data(), 1));
  b[0].offset = 32;  // lead -32: below -20 but not a multiple of 48
  b[1].offset = 0;
  EXPECT_FALSE(mote::plan_has_overlap(b.data(), 2, stepped.data(), 1));
  EXPECT_TRUE(mote::plan_has_overlap(b.data(), 2, with_step.data(), 1));
}

TEST(MemoryPlanner, AllowanceWorksWhicheverBufferIsPlacedFirst) {
  // The orders place either the input or the output first; both must end up
  // with a valid overlapping plan of the same size.
  for (uint32_t in_size : {100u, 3000u}) {
    std::vector<mote::PlanBuffer> b = {{in_size, 0, 1}, {2000, 1, 1}};
    const std::vector<mote::PlanOverlap> streaming = {allowance(0, 1, mote::kUnboundedLead, 0)};
    const uint32_t total = plan_with(b, streaming);
    EXPECT_FALSE(mote::plan_has_overlap(b.data(), 2, streaming.data(), 1));
    EXPECT_EQ(total, std::max(2000u + 0u, (in_size + 15) / 16 * 16)) << in_size;
  }
}

TEST(MemoryPlanner, RandomAllowancesAreRespectedAndNeverHurt) {
  std::mt19937 rng(99);
  for (int trial = 0; trial < 400; ++trial) {
    const int n = 2 + int(rng() % 40);
    std::vector<mote::PlanBuffer> b(n);
    for (auto& x : b) {
      x.first = int32_t(rng() % 30);
      x.last = x.first + int32_t(rng() % 6);
      x.size = 1 + rng() % 3000;
    }
    // Allowances between a buffer dying at node j and one born there.
    std::vector<mote::PlanOverlap> overlaps;
    for (int i = 0; i < n; ++i) {
      for (int j = 0; j < n; ++j) {
        if (i == j || b[i].last != b[j].first || rng() % 3 != 0) continue;
        const int32_t kind = int32_t(rng() % 3);
        if (kind == 0) overlaps.push_back(allowance(i, j, 0, 0));
        if (kind == 1) overlaps.push_back(allowance(i, j, mote::kUnboundedLead, -int32_t(rng() % 2000)));
        if (kind == 2) overlaps.push_back(allowance(i, j, -int32_t(rng() % 500), int32_t(rng() % 500)));
        if (rng() % 2 == 0) overlaps.back().lead_step = 1 + int32_t(rng() % 64);
      }
    }
    std::vector<mote::PlanBuffer> plain = b;
    const uint32_t without = plan(plain);
    const uint32_t with = plan_with(b, overlaps);
    ASSERT_FALSE(mote::plan_has_overlap(b.data(), n, overlaps.data(), int(overlaps.size()))) << "trial " << trial;
    EXPECT_LE(with, without) << "trial " << trial;
    for (const auto& x : b) {
      EXPECT_EQ(x.offset % 16, 0u);
      EXPECT_LE(x.offset + x.size, with);
    }
    // The bound is the largest of its per-node terms.
    uint32_t largest = 0;
    for (int32_t t = 0; t < 36; ++t)
      largest = std::max(largest, mote::plan_bound_at(b.data(), n, 16, t, overlaps.data(), int(overlaps.size())));
    EXPECT_EQ(largest, mote::plan_lower_bound(b.data(), n, 16, overlaps.data(), int(overlaps.size())))
        << "trial " << trial;
  }
}

// A window op over bytes. Depthwise: output channel c reads input channel
// c / (out_c / in_c); else (CONV_2D) every input channel.
struct WindowCase {
  int32_t batches, in_h, in_w, in_c, out_c, filter_h, filter_w, stride_h, stride_w, dilation_h, dilation_w, pad_top,
      pad_left, out_h, out_w;
  bool depthwise;
};

// Reads output pixel (b, y, x)'s window for channel c and writes the channel.
void window_output(const WindowCase& w, int32_t b, int32_t y, int32_t x, int32_t c, const uint8_t* in, uint8_t* out) {
  const int32_t multiplier = w.depthwise ? w.out_c / w.in_c : 1;
  uint32_t acc = uint32_t(c) * 7u;
  for (int32_t fy = 0; fy < w.filter_h; ++fy)
    for (int32_t fx = 0; fx < w.filter_w; ++fx) {
      const int32_t iy = y * w.stride_h - w.pad_top + fy * w.dilation_h;
      const int32_t ix = x * w.stride_w - w.pad_left + fx * w.dilation_w;
      if (iy < 0 || iy >= w.in_h || ix < 0 || ix >= w.in_w) continue;
      const uint8_t* pixel = in + ((b * w.in_h + iy) * w.in_w + ix) * w.in_c;
      if (w.depthwise) {
        acc = acc * 31u + pixel[c / multiplier];
      } else {
        for (int32_t k = 0; k < w.in_c; ++k) acc = acc * 31u + pixel[k] * uint32_t(k + 1);
      }
    }
  out[((b * w.out_h + y) * w.out_w + x) * w.out_c + c] = uint8_t(acc ^ (acc >> 8));
}

// A window op kernel that honours window_op_max_lead()'s contract in the
// worst way it allows: per output pixel, per output channel, it reads that
// channel's window and writes the channel right away (so later channels of
// the same pixel read after earlier ones were written).
void window_kernel(const WindowCase& w, const uint8_t* in, uint8_t* out) {
  for (int32_t b = 0; b < w.batches; ++b)
    for (int32_t y = 0; y < w.out_h; ++y)
      for (int32_t x = 0; x < w.out_w; ++x)
        for (int32_t c = 0; c < w.out_c; ++c) window_output(w, b, y, x, c, in, out);
}

// A row-block kernel that honours row_block_max_lead()'s contract in the
// worst way it allows: blocks of block_rows output rows of each image in
// order; within a block, channels outermost and the block's pixels last to
// first, each written right after its window is read.
void row_block_kernel(const WindowCase& w, int32_t block_rows, const uint8_t* in, uint8_t* out) {
  for (int32_t b = 0; b < w.batches; ++b)
    for (int32_t y0 = 0; y0 < w.out_h; y0 += block_rows) {
      const int32_t y1 = std::min(w.out_h, y0 + block_rows);
      for (int32_t c = 0; c < w.out_c; ++c)
        for (int32_t y = y1 - 1; y >= y0; --y)
          for (int32_t x = w.out_w - 1; x >= 0; --x) window_output(w, b, y, x, c, in, out);
    }
}

// The mirror image, for row_block_min_lead_back(): blocks from the last (of
// the last image) to the first; within a block, channels outermost and the
// block's pixels first to last.
void row_block_kernel_back(const WindowCase& w, int32_t block_rows, const uint8_t* in, uint8_t* out) {
  const int32_t blocks = (w.out_h + block_rows - 1) / block_rows;
  for (int32_t b = w.batches - 1; b >= 0; --b)
    for (int32_t k = blocks - 1; k >= 0; --k) {
      const int32_t y0 = k * block_rows, y1 = std::min(w.out_h, y0 + block_rows);
      for (int32_t c = 0; c < w.out_c; ++c)
        for (int32_t y = y0; y < y1; ++y)
          for (int32_t x = 0; x < w.out_w; ++x) window_output(w, b, y, x, c, in, out);
    }
}

// A channel-separable kernel walking back to front (the optimized depthwise
// kernels with multiplier 1 where the output lies above the input): channel
// by channel, images and rows last to first, each row's pixels first to last.
void channel_rows_kernel_back(const WindowCase& w, const uint8_t* in, uint8_t* out) {
  for (int32_t c = 0; c < w.out_c; ++c)
    for (int32_t b = w.batches - 1; b >= 0; --b)
      for (int32_t y = w.out_h - 1; y >= 0; --y)
        for (int32_t x = 0; x < w.out_w; ++x) window_output(w, b, y, x, c, in, out);
}

// A random window op: SAME or VALID, strides, dilations, depthwise (with a
// multiplier) or not. False when its output would be empty.
bool random_window_case(std::mt19937& rng, WindowCase* out) {
  WindowCase& w = *out;
  w.depthwise = rng() % 2 == 0;
  w.batches = 1 + int32_t(rng() % 2);
  w.in_h = 1 + int32_t(rng() % 9);
  w.in_w = 1 + int32_t(rng() % 9);
  w.in_c = 1 + int32_t(rng() % 5);
  w.out_c = w.depthwise ? w.in_c * (1 + int32_t(rng() % 3)) : 1 + int32_t(rng() % 7);
  w.filter_h = 1 + int32_t(rng() % 4);
  w.filter_w = 1 + int32_t(rng() % 4);
  w.stride_h = 1 + int32_t(rng() % 3);
  w.stride_w = 1 + int32_t(rng() % 3);
  w.dilation_h = 1 + int32_t(rng() % 2);
  w.dilation_w = 1 + int32_t(rng() % 2);
  const int32_t extent_h = (w.filter_h - 1) * w.dilation_h + 1, extent_w = (w.filter_w - 1) * w.dilation_w + 1;
  const bool same = rng() % 2 == 0;
  w.out_h = same ? (w.in_h + w.stride_h - 1) / w.stride_h : (w.in_h - extent_h + w.stride_h) / w.stride_h;
  w.out_w = same ? (w.in_w + w.stride_w - 1) / w.stride_w : (w.in_w - extent_w + w.stride_w) / w.stride_w;
  if (w.out_h <= 0 || w.out_w <= 0) return false;
  w.pad_top = same ? std::max(0, ((w.out_h - 1) * w.stride_h + extent_h - w.in_h) / 2) : 0;
  w.pad_left = same ? std::max(0, ((w.out_w - 1) * w.stride_w + extent_w - w.in_w) / 2) : 0;
  return true;
}

mote::WindowGeometry geometry_of(const WindowCase& w) {
  mote::WindowGeometry g;
  g.batches = w.batches;
  g.input_height = w.in_h;
  g.input_width = w.in_w;
  g.input_pixel_bytes = w.in_c;
  g.output_height = w.out_h;
  g.output_width = w.out_w;
  g.output_pixel_bytes = w.out_c;
  g.stride_height = w.stride_h;
  g.stride_width = w.stride_w;
  g.pad_top = w.pad_top;
  g.pad_left = w.pad_left;
  g.extent_height = (w.filter_h - 1) * w.dilation_h + 1;
  g.extent_width = (w.filter_w - 1) * w.dilation_w + 1;
  return g;
}

// Runs `kernel` with its output at every lead from max_lead down to no
// overlap at all (in random steps) and checks the output each time; returns
// how many of those runs overlapped.
template <typename Kernel>
int check_leads(std::mt19937& rng, const std::vector<uint8_t>& input, size_t out_bytes, int32_t max_lead,
                Kernel kernel) {
  std::vector<uint8_t> expected(out_bytes);
  kernel(input.data(), expected.data());
  int overlapping = 0;
  for (int64_t lead = max_lead; lead > -int64_t(out_bytes) - 1; lead -= 1 + int64_t(rng() % 7)) {
    const size_t base = out_bytes;  // room below the input for negative leads
    std::vector<uint8_t> memory(base + input.size() + out_bytes, 0);
    uint8_t* in = memory.data() + base;
    uint8_t* out = in + lead;
    memcpy(in, input.data(), input.size());
    kernel(in, out);
    EXPECT_EQ(std::vector<uint8_t>(out, out + out_bytes), expected) << "lead " << lead;
    if (std::vector<uint8_t>(out, out + out_bytes) != expected) return -1;
    if (lead + int64_t(out_bytes) > 0) ++overlapping;
  }
  return overlapping;
}

// The same for back-to-front kernels: every lead from min_lead (rounded up
// to a multiple of step) up to no overlap at all, in random steps of `step`.
template <typename Kernel>
int check_leads_back(std::mt19937& rng, const std::vector<uint8_t>& input, size_t out_bytes, int32_t min_lead,
                     int64_t step, Kernel kernel) {
  std::vector<uint8_t> expected(out_bytes);
  kernel(input.data(), expected.data());
  int overlapping = 0;
  const int64_t first = (int64_t(min_lead) + step - 1) / step * step;
  for (int64_t lead = first; lead <= int64_t(input.size()); lead += step * (1 + int64_t(rng() % 3))) {
    std::vector<uint8_t> memory(input.size() + size_t(lead) + out_bytes, 0);
    uint8_t* in = memory.data();
    uint8_t* out = in + lead;
    memcpy(in, input.data(), input.size());
    kernel(in, out);
    EXPECT_EQ(std::vector<uint8_t>(out, out + out_bytes), expected) << "lead " << lead;
    if (std::vector<uint8_t>(out, out + out_bytes) != expected) return -1;
    if (lead < int64_t(input.size())) ++overlapping;
  }
  return overlapping;
}

TEST(MemoryPlanner, RowBlockMinLeadBackIsSafeForBackToFrontKernels) {
  std::mt19937 rng(13);
  int overlapping = 0;
  for (int trial = 0; trial < 600; ++trial) {
    WindowCase w;
    if (!random_window_case(rng, &w)) continue;
    const int32_t block_rows = 1 + int32_t(rng() % 4);
    const int32_t min_lead = mote::row_block_min_lead_back(geometry_of(w), block_rows);
    ASSERT_GE(min_lead, 0);
    std::vector<uint8_t> input(size_t(w.batches * w.in_h * w.in_w * w.in_c));
    for (auto& v : input) v = uint8_t(rng());
    const int n = check_leads_back(rng, input, size_t(w.batches * w.out_h * w.out_w * w.out_c), min_lead, 1,
                                   [&](const uint8_t* in, uint8_t* out) { row_block_kernel_back(w, block_rows, in, out); });
    ASSERT_GE(n, 0) << "trial " << trial << " block rows " << block_rows;
    overlapping += n;
  }
  EXPECT_GT(overlapping, 1000);
}

TEST(MemoryPlanner, OneRowMinLeadBackIsSafeForChannelSeparableKernels) {
  std::mt19937 rng(17);
  int overlapping = 0;
  for (int trial = 0; trial < 600; ++trial) {
    WindowCase w;
    if (!random_window_case(rng, &w)) continue;
    w.depthwise = true;  // multiplier 1: output channel c reads input channel c
    w.out_c = w.in_c;
    const int32_t min_lead = mote::row_block_min_lead_back(geometry_of(w), 1);
    ASSERT_GE(min_lead, 0);
    std::vector<uint8_t> input(size_t(w.batches * w.in_h * w.in_w * w.in_c));
    for (auto& v : input) v = uint8_t(rng());
    const int n = check_leads_back(rng, input, size_t(w.batches * w.out_h * w.out_w * w.out_c), min_lead, w.in_c,
                                   [&](const uint8_t* in, uint8_t* out) { channel_rows_kernel_back(w, in, out); });
    ASSERT_GE(n, 0) << "trial " << trial;
    overlapping += n;
  }
  EXPECT_GT(overlapping, 1000);
}

TEST(MemoryPlanner, RowBlockMaxLeadIsSafeForRowBlockKernels) {
  std::mt19937 rng(9);
  int overlapping = 0;
  for (int trial = 0; trial < 600; ++trial) {
    WindowCase w;
    if (!random_window_case(rng, &w)) continue;
    const int32_t block_rows = 1 + int32_t(rng() % 4);
    const int32_t max_lead = mote::row_block_max_lead(geometry_of(w), block_rows);
    ASSERT_LT(max_lead, 0);
    // One-row blocks of a one-column output are single pixels.
    if (w.out_w == 1 && block_rows == 1) EXPECT_EQ(max_lead, mote::window_op_max_lead(geometry_of(w)));
    std::vector<uint8_t> input(size_t(w.batches * w.in_h * w.in_w * w.in_c));
    for (auto& v : input) v = uint8_t(rng());
    const int n = check_leads(rng, input, size_t(w.batches * w.out_h * w.out_w * w.out_c), max_lead,
                              [&](const uint8_t* in, uint8_t* out) { row_block_kernel(w, block_rows, in, out); });
    ASSERT_GE(n, 0) << "trial " << trial << " block rows " << block_rows;
    overlapping += n;
  }
  EXPECT_GT(overlapping, 1000);
}

TEST(MemoryPlanner, WindowOpMaxLeadIsSafeForPixelOrderKernels) {
  std::mt19937 rng(7);
  int overlapping = 0;
  for (int trial = 0; trial < 600; ++trial) {
    WindowCase w;
    if (!random_window_case(rng, &w)) continue;
    const int32_t max_lead = mote::window_op_max_lead(geometry_of(w));
    ASSERT_LT(max_lead, 0);
    std::vector<uint8_t> input(size_t(w.batches * w.in_h * w.in_w * w.in_c));
    for (auto& v : input) v = uint8_t(rng());
    const int n = check_leads(rng, input, size_t(w.batches * w.out_h * w.out_w * w.out_c), max_lead,
                              [&](const uint8_t* in, uint8_t* out) { window_kernel(w, in, out); });
    ASSERT_GE(n, 0) << "trial " << trial;
    overlapping += n;
  }
  EXPECT_GT(overlapping, 1000);
}

TEST(MemoryPlanner, StreamingMaxLeadIsSafeForStepKernels) {
  std::mt19937 rng(11);
  for (int trial = 0; trial < 300; ++trial) {
    const int32_t steps = 1 + int32_t(rng() % 12), in_step = 1 + int32_t(rng() % 40),
                  out_step = 1 + int32_t(rng() % 40);
    const int32_t max_lead = mote::streaming_max_lead(steps, in_step, out_step);
    // Step kernel as the LSTM's chunks are: each output byte of a step is
    // written after reading the whole step's input again.
    auto kernel = [&](const uint8_t* in, uint8_t* out) {
      for (int32_t k = 0; k < steps; ++k) {
        for (int32_t o = 0; o < out_step; ++o) {
          uint32_t acc = 1;
          for (int32_t i = 0; i < in_step; ++i) acc = acc * 131u + in[k * in_step + i];
          out[k * out_step + o] = uint8_t((acc >> (o % 24)) + o);
        }
      }
    };
    std::vector<uint8_t> input(size_t(steps * in_step)), expected(size_t(steps * out_step));
    for (auto& v : input) v = uint8_t(rng());
    kernel(input.data(), expected.data());
    for (int64_t lead = max_lead; lead > -int64_t(expected.size()) - 1; --lead) {
      std::vector<uint8_t> memory(expected.size() * 2 + input.size() + 64, 0);
      uint8_t* in = memory.data() + expected.size();
      memcpy(in, input.data(), input.size());
      uint8_t* out = in + lead;
      kernel(in, out);
      ASSERT_EQ(std::vector<uint8_t>(out, out + expected.size()), expected) << "trial " << trial << " lead " << lead;
    }
  }
}

}  // namespace

// ---------------------------------------------------------------- interpreter
// RESHAPE-family outputs sharing their input's buffer, element-wise ops in
// place, window ops streaming over their input: results must not change.

namespace {

using mote::DType;
using mote::tools::ModelBuilder;
using mote::tools::Options;
using mote::tools::TensorSpec;
namespace schema = mote::schema;

struct Run {
  std::unique_ptr<mote::OpResolver> resolver;
  std::vector<uint8_t> model;
  std::vector<uint8_t> arena;
  std::unique_ptr<mote::Interpreter> interp;
  std::vector<std::vector<uint8_t>> outputs;
  std::vector<mote::PlannedBuffer> plan;
};

// Allocates, fills the inputs, invokes once.
std::unique_ptr<Run> run(const std::vector<uint8_t>& model, const std::vector<std::vector<uint8_t>>& inputs) {
  auto r = std::make_unique<Run>();
  r->resolver = std::make_unique<mote::OpResolver>();
  EXPECT_EQ(mote::register_all_ops(*r->resolver), mote::Status::kOk);
  r->model = model;
  r->arena.assign(1 << 20, 0xA5);
  r->interp = std::make_unique<mote::Interpreter>(r->model.data(), r->model.size(), *r->resolver, r->arena.data(),
                                                  r->arena.size());
  if (r->interp->allocate() != mote::Status::kOk) {
    ADD_FAILURE() << r->interp->error_message();
    return r;
  }
  for (size_t i = 0; i < inputs.size(); ++i) {
    mote::TensorView v = r->interp->input(i);
    EXPECT_EQ(v.bytes, inputs[i].size());
    memcpy(v.data, inputs[i].data(), std::min<size_t>(v.bytes, inputs[i].size()));
  }
  const int n = r->interp->memory_plan(nullptr, 0);
  r->plan.resize(size_t(n));
  r->interp->memory_plan(r->plan.data(), n);
  EXPECT_EQ(r->interp->invoke(), mote::Status::kOk) << r->interp->error_message();
  for (size_t j = 0; j < r->interp->num_outputs(); ++j) {
    const mote::TensorView v = r->interp->output(j);
    r->outputs.emplace_back(static_cast<const uint8_t*>(v.data), static_cast<const uint8_t*>(v.data) + v.bytes);
  }
  return r;
}

const mote::PlannedBuffer* planned(const Run& r, int32_t tensor) {
  for (const auto& b : r.plan)
    if (b.tensor == tensor) return &b;
  return nullptr;
}

std::vector<uint8_t> float_bytes(const std::vector<float>& v) {
  std::vector<uint8_t> b(v.size() * 4);
  memcpy(b.data(), v.data(), b.size());
  return b;
}

std::vector<float> floats(const std::vector<uint8_t>& b) {
  std::vector<float> v(b.size() / 4);
  memcpy(v.data(), b.data(), v.size() * 4);
  return v;
}

int32_t reshape_to(ModelBuilder& m, int32_t in, std::vector<int32_t> shape, const char* name) {
  const int32_t shape_tensor = m.add_tensor(
      TensorSpec::constant<int32_t>(std::string(name) + "_shape", DType::kInt32, {int32_t(shape.size())}, shape));
  const int32_t out = m.add_tensor({name, DType::kFloat32, shape});
  m.add_operator(schema::BuiltinOp::kReshape, {in, shape_tensor}, {out},
                 Options(schema::OptionsType::kReshape).i32_vector(schema::reshape_options::new_shape, shape));
  return out;
}

TEST(MemoryPlan, ReshapeSharesItsInputsBuffer) {
  // x -> RESHAPE -> y (model output): one buffer for both.
  ModelBuilder m;
  const int32_t x = m.add_tensor({"x", DType::kFloat32, {1, 8}});
  const int32_t y = reshape_to(m, x, {2, 4}, "y");
  m.set_inputs({x});
  m.set_outputs({y});
  const std::vector<float> values = {1, -2, 3, -4, 5, -6, 7, -8};
  auto r = run(m.serialize(), {float_bytes(values)});
  ASSERT_EQ(r->outputs.size(), 1u);
  EXPECT_EQ(floats(r->outputs[0]), values);
  EXPECT_EQ(r->interp->input(0).data, r->interp->output(0).data);
  EXPECT_EQ(r->plan.size(), 1u);
  ASSERT_NE(planned(*r, x), nullptr);
  EXPECT_EQ(planned(*r, y), nullptr);  // not a buffer of its own
}

TEST(MemoryPlan, SharedBufferLivesAsLongAsAnyOfItsTensors) {
  // out = x + relu(reshape(reshape(x))): RELU must not run in place over the
  // shared buffer, because x is read again by the ADD.
  ModelBuilder m;
  const int32_t x = m.add_tensor({"x", DType::kFloat32, {1, 8}});
  const int32_t y = reshape_to(m, x, {2, 4}, "y");
  const int32_t z = m.add_tensor({"z", DType::kFloat32, {2, 4}});
  m.add_operator(schema::BuiltinOp::kRelu, {y}, {z});
  const int32_t w = reshape_to(m, z, {1, 8}, "w");
  const int32_t out = m.add_tensor({"out", DType::kFloat32, {1, 8}});
  m.add_operator(schema::BuiltinOp::kAdd, {x, w}, {out}, Options(schema::OptionsType::kAdd));
  m.set_inputs({x});
  m.set_outputs({out});
  const std::vector<float> values = {1, -2, 3, -4, 5, -6, 7, -8};
  auto r = run(m.serialize(), {float_bytes(values)});
  ASSERT_EQ(r->outputs.size(), 1u);
  std::vector<float> expected;
  for (float v : values) expected.push_back(v + (v > 0 ? v : 0.0f));
  EXPECT_EQ(floats(r->outputs[0]), expected);
  const mote::PlannedBuffer* shared = planned(*r, x);
  ASSERT_NE(shared, nullptr);
  EXPECT_EQ(shared->placement.first, 0);
  EXPECT_EQ(shared->placement.last, 3);  // read by the ADD (node 3)
  EXPECT_EQ(planned(*r, y), nullptr);
  EXPECT_EQ(planned(*r, w), nullptr);
  ASSERT_NE(planned(*r, z), nullptr);
  EXPECT_NE(planned(*r, z)->placement.offset, shared->placement.offset);
}

TEST(MemoryPlan, ReshapeOfAConstantIsCopied) {
  ModelBuilder m;
  const std::vector<float> values = {0.5f, 1.5f, -2.5f, 4};
  const int32_t c = m.add_tensor(TensorSpec::constant<float>("c", DType::kFloat32, {4}, values));
  const int32_t y = reshape_to(m, c, {2, 2}, "y");
  const int32_t x = m.add_tensor({"x", DType::kFloat32, {2, 2}});
  const int32_t out = m.add_tensor({"out", DType::kFloat32, {2, 2}});
  m.add_operator(schema::BuiltinOp::kAdd, {x, y}, {out}, Options(schema::OptionsType::kAdd));
  m.set_inputs({x});
  m.set_outputs({out});
  auto r = run(m.serialize(), {float_bytes({1, 1, 1, 1})});
  ASSERT_EQ(r->outputs.size(), 1u);
  EXPECT_EQ(floats(r->outputs[0]), (std::vector<float>{1.5f, 2.5f, -1.5f, 5}));
  EXPECT_NE(planned(*r, y), nullptr);  // a planned copy, not the model's bytes
}

TEST(MemoryPlan, ElementwiseChainRunsInPlace) {
  // x -> RELU -> a; a + b -> s; the three activations of the chain share one
  // offset, b does not.
  ModelBuilder m;
  const int32_t x = m.add_tensor({"x", DType::kFloat32, {1, 64}});
  const int32_t b = m.add_tensor({"b", DType::kFloat32, {1, 64}});
  const int32_t a = m.add_tensor({"a", DType::kFloat32, {1, 64}});
  const int32_t s = m.add_tensor({"s", DType::kFloat32, {1, 64}});
  m.add_operator(schema::BuiltinOp::kRelu, {x}, {a});
  m.add_operator(schema::BuiltinOp::kAdd, {a, b}, {s}, Options(schema::OptionsType::kAdd));
  m.set_inputs({x, b});
  m.set_outputs({s});
  std::vector<float> xs, bs, expected;
  for (int i = 0; i < 64; ++i) {
    xs.push_back(float(i % 7) - 3.0f);
    bs.push_back(0.25f * float(i));
    expected.push_back((xs.back() > 0 ? xs.back() : 0.0f) + bs.back());
  }
  auto r = run(m.serialize(), {float_bytes(xs), float_bytes(bs)});
  ASSERT_EQ(r->outputs.size(), 1u);
  EXPECT_EQ(floats(r->outputs[0]), expected);
  ASSERT_TRUE(planned(*r, x) && planned(*r, a) && planned(*r, s) && planned(*r, b));
  EXPECT_EQ(planned(*r, a)->placement.offset, planned(*r, x)->placement.offset);
  EXPECT_EQ(planned(*r, s)->placement.offset, planned(*r, a)->placement.offset);
  EXPECT_NE(planned(*r, b)->placement.offset, planned(*r, x)->placement.offset);
  EXPECT_EQ(r->interp->arena_planned_bytes(), 2u * 256u);
}

TEST(MemoryPlan, NarrowingElementwiseOpsWriteOverTheirInput) {
  // QUANTIZE float32 -> int8 and int16 -> int8, CAST int32 -> int16: each
  // output starts where its input does (front to back, element i ends before
  // input element i + 1 starts), so the plan is the input's bytes alone.
  std::vector<float> xs;
  std::vector<int16_t> hs;
  std::vector<int32_t> ws;
  for (int i = 0; i < 64; ++i) {
    xs.push_back(0.37f * float(i - 30));
    hs.push_back(int16_t(1000 * (i - 32) + 8));  // even: h / 2 exact, so one rounding
    ws.push_back(70000 * (i - 32) + i);
  }
  {
    ModelBuilder m;
    const int32_t x = m.add_tensor({"x", DType::kFloat32, {1, 64}});
    const int32_t q = m.add_tensor({"q", DType::kInt8, {1, 64}, {0.25f}, {-3}});
    m.add_operator(schema::BuiltinOp::kQuantize, {x}, {q});
    m.set_inputs({x});
    m.set_outputs({q});
    auto r = run(m.serialize(), {float_bytes(xs)});
    ASSERT_EQ(r->outputs.size(), 1u);
    for (int i = 0; i < 64; ++i) {
      const int32_t want = std::max(-128, std::min(127, int32_t(roundf(xs[i] / 0.25f)) - 3));
      EXPECT_EQ(int8_t(r->outputs[0][size_t(i)]), want) << i;
    }
    ASSERT_TRUE(planned(*r, x) && planned(*r, q));
    EXPECT_EQ(planned(*r, q)->placement.offset, planned(*r, x)->placement.offset);
    EXPECT_EQ(r->interp->arena_planned_bytes(), 256u);
  }
  {
    ModelBuilder m;
    const int32_t h = m.add_tensor({"h", DType::kInt16, {1, 64}, {0.5f}, {0}});
    const int32_t q = m.add_tensor({"q", DType::kInt8, {1, 64}, {256.0f}, {1}});
    m.add_operator(schema::BuiltinOp::kQuantize, {h}, {q});
    m.set_inputs({h});
    m.set_outputs({q});
    std::vector<uint8_t> bytes(hs.size() * 2);
    memcpy(bytes.data(), hs.data(), bytes.size());
    auto r = run(m.serialize(), {bytes});
    ASSERT_EQ(r->outputs.size(), 1u);
    for (int i = 0; i < 64; ++i) {
      // h * 0.5 / 256 = h / 512, rounded half away from zero, plus 1.
      const int32_t want = std::max(-128, std::min(127, int32_t(lround(hs[size_t(i)] / 512.0)) + 1));
      EXPECT_EQ(int8_t(r->outputs[0][size_t(i)]), want) << i;
    }
    EXPECT_EQ(planned(*r, q)->placement.offset, planned(*r, h)->placement.offset);
    EXPECT_EQ(r->interp->arena_planned_bytes(), 128u);
  }
  {
    ModelBuilder m;
    const int32_t w = m.add_tensor({"w", DType::kInt32, {1, 64}});
    const int32_t c = m.add_tensor({"c", DType::kInt16, {1, 64}});
    m.add_operator(schema::BuiltinOp::kCast, {w}, {c});
    m.set_inputs({w});
    m.set_outputs({c});
    std::vector<uint8_t> bytes(ws.size() * 4);
    memcpy(bytes.data(), ws.data(), bytes.size());
    auto r = run(m.serialize(), {bytes});
    ASSERT_EQ(r->outputs.size(), 1u);
    for (int i = 0; i < 64; ++i) {
      int16_t got;
      memcpy(&got, &r->outputs[0][size_t(2 * i)], 2);
      EXPECT_EQ(got, int16_t(uint16_t(uint32_t(ws[size_t(i)])))) << i;  // wraps, as C++ conversions do
    }
    EXPECT_EQ(planned(*r, c)->placement.offset, planned(*r, w)->placement.offset);
    EXPECT_EQ(r->interp->arena_planned_bytes(), 256u);
  }
}

TEST(MemoryPlan, ModelOutputIsNeverOverwrittenInPlace) {
  // x is both a model output and the RELU's input: the RELU must not write
  // over it.
  ModelBuilder m;
  const int32_t x = m.add_tensor({"x", DType::kFloat32, {1, 16}});
  const int32_t a = m.add_tensor({"a", DType::kFloat32, {1, 16}});
  m.add_operator(schema::BuiltinOp::kRelu, {x}, {a});
  m.set_inputs({x});
  m.set_outputs({a, x});
  std::vector<float> xs;
  for (int i = 0; i < 16; ++i) xs.push_back(float(i) - 8.0f);
  auto r = run(m.serialize(), {float_bytes(xs)});
  ASSERT_EQ(r->outputs.size(), 2u);
  EXPECT_EQ(floats(r->outputs[1]), xs);
  EXPECT_NE(planned(*r, a)->placement.offset, planned(*r, x)->placement.offset);
}

// The same pooling node twice: once with its input free to be overwritten,
// once with the input also a model output (kept whole). Same bytes out.
TEST(MemoryPlan, PoolingStreamsOverItsInputWithoutChangingResults) {
  std::mt19937 rng(5);
  int smaller = 0;
  for (int trial = 0; trial < 120; ++trial) {
    const int32_t batches = 1 + int32_t(rng() % 2), h = 2 + int32_t(rng() % 10), w = 2 + int32_t(rng() % 10),
                  c = 1 + int32_t(rng() % 20);
    const int32_t fh = 1 + int32_t(rng() % std::min(h, 4)), fw = 1 + int32_t(rng() % std::min(w, 4));
    const int32_t sh = 1 + int32_t(rng() % 3), sw = 1 + int32_t(rng() % 3);
    const bool same = rng() % 2 == 0;
    const bool average = rng() % 2 == 0;
    const int32_t oh = same ? (h + sh - 1) / sh : (h - fh + sh) / sh;
    const int32_t ow = same ? (w + sw - 1) / sw : (w - fw + sw) / sw;
    std::vector<int8_t> input(size_t(batches * h * w * c));
    for (auto& v : input) v = int8_t(rng());
    std::vector<uint8_t> input_bytes(input.size());
    memcpy(input_bytes.data(), input.data(), input.size());

    std::vector<std::vector<uint8_t>> results;
    std::vector<size_t> arenas;
    for (bool keep_input : {false, true}) {
      ModelBuilder m;
      const int32_t x = m.add_tensor({"x", DType::kInt8, {batches, h, w, c}, {0.5f}, {-3}});
      const int32_t y = m.add_tensor({"y", DType::kInt8, {batches, oh, ow, c}, {0.5f}, {-3}});
      m.add_operator(average ? schema::BuiltinOp::kAveragePool2D : schema::BuiltinOp::kMaxPool2D, {x}, {y},
                     Options(schema::OptionsType::kPool2D)
                         .i8(schema::pool2d_options::padding, same ? 0 : 1)
                         .i32(schema::pool2d_options::stride_w, sw)
                         .i32(schema::pool2d_options::stride_h, sh)
                         .i32(schema::pool2d_options::filter_width, fw)
                         .i32(schema::pool2d_options::filter_height, fh));
      m.set_inputs({x});
      if (keep_input)
        m.set_outputs({y, x});
      else
        m.set_outputs({y});
      auto r = run(m.serialize(), {input_bytes});
      ASSERT_FALSE(r->outputs.empty()) << "trial " << trial;
      results.push_back(r->outputs[0]);
      arenas.push_back(r->interp->arena_planned_bytes());
    }
    ASSERT_EQ(results[0], results[1]) << "trial " << trial << (average ? " average" : " max") << " b" << batches
                                      << " " << h << "x" << w << "x" << c << " filter " << fh << "x" << fw
                                      << " stride " << sh << "x" << sw << (same ? " SAME" : " VALID");
    EXPECT_LE(arenas[0], arenas[1]);
    if (arenas[0] < arenas[1]) ++smaller;
  }
  EXPECT_GT(smaller, 30);
}

// DEPTHWISE_CONV_2D with multiplier 1 (whatever kernel prepare selects):
// streaming over the input must not change a byte.
TEST(MemoryPlan, DepthwiseStreamsOverItsInputWithoutChangingResults) {
  std::mt19937 rng(17);
  int smaller = 0;
  const int32_t channel_choices[] = {1, 3, 8, 16, 24, 32, 40};
  for (int trial = 0; trial < 80; ++trial) {
    const int32_t h = 3 + int32_t(rng() % 10), w = 3 + int32_t(rng() % 10);
    const int32_t c = channel_choices[rng() % 7];
    const int32_t fh = 1 + int32_t(rng() % 3), fw = 1 + int32_t(rng() % 3);
    const int32_t sh = 1 + int32_t(rng() % 2), sw = 1 + int32_t(rng() % 2);
    const int32_t dh = sh == 1 ? 1 + int32_t(rng() % 2) : 1, dw = sw == 1 ? 1 + int32_t(rng() % 2) : 1;
    const bool same = rng() % 2 == 0;
    const int32_t eh = (fh - 1) * dh + 1, ew = (fw - 1) * dw + 1;
    const int32_t oh = same ? (h + sh - 1) / sh : (h - eh + sh) / sh;
    const int32_t ow = same ? (w + sw - 1) / sw : (w - ew + sw) / sw;
    if (oh <= 0 || ow <= 0) continue;
    std::vector<int8_t> filter(size_t(fh * fw * c));
    for (auto& v : filter) v = int8_t(rng());
    std::vector<int32_t> bias(static_cast<size_t>(c));
    for (auto& v : bias) v = int32_t(rng() % 2001) - 1000;
    std::vector<float> filter_scales;
    std::vector<int64_t> filter_zero_points;
    for (int32_t i = 0; i < c; ++i) {
      filter_scales.push_back(0.002f + 0.001f * float(i % 5));
      filter_zero_points.push_back(0);
    }
    std::vector<float> bias_scales;
    for (float s : filter_scales) bias_scales.push_back(0.05f * s);
    std::vector<uint8_t> input(size_t(h * w * c));
    for (auto& v : input) v = uint8_t(rng());

    std::vector<std::vector<uint8_t>> results;
    std::vector<size_t> arenas;
    for (bool keep_input : {false, true}) {
      ModelBuilder m;
      const int32_t x = m.add_tensor({"x", DType::kInt8, {1, h, w, c}, {0.05f}, {3}});
      const int32_t f = m.add_tensor(TensorSpec::constant<int8_t>("f", DType::kInt8, {1, fh, fw, c}, filter,
                                                                  filter_scales, filter_zero_points, 3));
      const int32_t bb = m.add_tensor(
          TensorSpec::constant<int32_t>("b", DType::kInt32, {c}, bias, bias_scales, filter_zero_points, 0));
      const int32_t y = m.add_tensor({"y", DType::kInt8, {1, oh, ow, c}, {0.04f}, {-5}});
      namespace dwo = schema::depthwise_conv2d_options;
      m.add_operator(schema::BuiltinOp::kDepthwiseConv2D, {x, f, bb}, {y},
                     Options(schema::OptionsType::kDepthwiseConv2D)
                         .i8(dwo::padding, same ? 0 : 1)
                         .i32(dwo::stride_w, sw)
                         .i32(dwo::stride_h, sh)
                         .i32(dwo::depth_multiplier, 1)
                         .i32(dwo::dilation_w_factor, dw)
                         .i32(dwo::dilation_h_factor, dh),
                     3);
      m.set_inputs({x});
      if (keep_input)
        m.set_outputs({y, x});
      else
        m.set_outputs({y});
      auto r = run(m.serialize(), {input});
      ASSERT_FALSE(r->outputs.empty()) << "trial " << trial;
      results.push_back(r->outputs[0]);
      arenas.push_back(r->interp->arena_planned_bytes());
    }
    ASSERT_EQ(results[0], results[1]) << "trial " << trial << " " << h << "x" << w << "x" << c << " filter " << fh
                                      << "x" << fw << " stride " << sh << "x" << sw << " dilation " << dh << "x" << dw
                                      << (same ? " SAME" : " VALID");
    EXPECT_LE(arenas[0], arenas[1]);
    if (arenas[0] < arenas[1]) ++smaller;
  }
  EXPECT_GT(smaller, 20);
}

}  // namespace
