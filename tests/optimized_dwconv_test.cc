// Optimized DEPTHWISE_CONV_2D kernels against the reference kernels: the same
// random data through both, outputs required byte-identical, over sweeps of
// channels (block edges 16 / 8 / odd, 8 mod 16), depth multipliers, filter
// sizes, strides, dilations, SAME padding with odd totals (more padding after
// than before) and VALID, batches, zero points, activation ranges and
// requantization shifts of both signs. Inputs, filters and outputs sit 1..3
// bytes off alignment, and guard bytes after each output must stay intact.
// Also checks the fast requantization against fixedpoint.h.
#include <gtest/gtest.h>
#include <stdint.h>
#include <string.h>

#include <random>
#include <string>
#include <vector>

#include "guarded_buffer.h"
#include "kernels/conv_params.h"
#include "kernels/fixedpoint.h"
#include "kernels/optimized/depthwise_conv_2d.h"
#include "kernels/optimized/requantize.h"
#include "kernels/optimized/requantize_avx2.h"
#include "kernels/optimized/stream_blocks.h"
#include "kernels/overlap_bounds.h"
#include "kernels/reference/depthwise_conv_2d.h"
#include "overlapped_buffers.h"
#include "window_case.h"

namespace {

using mote::ConvParams;
using mote::Dims4;

struct Case : WindowCase {
  int32_t multiplier = 1;
  // When >= 0: this padding before and after each axis instead of SAME's or
  // VALID's (window shapes SAME never gives a 3x3 filter).
  int32_t pad = -1;
  std::string name() const {
    return describe(" dm" + std::to_string(multiplier) + (pad >= 0 ? " pad" + std::to_string(pad) : ""));
  }
};

// Fills params and dims as DEPTHWISE_CONV_2D's prepare does; false when the
// output would be empty.
bool geometry(const Case& c, ConvParams* p, Dims4* in, Dims4* fd, Dims4* out) {
  *fd = Dims4{1, c.filter_h, c.filter_w, c.in_c * c.multiplier};
  p->depth_multiplier = c.multiplier;
  if (!c.window_geometry(c.in_c * c.multiplier, p, in, out)) return false;
  if (c.pad < 0) return true;
  p->pad_h = p->pad_w = c.pad;
  out->h = (c.in_h + 2 * c.pad - (c.filter_h - 1) * c.dilation_h - 1) / c.stride_h + 1;
  out->w = (c.in_w + 2 * c.pad - (c.filter_w - 1) * c.dilation_w - 1) / c.stride_w + 1;
  return out->h > 0 && out->w > 0;
}

// Runs reference and optimized int8 kernels on one case with random data.
void check_int8(const Case& c, std::mt19937& rng) {
  SCOPED_TRACE(c.name());
  ConvParams p;
  Dims4 in, fd, out;
  ASSERT_TRUE(geometry(c, &p, &in, &fd, &out));
  std::uniform_int_distribution<int> byte(-128, 127);
  std::uniform_int_distribution<int> zero_point(-128, 127);
  p.input_offset = -zero_point(rng);
  p.output_offset = zero_point(rng);
  // Half the cases clamp to a narrower range, as a fused RELU / RELU6 does.
  if (rng() % 2) {
    p.activation_min = -128;
    p.activation_max = 127;
  } else {
    p.activation_min = std::uniform_int_distribution<int>(-128, 0)(rng);
    p.activation_max = std::uniform_int_distribution<int>(p.activation_min, 127)(rng);
  }

  GuardedBuffer<int8_t> input(elements(in), c.misalign);
  GuardedBuffer<int8_t> filter(elements(fd), (c.misalign + 1) % 4);
  for (size_t i = 0; i < input.size(); ++i) input.data()[i] = int8_t(byte(rng));
  for (size_t i = 0; i < filter.size(); ++i) filter.data()[i] = int8_t(byte(rng));
  std::vector<int32_t> bias(size_t(out.c)), multiplier(size_t(out.c)), shift(size_t(out.c));
  // Requantization scales around the typical 1e-3 .. 1e-1, a few above 1
  // (left shifts), and an occasional zero multiplier.
  std::uniform_real_distribution<double> log_scale(-14.0, 1.5);
  std::uniform_int_distribution<int32_t> bias_value(-40000, 40000);
  for (int32_t o = 0; o < out.c; ++o) {
    int s = 0;
    const double scale = rng() % 50 == 0 ? 0.0 : std::exp2(log_scale(rng));
    mote::fixedpoint::quantize_multiplier(scale, &multiplier[size_t(o)], &s);
    shift[size_t(o)] = s;
    bias[size_t(o)] = bias_value(rng);
  }
  const int32_t* bias_ptr = c.bias ? bias.data() : nullptr;

  GuardedBuffer<int8_t> expected(elements(out), 0);
  mote::reference::depthwise_conv_2d_int8(p, multiplier.data(), shift.data(), in, input.data(), fd, filter.data(),
                                          bias_ptr, out, expected.data());
  std::vector<int32_t> prepared = shift;  // the optimized kernels' form
  mote::optimized::depthwise_conv_2d_int8_prepare(fd, filter.data(), prepared.data());

  GuardedBuffer<int8_t> generic(elements(out), (c.misalign + 2) % 4);
  mote::optimized::depthwise_conv_2d_int8(p, multiplier.data(), prepared.data(), in, input.data(), fd, filter.data(),
                                          bias_ptr, out, generic.data());
  EXPECT_EQ(memcmp(expected.bytes(), generic.bytes(), elements(out)), 0) << "generic kernel differs";
  EXPECT_TRUE(generic.guard_intact()) << "generic kernel wrote past its output";

  if (mote::optimized::depthwise_conv_2d_3x3_applies(p, fd)) {
    GuardedBuffer<int8_t> special(elements(out), (c.misalign + 3) % 4);
    mote::optimized::depthwise_conv_2d_int8_3x3(p, multiplier.data(), prepared.data(), in, input.data(), fd,
                                                filter.data(), bias_ptr, out, special.data());
    EXPECT_EQ(memcmp(expected.bytes(), special.bytes(), elements(out)), 0) << "3x3 kernel differs";
    EXPECT_TRUE(special.guard_intact()) << "3x3 kernel wrote past its output";
    GuardedBuffer<int8_t> channelwise(elements(out), (c.misalign + 1) % 4);
    mote::optimized::depthwise_conv_2d_int8_3x3_channelwise(p, multiplier.data(), prepared.data(), in, input.data(), fd,
                                                            filter.data(), bias_ptr, out, channelwise.data());
    EXPECT_EQ(memcmp(expected.bytes(), channelwise.bytes(), elements(out)), 0) << "channelwise 3x3 kernel differs";
    EXPECT_TRUE(channelwise.guard_intact()) << "channelwise 3x3 kernel wrote past its output";
  }
  EXPECT_TRUE(input.guard_intact());
  EXPECT_TRUE(filter.guard_intact());

  // The streaming kernels over their own input at the bound DEPTHWISE_CONV_2D
  // allows the planner for multipliers other than 1 (any multiplier here);
  // the 32-bit cores' 3x3 kernel in blocks of any height.
  const mote::WindowGeometry g = window_geometry_of(p, in, fd, out, 1);
  using Kernel = void (*)(const ConvParams&, const int32_t*, const int32_t*, const Dims4&, const int8_t*,
                          const Dims4&, const int8_t*, const int32_t*, const Dims4&, int8_t*);
  const bool k3x3 = mote::optimized::depthwise_conv_2d_3x3_applies(p, fd);
  const Kernel streaming = k3x3 ? mote::optimized::depthwise_conv_2d_int8_3x3_streaming
                                : mote::optimized::depthwise_conv_2d_int8_streaming;
  for (int64_t lead : leads_at_bound(mote::row_block_max_lead(g, mote::optimized::stream_block_rows(out))))
    EXPECT_TRUE(streams_over_input(input.data(), elements(in), expected.bytes(), elements(out), lead, c.misalign,
                                   [&](void* i, void* o) {
                                     streaming(p, multiplier.data(), prepared.data(), in,
                                               static_cast<const int8_t*>(i), fd, filter.data(), bias_ptr, out,
                                               static_cast<int8_t*>(o));
                                   }))
        << (k3x3 ? "3x3" : "generic") << " streaming kernel";
  if (k3x3) {
    const int32_t block_rows = 1 + int32_t(rng() % uint32_t(out.h));
    for (int64_t lead : leads_at_bound(mote::row_block_max_lead(g, block_rows)))
      EXPECT_TRUE(streams_over_input(input.data(), elements(in), expected.bytes(), elements(out), lead, c.misalign,
                                     [&](void* i, void* o) {
                                       mote::optimized::depthwise_conv_2d_int8_3x3_channelwise(
                                           p, multiplier.data(), prepared.data(), in, static_cast<const int8_t*>(i),
                                           fd, filter.data(), bias_ptr, out, static_cast<int8_t*>(o), block_rows);
                                     }))
          << "channelwise 3x3 kernel, blocks of " << block_rows << " rows";
    for (int64_t lead : leads_at_min_bound(mote::row_block_min_lead_back(g, block_rows), 1))
      EXPECT_TRUE(streams_over_input(input.data(), elements(in), expected.bytes(), elements(out), lead, c.misalign,
                                     [&](void* i, void* o) {
                                       mote::optimized::depthwise_conv_2d_int8_3x3_channelwise(
                                           p, multiplier.data(), prepared.data(), in, static_cast<const int8_t*>(i),
                                           fd, filter.data(), bias_ptr, out, static_cast<int8_t*>(o), block_rows);
                                     }))
          << "channelwise 3x3 kernel back to front, blocks of " << block_rows << " rows";
  }

  // Back to front, where the plan puts the output above the input: the
  // streaming kernels in row blocks (any multiplier), and with multiplier 1
  // the whole-image kernels channel by channel at multiples of the pixel.
  const auto run_back = [&](Kernel kernel, int64_t lead) {
    return streams_over_input(input.data(), elements(in), expected.bytes(), elements(out), lead, c.misalign,
                              [&](void* i, void* o) {
                                kernel(p, multiplier.data(), prepared.data(), in, static_cast<const int8_t*>(i), fd,
                                       filter.data(), bias_ptr, out, static_cast<int8_t*>(o));
                              });
  };
  for (int64_t lead : leads_at_min_bound(mote::row_block_min_lead_back(g, mote::optimized::stream_block_rows(out)), 1))
    EXPECT_TRUE(run_back(streaming, lead)) << (k3x3 ? "3x3" : "generic") << " streaming kernel back to front";
  if (c.multiplier == 1) {
    for (int64_t lead : leads_at_min_bound(mote::row_block_min_lead_back(g, 1), out.c)) {
      EXPECT_TRUE(run_back(mote::optimized::depthwise_conv_2d_int8, lead)) << "generic kernel back to front";
      if (k3x3) {
        EXPECT_TRUE(run_back(mote::optimized::depthwise_conv_2d_int8_3x3, lead)) << "3x3 kernel back to front";
        EXPECT_TRUE(streams_over_input(input.data(), elements(in), expected.bytes(), elements(out), lead, c.misalign,
                                       [&](void* i, void* o) {
                                         mote::optimized::depthwise_conv_2d_int8_3x3_channelwise(
                                             p, multiplier.data(), prepared.data(), in, static_cast<const int8_t*>(i),
                                             fd, filter.data(), bias_ptr, out, static_cast<int8_t*>(o));
                                       }))
            << "channelwise 3x3 kernel back to front";
      }
    }
  }
}

void check_float(const Case& c, std::mt19937& rng) {
  SCOPED_TRACE(c.name());
  ConvParams p;
  Dims4 in, fd, out;
  ASSERT_TRUE(geometry(c, &p, &in, &fd, &out));
  std::uniform_real_distribution<float> value(-2.0f, 2.0f);
  p.float_activation_min = rng() % 2 ? -3.0e38f : 0.0f;
  p.float_activation_max = rng() % 2 ? 3.0e38f : 6.0f;
  // float pointers stay 4-byte aligned; misalign in whole elements instead.
  GuardedBuffer<float> input(elements(in), 4 * (c.misalign % 2));
  GuardedBuffer<float> filter(elements(fd), 0);
  std::vector<float> bias(size_t(out.c));
  for (size_t i = 0; i < input.size(); ++i) input.data()[i] = value(rng);
  for (size_t i = 0; i < filter.size(); ++i) filter.data()[i] = value(rng);
  for (float& b : bias) b = value(rng);
  // Signed zeros: 0 + (-0) must round-trip exactly as in the reference.
  if (input.size() > 3) input.data()[3] = -0.0f;
  const float* bias_ptr = c.bias ? bias.data() : nullptr;

  GuardedBuffer<float> expected(elements(out), 0);
  GuardedBuffer<float> actual(elements(out), 4);
  mote::reference::depthwise_conv_2d_float(p, in, input.data(), fd, filter.data(), bias_ptr, out, expected.data());
  mote::optimized::depthwise_conv_2d_float(p, in, input.data(), fd, filter.data(), bias_ptr, out, actual.data());
  EXPECT_EQ(memcmp(expected.bytes(), actual.bytes(), elements(out) * sizeof(float)), 0);
  EXPECT_TRUE(actual.guard_intact());

  const mote::WindowGeometry g = window_geometry_of(p, in, fd, out, sizeof(float));
  for (int64_t lead : leads_at_bound(mote::row_block_max_lead(g, mote::optimized::stream_block_rows(out))))
    EXPECT_TRUE(streams_over_input(input.data(), elements(in) * sizeof(float), expected.bytes(),
                                   elements(out) * sizeof(float), lead, 4 * (c.misalign % 2), [&](void* i, void* o) {
                                     mote::optimized::depthwise_conv_2d_float_streaming(
                                         p, in, static_cast<const float*>(i), fd, filter.data(), bias_ptr, out,
                                         static_cast<float*>(o));
                                   }))
        << "streaming kernel";
  for (int64_t lead :
       leads_at_min_bound(mote::row_block_min_lead_back(g, mote::optimized::stream_block_rows(out)), sizeof(float)))
    EXPECT_TRUE(streams_over_input(input.data(), elements(in) * sizeof(float), expected.bytes(),
                                   elements(out) * sizeof(float), lead, 4 * (c.misalign % 2), [&](void* i, void* o) {
                                     mote::optimized::depthwise_conv_2d_float_streaming(
                                         p, in, static_cast<const float*>(i), fd, filter.data(), bias_ptr, out,
                                         static_cast<float*>(o));
                                   }))
        << "streaming kernel back to front";
  if (c.multiplier == 1) {
    for (int64_t lead : leads_at_min_bound(mote::row_block_min_lead_back(g, 1), out.c * int64_t(sizeof(float))))
      EXPECT_TRUE(streams_over_input(input.data(), elements(in) * sizeof(float), expected.bytes(),
                                     elements(out) * sizeof(float), lead, 4 * (c.misalign % 2), [&](void* i, void* o) {
                                       mote::optimized::depthwise_conv_2d_float(p, in, static_cast<const float*>(i), fd,
                                                                                filter.data(), bias_ptr, out,
                                                                                static_cast<float*>(o));
                                     }))
          << "whole-image kernel back to front";
  }
}

// Shapes covering the code paths: channel blocks of 16 and 8 and single
// channels, depth multipliers feeding one input channel to many outputs,
// windows larger than the input (no interior), border-only strips.
std::vector<Case> sweep() {
  std::vector<Case> cases;
  const int32_t channels[] = {1, 3, 7, 8, 15, 16, 17, 24, 33, 40};
  const int32_t sizes[][2] = {{1, 1}, {2, 3}, {5, 5}, {6, 7}, {9, 4}};
  size_t misalign = 0;
  for (int32_t ch : channels) {
    for (const auto& hw : sizes) {
      for (int32_t stride = 1; stride <= 3; ++stride) {
        for (int same = 0; same <= 1; ++same) {
          Case c;
          c.in_c = ch;
          c.in_h = hw[0];
          c.in_w = hw[1];
          c.stride_h = c.stride_w = stride;
          c.same = same != 0;
          c.misalign = misalign++ % 4;
          c.bias = misalign % 5 != 0;
          cases.push_back(c);
        }
      }
    }
  }
  // Filters other than 3x3, dilation, unequal strides, depth multipliers,
  // batches.
  const int32_t filters[][2] = {{1, 1}, {3, 3}, {5, 5}, {3, 5}, {2, 2}, {7, 1}};
  const int32_t multipliers[] = {1, 2, 3, 8, 16, 17, 24};
  for (const auto& f : filters) {
    for (int32_t dm : multipliers) {
      for (int32_t dilation = 1; dilation <= 2; ++dilation) {
        Case c;
        c.in_h = 8;
        c.in_w = 7;
        c.in_c = dm == 1 ? 19 : 2;
        c.multiplier = dm;
        c.filter_h = f[0];
        c.filter_w = f[1];
        c.dilation_h = dilation;
        c.dilation_w = 3 - dilation;
        c.stride_h = 1 + dm % 2;
        c.stride_w = 2 - dm % 2;
        c.same = dm % 3 != 0;
        c.batches = 1 + dm % 2;
        c.misalign = size_t(dm) % 4;
        cases.push_back(c);
      }
    }
  }
  // MobileNet-like layers: 3x3, stride 1 and 2, SAME, channel counts of the
  // conformance models, an input channel count of 1 with multiplier 8.
  const int32_t layers[][4] = {{12, 12, 64, 1}, {12, 12, 64, 2}, {25, 5, 64, 1}, {11, 11, 8, 2},
                               {7, 7, 128, 1},  {6, 6, 256, 2},  {13, 13, 24, 1}};
  for (const auto& l : layers) {
    Case c;
    c.in_h = l[0];
    c.in_w = l[1];
    c.in_c = l[2];
    c.stride_h = c.stride_w = l[3];
    cases.push_back(c);
  }
  Case first;
  first.in_h = first.in_w = 14;
  first.in_c = 1;
  first.multiplier = 8;
  first.stride_h = first.stride_w = 2;
  cases.push_back(first);
  return cases;
}

TEST(OptimizedDepthwiseConv, Int8MatchesReference) {
  std::mt19937 rng(1234);
  int checked = 0;
  for (const Case& c : sweep()) {
    ConvParams p;
    Dims4 in, fd, out;
    if (!geometry(c, &p, &in, &fd, &out)) continue;
    check_int8(c, rng);
    ++checked;
  }
  EXPECT_GT(checked, 300);
}

TEST(OptimizedDepthwiseConv, Int8ManySeedsOnSmallShapes) {
  std::mt19937 rng(99);
  for (int trial = 0; trial < 300; ++trial) {
    Case c;
    c.batches = 1 + int32_t(rng() % 2);
    c.in_h = 1 + int32_t(rng() % 9);
    c.in_w = 1 + int32_t(rng() % 9);
    c.in_c = 1 + int32_t(rng() % 35);
    c.multiplier = rng() % 3 == 0 ? 1 + int32_t(rng() % 20) : 1;
    c.filter_h = 1 + int32_t(rng() % 4);
    c.filter_w = 1 + int32_t(rng() % 4);
    c.stride_h = 1 + int32_t(rng() % 3);
    c.stride_w = 1 + int32_t(rng() % 3);
    c.dilation_h = 1 + int32_t(rng() % 2);
    c.dilation_w = 1 + int32_t(rng() % 2);
    c.same = rng() % 2 == 0;
    c.bias = rng() % 4 != 0;
    c.misalign = rng() % 4;
    ConvParams p;
    Dims4 in, fd, out;
    if (!geometry(c, &p, &in, &fd, &out)) continue;
    check_int8(c, rng);
  }
}

// Every window shape the 3x3 kernels meet on the border: inputs of 1..4
// rows and 1..6 columns (one-row and one-column inputs clip both sides),
// strides 1 and 2, SAME, VALID and explicit padding of 0..2 (windows missing
// two rows or columns), channel counts around the channel blocks, depth
// multipliers, the streaming row blocks both ways (check_int8).
TEST(OptimizedDepthwiseConv, Int8ThreeByThreeBorderShapes) {
  std::mt19937 rng(31);
  const int32_t channels[][2] = {{1, 1}, {3, 1}, {8, 1}, {17, 1}, {2, 3}};  // {in_c, multiplier}
  int checked = 0;
  size_t misalign = 0;
  for (int32_t h = 1; h <= 4; ++h) {
    for (int32_t w = 1; w <= 6; ++w) {
      for (int32_t stride = 1; stride <= 2; ++stride) {
        for (int32_t padding = -2; padding <= 2; ++padding) {  // -2 VALID, -1 SAME, else explicit
          for (const auto& ch : channels) {
            Case c;
            c.in_h = h;
            c.in_w = w;
            c.in_c = ch[0];
            c.multiplier = ch[1];
            c.stride_h = c.stride_w = stride;
            c.same = padding != -2;
            c.pad = padding;
            c.batches = 1 + int32_t(misalign % 3 == 0);
            c.bias = misalign % 7 != 0;
            c.misalign = misalign++ % 4;
            ConvParams p;
            Dims4 in, fd, out;
            if (!geometry(c, &p, &in, &fd, &out)) continue;
            check_int8(c, rng);
            ++checked;
          }
        }
      }
    }
  }
  EXPECT_GT(checked, 600);
}

TEST(OptimizedDepthwiseConv, Int8ExtremeValues) {
  // All-extreme inputs and weights with the largest offsets: the widest
  // accumulators the int8 kernels can see.
  std::mt19937 rng(5);
  for (int8_t value : {int8_t(-128), int8_t(127)}) {
    for (int32_t input_offset : {-127, 128}) {
      Case c;
      c.in_h = 6;
      c.in_w = 6;
      c.in_c = 24;
      ConvParams p;
      Dims4 in, fd, out;
      ASSERT_TRUE(geometry(c, &p, &in, &fd, &out));
      p.input_offset = input_offset;
      p.output_offset = 3;
      p.activation_min = -128;
      p.activation_max = 127;
      std::vector<int8_t> input(elements(in), value), filter(elements(fd), int8_t(-128));
      std::vector<int32_t> bias(size_t(out.c), 1 << 30), multiplier(size_t(out.c)), shift(size_t(out.c));
      for (int32_t o = 0; o < out.c; ++o) {
        int s = 0;
        mote::fixedpoint::quantize_multiplier(o % 2 ? 3.7 : 1.0 / 3000, &multiplier[size_t(o)], &s);
        shift[size_t(o)] = s;
      }
      std::vector<int8_t> expected(elements(out)), generic(elements(out)), special(elements(out));
      mote::reference::depthwise_conv_2d_int8(p, multiplier.data(), shift.data(), in, input.data(), fd, filter.data(),
                                              bias.data(), out, expected.data());
      std::vector<int32_t> prepared = shift;  // the optimized kernels' form
      mote::optimized::depthwise_conv_2d_int8_prepare(fd, filter.data(), prepared.data());
      mote::optimized::depthwise_conv_2d_int8(p, multiplier.data(), prepared.data(), in, input.data(), fd,
                                              filter.data(), bias.data(), out, generic.data());
      mote::optimized::depthwise_conv_2d_int8_3x3(p, multiplier.data(), prepared.data(), in, input.data(), fd,
                                                  filter.data(), bias.data(), out, special.data());
      std::vector<int8_t> channelwise(elements(out));
      mote::optimized::depthwise_conv_2d_int8_3x3_channelwise(p, multiplier.data(), prepared.data(), in, input.data(),
                                                              fd, filter.data(), bias.data(), out, channelwise.data());
      EXPECT_EQ(expected, generic);
      EXPECT_EQ(expected, special);
      EXPECT_EQ(expected, channelwise);
    }
  }
  (void)rng;
}

TEST(OptimizedDepthwiseConv, FloatMatchesReferenceBytes) {
  std::mt19937 rng(77);
  int checked = 0;
  for (const Case& c : sweep()) {
    ConvParams p;
    Dims4 in, fd, out;
    if (!geometry(c, &p, &in, &fd, &out)) continue;
    check_float(c, rng);
    ++checked;
  }
  EXPECT_GT(checked, 300);
}

TEST(OptimizedDepthwiseConv, ThreeByThreeSelection) {
  ConvParams p;
  Dims4 f3{1, 3, 3, 8};
  EXPECT_TRUE(mote::optimized::depthwise_conv_2d_3x3_applies(p, f3));
  p.stride_h = p.stride_w = 2;
  EXPECT_TRUE(mote::optimized::depthwise_conv_2d_3x3_applies(p, f3));
  p.dilation_w = 2;
  EXPECT_FALSE(mote::optimized::depthwise_conv_2d_3x3_applies(p, f3));
  p.dilation_w = 1;
  EXPECT_FALSE(mote::optimized::depthwise_conv_2d_3x3_applies(p, Dims4{1, 3, 5, 8}));
  EXPECT_FALSE(mote::optimized::depthwise_conv_2d_3x3_applies(p, Dims4{1, 5, 5, 8}));
}

// The one-multiply requantization equals TFLite's double rounding for every
// accumulator, multiplier and shift prepare can produce.
TEST(OptimizedRequantize, MatchesDoubleRoundingReference) {
  std::mt19937 rng(2024);
  std::uniform_int_distribution<int32_t> any_int32(INT32_MIN, INT32_MAX);
  std::uniform_int_distribution<int32_t> multiplier_range(1 << 30, INT32_MAX);
  std::uniform_int_distribution<int32_t> shift_range(-31, 31);
  const int32_t special_acc[] = {0, 1, -1, INT32_MIN, INT32_MAX, 1 << 30, -(1 << 30), 12345, -12345};
  const int32_t special_multiplier[] = {0, 1 << 30, INT32_MAX, (1 << 30) + 1};
  long mismatches = 0;
  auto check = [&](int32_t acc, int32_t multiplier, int32_t shift) {
    const int32_t expected = mote::fixedpoint::multiply_by_quantized_multiplier(acc, multiplier, shift);
    const int32_t actual = mote::optimized::requantize(acc, multiplier, shift);
    if (expected != actual && ++mismatches < 10)
      ADD_FAILURE() << "acc " << acc << " multiplier " << multiplier << " shift " << shift << ": expected "
                    << expected << ", got " << actual;
  };
  for (int32_t shift = -31; shift <= 31; ++shift)
    for (int32_t acc : special_acc)
      for (int32_t multiplier : special_multiplier) check(acc, multiplier, shift);
  for (int i = 0; i < 2000000; ++i) {
    const int32_t shift = shift_range(rng);
    // Mostly accumulators of realistic size, sometimes anything.
    const int32_t acc = i % 4 == 0 ? any_int32(rng) : any_int32(rng) >> (rng() % 31);
    check(acc, i % 97 == 0 ? 0 : multiplier_range(rng), shift);
  }
  // Exact ties of both stages: products at +-2^30 * odd, remainders at half.
  for (int32_t shift = -12; shift <= 0; ++shift) {
    for (int32_t acc = -5000; acc <= 5000; ++acc) check(acc, 1 << 30, shift);
  }
  EXPECT_EQ(mismatches, 0);
}

// The forms for cores without a 32 x 32 -> 64 multiply (16-bit partial
// products) and for 32-bit cores (high-word shift), which the host build does
// not use, against the reference arithmetic.
TEST(OptimizedRequantize, ThirtyTwoBitCoreFormsMatch) {
  std::mt19937 rng(8);
  std::uniform_int_distribution<int32_t> any_int32(INT32_MIN, INT32_MAX);
  std::uniform_int_distribution<int32_t> shift_range(-31, 31);
  const int32_t edges[] = {0, 1, -1, 65535, 65536, -65536, -65537, INT32_MIN, INT32_MAX, 1 << 30, -(1 << 30)};
  for (int32_t a : edges)
    for (int32_t b : edges)
      if (b >= 0)
        EXPECT_EQ(mote::optimized::rounding_high_mul<false>(a, b),
                  mote::fixedpoint::saturating_rounding_doubling_high_mul(a, b))
            << a << " * " << b;
  for (int i = 0; i < 1000000; ++i) {
    const int32_t a = any_int32(rng) >> (rng() % 32);
    const int32_t b = int32_t(uint32_t(any_int32(rng)) >> (1 + rng() % 31));
    ASSERT_EQ(mote::optimized::rounding_high_mul<false>(a, b),
              mote::fixedpoint::saturating_rounding_doubling_high_mul(a, b))
        << a << " * " << b;
    const int32_t multiplier = i % 61 == 0 ? 0 : int32_t((1u << 30) + (uint32_t(any_int32(rng)) >> 2));
    const int32_t shift = shift_range(rng);
    ASSERT_EQ(mote::optimized::requantize<false>(mote::optimized::make_channel_requant(multiplier, shift), a),
              mote::fixedpoint::multiply_by_quantized_multiplier(a, multiplier, shift))
        << a << " multiplier " << multiplier << " shift " << shift;
    // v = r * 2^shift + low with r an int32 small enough for v to fit int64.
    const int32_t v_shift = 31 + int32_t(rng() % 32);
    const int32_t r = v_shift > 32 ? a >> (v_shift - 32) : a;
    const uint64_t low = ((uint64_t(rng()) << 32) | rng()) & ((uint64_t(1) << v_shift) - 1);
    const int64_t v = int64_t(uint64_t(int64_t(r)) * (uint64_t(1) << v_shift) + low);
    ASSERT_EQ(mote::optimized::shift_right_to_int32<false>(v, v_shift), r) << v << " >> " << v_shift;
  }
}

#if defined(__AVX2__)
// The eight-lane AVX2 form against the scalar reference, lanes with
// different multipliers and shifts of both signs.
TEST(OptimizedRequantize, Avx2MatchesDoubleRoundingReference) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int32_t> any_int32(INT32_MIN, INT32_MAX);
  std::uniform_int_distribution<int32_t> multiplier_range(1 << 30, INT32_MAX);
  std::uniform_int_distribution<int32_t> shift_range(-31, 31);
  long mismatches = 0;
  for (int round = 0; round < 200000; ++round) {
    mote::optimized::ChannelRequant lanes[8];
    int32_t multiplier[8], shift[8], acc[8], actual[8];
    for (int k = 0; k < 8; ++k) {
      multiplier[k] = round % 53 == k ? 0 : multiplier_range(rng);
      shift[k] = shift_range(rng);
      acc[k] = round % 3 == 0 ? any_int32(rng) : any_int32(rng) >> (rng() % 31);
      lanes[k] = mote::optimized::make_channel_requant(multiplier[k], shift[k]);
    }
    const mote::optimized::ChannelRequantX8 vector = mote::optimized::make_channel_requant_x8(lanes);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(actual),
                        mote::optimized::requantize_x8(vector,
                                                       _mm256_loadu_si256(reinterpret_cast<const __m256i*>(acc))));
    for (int k = 0; k < 8; ++k) {
      const int32_t expected = mote::fixedpoint::multiply_by_quantized_multiplier(acc[k], multiplier[k], shift[k]);
      if (expected != actual[k] && ++mismatches < 10)
        ADD_FAILURE() << "lane " << k << " acc " << acc[k] << " multiplier " << multiplier[k] << " shift " << shift[k]
                      << ": expected " << expected << ", got " << actual[k];
    }
  }
  EXPECT_EQ(mismatches, 0);
}
#endif

}  // namespace
