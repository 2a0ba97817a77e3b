// Optimized CONV_2D and FULLY_CONNECTED kernels (and the int8 / float tiles
// they share) against the reference kernels: the same random data through
// both, outputs required byte-identical. Sweeps cover the tile edges (output
// channels around multiples of 4, odd pixel counts, depths around multiples
// of 8 and 16), odd and 8 mod 16 channel counts, 1x1 filters with and without
// stride, strides, dilations, SAME padding with odd totals and VALID, batches,
// zero points at both ends of their range, activation ranges, requantization
// shifts of both signs, bias or none, per-tensor weights with a zero point
// (fully connected). Inputs, filters and outputs sit 1..3 bytes (int8) or
// 1..3 elements (float) off 16-byte alignment, and guard bytes after each
// output must stay intact.
#include <gtest/gtest.h>
#include <stdint.h>
#include <string.h>

#include <random>
#include <string>
#include <vector>

#include "guarded_buffer.h"
#include "kernels/conv_2d.h"
#include "kernels/conv_params.h"
#include "kernels/optimized/conv_2d.h"
#include "kernels/optimized/fully_connected.h"
#include "kernels/optimized/gemm_float.h"
#include "kernels/fixedpoint.h"
#include "kernels/optimized/gemm_int8.h"
#include "kernels/optimized/prepared_shift.h"
#include "kernels/optimized/requantize32.h"
#include "kernels/optimized/stream_blocks.h"
#include "kernels/overlap_bounds.h"
#include "kernels/reference/conv_2d.h"
#include "kernels/reference/fully_connected.h"
#include "overlapped_buffers.h"
#include "window_case.h"

namespace {

using mote::ConvParams;
using mote::Dims4;
using mote::reference::FullyConnectedParams;

int32_t uniform(std::mt19937& rng, int32_t lo, int32_t hi) {
  return std::uniform_int_distribution<int32_t>(lo, hi)(rng);
}

void fill_int8(std::mt19937& rng, int8_t* p, size_t n) {
  for (size_t i = 0; i < n; ++i) p[i] = int8_t(uniform(rng, -128, 127));
}

void fill_float(std::mt19937& rng, float* p, size_t n) {
  std::uniform_real_distribution<float> d(-2.0f, 2.0f);
  for (size_t i = 0; i < n; ++i) p[i] = d(rng);
}

// Requantization as prepare makes it: multiplier in [2^30, 2^31) (sometimes
// 0), shift picked so that typical accumulators land in and around int8.
// With small data (see fill_small) the shifts are small too, so that the
// outputs do not saturate and rounding ties are frequent.
void random_requant(std::mt19937& rng, int32_t depth, bool small, int32_t* multiplier, int32_t* shift) {
  *multiplier = uniform(rng, 0, 9) == 0 ? 0 : uniform(rng, 1 << 30, INT32_MAX);
  if (uniform(rng, 0, 5) == 0) *multiplier = uniform(rng, 0, 1) ? (1 << 30) : (1 << 30) + 1;  // exact halves
  if (small) {
    *shift = uniform(rng, -4, 1);
    return;
  }
  int32_t bits = 0;
  while ((int64_t(1) << bits) < int64_t(depth) * 4096) ++bits;
  *shift = uniform(rng, 0, 7) == 0 ? uniform(rng, 0, 3) : -uniform(rng, bits / 2, bits + 1);
}

// Inputs within 2 of the zero point and filter values in [-2, 2]: small
// accumulators, to exercise requantization rounding rather than saturation.
void fill_small(std::mt19937& rng, int32_t input_offset, int8_t* input, size_t input_count, int8_t* filter,
                size_t filter_count) {
  for (size_t i = 0; i < input_count; ++i) {
    const int32_t v = -input_offset + uniform(rng, -2, 2);
    input[i] = int8_t(v < -128 ? -128 : v > 127 ? 127 : v);
  }
  for (size_t i = 0; i < filter_count; ++i) filter[i] = int8_t(uniform(rng, -2, 2));
}

// Zero points: the extremes sometimes, else random.
int32_t random_input_offset(std::mt19937& rng) {
  switch (uniform(rng, 0, 4)) {
    case 0: return 128;   // zero point -128
    case 1: return -127;  // zero point 127
    default: return uniform(rng, -127, 128);
  }
}

void random_int8_activation(std::mt19937& rng, int32_t* output_offset, int32_t* lo, int32_t* hi) {
  *output_offset = uniform(rng, -128, 127);
  *lo = -128;
  *hi = 127;
  if (uniform(rng, 0, 2) == 0) {
    *lo = uniform(rng, -128, 0);
    *hi = uniform(rng, *lo, 127);
  }
}

void random_float_activation(std::mt19937& rng, float* lo, float* hi) {
  switch (uniform(rng, 0, 3)) {
    case 0:
      *lo = 0.0f;  // RELU
      *hi = 3.4028235e38f;
      break;
    case 1:
      *lo = -1.0f;  // RELU_N1_TO_1
      *hi = 1.0f;
      break;
    default:
      *lo = -3.4028235e38f;
      *hi = 3.4028235e38f;
  }
}

// ---------------------------------------------------------------- CONV_2D

// CONV_2D's buffers as the op hands them to its kernel wrapper.
mote::ConvBuffers conv_buffers(const Dims4& in, const void* input, const Dims4& fd, const void* filter,
                               const void* bias, const Dims4& out, void* output, const int32_t* multiplier,
                               const int32_t* shift) {
  mote::ConvBuffers b;
  b.input_dims = in;
  b.filter_dims = fd;
  b.output_dims = out;
  b.input = input;
  b.filter = filter;
  b.bias = bias;
  b.output = output;
  b.output_multiplier = multiplier;
  b.output_shift = shift;
  return b;
}

struct ConvCase : WindowCase {
  int32_t out_c = 4;
  std::string name() const { return describe("->" + std::to_string(out_c)); }
};

// Params and dims as CONV_2D's prepare computes them; false when the output
// would be empty.
bool conv_geometry(const ConvCase& c, ConvParams* p, Dims4* in, Dims4* fd, Dims4* out) {
  *fd = Dims4{c.out_c, c.filter_h, c.filter_w, c.in_c};
  return c.window_geometry(c.out_c, p, in, out);
}

void check_conv_int8(const ConvCase& c, std::mt19937& rng) {
  SCOPED_TRACE(c.name());
  ConvParams p;
  Dims4 in, fd, out;
  if (!conv_geometry(c, &p, &in, &fd, &out)) return;
  ASSERT_TRUE(mote::optimized::conv_2d_int8_applies(in, fd));
  p.input_offset = random_input_offset(rng);
  random_int8_activation(rng, &p.output_offset, &p.activation_min, &p.activation_max);

  // Input and filter share their misalignment: with 0, the word-load path
  // takes every pixel pair whose channel count is a multiple of 4.
  GuardedBuffer<int8_t> input(elements(in), c.misalign);
  GuardedBuffer<int8_t> filter(elements(fd), c.misalign);
  const bool small = uniform(rng, 0, 2) == 0;
  if (small) {
    fill_small(rng, p.input_offset, input.data(), input.size(), filter.data(), filter.size());
  } else {
    fill_int8(rng, input.data(), input.size());
    fill_int8(rng, filter.data(), filter.size());
  }
  std::vector<int32_t> bias(size_t(out.c)), multiplier(size_t(out.c)), shift(size_t(out.c));
  for (int32_t o = 0; o < out.c; ++o) {
    bias[size_t(o)] = small ? uniform(rng, -50, 50) : uniform(rng, -40000, 40000);
    random_requant(rng, fd.h * fd.w * fd.c, small, &multiplier[size_t(o)], &shift[size_t(o)]);
  }
  const int32_t* bias_ptr = c.bias ? bias.data() : nullptr;

  GuardedBuffer<int8_t> expected(elements(out), 0);
  GuardedBuffer<int8_t> actual(elements(out), (c.misalign + 2) % 4);
  mote::reference::conv_2d_int8(p, multiplier.data(), shift.data(), in, input.data(), fd, filter.data(), bias_ptr, out,
                                expected.data());
  std::vector<int32_t> prepared = shift;  // the optimized kernels' form
  mote::optimized::conv_2d_int8_prepare(fd, filter.data(), prepared.data());
  mote::optimized::conv_2d_int8(p, multiplier.data(), prepared.data(), in, input.data(), fd, filter.data(), bias_ptr,
                                out, actual.data());
  ASSERT_EQ(0, memcmp(expected.bytes(), actual.bytes(), elements(out)));
  EXPECT_TRUE(actual.guard_intact());

  GuardedBuffer<int8_t> words(elements(out), (c.misalign + 3) % 4);
  mote::optimized::conv_2d_int8_32bit(p, multiplier.data(), prepared.data(), in, input.data(), fd, filter.data(),
                                           bias_ptr, out, words.data());
  ASSERT_EQ(0, memcmp(expected.bytes(), words.bytes(), elements(out))) << "word loads";
  EXPECT_TRUE(words.guard_intact());

  // Streaming over its own input at the bounds CONV_2D allows the planner:
  // the wrapper's streaming variant (row blocks when the buffers overlap),
  // the 32-bit path in blocks of any height, the reference in pixel order.
  const mote::WindowGeometry g = window_geometry_of(p, in, fd, out, 1);
  for (int64_t lead : leads_at_bound(mote::row_block_max_lead(g, mote::optimized::conv_stream_block_rows(out))))
    EXPECT_TRUE(streams_over_input(input.data(), elements(in), expected.bytes(), elements(out), lead, c.misalign,
                                   [&](void* i, void* o) {
                                     mote::run_conv_2d(mote::Conv2DVariant::kInt8OptimizedStreaming, p,
                                                       conv_buffers(in, i, fd, filter.data(), bias_ptr, out, o,
                                                                    multiplier.data(), prepared.data()));
                                   }));
  const int32_t block_rows = uniform(rng, 1, out.h);
  for (int64_t lead : leads_at_bound(mote::row_block_max_lead(g, block_rows)))
    EXPECT_TRUE(streams_over_input(input.data(), elements(in), expected.bytes(), elements(out), lead, c.misalign,
                                   [&](void* i, void* o) {
                                     mote::optimized::conv_2d_int8_32bit(
                                         p, multiplier.data(), prepared.data(), in, static_cast<const int8_t*>(i), fd,
                                         filter.data(), bias_ptr, out, static_cast<int8_t*>(o), block_rows);
                                   }))
        << "word loads, blocks of " << block_rows << " rows";
  // Back to front, where the plan puts the output above the input.
  for (int64_t lead :
       leads_at_min_bound(mote::row_block_min_lead_back(g, mote::optimized::conv_stream_block_rows(out)), 1))
    EXPECT_TRUE(streams_over_input(input.data(), elements(in), expected.bytes(), elements(out), lead, c.misalign,
                                   [&](void* i, void* o) {
                                     mote::run_conv_2d(mote::Conv2DVariant::kInt8OptimizedStreaming, p,
                                                       conv_buffers(in, i, fd, filter.data(), bias_ptr, out, o,
                                                                    multiplier.data(), prepared.data()));
                                   }))
        << "back to front";
  for (int64_t lead : leads_at_min_bound(mote::row_block_min_lead_back(g, block_rows), 1))
    EXPECT_TRUE(streams_over_input(input.data(), elements(in), expected.bytes(), elements(out), lead, c.misalign,
                                   [&](void* i, void* o) {
                                     mote::optimized::conv_2d_int8_32bit(
                                         p, multiplier.data(), prepared.data(), in, static_cast<const int8_t*>(i), fd,
                                         filter.data(), bias_ptr, out, static_cast<int8_t*>(o), block_rows);
                                   }))
        << "word loads back to front, blocks of " << block_rows << " rows";
  for (int64_t lead : leads_at_bound(mote::window_op_max_lead(g)))
    EXPECT_TRUE(streams_over_input(input.data(), elements(in), expected.bytes(), elements(out), lead, c.misalign,
                                   [&](void* i, void* o) {
                                     mote::reference::conv_2d_int8(p, multiplier.data(), shift.data(), in,
                                                                   static_cast<const int8_t*>(i), fd, filter.data(),
                                                                   bias_ptr, out, static_cast<int8_t*>(o));
                                   }))
        << "reference";
}

void check_conv_float(const ConvCase& c, std::mt19937& rng) {
  SCOPED_TRACE(c.name());
  ConvParams p;
  Dims4 in, fd, out;
  if (!conv_geometry(c, &p, &in, &fd, &out)) return;
  ASSERT_TRUE(mote::optimized::conv_2d_float_applies(in, fd));
  random_float_activation(rng, &p.float_activation_min, &p.float_activation_max);

  GuardedBuffer<float> input(elements(in), 4 * c.misalign);
  GuardedBuffer<float> filter(elements(fd), 4 * ((c.misalign + 1) % 4));
  fill_float(rng, input.data(), input.size());
  fill_float(rng, filter.data(), filter.size());
  std::vector<float> bias(size_t(out.c));
  fill_float(rng, bias.data(), bias.size());
  const float* bias_ptr = c.bias ? bias.data() : nullptr;

  GuardedBuffer<float> expected(elements(out), 0);
  GuardedBuffer<float> actual(elements(out), 4 * ((c.misalign + 2) % 4));
  mote::reference::conv_2d_float(p, in, input.data(), fd, filter.data(), bias_ptr, out, expected.data());
  mote::optimized::conv_2d_float(p, in, input.data(), fd, filter.data(), bias_ptr, out, actual.data());
  ASSERT_EQ(0, memcmp(expected.bytes(), actual.bytes(), elements(out) * sizeof(float)));
  EXPECT_TRUE(actual.guard_intact());

  // Streaming over its own input at the bound CONV_2D allows the planner.
  const mote::WindowGeometry g = window_geometry_of(p, in, fd, out, sizeof(float));
  for (int64_t lead : leads_at_bound(mote::row_block_max_lead(g, mote::optimized::conv_stream_block_rows(out)))) {
    if (lead % 4 != 0) continue;  // float tensors stay 4-byte aligned
    EXPECT_TRUE(streams_over_input(input.data(), elements(in) * sizeof(float), expected.bytes(),
                                   elements(out) * sizeof(float), lead, 4 * c.misalign, [&](void* i, void* o) {
                                     mote::run_conv_2d(mote::Conv2DVariant::kFloatOptimizedStreaming, p,
                                                       conv_buffers(in, i, fd, filter.data(), bias_ptr, out, o,
                                                                    nullptr, nullptr));
                                   }));
  }
  for (int64_t lead :
       leads_at_min_bound(mote::row_block_min_lead_back(g, mote::optimized::conv_stream_block_rows(out)), 4))
    EXPECT_TRUE(streams_over_input(input.data(), elements(in) * sizeof(float), expected.bytes(),
                                   elements(out) * sizeof(float), lead, 4 * c.misalign, [&](void* i, void* o) {
                                     mote::run_conv_2d(mote::Conv2DVariant::kFloatOptimizedStreaming, p,
                                                       conv_buffers(in, i, fd, filter.data(), bias_ptr, out, o,
                                                                    nullptr, nullptr));
                                   }))
        << "back to front";
}

// Shapes of the conformance models' convolutions, and their tile edges.
std::vector<ConvCase> listed_conv_cases() {
  std::vector<ConvCase> cases;
  auto add = [&](int32_t h, int32_t w, int32_t ic, int32_t oc, int32_t fh, int32_t fw, int32_t s, bool same) {
    ConvCase c;
    c.in_h = h;
    c.in_w = w;
    c.in_c = ic;
    c.out_c = oc;
    c.filter_h = fh;
    c.filter_w = fw;
    c.stride_h = c.stride_w = s;
    c.same = same;
    cases.push_back(c);
  };
  add(12, 12, 8, 16, 1, 1, 1, true);    // MobileNet pointwise
  add(6, 6, 64, 128, 1, 1, 1, true);    // MobileNet pointwise, deep
  add(3, 3, 256, 8, 1, 1, 1, true);     // odd pixel count
  add(5, 5, 24, 24, 1, 1, 1, true);     // 24 = 8 mod 16
  add(1, 1, 256, 2, 1, 1, 1, true);     // classifier head
  add(16, 16, 3, 8, 3, 3, 2, true);     // MobileNet first layer (SAME, odd total padding)
  add(49, 10, 1, 8, 10, 4, 2, true);    // DS-CNN first layer
  add(49, 10, 1, 5, 10, 8, 2, true);    // micro_speech first layer
  add(9, 9, 5, 7, 3, 3, 1, false);      // VALID, odd channels
  add(7, 6, 4, 6, 5, 5, 1, true);       // window larger than half the input
  add(8, 8, 16, 9, 1, 1, 2, true);      // strided pointwise
  add(4, 4, 17, 33, 2, 2, 2, true);     // channels just above multiples of 16 / 32
  add(2, 3, 3, 3, 4, 4, 1, true);       // filter larger than the input
  for (size_t i = 0; i < cases.size(); ++i) cases[i].misalign = i % 4;
  ConvCase dilated = cases[5];
  dilated.dilation_h = 2;
  dilated.dilation_w = 3;
  cases.push_back(dilated);
  ConvCase batched = cases[0];
  batched.batches = 3;
  batched.in_w = 5;
  batched.bias = false;
  cases.push_back(batched);
  return cases;
}

std::vector<ConvCase> random_conv_cases(std::mt19937& rng, int count) {
  std::vector<ConvCase> cases;
  const int32_t channels[] = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 24, 31, 40};
  while (int(cases.size()) < count) {
    ConvCase c;
    c.batches = uniform(rng, 1, 3);
    c.in_h = uniform(rng, 1, 9);
    c.in_w = uniform(rng, 1, 11);
    c.in_c = channels[uniform(rng, 0, 13)];
    c.out_c = channels[uniform(rng, 0, 13)];
    const bool pointwise = uniform(rng, 0, 3) == 0;
    c.filter_h = pointwise ? 1 : uniform(rng, 1, 5);
    c.filter_w = pointwise ? 1 : uniform(rng, 1, 5);
    c.stride_h = uniform(rng, 1, 3);
    c.stride_w = uniform(rng, 1, 3);
    if (pointwise && uniform(rng, 0, 1) == 0) c.stride_h = c.stride_w = 1;
    c.dilation_h = uniform(rng, 0, 4) == 0 ? uniform(rng, 2, 3) : 1;
    c.dilation_w = uniform(rng, 0, 4) == 0 ? uniform(rng, 2, 3) : 1;
    c.same = uniform(rng, 0, 2) != 0;
    c.bias = uniform(rng, 0, 4) != 0;
    c.misalign = size_t(uniform(rng, 0, 3));
    cases.push_back(c);
  }
  return cases;
}

TEST(OptimizedConv2D, Int8MatchesReferenceOnListedShapes) {
  std::mt19937 rng(11);
  for (const ConvCase& c : listed_conv_cases()) check_conv_int8(c, rng);
}

TEST(OptimizedConv2D, Int8MatchesReferenceOnRandomShapes) {
  std::mt19937 rng(12);
  for (const ConvCase& c : random_conv_cases(rng, 600)) check_conv_int8(c, rng);
}

TEST(OptimizedConv2D, FloatMatchesReferenceBitForBitOnListedShapes) {
  std::mt19937 rng(13);
  for (const ConvCase& c : listed_conv_cases()) check_conv_float(c, rng);
}

TEST(OptimizedConv2D, FloatMatchesReferenceBitForBitOnRandomShapes) {
  std::mt19937 rng(14);
  for (const ConvCase& c : random_conv_cases(rng, 400)) check_conv_float(c, rng);
}

// The largest window the int8 kernel accepts, with every product at its
// extreme (255 * -128): the accumulator comes within 0.4% of INT32_MIN.
TEST(OptimizedConv2D, Int8ExactAtTheLargestAcceptedDepth) {
  ConvCase c;
  c.in_h = 1;
  c.in_w = 3;
  c.in_c = mote::optimized::kMaxDotDepth;
  c.out_c = 5;
  c.filter_h = c.filter_w = 1;
  ConvParams p;
  Dims4 in, fd, out;
  ASSERT_TRUE(conv_geometry(c, &p, &in, &fd, &out));
  ASSERT_TRUE(mote::optimized::conv_2d_int8_applies(in, fd));
  p.input_offset = 128;
  p.activation_min = -128;
  p.activation_max = 127;
  std::vector<int8_t> input(elements(in), 127), filter(elements(fd), -128);
  for (size_t i = 0; i < size_t(fd.c); ++i) filter[size_t(fd.c) + i] = 127;  // channel 1: the positive extreme
  std::vector<int32_t> multiplier(size_t(out.c), 1 << 30), shift(size_t(out.c), -24);
  std::vector<int8_t> expected(elements(out)), actual(elements(out)), words(elements(out));
  mote::reference::conv_2d_int8(p, multiplier.data(), shift.data(), in, input.data(), fd, filter.data(), nullptr, out,
                                expected.data());
  std::vector<int32_t> prepared = shift;  // the optimized kernels' form
  mote::optimized::conv_2d_int8_prepare(fd, filter.data(), prepared.data());
  mote::optimized::conv_2d_int8(p, multiplier.data(), prepared.data(), in, input.data(), fd, filter.data(), nullptr,
                                out, actual.data());
  mote::optimized::conv_2d_int8_32bit(p, multiplier.data(), prepared.data(), in, input.data(), fd, filter.data(),
                                      nullptr, out, words.data());
  EXPECT_EQ(expected, actual);
  EXPECT_EQ(expected, words);
  EXPECT_EQ(expected[0], int8_t(-64));  // -32640 * 65536 * 2^-25, rounded
}

TEST(OptimizedConv2D, AppliesWithoutGroupsAndUpToTheDepthLimit) {
  EXPECT_TRUE(mote::optimized::conv_2d_int8_applies(Dims4{1, 4, 4, 8}, Dims4{16, 3, 3, 8}));
  EXPECT_FALSE(mote::optimized::conv_2d_int8_applies(Dims4{1, 4, 4, 8}, Dims4{16, 3, 3, 4}));  // 2 groups
  EXPECT_FALSE(mote::optimized::conv_2d_float_applies(Dims4{1, 4, 4, 8}, Dims4{16, 3, 3, 4}));
  EXPECT_TRUE(mote::optimized::conv_2d_float_applies(Dims4{1, 4, 4, 8}, Dims4{16, 3, 3, 8}));
  EXPECT_TRUE(mote::optimized::conv_2d_int8_applies(Dims4{1, 4, 4, 4096}, Dims4{1, 4, 4, 4096}));  // 65536
  EXPECT_FALSE(mote::optimized::conv_2d_int8_applies(Dims4{1, 4, 4, 4097}, Dims4{1, 4, 4, 4097}));
}

// ---------------------------------------------------------------- FULLY_CONNECTED

struct FcCase {
  int32_t batches = 1, depth = 16, units = 4;
  bool per_channel = true;
  bool filter_zero_point = false;
  bool bias = true;
  size_t misalign = 0;

  std::string name() const {
    char buf[160];
    snprintf(buf, sizeof(buf), "batches%d depth%d units%d %s%s%s misalign%zu", int(batches), int(depth), int(units),
             per_channel ? "per-channel" : "per-tensor", filter_zero_point ? " weight-zp" : "", bias ? "" : " nobias",
             misalign);
    return buf;
  }
};

void check_fc_int8(const FcCase& c, std::mt19937& rng) {
  SCOPED_TRACE(c.name());
  ASSERT_TRUE(mote::optimized::fully_connected_int8_applies(c.depth));
  FullyConnectedParams p;
  p.input_offset = random_input_offset(rng);
  if (c.filter_zero_point) p.filter_offset = uniform(rng, -127, 128);
  random_int8_activation(rng, &p.output_offset, &p.activation_min, &p.activation_max);
  const bool small = uniform(rng, 0, 2) == 0 && !c.filter_zero_point;
  std::vector<int32_t> multiplier, shift;
  if (c.per_channel) {
    multiplier.resize(size_t(c.units));
    shift.resize(size_t(c.units));
    for (int32_t o = 0; o < c.units; ++o)
      random_requant(rng, c.depth, small, &multiplier[size_t(o)], &shift[size_t(o)]);
  } else {
    random_requant(rng, c.depth, small, &p.output_multiplier, &p.output_shift);
  }
  GuardedBuffer<int8_t> input(size_t(c.batches) * c.depth, c.misalign);
  GuardedBuffer<int8_t> filter(size_t(c.units) * c.depth, (c.misalign + 3) % 4);
  if (small) {
    fill_small(rng, p.input_offset, input.data(), input.size(), filter.data(), filter.size());
  } else {
    fill_int8(rng, input.data(), input.size());
    fill_int8(rng, filter.data(), filter.size());
  }
  std::vector<int32_t> bias(size_t(c.units));
  for (int32_t& b : bias) b = small ? uniform(rng, -50, 50) : uniform(rng, -40000, 40000);
  const int32_t* bias_ptr = c.bias ? bias.data() : nullptr;
  const int32_t* multiplier_ptr = c.per_channel ? multiplier.data() : nullptr;
  const int32_t* shift_ptr = c.per_channel ? shift.data() : nullptr;

  const size_t n = size_t(c.batches) * c.units;
  GuardedBuffer<int8_t> expected(n, 0), actual(n, (c.misalign + 1) % 4);
  mote::reference::fully_connected_int8(p, multiplier_ptr, shift_ptr, c.batches, c.depth, c.units, input.data(),
                                        filter.data(), bias_ptr, expected.data());
  mote::optimized::fully_connected_int8(p, multiplier_ptr, shift_ptr, c.batches, c.depth, c.units, input.data(),
                                        filter.data(), bias_ptr, actual.data());
  ASSERT_EQ(0, memcmp(expected.bytes(), actual.bytes(), n));
  EXPECT_TRUE(actual.guard_intact());
  GuardedBuffer<int8_t> small_core(n, (c.misalign + 2) % 4);
  mote::optimized::fully_connected_int8_32bit(p, multiplier_ptr, shift_ptr, c.batches, c.depth, c.units, input.data(),
                                              filter.data(), bias_ptr, small_core.data());
  ASSERT_EQ(0, memcmp(expected.bytes(), small_core.bytes(), n)) << "32-bit cores' variant";
  EXPECT_TRUE(small_core.guard_intact());
}

void check_fc_float(const FcCase& c, std::mt19937& rng) {
  SCOPED_TRACE(c.name());
  FullyConnectedParams p;
  random_float_activation(rng, &p.float_activation_min, &p.float_activation_max);
  GuardedBuffer<float> input(size_t(c.batches) * c.depth, 4 * c.misalign);
  GuardedBuffer<float> filter(size_t(c.units) * c.depth, 4 * ((c.misalign + 3) % 4));
  fill_float(rng, input.data(), input.size());
  fill_float(rng, filter.data(), filter.size());
  std::vector<float> bias(size_t(c.units));
  fill_float(rng, bias.data(), bias.size());
  const float* bias_ptr = c.bias ? bias.data() : nullptr;
  const size_t n = size_t(c.batches) * c.units;
  GuardedBuffer<float> expected(n, 0), actual(n, 4 * ((c.misalign + 1) % 4));
  mote::reference::fully_connected_float(p, c.batches, c.depth, c.units, input.data(), filter.data(), bias_ptr,
                                         expected.data());
  mote::optimized::fully_connected_float(p, c.batches, c.depth, c.units, input.data(), filter.data(), bias_ptr,
                                         actual.data());
  ASSERT_EQ(0, memcmp(expected.bytes(), actual.bytes(), n * sizeof(float)));
  EXPECT_TRUE(actual.guard_intact());
}

std::vector<FcCase> fc_cases(std::mt19937& rng) {
  std::vector<FcCase> cases;
  const int32_t batches[] = {1, 2, 3, 4, 5};
  const int32_t depths[] = {1, 3, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 64, 250, 256, 400};
  const int32_t units[] = {1, 2, 3, 4, 5, 7, 8, 9, 12, 16, 24};
  for (int32_t b : batches)
    for (int32_t d : depths)
      for (int32_t u : units) {
        FcCase c;
        c.batches = b;
        c.depth = d;
        c.units = u;
        c.per_channel = uniform(rng, 0, 1) == 0;
        c.filter_zero_point = !c.per_channel && uniform(rng, 0, 1) == 0;
        c.bias = uniform(rng, 0, 4) != 0;
        c.misalign = size_t(uniform(rng, 0, 3));
        cases.push_back(c);
      }
  return cases;
}

// conv_2d_int8_prepare / depthwise_conv_2d_int8_prepare keep each channel's
// weight sum in the spare bits of its shift: both come back exactly over
// their whole ranges.
TEST(OptimizedPreparedShift, ShiftAndWeightSumRoundTrip) {
  using namespace mote::optimized;
  const int32_t max_sum = int32_t(128 * kMaxPreparedWindow);
  for (int32_t shift = -31; shift <= 31; ++shift) {
    for (int32_t sum : {-max_sum, -128 * kMaxDotDepth, -1, 0, 1, 127 * kMaxDotDepth, max_sum}) {
      const int32_t word = prepared_shift(shift, sum);
      EXPECT_EQ(shift_of(word), shift) << sum;
      EXPECT_EQ(filter_sum_of(word), sum) << shift;
    }
  }
}

TEST(OptimizedFullyConnected, Int8MatchesReference) {
  std::mt19937 rng(21);
  for (const FcCase& c : fc_cases(rng)) check_fc_int8(c, rng);
}

TEST(OptimizedFullyConnected, FloatMatchesReferenceBitForBit) {
  std::mt19937 rng(22);
  for (const FcCase& c : fc_cases(rng)) check_fc_float(c, rng);
}

TEST(OptimizedFullyConnected, AppliesUpToTheDepthLimit) {
  EXPECT_TRUE(mote::optimized::fully_connected_int8_applies(4000));
  EXPECT_TRUE(mote::optimized::fully_connected_int8_applies(mote::optimized::kMaxDotDepth));
  EXPECT_FALSE(mote::optimized::fully_connected_int8_applies(mote::optimized::kMaxDotDepth + 1));
}

// ---------------------------------------------------------------- requantization

// The 32-bit-only requantization against fixedpoint.h: every shift, the
// multiplier and accumulator extremes, and random values.
TEST(OptimizedRequantize32, MatchesDoubleRoundingReference) {
  std::mt19937 rng(51);
  std::vector<int32_t> accs = {INT32_MIN, INT32_MIN + 1, -65537, -65536, -65535, -32768, -2, -1, 0, 1, 2,
                               32767, 65535, 65536, INT32_MAX - 1, INT32_MAX};
  std::vector<int32_t> multipliers = {0, 1, 0xFFFF, 0x10000, 1 << 30, (1 << 30) + 1, INT32_MAX - 1, INT32_MAX};
  for (int i = 0; i < 40; ++i) accs.push_back(uniform(rng, INT32_MIN, INT32_MAX));
  for (int i = 0; i < 40; ++i) accs.push_back(uniform(rng, -70000, 70000));
  for (int i = 0; i < 24; ++i) multipliers.push_back(uniform(rng, 1 << 30, INT32_MAX));
  int64_t mismatches = 0;
  for (int32_t shift = -31; shift <= 31; ++shift)
    for (int32_t multiplier : multipliers) {
      const mote::optimized::ChannelRequant32 r = mote::optimized::make_channel_requant32(multiplier, shift);
      for (int32_t acc : accs) {
        const int32_t expected = mote::fixedpoint::multiply_by_quantized_multiplier(acc, multiplier, shift);
        const int32_t actual = mote::optimized::requantize32(r, acc);
        if (expected != actual && ++mismatches <= 5)
          ADD_FAILURE() << "acc " << acc << " multiplier " << multiplier << " shift " << shift << ": expected "
                        << expected << ", got " << actual;
      }
    }
  // Random triples, ties included: accumulators whose product lands exactly
  // halfway after the shift.
  for (int i = 0; i < 200000; ++i) {
    const int32_t shift = uniform(rng, -31, 8);
    const int32_t multiplier = uniform(rng, 0, 3) == 0 ? (1 << 30) : uniform(rng, 1 << 30, INT32_MAX);
    const int32_t acc = uniform(rng, 0, 1) ? uniform(rng, INT32_MIN, INT32_MAX) : uniform(rng, -4096, 4096);
    const int32_t expected = mote::fixedpoint::multiply_by_quantized_multiplier(acc, multiplier, shift);
    const int32_t actual = mote::optimized::requantize32(mote::optimized::make_channel_requant32(multiplier, shift), acc);
    if (expected != actual && ++mismatches <= 10)
      ADD_FAILURE() << "acc " << acc << " multiplier " << multiplier << " shift " << shift << ": expected "
                    << expected << ", got " << actual;
  }
  EXPECT_EQ(mismatches, 0);
}

// ---------------------------------------------------------------- tiles

using mote::optimized::DotLayout;

// The layout's sums in int64: the tiles must agree with them modulo 2^32 for
// every variant.
template <int M, int N>
std::vector<int32_t> naive_tile(const int8_t* input, const int8_t* filter, const DotLayout& l, int32_t offset,
                                const std::vector<int32_t>& start) {
  std::vector<int32_t> acc = start;
  for (int m = 0; m < M; ++m)
    for (int n = 0; n < N; ++n) {
      int64_t sum = acc[size_t(m * N + n)];
      for (int32_t r = 0; r < l.rows; ++r)
        for (int32_t k = 0; k < l.depth; ++k)
          sum += (int64_t(input[m * l.input_step + r * l.input_row_step + k]) + offset) *
                 filter[n * l.filter_step + r * l.filter_row_step + k];
      acc[size_t(m * N + n)] = int32_t(uint32_t(uint64_t(sum)));
    }
  return acc;
}

using TileFn = void (*)(const int8_t*, const int8_t*, const DotLayout&, int32_t, int32_t*);

// Depths 0..70 (every step of 16 / 8 / 4 and the remainders), one to three
// segments, random and extreme values, misaligned rows, accumulators that
// wrap when added to.
template <int M, int N>
void check_tile(TileFn tile, const char* name, std::mt19937& rng) {
  for (int32_t depth = 0; depth <= 70; ++depth) {
    for (int extreme = 0; extreme < 2; ++extreme) {
      SCOPED_TRACE(std::string(name) + " depth " + std::to_string(depth) + (extreme ? " extreme" : ""));
      DotLayout l;
      l.rows = uniform(rng, 1, 3);
      l.depth = depth;
      l.input_row_step = depth + uniform(rng, 0, 5);
      l.filter_row_step = depth + uniform(rng, 0, 5);
      l.input_step = l.rows * l.input_row_step + uniform(rng, 0, 3);
      l.filter_step = l.rows * l.filter_row_step + uniform(rng, 0, 3);
      std::vector<int8_t> input(size_t(M * l.input_step) + 3), filter(size_t(N * l.filter_step) + 3);
      fill_int8(rng, input.data(), input.size());
      fill_int8(rng, filter.data(), filter.size());
      int32_t offset = random_input_offset(rng);
      if (extreme) {
        for (int8_t& v : input) v = 127;
        for (int8_t& v : filter) v = -128;
        offset = 128;
      }
      const size_t misalign = size_t(uniform(rng, 0, 3));
      std::vector<int32_t> acc(size_t(M * N));
      for (int32_t& a : acc) a = uniform(rng, INT32_MIN, INT32_MAX);
      const std::vector<int32_t> expected =
          naive_tile<M, N>(input.data() + misalign, filter.data() + misalign, l, offset, acc);
      tile(input.data() + misalign, filter.data() + misalign, l, offset, acc.data());
      ASSERT_EQ(expected, acc);
    }
  }
}

TEST(OptimizedGemmInt8, EveryTileVariantMatchesAPlainSum) {
  std::mt19937 rng(31);
  using namespace mote::optimized;
  check_tile<1, 1>(dot_tile_scalar<1, 1>, "scalar 1x1", rng);
  check_tile<1, 4>(dot_tile_scalar<1, 4>, "scalar 1x4", rng);
  check_tile<2, 2>(dot_tile_scalar<2, 2>, "scalar 2x2", rng);
  check_tile<2, 4>(dot_tile_scalar<2, 4>, "scalar 2x4", rng);
  check_tile<2, 1>(dot_tile_paired<1>, "paired 2x1", rng);
  check_tile<2, 4>(dot_tile_paired<4>, "paired 2x4", rng);
  // What the kernels use in this build (AVX2 with MOTE_HOST_SIMD=ON).
  check_tile<1, 1>(dot_tile<1, 1>, "selected 1x1", rng);
  check_tile<1, 4>(dot_tile<1, 4>, "selected 1x4", rng);
  check_tile<2, 1>(dot_tile<2, 1>, "selected 2x1", rng);
  check_tile<2, 4>(dot_tile<2, 4>, "selected 2x4", rng);
}

// The word-load tile: aligned rows, depths in steps of 4, offset fixed at 128.
TEST(OptimizedGemmInt8, WordLoadTileMatchesAPlainSum) {
  std::mt19937 rng(32);
  for (int32_t depth = 0; depth <= 72; depth += 4) {
    for (int extreme = 0; extreme < 2; ++extreme) {
      SCOPED_TRACE("depth " + std::to_string(depth) + (extreme ? " extreme" : ""));
      DotLayout l;
      l.rows = uniform(rng, 1, 3);
      l.depth = depth;
      l.input_row_step = depth + 4 * uniform(rng, 0, 2);
      l.filter_row_step = depth + 4 * uniform(rng, 0, 2);
      l.input_step = l.rows * l.input_row_step + 4 * uniform(rng, 0, 1);
      l.filter_step = 0;
      GuardedBuffer<int8_t> input(size_t(2 * l.input_step) + 4, 0), filter(size_t(l.rows * l.filter_row_step), 0);
      fill_int8(rng, input.data(), input.size());
      fill_int8(rng, filter.data(), filter.size());
      if (extreme) {
        for (size_t i = 0; i < input.size(); ++i) input.data()[i] = 127;
        for (size_t i = 0; i < filter.size(); ++i) filter.data()[i] = -128;
      }
      std::vector<int32_t> acc = {uniform(rng, INT32_MIN, INT32_MAX), uniform(rng, INT32_MIN, INT32_MAX)};
      const std::vector<int32_t> expected = naive_tile<2, 1>(input.data(), filter.data(), l, 128, acc);
      mote::optimized::dot_tile_words_offset128<2>(input.data(), filter.data(), l, acc.data());
      ASSERT_EQ(expected, acc);
      std::vector<int32_t> single = {acc[0]};
      const std::vector<int32_t> expected_single = naive_tile<1, 1>(input.data(), filter.data(), l, 128, single);
      mote::optimized::dot_tile_words_offset128<1>(input.data(), filter.data(), l, single.data());
      ASSERT_EQ(expected_single, single);
    }
  }
}

// The paired variant at its depth limit: the first row's sum at its most
// negative and most positive, the second row's wrapping.
TEST(OptimizedGemmInt8, PairedTileExactAtTheDepthLimit) {
  DotLayout l;
  l.depth = mote::optimized::kMaxDotDepth;
  l.input_step = l.depth;
  l.filter_step = l.depth;
  for (int sign = 0; sign < 2; ++sign) {
    std::vector<int8_t> input(size_t(2 * l.depth), 127), filter(size_t(l.depth), sign ? 127 : -128);
    for (int32_t k = 0; k < l.depth; ++k) input[size_t(l.depth + k)] = int8_t(k % 2 ? 127 : -128);
    const std::vector<int32_t> start = {INT32_MAX, INT32_MIN};
    std::vector<int32_t> acc = start;
    mote::optimized::dot_tile_paired<1>(input.data(), filter.data(), l, 128, acc.data());
    EXPECT_EQ((naive_tile<2, 1>(input.data(), filter.data(), l, 128, start)), acc);
  }
}

TEST(OptimizedGemmFloat, TileSumsEachOutputInOrder) {
  std::mt19937 rng(41);
  for (int32_t depth = 0; depth <= 40; ++depth) {
    DotLayout l;
    l.rows = 2;
    l.depth = depth;
    l.input_row_step = depth + 1;
    l.filter_row_step = depth + 2;
    l.input_step = 2 * l.input_row_step;
    l.filter_step = 2 * l.filter_row_step;
    std::vector<float> input(size_t(2 * l.input_step)), filter(size_t(4 * l.filter_step));
    fill_float(rng, input.data(), input.size());
    fill_float(rng, filter.data(), filter.size());
    float acc[8];
    float expected[8];
    for (int i = 0; i < 8; ++i) acc[i] = expected[i] = float(i) * 0.25f;
    for (int m = 0; m < 2; ++m)
      for (int n = 0; n < 4; ++n)
        for (int32_t r = 0; r < l.rows; ++r)
          for (int32_t k = 0; k < depth; ++k)
            expected[m * 4 + n] += input[size_t(m * l.input_step + r * l.input_row_step + k)] *
                                   filter[size_t(n * l.filter_step + r * l.filter_row_step + k)];
    mote::optimized::dot_tile_float<2, 4>(input.data(), filter.data(), l, acc);
    EXPECT_EQ(0, memcmp(expected, acc, sizeof(acc))) << "depth " << depth;
  }
}

}  // namespace
