// The kernel wrappers of CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED
// (kernels/conv_2d.h, depthwise_conv_2d.h, fully_connected.h): which variant
// select_*() picks and how many channels it has prepare requantize, and that
// prepare_*() then run_*() give each variant the reference variant's bytes
// (guard bytes after the output intact).
#include <gtest/gtest.h>
#include <stdint.h>

#include <algorithm>
#include <random>
#include <set>
#include <vector>

#include "guarded_buffer.h"
#include "kernels/conv_2d.h"
#include "kernels/depthwise_conv_2d.h"
#include "kernels/fully_connected.h"
#include "kernels/optimized/gemm_int8.h"
#include "kernels/optimized/selection.h"
#include "kernels/pie/pie.h"

namespace {

using mote::Conv2DVariant;
using mote::ConvArithmetic;
using mote::ConvBuffers;
using mote::ConvParams;
using mote::DepthwiseConv2DVariant;
using mote::Dims4;
using mote::FullyConnectedBuffers;
using mote::FullyConnectedVariant;
using mote::reference::FullyConnectedParams;

constexpr bool kOptimized = mote::optimized::kEnabled;

TEST(Conv2DSelection, PicksByArithmeticAndPreconditions) {
  const Dims4 in = Dims4{1, 8, 8, 16}, filter = Dims4{32, 3, 3, 16}, out = Dims4{1, 8, 8, 32};
  auto c = mote::select_conv_2d(ConvArithmetic::kInt8, in, filter, out, true, false);
  EXPECT_EQ(c.variant, kOptimized ? Conv2DVariant::kInt8Optimized : Conv2DVariant::kInt8Reference);
  EXPECT_EQ(c.requant_channels, 32);
  // Grouped: the optimized kernels do not apply.
  c = mote::select_conv_2d(ConvArithmetic::kInt8, in, Dims4{32, 3, 3, 8}, out, true, false);
  EXPECT_EQ(c.variant, Conv2DVariant::kInt8Reference);
  EXPECT_EQ(c.requant_channels, 32);
  // Without a constant filter prepare cannot take the sums the int8 kernel needs.
  c = mote::select_conv_2d(ConvArithmetic::kInt8, in, filter, out, /*constant_filter=*/false, false);
  EXPECT_EQ(c.variant, Conv2DVariant::kInt8Reference);
  c = mote::select_conv_2d(ConvArithmetic::kFloat32, in, filter, out, false, false);
  EXPECT_EQ(c.variant, kOptimized ? Conv2DVariant::kFloatOptimized : Conv2DVariant::kFloatReference);
  c = mote::select_conv_2d(ConvArithmetic::kFloat32, in, filter, out, true, false);
  EXPECT_EQ(c.variant, kOptimized ? Conv2DVariant::kFloatOptimized : Conv2DVariant::kFloatReference);
  EXPECT_EQ(c.requant_channels, 0);
  c = mote::select_conv_2d(ConvArithmetic::kFloat32, in, Dims4{32, 3, 3, 8}, out, true, false);
  EXPECT_EQ(c.variant, Conv2DVariant::kFloatReference);
  EXPECT_EQ(mote::select_conv_2d(ConvArithmetic::kInt16, in, filter, out, true, false).variant,
            Conv2DVariant::kInt16Reference);
  c = mote::select_conv_2d(ConvArithmetic::kInt16Bias32, in, filter, out, true, false);
  EXPECT_EQ(c.variant, Conv2DVariant::kInt16Bias32Reference);
  EXPECT_EQ(c.requant_channels, 32);
}

// The ESP32-S3 PIE kernels where pie::kSelectable (the S3, or a host built
// with MOTE_PIE_MODEL): 1x1 int8 convolutions and 3x3 depthwise with
// multiplier 1, over whole Q registers (16 | channels).
TEST(Conv2DSelection, PieKernelForOneByOneOverWholeQRegisters) {
  const bool pie = kOptimized && mote::pie::kSelectable;
  const Dims4 in = Dims4{1, 8, 8, 32}, out = Dims4{1, 8, 8, 16};
  auto c = mote::select_conv_2d(ConvArithmetic::kInt8, in, Dims4{16, 1, 1, 32}, out, true, false);
  EXPECT_EQ(c.variant, pie ? Conv2DVariant::kInt8Pie1x1
                           : (kOptimized ? Conv2DVariant::kInt8Optimized : Conv2DVariant::kInt8Reference));
  EXPECT_EQ(c.requant_channels, 16);
  // The PIE kernel allows the overlap of the optimized row-block kernel,
  // which it runs where the plan overlaps the buffers: one arena figure.
  EXPECT_EQ(mote::conv_2d_stream_block_rows(Conv2DVariant::kInt8Pie1x1, out),
            mote::conv_2d_stream_block_rows(Conv2DVariant::kInt8OptimizedStreaming, out));
  c = mote::select_conv_2d(ConvArithmetic::kInt8, Dims4{1, 8, 8, 8}, Dims4{16, 1, 1, 8}, out, true, false);
  EXPECT_EQ(c.variant, kOptimized ? Conv2DVariant::kInt8Optimized : Conv2DVariant::kInt8Reference);
  c = mote::select_conv_2d(ConvArithmetic::kInt8, in, Dims4{16, 1, 1, 32}, out, /*constant_filter=*/false, false);
  EXPECT_EQ(c.variant, Conv2DVariant::kInt8Reference);
}

TEST(DepthwiseConv2DSelection, PieKernelForThreeByThreeOverWholeQRegisters) {
  const bool pie = kOptimized && mote::pie::kSelectable;
  ConvParams p;
  auto c = mote::select_depthwise_conv_2d(ConvArithmetic::kInt8, p, Dims4{1, 3, 3, 32}, Dims4{1, 8, 8, 32}, true, false);
  EXPECT_EQ(c.variant, pie ? DepthwiseConv2DVariant::kInt8Pie3x3
                           : (kOptimized ? DepthwiseConv2DVariant::kInt8Optimized3x3
                                         : DepthwiseConv2DVariant::kInt8Reference));
  c = mote::select_depthwise_conv_2d(ConvArithmetic::kInt8, p, Dims4{1, 3, 3, 24}, Dims4{1, 8, 8, 24}, true, false);
  EXPECT_EQ(c.variant, kOptimized ? DepthwiseConv2DVariant::kInt8Optimized3x3 : DepthwiseConv2DVariant::kInt8Reference);
}

// Streaming: the optimized kernels' row-block variants, which walk blocks of
// the most whole rows with at most 16 pixels (CONV_2D) or 32 (depthwise),
// and back to front in the same blocks; the reference kernels walk pixels
// (0) and only front to back.
TEST(Conv2DSelection, StreamingPicksRowBlockVariantsAndSaysHowTheyWalk) {
  const Dims4 in = Dims4{1, 8, 12, 16}, filter = Dims4{32, 3, 3, 16}, out = Dims4{1, 8, 12, 32};
  auto c = mote::select_conv_2d(ConvArithmetic::kInt8, in, filter, out, true, /*streaming=*/true);
  EXPECT_EQ(c.variant, kOptimized ? Conv2DVariant::kInt8OptimizedStreaming : Conv2DVariant::kInt8Reference);
  EXPECT_EQ(mote::conv_2d_stream_block_rows(c.variant, out), kOptimized ? 1 : 0);  // 1 row of 12 pixels
  EXPECT_EQ(mote::conv_2d_back_block_rows(c.variant, out), kOptimized ? 1 : -1);
  c = mote::select_conv_2d(ConvArithmetic::kFloat32, in, filter, out, true, true);
  EXPECT_EQ(c.variant, kOptimized ? Conv2DVariant::kFloatOptimizedStreaming : Conv2DVariant::kFloatReference);
  c = mote::select_conv_2d(ConvArithmetic::kInt8, in, filter, out, /*constant_filter=*/false, true);
  EXPECT_EQ(c.variant, Conv2DVariant::kInt8Reference);
  EXPECT_EQ(mote::conv_2d_stream_block_rows(c.variant, out), 0);
  EXPECT_EQ(mote::conv_2d_stream_block_rows(Conv2DVariant::kInt8Optimized, out), -1);
  EXPECT_EQ(mote::conv_2d_stream_block_rows(Conv2DVariant::kInt8OptimizedStreaming, Dims4{1, 2, 4, 8}), 2);
  EXPECT_EQ(mote::conv_2d_stream_block_rows(Conv2DVariant::kInt8OptimizedStreaming, Dims4{1, 25, 5, 64}), 3);
  EXPECT_EQ(mote::conv_2d_stream_block_rows(Conv2DVariant::kInt8OptimizedStreaming, Dims4{1, 40, 48, 8}), 1);

  ConvParams p;
  const Dims4 dw_out = Dims4{1, 8, 8, 24};
  auto d = mote::select_depthwise_conv_2d(ConvArithmetic::kInt8, p, Dims4{1, 3, 3, 24}, dw_out, true, true);
  EXPECT_EQ(d.variant,
            kOptimized ? DepthwiseConv2DVariant::kInt8Optimized3x3Streaming : DepthwiseConv2DVariant::kInt8Reference);
  EXPECT_EQ(mote::depthwise_conv_2d_stream_block_rows(d.variant, dw_out), kOptimized ? 4 : 0);
  d = mote::select_depthwise_conv_2d(ConvArithmetic::kInt8, p, Dims4{1, 5, 5, 24}, dw_out, true, true);
  EXPECT_EQ(d.variant,
            kOptimized ? DepthwiseConv2DVariant::kInt8OptimizedStreaming : DepthwiseConv2DVariant::kInt8Reference);
  d = mote::select_depthwise_conv_2d(ConvArithmetic::kFloat32, p, Dims4{1, 3, 3, 24}, dw_out, true, true);
  EXPECT_EQ(d.variant,
            kOptimized ? DepthwiseConv2DVariant::kFloatOptimizedStreaming : DepthwiseConv2DVariant::kFloatReference);
  EXPECT_EQ(mote::depthwise_conv_2d_stream_block_rows(DepthwiseConv2DVariant::kInt8Optimized3x3, dw_out), -1);
  EXPECT_EQ(mote::depthwise_conv_2d_stream_block_rows(DepthwiseConv2DVariant::kInt16Reference, dw_out), 0);
  // Back to front: the streaming kernels in their blocks, the whole-image
  // optimized ones channel by channel (0), the reference ones not at all.
  EXPECT_EQ(mote::depthwise_conv_2d_back_block_rows(DepthwiseConv2DVariant::kInt8Optimized3x3Streaming, dw_out), 4);
  EXPECT_EQ(mote::depthwise_conv_2d_back_block_rows(DepthwiseConv2DVariant::kInt8Optimized3x3, dw_out), 0);
  EXPECT_EQ(mote::depthwise_conv_2d_back_block_rows(DepthwiseConv2DVariant::kInt16Reference, dw_out), -1);
}

TEST(DepthwiseConv2DSelection, PicksByArithmeticAndFilter) {
  ConvParams p;
  const Dims4 out = Dims4{1, 8, 8, 24};
  auto c = mote::select_depthwise_conv_2d(ConvArithmetic::kInt8, p, Dims4{1, 3, 3, 24}, out, true, false);
  EXPECT_EQ(c.variant, kOptimized ? DepthwiseConv2DVariant::kInt8Optimized3x3 : DepthwiseConv2DVariant::kInt8Reference);
  EXPECT_EQ(c.requant_channels, 24);
  c = mote::select_depthwise_conv_2d(ConvArithmetic::kInt8, p, Dims4{1, 5, 5, 24}, out, true, false);
  EXPECT_EQ(c.variant, kOptimized ? DepthwiseConv2DVariant::kInt8Optimized : DepthwiseConv2DVariant::kInt8Reference);
  p.dilation_h = 2;
  c = mote::select_depthwise_conv_2d(ConvArithmetic::kInt8, p, Dims4{1, 3, 3, 24}, out, true, false);
  EXPECT_EQ(c.variant, kOptimized ? DepthwiseConv2DVariant::kInt8Optimized : DepthwiseConv2DVariant::kInt8Reference);
  c = mote::select_depthwise_conv_2d(ConvArithmetic::kInt8, p, Dims4{1, 3, 3, 24}, out, /*constant_filter=*/false,
                                     false);
  EXPECT_EQ(c.variant, DepthwiseConv2DVariant::kInt8Reference);
  // A window whose weight sum would not fit beside the shift.
  c = mote::select_depthwise_conv_2d(ConvArithmetic::kInt8, p, Dims4{1, 1024, 1024, 24}, out, true, false);
  EXPECT_EQ(c.variant, DepthwiseConv2DVariant::kInt8Reference);
  c = mote::select_depthwise_conv_2d(ConvArithmetic::kFloat32, p, Dims4{1, 3, 3, 24}, out, true, false);
  EXPECT_EQ(c.variant, kOptimized ? DepthwiseConv2DVariant::kFloatOptimized : DepthwiseConv2DVariant::kFloatReference);
  EXPECT_EQ(c.requant_channels, 0);
  EXPECT_EQ(mote::select_depthwise_conv_2d(ConvArithmetic::kInt16, p, Dims4{1, 3, 3, 24}, out, true, false).variant,
            DepthwiseConv2DVariant::kInt16Reference);
}

TEST(FullyConnectedSelection, PicksByArithmeticDepthAndWeights) {
  auto c = mote::select_fully_connected(ConvArithmetic::kInt8, 60, 10, /*per_channel_weights=*/false);
  EXPECT_EQ(c.variant, kOptimized ? FullyConnectedVariant::kInt8Optimized : FullyConnectedVariant::kInt8Reference);
  EXPECT_EQ(c.requant_channels, 0);  // per tensor: in the params
  // 16 | depth: the PIE kernel where selectable.
  c = mote::select_fully_connected(ConvArithmetic::kInt8, 64, 10, false);
  EXPECT_EQ(c.variant, kOptimized && mote::pie::kSelectable
                           ? FullyConnectedVariant::kInt8Pie
                           : (kOptimized ? FullyConnectedVariant::kInt8Optimized : FullyConnectedVariant::kInt8Reference));
  c = mote::select_fully_connected(ConvArithmetic::kInt8, 64, 10, /*per_channel_weights=*/true);
  EXPECT_EQ(c.requant_channels, 10);
  c = mote::select_fully_connected(ConvArithmetic::kInt8, mote::optimized::kMaxDotDepth + 1, 10, true);
  EXPECT_EQ(c.variant, FullyConnectedVariant::kInt8Reference);
  c = mote::select_fully_connected(ConvArithmetic::kFloat32, 64, 10, false);
  EXPECT_EQ(c.variant, kOptimized ? FullyConnectedVariant::kFloatOptimized : FullyConnectedVariant::kFloatReference);
  EXPECT_EQ(mote::select_fully_connected(ConvArithmetic::kInt16, 64, 10, true).variant,
            FullyConnectedVariant::kInt16Reference);
  EXPECT_EQ(mote::select_fully_connected(ConvArithmetic::kInt16Bias32, 64, 10, true).variant,
            FullyConnectedVariant::kInt16Bias32Reference);
}

// Random int8 data, per-channel requantization as prepare makes it.
struct Int8Data {
  std::vector<int8_t> input, filter;
  std::vector<int32_t> bias, multiplier, shift;
  std::vector<float> float_input, float_filter, float_bias;

  Int8Data(std::mt19937& rng, size_t inputs, size_t weights, int32_t channels) {
    std::uniform_int_distribution<int> byte(-128, 127);
    std::uniform_real_distribution<float> real(-1.0f, 1.0f);
    for (size_t i = 0; i < inputs; ++i) {
      input.push_back(int8_t(byte(rng)));
      float_input.push_back(real(rng));
    }
    for (size_t i = 0; i < weights; ++i) {
      filter.push_back(int8_t(byte(rng)));
      float_filter.push_back(real(rng));
    }
    for (int32_t c = 0; c < channels; ++c) {
      bias.push_back(std::uniform_int_distribution<int32_t>(-5000, 5000)(rng));
      float_bias.push_back(real(rng));
      multiplier.push_back(std::uniform_int_distribution<int32_t>(1 << 30, INT32_MAX)(rng));
      shift.push_back(std::uniform_int_distribution<int32_t>(-15, -8)(rng));
    }
  }
};

// The data as one CONV_2D / DEPTHWISE_CONV_2D call reads it, int8 or float.
ConvBuffers conv_buffers_of(const Int8Data& d, const Dims4& in, const Dims4& filter, const Dims4& out, bool quantized,
                            void* output, const int32_t* shift) {
  ConvBuffers b;
  b.input_dims = in;
  b.filter_dims = filter;
  b.output_dims = out;
  b.input = quantized ? static_cast<const void*>(d.input.data()) : d.float_input.data();
  b.filter = quantized ? static_cast<const void*>(d.filter.data()) : d.float_filter.data();
  b.bias = quantized ? static_cast<const void*>(d.bias.data()) : d.float_bias.data();
  b.output = output;
  b.output_multiplier = d.multiplier.data();
  b.output_shift = shift;
  return b;
}

ConvParams quantized_params(int32_t pad) {
  ConvParams p;
  p.pad_h = pad;
  p.pad_w = pad;
  p.input_offset = 7;
  p.output_offset = -3;
  p.activation_min = -128;
  p.activation_max = 127;
  p.float_activation_min = -1e30f;
  p.float_activation_max = 1e30f;
  return p;
}

// run(variant) of every variant in `variants` gives run(reference)'s bytes.
template <typename T, typename Variant, typename Run>
void expect_same_as(Variant reference, std::initializer_list<Variant> variants, size_t outputs, Run run) {
  GuardedBuffer<T> expected(outputs, 3);
  run(reference, expected.data());
  // Not saturated to one or two values: the comparison has something to see.
  EXPECT_GT(std::set<T>(expected.data(), expected.data() + outputs).size(), std::min<size_t>(outputs / 4, 16));
  for (Variant v : variants) {
    SCOPED_TRACE(int(v));
    GuardedBuffer<T> got(outputs, 3);
    run(v, got.data());
    EXPECT_TRUE(same_bytes(expected, got));
    EXPECT_TRUE(got.guard_intact());
  }
}

TEST(Conv2DWrapper, EveryVariantGivesTheReferenceBytes) {
  std::mt19937 rng(11);
  const Dims4 in = Dims4{1, 5, 6, 8}, filter = Dims4{6, 3, 3, 8}, out = Dims4{1, 5, 6, 6};
  Int8Data d(rng, 5 * 6 * 8, 6 * 3 * 3 * 8, 6);
  const ConvParams p = quantized_params(1);
  auto run = [&](Conv2DVariant v, void* output, bool quantized) {
    std::vector<int32_t> shift = d.shift;
    mote::prepare_conv_2d(v, filter, d.filter.data(), shift.data());
    mote::run_conv_2d(v, p, conv_buffers_of(d, in, filter, out, quantized, output, shift.data()));
  };
  expect_same_as<int8_t>(Conv2DVariant::kInt8Reference, {Conv2DVariant::kInt8Optimized}, 5 * 6 * 6,
                         [&](Conv2DVariant v, int8_t* o) { run(v, o, true); });
  expect_same_as<float>(Conv2DVariant::kFloatReference, {Conv2DVariant::kFloatOptimized}, 5 * 6 * 6,
                        [&](Conv2DVariant v, float* o) { run(v, o, false); });
}

TEST(DepthwiseConv2DWrapper, EveryVariantGivesTheReferenceBytes) {
  std::mt19937 rng(12);
  const Dims4 in = Dims4{1, 6, 5, 20}, filter = Dims4{1, 3, 3, 20}, out = Dims4{1, 6, 5, 20};
  Int8Data d(rng, 6 * 5 * 20, 3 * 3 * 20, 20);
  const ConvParams p = quantized_params(1);
  auto run = [&](DepthwiseConv2DVariant v, void* output, bool quantized) {
    std::vector<int32_t> shift = d.shift;
    mote::prepare_depthwise_conv_2d(v, filter, d.filter.data(), shift.data());
    mote::run_depthwise_conv_2d(v, p, conv_buffers_of(d, in, filter, out, quantized, output, shift.data()));
  };
  expect_same_as<int8_t>(DepthwiseConv2DVariant::kInt8Reference,
                         {DepthwiseConv2DVariant::kInt8Optimized, DepthwiseConv2DVariant::kInt8Optimized3x3},
                         6 * 5 * 20, [&](DepthwiseConv2DVariant v, int8_t* o) { run(v, o, true); });
  expect_same_as<float>(DepthwiseConv2DVariant::kFloatReference, {DepthwiseConv2DVariant::kFloatOptimized}, 6 * 5 * 20,
                        [&](DepthwiseConv2DVariant v, float* o) { run(v, o, false); });
}

TEST(FullyConnectedWrapper, EveryVariantGivesTheReferenceBytes) {
  std::mt19937 rng(13);
  const int32_t batches = 3, depth = 37, units = 9;
  Int8Data d(rng, batches * depth, units * depth, units);
  FullyConnectedParams p;
  p.input_offset = 5;
  p.output_offset = 2;
  p.output_multiplier = 1 << 30;
  p.output_shift = -9;
  p.activation_min = -128;
  p.activation_max = 127;
  p.float_activation_min = -1e30f;
  p.float_activation_max = 1e30f;
  for (bool per_channel : {true, false}) {
    SCOPED_TRACE(per_channel);
    p.filter_offset = per_channel ? 0 : 3;
    auto run = [&](FullyConnectedVariant v, void* output, bool quantized) {
      FullyConnectedBuffers b;
      b.batches = batches;
      b.accum_depth = depth;
      b.output_depth = units;
      b.input = quantized ? static_cast<const void*>(d.input.data()) : d.float_input.data();
      b.filter = quantized ? static_cast<const void*>(d.filter.data()) : d.float_filter.data();
      b.bias = quantized ? static_cast<const void*>(d.bias.data()) : d.float_bias.data();
      b.output = output;
      b.output_multiplier = per_channel ? d.multiplier.data() : nullptr;
      b.output_shift = per_channel ? d.shift.data() : nullptr;
      mote::run_fully_connected(v, p, b);
    };
    expect_same_as<int8_t>(FullyConnectedVariant::kInt8Reference, {FullyConnectedVariant::kInt8Optimized},
                           batches * units, [&](FullyConnectedVariant v, int8_t* o) { run(v, o, true); });
    expect_same_as<float>(FullyConnectedVariant::kFloatReference, {FullyConnectedVariant::kFloatOptimized},
                          batches * units, [&](FullyConnectedVariant v, float* o) { run(v, o, false); });
  }
}

}  // namespace
