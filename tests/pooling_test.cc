// AVERAGE_POOL_2D and MAX_POOL_2D: kernels against a direct restatement
// (window enumerated over padded coordinates, integer average rounded with
// round()), hand-checked rounding cases, TFLite's output-size / padding
// rules, and one-op models through the interpreter.
#include <gtest/gtest.h>
#include <math.h>
#include <stdint.h>

#include <limits>
#include <random>
#include <vector>

#include "kernels/reference/pooling.h"
#include "op_harness.h"
#include "tools/model_builder.h"

namespace {

using mote::DType;
using mote::tools::ModelBuilder;
using mote::tools::Options;
using mote::tools::TensorSpec;
namespace ref = mote::reference;
namespace schema = mote::schema;

ref::PoolParams make_params(int32_t batches, int32_t height, int32_t width, int32_t channels, int32_t filter_h,
                            int32_t filter_w, int32_t stride_h, int32_t stride_w, bool same) {
  ref::PoolParams p;
  p.batches = batches;
  p.input_height = height;
  p.input_width = width;
  p.channels = channels;
  p.filter_height = filter_h;
  p.filter_width = filter_w;
  p.stride_height = stride_h;
  p.stride_width = stride_w;
  ref::pool_output_size(same, height, filter_h, stride_h, &p.output_height, &p.padding_height);
  ref::pool_output_size(same, width, filter_w, stride_w, &p.output_width, &p.padding_width);
  return p;
}

// For every output (b, oy, ox, c) in NHWC order, the input values under its
// window, in filter row-major order, skipping positions in the padding.
template <typename T>
std::vector<std::vector<T>> output_windows(const ref::PoolParams& p, const std::vector<T>& in) {
  std::vector<std::vector<T>> windows;
  for (int b = 0; b < p.batches; ++b)
    for (int oy = 0; oy < p.output_height; ++oy)
      for (int ox = 0; ox < p.output_width; ++ox)
        for (int c = 0; c < p.channels; ++c) {
          std::vector<T>& v = windows.emplace_back();
          for (int fy = 0; fy < p.filter_height; ++fy) {
            for (int fx = 0; fx < p.filter_width; ++fx) {
              const int y = oy * p.stride_height - p.padding_height + fy;
              const int x = ox * p.stride_width - p.padding_width + fx;
              if (y < 0 || y >= p.input_height || x < 0 || x >= p.input_width) continue;
              v.push_back(in[((b * p.input_height + y) * p.input_width + x) * p.channels + c]);
            }
          }
        }
  return windows;
}

template <typename T>
std::vector<T> random_values(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int32_t> dist(std::numeric_limits<T>::min(), std::numeric_limits<T>::max());
  std::vector<T> v(n);
  for (T& x : v) x = T(dist(rng));
  return v;
}

size_t input_size(const ref::PoolParams& p) { return size_t(p.batches * p.input_height * p.input_width * p.channels); }
size_t output_size(const ref::PoolParams& p) {
  return size_t(p.batches * p.output_height * p.output_width * p.channels);
}

struct Geometry {
  int32_t b, h, w, c, fh, fw, sh, sw;
  bool same;
};

const Geometry kGeometries[] = {
    {1, 5, 5, 3, 2, 2, 2, 2, true},   {1, 5, 5, 3, 2, 2, 2, 2, false}, {2, 7, 6, 4, 3, 3, 2, 1, true},
    {1, 7, 6, 4, 3, 3, 1, 2, false},  {1, 6, 6, 2, 6, 6, 1, 1, false},  // global pooling
    {1, 3, 8, 1, 3, 5, 3, 3, true},   {1, 10, 10, 5, 7, 7, 3, 3, true},
};

// --- output size and padding ------------------------------------------------------

TEST(PoolGeometry, OutputSizeAndPaddingAsTflite) {
  int32_t out = 0, pad = 0;
  ref::pool_output_size(true, 5, 2, 2, &out, &pad);  // ceil(5/2) = 3, total pad (2*2+2-5)=1 -> 0 before
  EXPECT_EQ(out, 3);
  EXPECT_EQ(pad, 0);
  ref::pool_output_size(false, 5, 2, 2, &out, &pad);  // floor((5-2)/2)+1 = 2
  EXPECT_EQ(out, 2);
  EXPECT_EQ(pad, 0);
  ref::pool_output_size(true, 7, 3, 1, &out, &pad);  // 7 outputs, 1 padding row each side
  EXPECT_EQ(out, 7);
  EXPECT_EQ(pad, 1);
  ref::pool_output_size(true, 10, 7, 3, &out, &pad);  // 4 outputs, total pad 3*3+7-10=6 -> 3
  EXPECT_EQ(out, 4);
  EXPECT_EQ(pad, 3);
  ref::pool_output_size(false, 3, 5, 1, &out, &pad);  // filter larger than input
  EXPECT_LE(out, 0);
}

// --- average pool ------------------------------------------------------------------

TEST(AveragePoolKernel, IntegerAverageRoundsHalfAwayFromZero) {
  const ref::PoolParams p = make_params(1, 2, 2, 1, 2, 2, 2, 2, false);
  const int8_t cases[][4] = {{1, 2, 3, 4}, {-1, -2, -3, -4}, {1, 2, 2, 2}, {-1, -2, -2, -2}, {0, 0, 0, 1}, {0, 0, 0, -2}};
  const int8_t want[] = {3, -3, 2, -2, 0, -1};  // 2.5, -2.5, 1.75, -1.75, 0.25, -0.5
  for (int i = 0; i < 6; ++i) {
    int8_t out = 0;
    ASSERT_TRUE(ref::average_pool_int8(p, -128, 127, cases[i], &out));
    EXPECT_EQ(out, want[i]) << "case " << i;
  }
}

TEST(AveragePoolKernel, Int8AndInt16MatchRoundedMean) {
  uint32_t seed = 1;
  for (const Geometry& g : kGeometries) {
    const ref::PoolParams p = make_params(g.b, g.h, g.w, g.c, g.fh, g.fw, g.sh, g.sw, g.same);
    const std::vector<int8_t> in8 = random_values<int8_t>(input_size(p), seed++);
    const std::vector<int16_t> in16 = random_values<int16_t>(input_size(p), seed++);
    std::vector<int8_t> out8(output_size(p));
    std::vector<int16_t> out16(output_size(p));
    ASSERT_TRUE(ref::average_pool_int8(p, -100, 90, in8.data(), out8.data()));
    ASSERT_TRUE(ref::average_pool_int16(p, -32768, 32767, in16.data(), out16.data()));
    const std::vector<std::vector<int8_t>> windows8 = output_windows(p, in8);
    const std::vector<std::vector<int16_t>> windows16 = output_windows(p, in16);
    for (size_t i = 0; i < out8.size(); ++i) {
      const std::vector<int8_t>& w8 = windows8[i];
      const std::vector<int16_t>& w16 = windows16[i];
      double sum8 = 0, sum16 = 0;
      for (int8_t v : w8) sum8 += v;
      for (int16_t v : w16) sum16 += v;
      const double avg8 = round(sum8 / double(w8.size()));  // round(): half away from zero
      EXPECT_EQ(out8[i], int8_t(fmin(90, fmax(-100, avg8)))) << "geometry " << &g - kGeometries;
      EXPECT_EQ(out16[i], int16_t(round(sum16 / double(w16.size()))));
    }
  }
}

TEST(AveragePoolKernel, FloatDividesSumByCount) {
  uint32_t seed = 100;
  for (const Geometry& g : kGeometries) {
    const ref::PoolParams p = make_params(g.b, g.h, g.w, g.c, g.fh, g.fw, g.sh, g.sw, g.same);
    std::mt19937 rng(seed++);
    std::uniform_real_distribution<float> dist(-3, 3);
    std::vector<float> in(input_size(p));
    for (float& v : in) v = dist(rng);
    std::vector<float> out(output_size(p));
    ASSERT_TRUE(ref::average_pool_float(p, 0.0f, 6.0f, in.data(), out.data()));
    const std::vector<std::vector<float>> windows = output_windows(p, in);
    for (size_t i = 0; i < out.size(); ++i) {
      const std::vector<float>& w = windows[i];
      float sum = 0.0f;
      for (float v : w) sum += v;
      EXPECT_EQ(out[i], fminf(fmaxf(sum / float(w.size()), 0.0f), 6.0f));
    }
  }
}

TEST(AveragePoolKernel, WindowInPaddingOnlyFails) {
  // Stride larger than input + padding would need: impossible from
  // pool_output_size, but a hand-made geometry must not divide by zero.
  ref::PoolParams p = make_params(1, 2, 2, 1, 1, 1, 1, 1, false);
  p.padding_height = 5;
  const int8_t in[4] = {1, 2, 3, 4};
  int8_t out[4];
  EXPECT_FALSE(ref::average_pool_int8(p, -128, 127, in, out));
}

// --- max pool -----------------------------------------------------------------------

TEST(MaxPoolKernel, AllTypesMatchWindowMax) {
  uint32_t seed = 200;
  for (const Geometry& g : kGeometries) {
    const ref::PoolParams p = make_params(g.b, g.h, g.w, g.c, g.fh, g.fw, g.sh, g.sw, g.same);
    const std::vector<int8_t> in8 = random_values<int8_t>(input_size(p), seed++);
    const std::vector<int16_t> in16 = random_values<int16_t>(input_size(p), seed++);
    std::vector<float> inf(input_size(p));
    for (size_t k = 0; k < inf.size(); ++k) inf[k] = float(in16[k]) / 1000.0f;
    std::vector<int8_t> out8(output_size(p));
    std::vector<int16_t> out16(output_size(p));
    std::vector<float> outf(output_size(p));
    ref::max_pool_int8(p, -20, 100, in8.data(), out8.data());
    ref::max_pool_int16(p, -32768, 32767, in16.data(), out16.data());
    ref::max_pool_float(p, -1.0f, 1.0f, inf.data(), outf.data());
    const std::vector<std::vector<int8_t>> windows8 = output_windows(p, in8);
    const std::vector<std::vector<int16_t>> windows16 = output_windows(p, in16);
    const std::vector<std::vector<float>> windowsf = output_windows(p, inf);
    for (size_t i = 0; i < out8.size(); ++i) {
      int m8 = -1000, m16 = -100000;
      float mf = -1e30f;
      for (int8_t v : windows8[i]) m8 = v > m8 ? v : m8;
      for (int16_t v : windows16[i]) m16 = v > m16 ? v : m16;
      for (float v : windowsf[i]) mf = v > mf ? v : mf;
      EXPECT_EQ(out8[i], m8 < -20 ? -20 : (m8 > 100 ? 100 : m8));
      EXPECT_EQ(out16[i], m16);
      EXPECT_EQ(outf[i], fminf(fmaxf(mf, -1.0f), 1.0f));
    }
  }
}

// --- one-op models -------------------------------------------------------------------

std::vector<uint8_t> pool_model(schema::BuiltinOp op, const TensorSpec& in, const TensorSpec& out, int filter_h,
                                int filter_w, int stride_h, int stride_w, schema::Padding padding, int activation) {
  ModelBuilder builder;
  const int ii = builder.add_tensor(in), io = builder.add_tensor(out);
  builder.add_operator(op, {ii}, {io},
                       Options(schema::OptionsType::kPool2D)
                           .i8(schema::pool2d_options::padding, int8_t(padding))
                           .i32(schema::pool2d_options::stride_w, stride_w)
                           .i32(schema::pool2d_options::stride_h, stride_h)
                           .i32(schema::pool2d_options::filter_width, filter_w)
                           .i32(schema::pool2d_options::filter_height, filter_h)
                           .i8(schema::pool2d_options::fused_activation_function, int8_t(activation)));
  builder.set_inputs({ii});
  builder.set_outputs({io});
  return builder.serialize();
}

TEST(PoolingModel, AveragePoolInt8SameWithRelu6) {
  const ref::PoolParams p = make_params(1, 7, 6, 4, 3, 3, 2, 1, true);
  const float scale = 0.05f;
  const int32_t zp = -10;
  const std::vector<int8_t> in = random_values<int8_t>(input_size(p), 300);
  const RunResult r = run_model(pool_model(schema::BuiltinOp::kAveragePool2D,
                                           tensor("x", DType::kInt8, {1, 7, 6, 4}, scale, zp),
                                           tensor("y", DType::kInt8, {1, p.output_height, p.output_width, 4}, scale, zp),
                                           3, 3, 2, 1, schema::Padding::kSame, /*RELU6=*/3),
                                {bytes_of(in)});
  ASSERT_TRUE(r.ok()) << r.error;
  // RELU6 on scale 0.05, zero point -10: [-10, 110].
  std::vector<int8_t> want(output_size(p));
  ASSERT_TRUE(ref::average_pool_int8(p, -10, 110, in.data(), want.data()));
  EXPECT_EQ(r.output<int8_t>(0), want);
}

TEST(PoolingModel, MaxPoolFloatValid) {
  const ref::PoolParams p = make_params(2, 5, 5, 3, 2, 2, 2, 2, false);
  std::vector<float> in(input_size(p));
  for (size_t i = 0; i < in.size(); ++i) in[i] = float((i * 37) % 101) - 50.0f;
  const RunResult r = run_model(pool_model(schema::BuiltinOp::kMaxPool2D, tensor("x", DType::kFloat32, {2, 5, 5, 3}),
                                           tensor("y", DType::kFloat32, {2, 2, 2, 3}), 2, 2, 2, 2,
                                           schema::Padding::kValid, 0),
                                {bytes_of(in)});
  ASSERT_TRUE(r.ok()) << r.error;
  std::vector<float> want(output_size(p));
  ref::max_pool_float(p, std::numeric_limits<float>::lowest(), std::numeric_limits<float>::max(), in.data(),
                      want.data());
  EXPECT_EQ(r.output<float>(0), want);
  // Spot check one window by hand: batch 0, output (0, 0), channel 0 covers
  // input (0,0), (0,1), (1,0), (1,1).
  float m = -1e9f;
  for (int y = 0; y < 2; ++y)
    for (int x = 0; x < 2; ++x) m = fmaxf(m, in[size_t((y * 5 + x) * 3)]);
  EXPECT_EQ(r.output<float>(0)[0], m);
}

TEST(PoolingModel, MaxPoolInt16) {
  const ref::PoolParams p = make_params(1, 4, 4, 2, 2, 2, 2, 2, true);
  const std::vector<int16_t> in = random_values<int16_t>(input_size(p), 301);
  const RunResult r = run_model(pool_model(schema::BuiltinOp::kMaxPool2D,
                                           tensor("x", DType::kInt16, {1, 4, 4, 2}, 0.001f, 0),
                                           tensor("y", DType::kInt16, {1, 2, 2, 2}, 0.001f, 0), 2, 2, 2, 2,
                                           schema::Padding::kSame, 0),
                                {bytes_of(in)});
  ASSERT_TRUE(r.ok()) << r.error;
  std::vector<int16_t> want(output_size(p));
  ref::max_pool_int16(p, -32768, 32767, in.data(), want.data());
  EXPECT_EQ(r.output<int16_t>(0), want);
}

TEST(PoolingModel, PrepareRejectsInvalidNodes) {
  const std::vector<int8_t> in(1 * 4 * 4 * 2);
  // Output size does not match the padding rule (SAME 4/2 -> 2, not 3).
  RunResult r = run_model(pool_model(schema::BuiltinOp::kAveragePool2D, tensor("x", DType::kInt8, {1, 4, 4, 2}, 0.1f, 0),
                                     tensor("y", DType::kInt8, {1, 3, 3, 2}, 0.1f, 0), 2, 2, 2, 2,
                                     schema::Padding::kSame, 0),
                          {bytes_of(in)});
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("output shape"), std::string::npos) << r.error;
  // Different input and output quantization.
  r = run_model(pool_model(schema::BuiltinOp::kMaxPool2D, tensor("x", DType::kInt8, {1, 4, 4, 2}, 0.1f, 0),
                           tensor("y", DType::kInt8, {1, 2, 2, 2}, 0.2f, 0), 2, 2, 2, 2, schema::Padding::kSame, 0),
                {bytes_of(in)});
  EXPECT_FALSE(r.ok());
  // Zero stride.
  r = run_model(pool_model(schema::BuiltinOp::kMaxPool2D, tensor("x", DType::kInt8, {1, 4, 4, 2}, 0.1f, 0),
                           tensor("y", DType::kInt8, {1, 2, 2, 2}, 0.1f, 0), 2, 2, 0, 2, schema::Padding::kSame, 0),
                {bytes_of(in)});
  EXPECT_FALSE(r.ok());
  // Not 4-D.
  r = run_model(pool_model(schema::BuiltinOp::kMaxPool2D, tensor("x", DType::kInt8, {4, 4, 2}, 0.1f, 0),
                           tensor("y", DType::kInt8, {2, 2, 2}, 0.1f, 0), 2, 2, 2, 2, schema::Padding::kSame, 0),
                {bytes_of(std::vector<int8_t>(32))});
  EXPECT_FALSE(r.ok());
}

}  // namespace
