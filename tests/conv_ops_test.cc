// CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED, run as one-op models.
//
// Quantized results are checked exactly against an oracle written here from
// TFLite's definition of the arithmetic: a plain int64 accumulation where a
// padded position reads as a real zero, and requantization done with 128-bit
// rational rounding (not with mote's fixedpoint.h). Float results are checked
// against a double computation. A few small cases are worked out by hand.
#include <gtest/gtest.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include <algorithm>
#include <random>
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
using Padding = schema::Padding;
using Activation = schema::Activation;

// ------------------------------------------------------------------ oracle

using i128 = __int128;

i128 floor_div(i128 a, i128 b) {  // b > 0
  i128 q = a / b;
  if (a % b != 0 && a < 0) --q;
  return q;
}

struct Multiplier {
  int64_t m = 0;
  int shift = 0;
};

// real = m * 2^(shift - 31), m in [2^30, 2^31), m rounded half away from zero.
Multiplier oracle_multiplier(double real) {
  if (real == 0.0) return {};
  int e = std::ilogb(real) + 1;
  long long q = std::llround(std::ldexp(real, 31 - e));
  if (q == (1LL << 31)) {
    q /= 2;
    ++e;
  }
  if (e < -31) return {};
  return {q, e};
}

// TFLite's 32-bit requantization: x * 2^left, then the nearest integer to
// x * m / 2^31 (ties up for a non-negative product, toward zero for a negative
// one), then division by 2^right rounded half away from zero.
int64_t oracle_requantize32(int64_t acc, Multiplier mq) {
  const int left = std::max(mq.shift, 0);
  const int right = std::max(-mq.shift, 0);
  const i128 x = i128(acc) * (i128(1) << left);
  const i128 p = x * mq.m;
  const i128 half = i128(1) << 30, one = i128(1) << 31;
  const i128 high = p >= 0 ? floor_div(p + half, one) : -floor_div(-p + half - 1, one);
  const i128 d = i128(1) << right;
  const i128 r = high >= 0 ? floor_div(2 * high + d, 2 * d) : -floor_div(-2 * high + d, 2 * d);
  return int64_t(r);
}

// TFLite's 64-bit requantization: the multiplier rounded to 15 fractional
// bits, then one rounding (ties up) of x * m15 / 2^(15 - shift).
int64_t oracle_requantize64(int64_t acc, Multiplier mq) {
  const int64_t m15 = mq.m < 0x7FFF0000 ? (mq.m + (1 << 15)) >> 16 : 0x7FFF;
  const int total = 15 - mq.shift;
  return int64_t(floor_div(i128(acc) * m15 + (i128(1) << (total - 1)), i128(1) << total));
}

int64_t clamp64(int64_t v, int64_t lo, int64_t hi) { return std::min(std::max(v, lo), hi); }

// ------------------------------------------------------------------ data

struct Quant {
  std::vector<float> scales;
  std::vector<int64_t> zero_points;
};

template <typename T>
std::vector<T> random_ints(std::mt19937& rng, size_t n, int64_t lo, int64_t hi) {
  std::uniform_int_distribution<int64_t> dist(lo, hi);
  std::vector<T> v(n);
  for (auto& x : v) x = T(dist(rng));
  return v;
}

std::vector<float> random_floats(std::mt19937& rng, size_t n, float lo, float hi) {
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(n);
  for (auto& x : v) x = dist(rng);
  return v;
}

int64_t type_min(DType t) { return t == DType::kInt16 ? -32768 : -128; }
int64_t type_max(DType t) { return t == DType::kInt16 ? 32767 : 127; }

// Clamp range of a fused activation, from the definition: the quantized
// values of 0, 6 and +-1 intersected with the type's range.
void oracle_activation(Activation act, float scale, int64_t zp, DType t, int64_t* lo, int64_t* hi) {
  auto q = [&](float v) { return zp + int64_t(std::round(v / scale)); };
  *lo = type_min(t);
  *hi = type_max(t);
  if (act == Activation::kRelu || act == Activation::kRelu6) *lo = std::max(*lo, q(0.0f));
  if (act == Activation::kRelu6) *hi = std::min(*hi, q(6.0f));
  if (act == Activation::kReluN1To1) {
    *lo = std::max(*lo, q(-1.0f));
    *hi = std::min(*hi, q(1.0f));
  }
}

void oracle_float_activation(Activation act, double* lo, double* hi) {
  *lo = -INFINITY;
  *hi = INFINITY;
  if (act == Activation::kRelu || act == Activation::kRelu6) *lo = 0;
  if (act == Activation::kRelu6) *hi = 6;
  if (act == Activation::kReluN1To1) {
    *lo = -1;
    *hi = 1;
  }
}

// ------------------------------------------------------------------ CONV_2D / DEPTHWISE_CONV_2D

struct WindowCase {
  bool depthwise = false;
  DType type = DType::kInt8;  // activations: kInt8, kInt16 or kFloat32
  int n = 1, h = 5, w = 5, c = 3;
  int kh = 3, kw = 3;
  int out_c = 4;   // depthwise: c * depth multiplier
  int groups = 1;  // CONV_2D only
  int stride_h = 1, stride_w = 1, dil_h = 1, dil_w = 1;
  Padding padding = Padding::kValid;
  Activation act = Activation::kNone;
  bool per_channel = true;
  bool has_bias = true;
  bool int16_bias32 = false;  // int16 activations with an int32 bias
  uint32_t seed = 1;
};

std::string describe(const WindowCase& k) {
  char s[256];
  snprintf(s, sizeof(s), "%s %s in %dx%dx%dx%d k %dx%d out_c %d groups %d stride %d,%d dil %d,%d %s act %d %s%s",
           k.depthwise ? "DWCONV" : "CONV", mote::dtype_name(k.type), k.n, k.h, k.w, k.c, k.kh, k.kw, k.out_c, k.groups,
           k.stride_h, k.stride_w, k.dil_h, k.dil_w, k.padding == Padding::kSame ? "SAME" : "VALID", int(k.act),
           k.per_channel ? "per-channel" : "per-tensor", k.has_bias ? "" : " no-bias");
  return s;
}

int out_size(Padding p, int in, int k, int stride, int dil) {
  const int eff = (k - 1) * dil + 1;
  return p == Padding::kSame ? (in + stride - 1) / stride : (in - eff) / stride + 1;
}

// bias(o) plus the filter's dot product with the input window, for every
// output in NHWC order. x(i) is input element i as an offset from the real 0
// (the float value, or q - zero point); a padded position counts as 0.
template <typename Acc, typename Bias, typename Input, typename Filter>
std::vector<Acc> window_sums(const WindowCase& k, int oh, int ow, Bias bias, Input x, const std::vector<Filter>& filter) {
  const int filter_c = k.depthwise ? k.out_c : k.c / k.groups;
  // Filter element (o, fy, fx, i) in either layout.
  auto filter_index = [&](int o, int fy, int fx, int i) {
    return k.depthwise ? size_t((fy * k.kw + fx) * k.out_c + o)
                       : size_t(((o * k.kh + fy) * k.kw + fx) * filter_c + i);
  };
  auto input_channel = [&](int o, int i) {
    if (k.depthwise) return o / (k.out_c / k.c);
    return (o / (k.out_c / k.groups)) * filter_c + i;
  };
  const int pad_h = std::max(0, ((oh - 1) * k.stride_h + (k.kh - 1) * k.dil_h + 1 - k.h) / 2);
  const int pad_w = std::max(0, ((ow - 1) * k.stride_w + (k.kw - 1) * k.dil_w + 1 - k.w) / 2);
  std::vector<Acc> sums;
  for (int bn = 0; bn < k.n; ++bn)
    for (int oy = 0; oy < oh; ++oy)
      for (int ox = 0; ox < ow; ++ox)
        for (int o = 0; o < k.out_c; ++o) {
          Acc total = bias(o);
          for (int fy = 0; fy < k.kh; ++fy)
            for (int fx = 0; fx < k.kw; ++fx)
              for (int i = 0; i < (k.depthwise ? 1 : filter_c); ++i) {
                const int iy = oy * k.stride_h - pad_h + fy * k.dil_h;
                const int ix = ox * k.stride_w - pad_w + fx * k.dil_w;
                if (iy < 0 || iy >= k.h || ix < 0 || ix >= k.w) continue;
                total += x(((size_t(bn) * k.h + iy) * k.w + ix) * k.c + size_t(input_channel(o, i))) *
                         filter[filter_index(o, fy, fx, i)];
              }
          sums.push_back(total);
        }
  return sums;
}

struct WindowModel {
  std::vector<uint8_t> model;
  std::vector<uint8_t> input;
  std::vector<uint8_t> expected;  // oracle output bytes (quantized)
  std::vector<double> expected_float;
  int oh = 0, ow = 0;
};

WindowModel build_window_case(const WindowCase& k) {
  std::mt19937 rng(k.seed);
  WindowModel m;
  m.oh = out_size(k.padding, k.h, k.kh, k.stride_h, k.dil_h);
  m.ow = out_size(k.padding, k.w, k.kw, k.stride_w, k.dil_w);
  const int filter_c = k.depthwise ? k.out_c : k.c / k.groups;
  const std::vector<int32_t> in_shape = {k.n, k.h, k.w, k.c};
  const std::vector<int32_t> filter_shape =
      k.depthwise ? std::vector<int32_t>{1, k.kh, k.kw, k.out_c} : std::vector<int32_t>{k.out_c, k.kh, k.kw, filter_c};
  const std::vector<int32_t> out_shape = {k.n, m.oh, m.ow, k.out_c};
  const int taps = k.kh * k.kw * (k.depthwise ? 1 : filter_c);
  const size_t in_count = size_t(k.n) * k.h * k.w * k.c;
  const size_t filter_count = size_t(k.kh) * k.kw * (k.depthwise ? k.out_c : k.out_c * filter_c);
  const size_t out_count = size_t(k.n) * m.oh * m.ow * k.out_c;

  ModelBuilder b;
  int input_t, filter_t, bias_t = -1, output_t;
  if (k.type == DType::kFloat32) {
    const std::vector<float> input = random_floats(rng, in_count, -1, 1);
    const std::vector<float> filter = random_floats(rng, filter_count, -1, 1);
    const std::vector<float> bias = random_floats(rng, size_t(k.out_c), -1, 1);
    input_t = b.add_tensor({"input", DType::kFloat32, in_shape});
    filter_t = b.add_tensor(TensorSpec::constant<float>("filter", DType::kFloat32, filter_shape, filter));
    if (k.has_bias) bias_t = b.add_tensor(TensorSpec::constant<float>("bias", DType::kFloat32, {k.out_c}, bias));
    output_t = b.add_tensor({"output", DType::kFloat32, out_shape});
    m.input = bytes_of(input);
    double lo, hi;
    oracle_float_activation(k.act, &lo, &hi);
    const std::vector<double> totals = window_sums<double>(
        k, m.oh, m.ow, [&](int o) { return k.has_bias ? double(bias[o]) : 0.0; },
        [&](size_t i) { return double(input[i]); }, filter);
    for (double total : totals) m.expected_float.push_back(std::min(std::max(total, lo), hi));
  } else {
    const bool is16 = k.type == DType::kInt16;
    const float in_scale = is16 ? 0.0005f : 0.05f;
    const int64_t in_zp = is16 ? 0 : 7;
    std::vector<float> w_scales;
    for (int o = 0; o < (k.per_channel ? k.out_c : 1); ++o) w_scales.push_back(0.01f * (1.0f + 0.37f * (o % 5)));
    const double x_spread = is16 ? 18900.0 : 74.0;  // std of (x - zp) for uniform data
    const float out_scale =
        float(in_scale * 0.013 * std::sqrt(double(taps)) * 73.0 * x_spread / (is16 ? 9000.0 : 45.0));
    const int64_t out_zp = is16 ? 0 : -5;

    std::vector<int16_t> input16;
    std::vector<int8_t> input8;
    if (is16) {
      input16 = random_ints<int16_t>(rng, in_count, -32768, 32767);
      m.input = bytes_of(input16);
    } else {
      input8 = random_ints<int8_t>(rng, in_count, -128, 127);
      m.input = bytes_of(input8);
    }
    auto input_at = [&](size_t idx) -> int64_t { return is16 ? input16[idx] : input8[idx]; };
    const std::vector<int8_t> filter = random_ints<int8_t>(rng, filter_count, -127, 127);
    const bool bias64 = is16 && !k.int16_bias32;
    // TFLite accumulates int16 CONV_2D in 64 bits only with an int64 bias
    // (none or int32: 32 bits); its int16 DEPTHWISE_CONV_2D always uses 64.
    const bool acc64 = is16 && (k.depthwise || (bias64 && k.has_bias));
    const std::vector<int64_t> bias =
        random_ints<int64_t>(rng, size_t(k.out_c), is16 ? -3000000 : -20000, is16 ? 3000000 : 20000);

    input_t = b.add_tensor({"input", k.type, in_shape, {in_scale}, {in_zp}});
    std::vector<float> bias_scales;
    for (int o = 0; o < k.out_c; ++o) bias_scales.push_back(in_scale * w_scales[k.per_channel ? o : 0]);
    filter_t = b.add_tensor(TensorSpec::constant<int8_t>("filter", DType::kInt8, filter_shape, filter, w_scales,
                                                         std::vector<int64_t>(w_scales.size(), 0),
                                                         k.per_channel ? (k.depthwise ? 3 : 0) : 0));
    if (k.has_bias) {
      const std::vector<int64_t> zeros(size_t(k.out_c), 0);
      if (bias64) {
        bias_t = b.add_tensor(TensorSpec::constant<int64_t>(
            "bias", DType::kInt64, {k.out_c}, bias, k.per_channel ? bias_scales : std::vector<float>{bias_scales[0]},
            k.per_channel ? zeros : std::vector<int64_t>{0}));
      } else {
        std::vector<int32_t> bias32(bias.begin(), bias.end());
        bias_t = b.add_tensor(TensorSpec::constant<int32_t>(
            "bias", DType::kInt32, {k.out_c}, bias32, k.per_channel ? bias_scales : std::vector<float>{bias_scales[0]},
            k.per_channel ? zeros : std::vector<int64_t>{0}));
      }
    }
    output_t = b.add_tensor({"output", k.type, out_shape, {out_scale}, {out_zp}});

    int64_t lo, hi;
    oracle_activation(k.act, out_scale, out_zp, k.type, &lo, &hi);
    const std::vector<int64_t> accs = window_sums<int64_t>(
        k, m.oh, m.ow, [&](int o) { return k.has_bias ? bias[o] : int64_t(0); },
        [&](size_t i) { return input_at(i) - in_zp; }, filter);
    std::vector<int8_t> out8;
    std::vector<int16_t> out16;
    for (size_t j = 0; j < accs.size(); ++j) {
      const int o = int(j % size_t(k.out_c));
      const int64_t acc = accs[j];
      const double real = double(in_scale) * double(w_scales[k.per_channel ? o : 0]) / double(out_scale);
      const Multiplier mq = oracle_multiplier(real);
      const int64_t scaled = acc64 ? oracle_requantize64(acc, mq) : oracle_requantize32(acc, mq);
      if (!acc64) {
        // The oracle itself: within one step of the exact product.
        EXPECT_LE(std::fabs(double(scaled) - double(acc) * real), 1.0) << acc << " * " << real;
      }
      const int64_t v = clamp64(scaled + out_zp, lo, hi);
      if (is16)
        out16.push_back(int16_t(v));
      else
        out8.push_back(int8_t(v));
    }
    m.expected = is16 ? bytes_of(out16) : bytes_of(out8);
  }
  EXPECT_EQ(k.type == DType::kFloat32 ? m.expected_float.size() : m.expected.size() / (k.type == DType::kInt16 ? 2 : 1),
            out_count);

  std::vector<int32_t> inputs = {input_t, filter_t, bias_t};
  if (k.depthwise) {
    namespace o = schema::depthwise_conv2d_options;
    b.add_operator(schema::BuiltinOp::kDepthwiseConv2D, inputs, {output_t},
                   Options(schema::OptionsType::kDepthwiseConv2D)
                       .i8(o::padding, int8_t(k.padding))
                       .i32(o::stride_w, k.stride_w)
                       .i32(o::stride_h, k.stride_h)
                       .i32(o::depth_multiplier, k.out_c / k.c)
                       .i8(o::fused_activation_function, int8_t(k.act))
                       .i32(o::dilation_w_factor, k.dil_w)
                       .i32(o::dilation_h_factor, k.dil_h),
                   /*version=*/k.type == DType::kInt8 ? 3 : 1);
  } else {
    namespace o = schema::conv2d_options;
    b.add_operator(schema::BuiltinOp::kConv2D, inputs, {output_t},
                   Options(schema::OptionsType::kConv2D)
                       .i8(o::padding, int8_t(k.padding))
                       .i32(o::stride_w, k.stride_w)
                       .i32(o::stride_h, k.stride_h)
                       .i8(o::fused_activation_function, int8_t(k.act))
                       .i32(o::dilation_w_factor, k.dil_w)
                       .i32(o::dilation_h_factor, k.dil_h),
                   /*version=*/k.type == DType::kInt8 ? 3 : 1);
  }
  b.set_inputs({input_t});
  b.set_outputs({output_t});
  m.model = b.serialize();
  return m;
}

void check_window_case(const WindowCase& k) {
  SCOPED_TRACE(describe(k));
  const WindowModel m = build_window_case(k);
  const RunResult r = run_model(m.model, {m.input});
  ASSERT_TRUE(r.ok()) << r.error;
  if (k.type == DType::kFloat32) {
    const std::vector<float> got = r.output<float>(0);
    ASSERT_EQ(got.size(), m.expected_float.size());
    for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], m.expected_float[i], 1e-4) << "element " << i;
  } else {
    ASSERT_EQ(r.outputs[0].size(), m.expected.size());
    if (k.type == DType::kInt8) {
      const std::vector<int8_t> got = r.output<int8_t>(0), want = values_of<int8_t>(m.expected);
      for (size_t i = 0; i < got.size(); ++i) ASSERT_EQ(int(got[i]), int(want[i])) << "element " << i;
    } else {
      const std::vector<int16_t> got = r.output<int16_t>(0), want = values_of<int16_t>(m.expected);
      for (size_t i = 0; i < got.size(); ++i) ASSERT_EQ(int(got[i]), int(want[i])) << "element " << i;
    }
    // The data must exercise the range, or the comparison proves little.
    if (k.act == Activation::kNone) {
      std::vector<uint8_t> sorted = r.outputs[0];
      std::sort(sorted.begin(), sorted.end());
      EXPECT_GT(std::unique(sorted.begin(), sorted.end()) - sorted.begin(), 8);
    }
  }
}

// Checks `k` as given and again without a bias, each with the next seed.
void check_with_and_without_bias(WindowCase k, uint32_t* seed) {
  k.seed = (*seed)++;
  check_window_case(k);
  k.has_bias = false;
  k.seed = (*seed)++;
  check_window_case(k);
}

// ------------------------------------------------------------------ hand-checked cases

// 1x3x3x1 int8 input with real values 1..9 (scale 1, zero point 2), a 2x2
// filter [[1, 2], [3, 4]], bias 10, output scale 1 and zero point -3, so the
// requantization is the identity and each output is sum + 10 - 3.
std::vector<uint8_t> small_conv_model(Padding padding, int stride, Activation act = Activation::kNone) {
  ModelBuilder b;
  int in = b.add_tensor({"in", DType::kInt8, {1, 3, 3, 1}, {1.0f}, {2}});
  int w = b.add_tensor(TensorSpec::constant<int8_t>("w", DType::kInt8, {1, 2, 2, 1}, {1, 2, 3, 4}, {1.0f}, {0}));
  int bias = b.add_tensor(TensorSpec::constant<int32_t>("b", DType::kInt32, {1}, {10}, {1.0f}, {0}));
  const int out_hw = padding == Padding::kSame ? (3 + stride - 1) / stride : (3 - 2) / stride + 1;
  int out = b.add_tensor({"out", DType::kInt8, {1, out_hw, out_hw, 1}, {1.0f}, {-3}});
  namespace o = schema::conv2d_options;
  b.add_operator(schema::BuiltinOp::kConv2D, {in, w, bias}, {out},
                 Options(schema::OptionsType::kConv2D)
                     .i8(o::padding, int8_t(padding))
                     .i32(o::stride_w, stride)
                     .i32(o::stride_h, stride)
                     .i8(o::fused_activation_function, int8_t(act)));
  b.set_inputs({in});
  b.set_outputs({out});
  return b.serialize();
}

const std::vector<int8_t> kSmallInput = {3, 4, 5, 6, 7, 8, 9, 10, 11};  // real 1..9

TEST(Conv2D, HandCheckedValid) {
  RunResult r = run_model(small_conv_model(Padding::kValid, 1), {bytes_of(kSmallInput)});
  ASSERT_TRUE(r.ok()) << r.error;
  // [1 2;4 5]: 1+4+12+20 = 37; [2 3;5 6]: 47; [4 5;7 8]: 67; [5 6;8 9]: 77.
  EXPECT_EQ(r.output<int8_t>(0), (std::vector<int8_t>{37 + 7, 47 + 7, 67 + 7, 77 + 7}));
}

TEST(Conv2D, HandCheckedSameEvenKernelPadsAfter) {
  // A 2x2 kernel on 3x3 with SAME needs one row and column of padding; TFLite
  // puts it after the data (bottom/right), not before.
  RunResult r = run_model(small_conv_model(Padding::kSame, 1), {bytes_of(kSmallInput)});
  ASSERT_TRUE(r.ok()) << r.error;
  const std::vector<int8_t> want = {37 + 7,
                                    47 + 7,
                                    3 * 1 + 6 * 3 + 7,  // right column: [3 0;6 0]
                                    67 + 7,
                                    77 + 7,
                                    6 * 1 + 9 * 3 + 7,  //
                                    7 * 1 + 8 * 2 + 7,
                                    8 * 1 + 9 * 2 + 7,
                                    9 + 7};
  EXPECT_EQ(r.output<int8_t>(0), want);
}

TEST(Conv2D, HandCheckedSameStride2) {
  // out 2x2, total padding (2-1)*2 + 2 - 3 = 1, again all after the data.
  RunResult r = run_model(small_conv_model(Padding::kSame, 2), {bytes_of(kSmallInput)});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.output<int8_t>(0), (std::vector<int8_t>{37 + 7, 3 * 1 + 6 * 3 + 7, 7 * 1 + 8 * 2 + 7, 9 + 7}));
}

TEST(Conv2D, HandCheckedRelu6ClampsToSix) {
  // Output zero point -3, scale 1: RELU6 keeps [-3, 3].
  RunResult r = run_model(small_conv_model(Padding::kValid, 1, Activation::kRelu6), {bytes_of(kSmallInput)});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.output<int8_t>(0), (std::vector<int8_t>{3, 3, 3, 3}));
}

TEST(DepthwiseConv2D, HandCheckedDepthMultiplier) {
  // Input 1x2x2x1 = [1 2;3 4]; multiplier 2: channel 0 sums, channel 1 uses
  // [1 -1;0 2]. Bias [0, 100].
  ModelBuilder b;
  int in = b.add_tensor({"in", DType::kInt8, {1, 2, 2, 1}, {1.0f}, {0}});
  int w = b.add_tensor(TensorSpec::constant<int8_t>("w", DType::kInt8, {1, 2, 2, 2}, {1, 1, 1, -1, 1, 0, 1, 2},
                                                    {1.0f, 1.0f}, {0, 0}, 3));
  int bias = b.add_tensor(TensorSpec::constant<int32_t>("b", DType::kInt32, {2}, {0, 100}, {1.0f, 1.0f}, {0, 0}));
  int out = b.add_tensor({"out", DType::kInt8, {1, 1, 1, 2}, {1.0f}, {0}});
  namespace o = schema::depthwise_conv2d_options;
  b.add_operator(schema::BuiltinOp::kDepthwiseConv2D, {in, w, bias}, {out},
                 Options(schema::OptionsType::kDepthwiseConv2D)
                     .i8(o::padding, int8_t(Padding::kValid))
                     .i32(o::stride_w, 1)
                     .i32(o::stride_h, 1)
                     .i32(o::depth_multiplier, 2));
  b.set_inputs({in});
  b.set_outputs({out});
  RunResult r = run_model(b.serialize(), {bytes_of(std::vector<int8_t>{1, 2, 3, 4})});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.output<int8_t>(0), (std::vector<int8_t>{10, 1 - 2 + 0 + 8 + 100}));
}

// ------------------------------------------------------------------ sweeps

TEST(Conv2D, Int8MatchesOracle) {
  uint32_t seed = 100;
  for (Padding padding : {Padding::kValid, Padding::kSame})
    for (bool per_channel : {true, false})
      for (Activation act : {Activation::kNone, Activation::kRelu, Activation::kRelu6, Activation::kReluN1To1}) {
        WindowCase k;
        k.padding = padding;
        k.per_channel = per_channel;
        k.act = act;
        k.seed = seed++;
        check_window_case(k);
      }
  // Shapes, strides, dilations, even kernels, batches, no bias, groups.
  const WindowCase variants[] = {
      {false, DType::kInt8, 2, 7, 6, 3, 2, 2, 5, 1, 2, 2, 1, 1, Padding::kSame},
      {false, DType::kInt8, 1, 9, 8, 2, 3, 3, 4, 1, 2, 1, 2, 2, Padding::kSame},
      {false, DType::kInt8, 1, 9, 9, 4, 3, 2, 6, 1, 1, 3, 3, 1, Padding::kValid},
      {false, DType::kInt8, 1, 6, 5, 8, 1, 1, 16, 1, 1, 1, 1, 1, Padding::kValid},
      {false, DType::kInt8, 1, 4, 4, 16, 4, 4, 3, 1, 3, 3, 1, 1, Padding::kSame},
      {false, DType::kInt8, 1, 5, 5, 4, 3, 3, 6, 2, 1, 1, 1, 1, Padding::kSame},
  };
  for (const WindowCase& k : variants) check_with_and_without_bias(k, &seed);
}

TEST(DepthwiseConv2D, Int8MatchesOracle) {
  uint32_t seed = 200;
  for (Padding padding : {Padding::kValid, Padding::kSame})
    for (bool per_channel : {true, false})
      for (int multiplier : {1, 2, 3})
        for (Activation act : {Activation::kNone, Activation::kRelu6}) {
          WindowCase k;
          k.depthwise = true;
          k.c = 4;
          k.out_c = 4 * multiplier;
          k.padding = padding;
          k.per_channel = per_channel;
          k.act = act;
          k.seed = seed++;
          check_window_case(k);
        }
  const WindowCase variants[] = {
      {true, DType::kInt8, 2, 8, 7, 3, 2, 2, 6, 1, 2, 2, 1, 1, Padding::kSame},
      {true, DType::kInt8, 1, 10, 9, 5, 3, 3, 5, 1, 1, 2, 2, 3, Padding::kSame},
      {true, DType::kInt8, 1, 12, 12, 8, 5, 3, 8, 1, 2, 1, 1, 1, Padding::kValid},
      {true, DType::kInt8, 1, 96 / 8, 96 / 8, 1, 3, 3, 8, 1, 2, 2, 1, 1, Padding::kSame},
  };
  for (const WindowCase& k : variants) check_with_and_without_bias(k, &seed);
}

TEST(Conv2D, Int16MatchesOracle) {
  uint32_t seed = 300;
  for (bool bias32 : {false, true})
    for (Padding padding : {Padding::kValid, Padding::kSame})
      for (Activation act : {Activation::kNone, Activation::kRelu}) {
        WindowCase k;
        k.type = DType::kInt16;
        k.padding = padding;
        k.act = act;
        k.int16_bias32 = bias32;
        k.stride_w = 2;
        k.seed = seed++;
        check_window_case(k);
      }
  WindowCase k;
  k.type = DType::kInt16;
  k.has_bias = false;
  k.per_channel = false;
  k.seed = seed++;
  check_window_case(k);
}

TEST(DepthwiseConv2D, Int16MatchesOracle) {
  uint32_t seed = 400;
  for (bool has_bias : {true, false})
    for (Padding padding : {Padding::kValid, Padding::kSame}) {
      WindowCase k;
      k.depthwise = true;
      k.type = DType::kInt16;
      k.c = 3;
      k.out_c = 6;
      k.padding = padding;
      k.has_bias = has_bias;
      k.dil_h = 2;
      k.seed = seed++;
      check_window_case(k);
    }
}

TEST(DepthwiseConv2D, Int16WithInt32BiasIsAnError) {
  // TFLM's int16 depthwise kernel reads the bias as int64 only.
  WindowCase k;
  k.depthwise = true;
  k.type = DType::kInt16;
  k.c = 2;
  k.out_c = 2;
  k.int16_bias32 = true;
  const WindowModel m = build_window_case(k);
  const RunResult r = run_model(m.model, {m.input});
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("int64 bias"), std::string::npos) << r.error;
}

TEST(Conv2D, FloatMatchesDouble) {
  uint32_t seed = 500;
  for (Padding padding : {Padding::kValid, Padding::kSame})
    for (Activation act : {Activation::kNone, Activation::kRelu, Activation::kRelu6, Activation::kReluN1To1}) {
      WindowCase k;
      k.type = DType::kFloat32;
      k.padding = padding;
      k.act = act;
      k.stride_h = 2;
      k.dil_w = 2;
      k.seed = seed++;
      check_window_case(k);
    }
  WindowCase k;
  k.type = DType::kFloat32;
  k.c = 4;
  k.groups = 2;
  k.out_c = 6;
  k.has_bias = false;
  k.padding = Padding::kSame;
  check_window_case(k);
}

TEST(DepthwiseConv2D, FloatMatchesDouble) {
  uint32_t seed = 600;
  for (Padding padding : {Padding::kValid, Padding::kSame})
    for (int multiplier : {1, 2}) {
      WindowCase k;
      k.depthwise = true;
      k.type = DType::kFloat32;
      k.c = 3;
      k.out_c = 3 * multiplier;
      k.padding = padding;
      k.act = Activation::kRelu6;
      k.stride_w = 2;
      k.seed = seed++;
      check_window_case(k);
    }
}

// ------------------------------------------------------------------ FULLY_CONNECTED

struct FcCase {
  DType type = DType::kInt8;
  std::vector<int32_t> input_shape = {2, 12};
  int accum_depth = 12;
  int units = 5;
  bool keep_num_dims = false;
  bool per_channel = false;
  bool has_bias = true;
  bool int16_bias32 = false;
  int filter_zp = 0;  // per-tensor only
  Activation act = Activation::kNone;
  uint32_t seed = 1;
};

void check_fc_case(const FcCase& k) {
  char what[200];
  snprintf(what, sizeof(what), "FC %s depth %d units %d keep %d per-channel %d bias %d filter_zp %d act %d",
           mote::dtype_name(k.type), k.accum_depth, k.units, k.keep_num_dims, k.per_channel, k.has_bias, k.filter_zp,
           int(k.act));
  SCOPED_TRACE(what);
  std::mt19937 rng(k.seed);
  int64_t in_count = 1;
  for (int32_t d : k.input_shape) in_count *= d;
  const int batches = int(in_count / k.accum_depth);
  std::vector<int32_t> out_shape;
  if (k.keep_num_dims) {
    out_shape = k.input_shape;
    out_shape.back() = k.units;
  } else {
    out_shape = {batches, k.units};
  }
  ModelBuilder b;
  int input_t, filter_t, bias_t = -1, output_t;
  std::vector<uint8_t> input_bytes;
  std::vector<double> expected_float;
  std::vector<int64_t> expected;
  if (k.type == DType::kFloat32) {
    const auto input = random_floats(rng, size_t(in_count), -1, 1);
    const auto filter = random_floats(rng, size_t(k.units * k.accum_depth), -1, 1);
    const auto bias = random_floats(rng, size_t(k.units), -1, 1);
    input_t = b.add_tensor({"input", DType::kFloat32, k.input_shape});
    filter_t = b.add_tensor(TensorSpec::constant<float>("w", DType::kFloat32, {k.units, k.accum_depth}, filter));
    if (k.has_bias) bias_t = b.add_tensor(TensorSpec::constant<float>("b", DType::kFloat32, {k.units}, bias));
    output_t = b.add_tensor({"output", DType::kFloat32, out_shape});
    input_bytes = bytes_of(input);
    double lo, hi;
    oracle_float_activation(k.act, &lo, &hi);
    for (int bn = 0; bn < batches; ++bn)
      for (int o = 0; o < k.units; ++o) {
        double total = k.has_bias ? bias[o] : 0.0;
        for (int d = 0; d < k.accum_depth; ++d)
          total += double(input[bn * k.accum_depth + d]) * filter[o * k.accum_depth + d];
        expected_float.push_back(std::min(std::max(total, lo), hi));
      }
  } else {
    const bool is16 = k.type == DType::kInt16;
    const float in_scale = is16 ? 0.0004f : 0.04f;
    const int64_t in_zp = is16 ? 0 : -9;
    std::vector<float> w_scales;
    for (int o = 0; o < (k.per_channel ? k.units : 1); ++o) w_scales.push_back(0.02f * (1.0f + 0.29f * (o % 4)));
    const float out_scale = float(in_scale * 0.026 * std::sqrt(double(k.accum_depth)) * 73.0 * (is16 ? 18900.0 : 74.0) /
                                  (is16 ? 9000.0 : 45.0));
    const int64_t out_zp = is16 ? 0 : 4;
    std::vector<int64_t> input = random_ints<int64_t>(rng, size_t(in_count), is16 ? -32768 : -128, is16 ? 32767 : 127);
    const auto filter = random_ints<int8_t>(rng, size_t(k.units * k.accum_depth), -127, 127);
    const bool bias64 = is16 && !k.int16_bias32;
    const bool acc64 = bias64 && k.has_bias;  // int16 without a bias accumulates in 32 bits
    const auto bias = random_ints<int64_t>(rng, size_t(k.units), is16 ? -2000000 : -9000, is16 ? 2000000 : 9000);
    if (is16)
      input_bytes = bytes_of(std::vector<int16_t>(input.begin(), input.end()));
    else
      input_bytes = bytes_of(std::vector<int8_t>(input.begin(), input.end()));
    input_t = b.add_tensor({"input", k.type, k.input_shape, {in_scale}, {in_zp}});
    const int64_t w_zp = k.per_channel ? 0 : k.filter_zp;
    filter_t = b.add_tensor(TensorSpec::constant<int8_t>("w", DType::kInt8, {k.units, k.accum_depth}, filter, w_scales,
                                                         std::vector<int64_t>(w_scales.size(), w_zp), 0));
    if (k.has_bias) {
      if (bias64) {
        bias_t = b.add_tensor(TensorSpec::constant<int64_t>("b", DType::kInt64, {k.units}, bias));
      } else {
        bias_t = b.add_tensor(TensorSpec::constant<int32_t>("b", DType::kInt32, {k.units},
                                                            std::vector<int32_t>(bias.begin(), bias.end())));
      }
    }
    output_t = b.add_tensor({"output", k.type, out_shape, {out_scale}, {out_zp}});
    int64_t lo, hi;
    oracle_activation(k.act, out_scale, out_zp, k.type, &lo, &hi);
    for (int bn = 0; bn < batches; ++bn)
      for (int o = 0; o < k.units; ++o) {
        int64_t acc = k.has_bias ? bias[o] : 0;
        for (int d = 0; d < k.accum_depth; ++d)
          acc += (int64_t(filter[o * k.accum_depth + d]) - w_zp) * (input[bn * k.accum_depth + d] - in_zp);
        const Multiplier mq =
            oracle_multiplier(double(in_scale) * double(w_scales[k.per_channel ? o : 0]) / double(out_scale));
        const int64_t scaled = acc64 ? oracle_requantize64(acc, mq) : oracle_requantize32(acc, mq);
        expected.push_back(clamp64(scaled + out_zp, lo, hi));
      }
  }
  namespace o = schema::fully_connected_options;
  b.add_operator(schema::BuiltinOp::kFullyConnected, {input_t, filter_t, bias_t}, {output_t},
                 Options(schema::OptionsType::kFullyConnected)
                     .i8(o::fused_activation_function, int8_t(k.act))
                     .boolean(o::keep_num_dims, k.keep_num_dims),
                 /*version=*/k.type == DType::kInt16 ? 7 : 5);
  b.set_inputs({input_t});
  b.set_outputs({output_t});
  const RunResult r = run_model(b.serialize(), {input_bytes});
  ASSERT_TRUE(r.ok()) << r.error;
  ASSERT_EQ(r.output_shapes[0].rank, int32_t(out_shape.size()));
  if (k.type == DType::kFloat32) {
    const auto got = r.output<float>(0);
    ASSERT_EQ(got.size(), expected_float.size());
    for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], expected_float[i], 1e-4) << "element " << i;
    return;
  }
  std::vector<int64_t> got;
  if (k.type == DType::kInt16) {
    for (int16_t v : r.output<int16_t>(0)) got.push_back(v);
  } else {
    for (int8_t v : r.output<int8_t>(0)) got.push_back(v);
  }
  EXPECT_EQ(got, expected);
  if (k.act == Activation::kNone) {
    std::vector<int64_t> sorted = got;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_GT(std::unique(sorted.begin(), sorted.end()) - sorted.begin(), std::min<ptrdiff_t>(8, got.size() / 2));
  }
}

// Input real [1, 2, 3] at scale 0.5, zero point 4; weights [[1,2,3],[-1,0,1]];
// bias [2, -2]; output scale 0.5. With one weight scale of 1 (bias scale 0.5)
// the accumulators 2+8+18+2 = 30 and -2+0+6-2 = 2 are the outputs.
std::vector<uint8_t> small_fc_model(const std::vector<float>& w_scales, const std::vector<float>& bias_scales) {
  const std::vector<int64_t> zero_points(w_scales.size(), 0);
  ModelBuilder b;
  int in = b.add_tensor({"in", DType::kInt8, {1, 3}, {0.5f}, {4}});
  int w = b.add_tensor(
      TensorSpec::constant<int8_t>("w", DType::kInt8, {2, 3}, {1, 2, 3, -1, 0, 1}, w_scales, zero_points, 0));
  int bias = b.add_tensor(TensorSpec::constant<int32_t>("b", DType::kInt32, {2}, {2, -2}, bias_scales, zero_points));
  int out = b.add_tensor({"out", DType::kInt8, {1, 2}, {0.5f}, {0}});
  b.add_operator(schema::BuiltinOp::kFullyConnected, {in, w, bias}, {out},
                 Options(schema::OptionsType::kFullyConnected));
  b.set_inputs({in});
  b.set_outputs({out});
  return b.serialize();
}

const std::vector<int8_t> kSmallFcInput = {6, 8, 10};  // real 1, 2, 3

TEST(FullyConnected, HandChecked) {
  RunResult r = run_model(small_fc_model({1.0f}, {0.5f}), {bytes_of(kSmallFcInput)});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.output<int8_t>(0), (std::vector<int8_t>{30, 2}));
}

TEST(FullyConnected, HandCheckedPerChannel) {
  // Same, with the second row's weight scale halved: its output halves.
  RunResult r = run_model(small_fc_model({1.0f, 0.5f}, {0.5f, 0.25f}), {bytes_of(kSmallFcInput)});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.output<int8_t>(0), (std::vector<int8_t>{30, 1}));
}

TEST(FullyConnected, Int8MatchesOracle) {
  uint32_t seed = 700;
  for (bool per_channel : {false, true})
    for (bool has_bias : {true, false})
      for (Activation act : {Activation::kNone, Activation::kRelu, Activation::kRelu6, Activation::kReluN1To1}) {
        FcCase k;
        k.per_channel = per_channel;
        k.has_bias = has_bias;
        k.act = act;
        k.seed = seed++;
        check_fc_case(k);
      }
  // Input flattened to [batches, depth] as TFLM does: [2, 3, 4] with depth 12.
  FcCase flat;
  flat.input_shape = {2, 3, 4};
  flat.accum_depth = 12;
  flat.units = 7;
  flat.seed = seed++;
  check_fc_case(flat);
  // keep_num_dims: [2, 3, 4] -> [2, 3, units].
  FcCase keep;
  keep.input_shape = {2, 3, 4};
  keep.accum_depth = 4;
  keep.keep_num_dims = true;
  keep.per_channel = true;
  keep.seed = seed++;
  check_fc_case(keep);
  // A long accumulation and a per-tensor weight zero point (TFLite applies it).
  FcCase deep;
  deep.input_shape = {1, 600};
  deep.accum_depth = 600;
  deep.units = 10;
  deep.filter_zp = 3;
  deep.seed = seed++;
  check_fc_case(deep);
}

TEST(FullyConnected, Int16MatchesOracle) {
  uint32_t seed = 800;
  for (bool per_channel : {false, true})
    for (bool bias32 : {false, true})
      for (bool has_bias : {true, false}) {
        FcCase k;
        k.type = DType::kInt16;
        k.input_shape = {4, 40};
        k.accum_depth = 40;
        k.units = 16;
        k.per_channel = per_channel;
        k.int16_bias32 = bias32;
        k.has_bias = has_bias;
        k.act = has_bias ? Activation::kNone : Activation::kRelu;
        k.seed = seed++;
        check_fc_case(k);
      }
}

TEST(FullyConnected, FloatMatchesDouble) {
  uint32_t seed = 900;
  for (Activation act : {Activation::kNone, Activation::kRelu, Activation::kRelu6, Activation::kReluN1To1}) {
    FcCase k;
    k.type = DType::kFloat32;
    k.act = act;
    k.seed = seed++;
    check_fc_case(k);
  }
  FcCase keep;
  keep.type = DType::kFloat32;
  keep.input_shape = {3, 2, 5};
  keep.accum_depth = 5;
  keep.keep_num_dims = true;
  keep.has_bias = false;
  keep.seed = seed++;
  check_fc_case(keep);
}

// ------------------------------------------------------------------ errors

std::string run_error(const std::vector<uint8_t>& model, const std::vector<std::vector<uint8_t>>& inputs) {
  RunResult r = run_model(model, inputs);
  EXPECT_FALSE(r.ok());
  return r.error;
}

TEST(FullyConnected, HybridIsAnError) {
  ModelBuilder b;
  int in = b.add_tensor({"in", DType::kFloat32, {1, 3}});
  int w = b.add_tensor(TensorSpec::constant<int8_t>("w", DType::kInt8, {2, 3}, {1, 2, 3, 4, 5, 6}, {0.1f}, {0}));
  int out = b.add_tensor({"out", DType::kFloat32, {1, 2}});
  b.add_operator(schema::BuiltinOp::kFullyConnected, {in, w, -1}, {out}, Options(schema::OptionsType::kFullyConnected));
  b.set_inputs({in});
  b.set_outputs({out});
  EXPECT_NE(run_error(b.serialize(), {bytes_of(std::vector<float>{1, 2, 3})}).find("hybrid"), std::string::npos);
}

TEST(Conv2D, HybridIsAnError) {
  ModelBuilder b;
  int in = b.add_tensor({"in", DType::kFloat32, {1, 3, 3, 1}});
  int w = b.add_tensor(TensorSpec::constant<int8_t>("w", DType::kInt8, {1, 2, 2, 1}, {1, 2, 3, 4}, {0.1f}, {0}));
  int out = b.add_tensor({"out", DType::kFloat32, {1, 2, 2, 1}});
  b.add_operator(schema::BuiltinOp::kConv2D, {in, w, -1}, {out},
                 Options(schema::OptionsType::kConv2D)
                     .i32(schema::conv2d_options::stride_w, 1)
                     .i32(schema::conv2d_options::stride_h, 1)
                     .i8(schema::conv2d_options::padding, 1));
  b.set_inputs({in});
  b.set_outputs({out});
  EXPECT_NE(run_error(b.serialize(), {bytes_of(std::vector<float>(9, 1.0f))}).find("hybrid"), std::string::npos);
}

std::vector<uint8_t> conv_with(int stride, int out_hw, Activation act, DType bias_type = DType::kInt32) {
  ModelBuilder b;
  int in = b.add_tensor({"in", DType::kInt8, {1, 3, 3, 1}, {1.0f}, {0}});
  int w = b.add_tensor(TensorSpec::constant<int8_t>("w", DType::kInt8, {1, 2, 2, 1}, {1, 2, 3, 4}, {1.0f}, {0}));
  int bias = bias_type == DType::kInt32 ? b.add_tensor(TensorSpec::constant<int32_t>("b", DType::kInt32, {1}, {0}))
                                        : b.add_tensor(TensorSpec::constant<float>("b", DType::kFloat32, {1}, {0.0f}));
  int out = b.add_tensor({"out", DType::kInt8, {1, out_hw, out_hw, 1}, {1.0f}, {0}});
  namespace o = schema::conv2d_options;
  b.add_operator(schema::BuiltinOp::kConv2D, {in, w, bias}, {out},
                 Options(schema::OptionsType::kConv2D)
                     .i8(o::padding, int8_t(Padding::kValid))
                     .i32(o::stride_w, stride)
                     .i32(o::stride_h, stride)
                     .i8(o::fused_activation_function, int8_t(act)));
  b.set_inputs({in});
  b.set_outputs({out});
  return b.serialize();
}

TEST(Conv2D, InvalidModelsAreErrors) {
  const std::vector<uint8_t> input(9, 1);
  EXPECT_TRUE(run_model(conv_with(1, 2, Activation::kNone), {input}).ok());
  EXPECT_NE(run_error(conv_with(0, 2, Activation::kNone), {input}).find("stride"), std::string::npos);
  EXPECT_NE(run_error(conv_with(1, 3, Activation::kNone), {input}).find("output is 3x3"), std::string::npos);
  EXPECT_NE(run_error(conv_with(1, 2, Activation::kTanh), {input}).find("fused activation"), std::string::npos);
  EXPECT_NE(run_error(conv_with(1, 2, Activation::kNone, DType::kFloat32), {input}).find("bias"), std::string::npos);
}

}  // namespace
