// The ESP32-S3 PIE kernels (kernels/pie/) against the reference kernels,
// run here through the C++ model of the instructions (kernels/pie/pie.h):
// the same random data through both, outputs byte-identical, guard bytes
// after every output intact, and no accumulator ever saturated. Inputs and
// filters sit 0..15 bytes off 16-byte alignment (both load paths of
// pie::load_16), shapes sweep channel counts (16, 32, 48, 256), strides,
// SAME with odd totals and VALID, batches, zero points, activation ranges,
// requantization shifts of both signs, and the largest magnitudes (all
// -128) that the accumulators must hold exactly.
#include <gtest/gtest.h>
#include <stdint.h>
#include <string.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "guarded_buffer.h"
#include "kernels/conv_params.h"
#include "kernels/fixedpoint.h"
#include "kernels/optimized/conv_2d.h"
#include "kernels/optimized/depthwise_conv_2d.h"
#include "kernels/pie/conv_2d.h"
#include "kernels/pie/depthwise_conv_2d.h"
#include "kernels/pie/fully_connected.h"
#include "kernels/pie/pie.h"
#include "kernels/reference/conv_2d.h"
#include "kernels/reference/depthwise_conv_2d.h"
#include "kernels/reference/fully_connected.h"
#include "window_case.h"

#if !(defined(__XTENSA__) && defined(MOTE_ESP32S3_PIE))

namespace {

using mote::ConvParams;
using mote::Dims4;

struct Case : WindowCase {
  int32_t out_c = 16;             // CONV_2D only
  size_t filter_misalign = 0;     // the input's is WindowCase::misalign
  bool extreme = false;           // every input and weight -128

  std::string trace(const std::string& channels) const {
    return describe(channels) + " filter misalign " + std::to_string(filter_misalign) + (extreme ? " extreme" : "");
  }
};

struct Quantization {
  std::vector<int32_t> bias, multiplier, shift;
};

void random_quantization(ConvParams* p, int32_t channels, bool extreme, std::mt19937& rng, Quantization* q) {
  std::uniform_int_distribution<int> zero_point(-128, 127);
  p->input_offset = extreme ? 128 : -zero_point(rng);
  p->output_offset = zero_point(rng);
  if (rng() % 2) {
    p->activation_min = -128;
    p->activation_max = 127;
  } else {
    p->activation_min = std::uniform_int_distribution<int>(-128, 0)(rng);
    p->activation_max = std::uniform_int_distribution<int>(p->activation_min, 127)(rng);
  }
  std::uniform_real_distribution<double> log_scale(-14.0, 1.5);
  std::uniform_int_distribution<int32_t> bias_value(-40000, 40000);
  q->bias.resize(size_t(channels));
  q->multiplier.resize(size_t(channels));
  q->shift.resize(size_t(channels));
  for (int32_t o = 0; o < channels; ++o) {
    int s = 0;
    const double scale = rng() % 50 == 0 ? 0.0 : std::exp2(log_scale(rng));
    mote::fixedpoint::quantize_multiplier(scale, &q->multiplier[size_t(o)], &s);
    q->shift[size_t(o)] = s;
    q->bias[size_t(o)] = bias_value(rng);
  }
}

void fill(GuardedBuffer<int8_t>& b, bool extreme, std::mt19937& rng) {
  std::uniform_int_distribution<int> byte(-128, 127);
  for (size_t i = 0; i < b.size(); ++i) b.data()[i] = extreme ? int8_t(-128) : int8_t(byte(rng));
}

// A window op's operands for one case: quantization for its output channels,
// then input and filter drawn from `rng` (all -128 when extreme), each at the
// case's misalignment.
struct WindowOperands {
  WindowOperands(const Case& c, const ConvParams& geometry, const Dims4& in, const Dims4& filter_dims,
                 int32_t channels, std::mt19937& rng)
      : p(geometry), input(elements(in), c.misalign), filter(elements(filter_dims), c.filter_misalign) {
    random_quantization(&p, channels, c.extreme, rng, &q);
    fill(input, c.extreme, rng);
    fill(filter, c.extreme, rng);
    bias = c.bias ? q.bias.data() : nullptr;
  }
  ConvParams p;
  Quantization q;
  GuardedBuffer<int8_t> input, filter;
  const int32_t* bias = nullptr;
};

// Runs a PIE kernel (`run` writes `actual`) and expects the reference's
// bytes, the guard after the output intact and no accumulator saturated.
template <typename RunPie>
void expect_pie_matches(const char* kernel, const GuardedBuffer<int8_t>& expected, const GuardedBuffer<int8_t>& actual,
                        RunPie run) {
  const int64_t saturations = mote::pie::Core::total_saturations();
  run();
  EXPECT_TRUE(same_bytes(expected, actual)) << kernel << " differs";
  EXPECT_TRUE(actual.guard_intact()) << kernel << " wrote past its output";
  EXPECT_EQ(mote::pie::Core::total_saturations(), saturations) << kernel << ": an accumulator saturated";
}

void check_conv_1x1(const Case& c, std::mt19937& rng) {
  SCOPED_TRACE(c.trace("->" + std::to_string(c.out_c)));
  ConvParams geometry;
  Dims4 in, out;
  ASSERT_TRUE(c.window_geometry(c.out_c, &geometry, &in, &out));
  const Dims4 fd{c.out_c, 1, 1, c.in_c};
  ASSERT_TRUE(mote::pie::conv_2d_1x1_applies(in, fd));
  WindowOperands w(c, geometry, in, fd, c.out_c, rng);

  GuardedBuffer<int8_t> expected(elements(out), 0);
  mote::reference::conv_2d_int8(w.p, w.q.multiplier.data(), w.q.shift.data(), in, w.input.data(), fd, w.filter.data(),
                                w.bias, out, expected.data());
  std::vector<int32_t> prepared = w.q.shift;
  mote::optimized::conv_2d_int8_prepare(fd, w.filter.data(), prepared.data());
  GuardedBuffer<int8_t> actual(elements(out), (c.misalign + 5) % 16);
  expect_pie_matches("PIE 1x1 kernel", expected, actual, [&] {
    mote::pie::conv_2d_int8_1x1(w.p, w.q.multiplier.data(), prepared.data(), in, w.input.data(), fd, w.filter.data(),
                                w.bias, out, actual.data());
  });
}

void check_depthwise_3x3(const Case& c, std::mt19937& rng) {
  SCOPED_TRACE(c.trace(" dm1"));
  ConvParams geometry;
  Dims4 in, out;
  ASSERT_TRUE(c.window_geometry(c.in_c, &geometry, &in, &out));
  const Dims4 fd{1, 3, 3, c.in_c};
  ASSERT_TRUE(mote::pie::depthwise_conv_2d_3x3_applies(geometry, fd));
  WindowOperands w(c, geometry, in, fd, c.in_c, rng);

  GuardedBuffer<int8_t> expected(elements(out), 0);
  mote::reference::depthwise_conv_2d_int8(w.p, w.q.multiplier.data(), w.q.shift.data(), in, w.input.data(), fd,
                                          w.filter.data(), w.bias, out, expected.data());
  std::vector<int32_t> prepared = w.q.shift;
  mote::optimized::depthwise_conv_2d_int8_prepare(fd, w.filter.data(), prepared.data());
  GuardedBuffer<int8_t> actual(elements(out), (c.misalign + 3) % 16);
  expect_pie_matches("PIE depthwise kernel", expected, actual, [&] {
    mote::pie::depthwise_conv_2d_int8_3x3(w.p, w.q.multiplier.data(), prepared.data(), in, w.input.data(), fd,
                                          w.filter.data(), w.bias, out, actual.data());
  });
}

TEST(PieConv2D, OneByOneMatchesTheReference) {
  std::mt19937 rng(11);
  const int32_t depths[] = {16, 32, 48, 256};
  const int32_t outs[] = {1, 3, 16, 17};
  const int32_t sizes[][2] = {{1, 1}, {3, 5}, {6, 6}};
  size_t n = 0;
  for (int32_t depth : depths) {
    for (int32_t out_c : outs) {
      for (const auto& hw : sizes) {
        for (int32_t stride = 1; stride <= 2; ++stride) {
          Case c;
          c.filter_h = c.filter_w = 1;
          c.in_c = depth;
          c.out_c = out_c;
          c.in_h = hw[0];
          c.in_w = hw[1];
          c.stride_h = stride;
          c.stride_w = 3 - stride;
          c.same = n % 2 == 0;
          c.batches = 1 + int32_t(n % 3 == 0);
          c.bias = n % 5 != 0;
          c.misalign = n % 16;
          c.filter_misalign = (n * 7) % 16;
          c.extreme = n % 11 == 0;
          ++n;
          check_conv_1x1(c, rng);
        }
      }
    }
  }
}

TEST(PieDepthwiseConv2D, ThreeByThreeMatchesTheReference) {
  std::mt19937 rng(12);
  const int32_t channels[] = {16, 32, 48};
  const int32_t sizes[][2] = {{1, 1}, {2, 3}, {3, 3}, {5, 5}, {6, 7}, {9, 4}};
  size_t n = 0;
  for (int32_t ch : channels) {
    for (const auto& hw : sizes) {
      for (int32_t stride = 1; stride <= 3; ++stride) {
        for (int same = 0; same <= 1; ++same) {
          Case c;
          c.in_c = ch;
          c.in_h = hw[0];
          c.in_w = hw[1];
          c.stride_h = stride;
          c.stride_w = 1 + (stride + n) % 3;
          c.same = same != 0;
          if (!c.same && (c.in_h < 3 || c.in_w < 3)) continue;
          c.batches = 1 + int32_t(n % 4 == 0);
          c.bias = n % 5 != 0;
          c.misalign = n % 16;
          c.filter_misalign = (n * 5) % 16;
          c.extreme = n % 9 == 0;
          ++n;
          check_depthwise_3x3(c, rng);
        }
      }
    }
  }
  // MobileNet-like layers: the channel counts of person_detect and vww.
  const int32_t layers[][4] = {{12, 12, 64, 1}, {12, 12, 64, 2}, {6, 6, 256, 1}, {7, 7, 128, 2}};
  for (const auto& l : layers) {
    Case c;
    c.in_h = l[0];
    c.in_w = l[1];
    c.in_c = l[2];
    c.stride_h = c.stride_w = l[3];
    c.misalign = n % 16;
    c.filter_misalign = 0;
    ++n;
    check_depthwise_3x3(c, rng);
  }
}

// FULLY_CONNECTED: per-tensor and per-channel weights, every input zero
// point class (input_offset 128 splits into two registers), batches,
// misaligned inputs and weights; a weight zero point goes to the optimized
// kernel.
TEST(PieFullyConnected, MatchesTheReference) {
  std::mt19937 rng(13);
  const int32_t depths[] = {16, 32, 64, 272};
  const int32_t units_list[] = {1, 2, 12, 17};
  size_t n = 0;
  for (int32_t depth : depths) {
    for (int32_t units : units_list) {
      for (int per_channel = 0; per_channel <= 1; ++per_channel) {
        ++n;
        const int32_t batches = 1 + int32_t(n % 3);
        const bool extreme = n % 7 == 0;
        SCOPED_TRACE("depth " + std::to_string(depth) + " units " + std::to_string(units) + " batches " +
                     std::to_string(batches) + (per_channel ? " per channel" : " per tensor") +
                     (extreme ? " extreme" : ""));
        mote::reference::FullyConnectedParams p;
        ConvParams conv;
        Quantization q;
        random_quantization(&conv, units, extreme, rng, &q);
        p.input_offset = n % 5 == 0 ? 128 : n % 5 == 1 ? -127 : conv.input_offset;
        p.output_offset = conv.output_offset;
        p.activation_min = conv.activation_min;
        p.activation_max = conv.activation_max;
        p.output_multiplier = q.multiplier[0];
        p.output_shift = q.shift[0];
        if (!per_channel && n % 6 == 0) p.filter_offset = 3;  // the optimized kernel's case
        GuardedBuffer<int8_t> input(size_t(batches * depth), n % 16);
        GuardedBuffer<int8_t> filter(size_t(units * depth), (n * 3) % 16);
        fill(input, extreme, rng);
        fill(filter, extreme, rng);
        const int32_t* multiplier = per_channel ? q.multiplier.data() : nullptr;
        const int32_t* shift = per_channel ? q.shift.data() : nullptr;
        const int32_t* bias = n % 4 != 0 ? q.bias.data() : nullptr;
        ASSERT_TRUE(mote::pie::fully_connected_int8_applies(depth));
        GuardedBuffer<int8_t> expected(size_t(batches * units), 0);
        mote::reference::fully_connected_int8(p, multiplier, shift, batches, depth, units, input.data(), filter.data(),
                                              bias, expected.data());
        GuardedBuffer<int8_t> actual(size_t(batches * units), (n + 9) % 16);
        expect_pie_matches("PIE fully connected kernel", expected, actual, [&] {
          mote::pie::fully_connected_int8(p, multiplier, shift, batches, depth, units, input.data(), filter.data(),
                                          bias, actual.data());
        });
      }
    }
  }
}

TEST(PieKernels, ApplyOnlyToWholeQRegistersOfChannels) {
  EXPECT_TRUE(mote::pie::fully_connected_int8_applies(64));
  EXPECT_FALSE(mote::pie::fully_connected_int8_applies(60));
  ConvParams p;
  EXPECT_TRUE(mote::pie::conv_2d_1x1_applies(Dims4{1, 4, 4, 32}, Dims4{8, 1, 1, 32}));
  EXPECT_FALSE(mote::pie::conv_2d_1x1_applies(Dims4{1, 4, 4, 8}, Dims4{8, 1, 1, 8}));
  EXPECT_FALSE(mote::pie::conv_2d_1x1_applies(Dims4{1, 4, 4, 32}, Dims4{8, 3, 3, 32}));
  EXPECT_FALSE(mote::pie::conv_2d_1x1_applies(Dims4{1, 4, 4, 32}, Dims4{8, 1, 1, 16}));  // grouped
  EXPECT_TRUE(mote::pie::depthwise_conv_2d_3x3_applies(p, Dims4{1, 3, 3, 64}));
  EXPECT_FALSE(mote::pie::depthwise_conv_2d_3x3_applies(p, Dims4{1, 3, 3, 8}));
  EXPECT_FALSE(mote::pie::depthwise_conv_2d_3x3_applies(p, Dims4{1, 5, 5, 64}));
  p.depth_multiplier = 2;
  EXPECT_FALSE(mote::pie::depthwise_conv_2d_3x3_applies(p, Dims4{1, 3, 3, 64}));
  p.depth_multiplier = 1;
  p.dilation_w = 2;
  EXPECT_FALSE(mote::pie::depthwise_conv_2d_3x3_applies(p, Dims4{1, 3, 3, 64}));
}

}  // namespace

#endif
