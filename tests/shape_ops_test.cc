// Data-movement and reduction ops: RESHAPE, SQUEEZE, EXPAND_DIMS,
// CONCATENATION, MEAN, PAD, PADV2, TRANSPOSE, STRIDED_SLICE.
//
// Two layers: the reference kernels called directly against straightforward
// per-element formulations written here (index arithmetic, Python slice
// rules), plus hand-computed cases; then one-op models through the
// interpreter for every supported type and for the prepare-time errors.
#include <gtest/gtest.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "kernels/fixedpoint.h"
#include "kernels/reference/concatenation.h"
#include "kernels/reference/mean.h"
#include "kernels/reference/pad.h"
#include "kernels/reference/strided_slice.h"
#include "kernels/reference/transpose.h"
#include "op_harness.h"
#include "tools/model_builder.h"

namespace {

using mote::DType;
using mote::Shape;
using mote::tools::ModelBuilder;
using mote::tools::Options;
using mote::tools::TensorSpec;
namespace schema = mote::schema;
namespace ref = mote::reference;

// ---------------------------------------------------------------------------
// Index helpers for the per-element reference formulations.

using Dims = std::vector<int32_t>;

int64_t count_of(const Dims& shape) {
  int64_t n = 1;
  for (int32_t d : shape) n *= d;
  return n;
}

Dims unravel(int64_t flat, const Dims& shape) {
  Dims index(shape.size());
  for (int d = int(shape.size()) - 1; d >= 0; --d) {
    index[d] = int32_t(flat % shape[d]);
    flat /= shape[d];
  }
  return index;
}

int64_t ravel(const Dims& index, const Dims& shape) {
  int64_t flat = 0;
  for (size_t d = 0; d < shape.size(); ++d) flat = flat * shape[d] + index[d];
  return flat;
}

Shape to_shape(const Dims& dims) {
  Shape s;
  s.rank = int32_t(dims.size());
  for (size_t d = 0; d < dims.size(); ++d) s.dims[d] = dims[d];
  return s;
}

Dims to_dims(const Shape& s) { return Dims(s.dims, s.dims + s.rank); }

std::vector<int32_t> iota(int64_t n, int32_t start = 0) {
  std::vector<int32_t> v(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) v[size_t(i)] = start + int32_t(i);
  return v;
}

template <typename T>
std::vector<T> cast_all(const std::vector<int32_t>& v) {
  std::vector<T> out(v.size());
  for (size_t i = 0; i < v.size(); ++i) out[i] = T(v[i]);
  return out;
}

Dims random_shape(std::mt19937& rng, int rank, int max_dim) {
  Dims shape(static_cast<size_t>(rank));
  for (int32_t& d : shape) d = int32_t(rng() % uint32_t(max_dim)) + 1;
  return shape;
}

// ---------------------------------------------------------------------------
// One-op models through the interpreter.

TensorSpec activation(const char* name, DType type, Dims shape, std::vector<float> scales = {},
                      std::vector<int64_t> zero_points = {}) {
  TensorSpec s;
  s.name = name;
  s.type = type;
  s.shape = std::move(shape);
  s.scales = std::move(scales);
  s.zero_points = std::move(zero_points);
  return s;
}

// Inputs with data are constants in the model; the others become model
// inputs, in order.
std::vector<uint8_t> one_op_model(schema::BuiltinOp op, const std::vector<TensorSpec>& inputs, const TensorSpec& output,
                                  Options options = Options(), int32_t version = 1) {
  ModelBuilder b;
  std::vector<int32_t> op_inputs, model_inputs;
  for (const TensorSpec& spec : inputs) {
    const int t = b.add_tensor(spec);
    op_inputs.push_back(t);
    if (spec.data.empty()) model_inputs.push_back(t);
  }
  const int out = b.add_tensor(output);
  b.add_operator(op, op_inputs, {out}, options, version);
  b.set_inputs(model_inputs);
  b.set_outputs({out});
  return b.serialize();
}

::testing::AssertionResult fails_with(const RunResult& r, const std::string& text) {
  if (r.ok()) return ::testing::AssertionFailure() << "the model ran, expected an error containing '" << text << "'";
  if (r.error.find(text) == std::string::npos)
    return ::testing::AssertionFailure() << "error '" << r.error << "' does not contain '" << text << "'";
  return ::testing::AssertionSuccess();
}

// ===========================================================================
// TRANSPOSE kernel

template <typename T>
std::vector<T> transpose_reference(const std::vector<T>& input, const Dims& shape, const Dims& perm) {
  Dims out_shape(shape.size());
  for (size_t k = 0; k < shape.size(); ++k) out_shape[k] = shape[perm[k]];
  std::vector<T> out(input.size());
  for (int64_t o = 0; o < count_of(out_shape); ++o) {
    const Dims out_index = unravel(o, out_shape);
    Dims in_index(shape.size());
    for (size_t k = 0; k < shape.size(); ++k) in_index[perm[k]] = out_index[k];
    out[size_t(o)] = input[size_t(ravel(in_index, shape))];
  }
  return out;
}

template <typename T>
std::vector<T> run_transpose_kernel(const std::vector<T>& input, const Dims& shape, const Dims& perm) {
  ref::TransposeParams params;
  ref::transpose_params(to_shape(shape), perm.data(), &params);
  std::vector<T> out(input.size());
  ref::transpose(params, input.data(), out.data(), sizeof(T));
  return out;
}

TEST(TransposeKernel, MatrixHandChecked) {
  EXPECT_EQ(run_transpose_kernel<int8_t>({0, 1, 2, 3, 4, 5}, {2, 3}, {1, 0}), (std::vector<int8_t>{0, 3, 1, 4, 2, 5}));
}

TEST(TransposeKernel, ThreeDimsHandChecked) {
  // out[k][i][j] = in[i][j][k] = 12i + 4j + k, output shape [4,2,3].
  const std::vector<int16_t> out = run_transpose_kernel<int16_t>(cast_all<int16_t>(iota(24)), {2, 3, 4}, {2, 0, 1});
  ASSERT_EQ(out.size(), 24u);
  EXPECT_EQ(out[0], 0);
  EXPECT_EQ(out[1 * 6 + 0 * 3 + 2], 9);   // in[0][2][1]
  EXPECT_EQ(out[3 * 6 + 1 * 3 + 0], 15);  // in[1][0][3]
  EXPECT_EQ(out[23], 23);
}

template <typename T>
void transpose_sweep(uint32_t seed) {
  std::mt19937 rng(seed);
  for (int trial = 0; trial < 60; ++trial) {
    const int rank = 1 + trial % mote::kMaxDims;
    const Dims shape = random_shape(rng, rank, 4);
    Dims perm = iota(rank);
    std::shuffle(perm.begin(), perm.end(), rng);
    std::vector<T> input(static_cast<size_t>(count_of(shape)));
    for (T& v : input) v = T(rng());
    ASSERT_EQ(run_transpose_kernel(input, shape, perm), transpose_reference(input, shape, perm))
        << "trial " << trial << " rank " << rank;
  }
}

TEST(TransposeKernel, RandomShapesAndPermutationsAllElementSizes) {
  transpose_sweep<uint8_t>(1);
  transpose_sweep<uint16_t>(2);
  transpose_sweep<uint32_t>(3);
  transpose_sweep<uint64_t>(4);
}

// ===========================================================================
// PAD kernel

template <typename T>
std::vector<T> pad_reference(const std::vector<T>& input, const Dims& shape, const Dims& before, const Dims& after,
                             T value) {
  Dims out_shape(shape.size());
  for (size_t d = 0; d < shape.size(); ++d) out_shape[d] = shape[d] + before[d] + after[d];
  std::vector<T> out(static_cast<size_t>(count_of(out_shape)));
  for (int64_t o = 0; o < count_of(out_shape); ++o) {
    Dims index = unravel(o, out_shape);
    bool inside = true;
    for (size_t d = 0; d < shape.size(); ++d) {
      index[d] -= before[d];
      inside = inside && index[d] >= 0 && index[d] < shape[d];
    }
    out[size_t(o)] = inside ? input[size_t(ravel(index, shape))] : value;
  }
  return out;
}

template <typename T>
std::vector<T> run_pad_kernel(const std::vector<T>& input, const Dims& shape, const Dims& before, const Dims& after,
                              T value) {
  ref::PadParams p;
  p.rank = int32_t(shape.size());
  int64_t out_count = 1;
  for (size_t d = 0; d < shape.size(); ++d) {
    p.input_dims[d] = shape[d];
    p.left[d] = before[d];
    p.output_dims[d] = shape[d] + before[d] + after[d];
    out_count *= p.output_dims[d];
  }
  std::vector<T> out(static_cast<size_t>(out_count));
  ref::pad(p, input.data(), &value, out.data(), sizeof(T));
  return out;
}

TEST(PadKernel, HandChecked) {
  // [[1,2],[3,4]] padded by one row above and two columns right with 9.
  EXPECT_EQ(run_pad_kernel<int8_t>({1, 2, 3, 4}, {2, 2}, {1, 0}, {0, 2}, 9),
            (std::vector<int8_t>{9, 9, 9, 9, 1, 2, 9, 9, 3, 4, 9, 9}));
}

template <typename T>
void pad_sweep(uint32_t seed) {
  std::mt19937 rng(seed);
  for (int trial = 0; trial < 60; ++trial) {
    const int rank = 1 + trial % mote::kMaxDims;
    const Dims shape = random_shape(rng, rank, 3);
    Dims before(static_cast<size_t>(rank)), after(static_cast<size_t>(rank));
    for (int d = 0; d < rank; ++d) {
      before[d] = int32_t(rng() % 3);
      after[d] = int32_t(rng() % 3);
    }
    std::vector<T> input(static_cast<size_t>(count_of(shape)));
    for (T& v : input) v = T(rng() | 1u);  // never equal to the pad value 0
    ASSERT_EQ(run_pad_kernel(input, shape, before, after, T(0)), pad_reference(input, shape, before, after, T(0)))
        << "trial " << trial;
  }
}

TEST(PadKernel, RandomShapesAndPaddingsAllElementSizes) {
  pad_sweep<uint8_t>(11);
  pad_sweep<uint16_t>(12);
  pad_sweep<uint32_t>(13);
  pad_sweep<uint64_t>(14);
}

// Every lead from pad_min_lead() up to past the input's end gives the same
// output, written over the input in one memory block, and the bytes outside
// the input and the output stay untouched; one element below the bound
// corrupts some case (the bound is tight).
template <typename T>
void pad_overlap_sweep(uint32_t seed, int* overlapping, int* broken_below) {
  std::mt19937 rng(seed);
  constexpr uint8_t kGuard = 0x5A;
  for (int trial = 0; trial < 80; ++trial) {
    const int rank = 1 + trial % mote::kMaxDims;
    const Dims shape = random_shape(rng, rank, 4);
    Dims before(static_cast<size_t>(rank)), after(static_cast<size_t>(rank));
    ref::PadParams p;
    p.rank = rank;
    for (int d = 0; d < rank; ++d) {
      before[d] = int32_t(rng() % 3);
      after[d] = int32_t(rng() % 3);
      p.input_dims[d] = shape[d];
      p.left[d] = before[d];
      p.output_dims[d] = shape[d] + before[d] + after[d];
    }
    std::vector<T> input(static_cast<size_t>(count_of(shape)));
    for (T& v : input) v = T(rng() | 1u);
    const T value = T(0);
    const std::vector<T> expected = pad_reference(input, shape, before, after, value);
    const int64_t in_bytes = int64_t(input.size() * sizeof(T)), out_bytes = int64_t(expected.size() * sizeof(T));
    const int32_t min_lead = ref::pad_min_lead(p, sizeof(T));
    ASSERT_EQ(min_lead % int32_t(sizeof(T)), 0);
    auto run_at = [&](int64_t lead, bool* guards_intact) {
      // Input at `base`; output at base + lead; guard bytes around both.
      const int64_t base = out_bytes + 64;
      std::vector<uint8_t> memory(size_t(base + in_bytes + out_bytes + 64), kGuard);
      uint8_t* in = memory.data() + base;
      memcpy(in, input.data(), size_t(in_bytes));
      T* out = reinterpret_cast<T*>(in + lead);
      ref::pad(p, in, &value, out, sizeof(T));
      *guards_intact = true;
      const int64_t lo = std::min<int64_t>(0, lead), hi = std::max<int64_t>(in_bytes, lead + out_bytes);
      for (int64_t i = 0; i < int64_t(memory.size()); ++i)
        if ((i < base + lo || i >= base + hi) && memory[size_t(i)] != kGuard) *guards_intact = false;
      return std::vector<T>(out, out + expected.size());
    };
    const int64_t stride = std::max<int64_t>(1, (in_bytes - min_lead) / int64_t(sizeof(T)) / 40);
    for (int64_t lead = min_lead; lead <= in_bytes; lead += int64_t(sizeof(T)) * (1 + int64_t(rng() % stride))) {
      bool guards_intact = false;
      ASSERT_EQ(run_at(lead, &guards_intact), expected) << "trial " << trial << " lead " << lead;
      ASSERT_TRUE(guards_intact) << "trial " << trial << " lead " << lead;
      if (lead < in_bytes && lead + out_bytes > 0) ++*overlapping;
    }
    if (min_lead < 0) {
      bool guards_intact = false;
      if (run_at(min_lead - int64_t(sizeof(T)), &guards_intact) != expected) ++*broken_below;
    }
  }
}

TEST(PadKernel, WritesOverItsInputFromTheMinimumLeadUp) {
  int overlapping = 0, broken_below = 0;
  pad_overlap_sweep<uint8_t>(21, &overlapping, &broken_below);
  pad_overlap_sweep<uint16_t>(22, &overlapping, &broken_below);
  pad_overlap_sweep<uint32_t>(23, &overlapping, &broken_below);
  pad_overlap_sweep<uint64_t>(24, &overlapping, &broken_below);
  EXPECT_GT(overlapping, 1000);
  EXPECT_GT(broken_below, 50);
}

TEST(PadKernel, MinimumLeadIsTheOffsetOfTheFirstInputElement) {
  // 2x3 padded by one row above and one column left: the first input element
  // is output element 4 + 1 = 5; int16: 10 bytes.
  ref::PadParams p;
  p.rank = 2;
  p.input_dims[0] = 2;
  p.input_dims[1] = 3;
  p.left[0] = 1;
  p.left[1] = 1;
  p.output_dims[0] = 3;
  p.output_dims[1] = 4;
  EXPECT_EQ(ref::pad_min_lead(p, 2), -10);
  p.input_dims[1] = 0;  // nothing to read: any lead
  EXPECT_EQ(ref::pad_min_lead(p, 2), 0);
}

// ===========================================================================
// CONCATENATION kernel

TEST(ConcatenationKernel, PlacesInputsSideBySide) {
  // [2,1] ++ [2,2] along axis 1 (int16): rows {a0, b0, b1}.
  const std::vector<int16_t> a = {1, 2};
  const std::vector<int16_t> b = {10, 11, 20, 21};
  std::vector<int16_t> out(6, -1);
  ref::ConcatenationParams p;
  p.outer_count = 2;
  p.output_row_bytes = 3 * sizeof(int16_t);
  ref::concatenation_place(p, a.data(), 1 * sizeof(int16_t), 0, out.data());
  ref::concatenation_place(p, b.data(), 2 * sizeof(int16_t), 1 * sizeof(int16_t), out.data());
  EXPECT_EQ(out, (std::vector<int16_t>{1, 10, 11, 2, 20, 21}));
}

// ===========================================================================
// STRIDED_SLICE: resolution + kernel against Python's slice rules

// range(*slice(begin, end, step).indices(size)), a masked end meaning None.
std::vector<int32_t> python_slice(int32_t size, int32_t begin, int32_t end, int32_t step, bool begin_none,
                                  bool end_none) {
  auto normalize = [&](int32_t v) {
    if (v < 0) {
      v += size;
      if (v < 0) v = step < 0 ? -1 : 0;
    } else if (v >= size) {
      v = step < 0 ? size - 1 : size;
    }
    return v;
  };
  const int32_t start = begin_none ? (step < 0 ? size - 1 : 0) : normalize(begin);
  const int32_t stop = end_none ? (step < 0 ? -1 : size) : normalize(end);
  std::vector<int32_t> indices;
  for (int32_t i = start; step > 0 ? i < stop : i > stop; i += step) indices.push_back(i);
  return indices;
}

struct SliceResult {
  const char* error = nullptr;
  Dims shape;
  std::vector<int32_t> values;
};

SliceResult run_slice_kernel(const std::vector<int32_t>& input, const Dims& shape, const ref::StridedSliceSpec& spec) {
  SliceResult r;
  ref::StridedSliceParams params;
  Shape out_shape;
  r.error = ref::strided_slice_resolve(to_shape(shape), spec, &params, &out_shape);
  if (r.error != nullptr) return r;
  r.shape = to_dims(out_shape);
  r.values.assign(static_cast<size_t>(count_of(r.shape)), -1);
  ref::strided_slice(params, input.data(), r.values.data(), sizeof(int32_t));
  return r;
}

ref::StridedSliceSpec make_spec(const std::vector<int32_t>& begin, const std::vector<int32_t>& end,
                                const std::vector<int32_t>& strides) {
  ref::StridedSliceSpec spec;
  spec.count = int32_t(begin.size());
  for (size_t i = 0; i < begin.size(); ++i) {
    spec.begin[i] = begin[i];
    spec.end[i] = end[i];
    spec.strides[i] = strides[i];
  }
  return spec;
}

TEST(StridedSliceKernel, ReversedMiddleAxisHandChecked) {
  // x = arange(24).reshape(2,3,4); x[:, ::-1, 1:3]
  ref::StridedSliceSpec spec = make_spec({0, 0, 1}, {0, 0, 3}, {1, -1, 1});
  spec.begin_mask = 0b011;
  spec.end_mask = 0b011;
  const SliceResult r = run_slice_kernel(iota(24), {2, 3, 4}, spec);
  ASSERT_EQ(r.error, nullptr) << r.error;
  EXPECT_EQ(r.shape, (Dims{2, 3, 2}));
  EXPECT_EQ(r.values, (std::vector<int32_t>{9, 10, 5, 6, 1, 2, 21, 22, 17, 18, 13, 14}));
}

TEST(StridedSliceKernel, ShrinkEllipsisAndNegativeStrideHandChecked) {
  // x[1, ..., ::-2]: the ellipsis stands for the middle axis.
  ref::StridedSliceSpec spec = make_spec({1, 0, 0}, {2, 0, 0}, {1, 1, -2});
  spec.shrink_axis_mask = 0b001;
  spec.ellipsis_mask = 0b010;
  spec.begin_mask = 0b100;
  spec.end_mask = 0b100;
  const SliceResult r = run_slice_kernel(iota(24), {2, 3, 4}, spec);
  ASSERT_EQ(r.error, nullptr) << r.error;
  EXPECT_EQ(r.shape, (Dims{3, 2}));
  EXPECT_EQ(r.values, (std::vector<int32_t>{15, 13, 19, 17, 23, 21}));
}

TEST(StridedSliceKernel, EllipsisAloneIsTheWholeTensor) {
  ref::StridedSliceSpec spec = make_spec({0}, {0}, {1});
  spec.ellipsis_mask = 1;
  const SliceResult r = run_slice_kernel(iota(24), {2, 3, 4}, spec);
  ASSERT_EQ(r.error, nullptr) << r.error;
  EXPECT_EQ(r.shape, (Dims{2, 3, 4}));
  EXPECT_EQ(r.values, iota(24));
}

TEST(StridedSliceKernel, NewAxisAndShrinkHandChecked) {
  // x[:, newaxis, -1] -> shape [2,1,4]: x[i][2][k].
  ref::StridedSliceSpec spec = make_spec({0, 0, -1}, {0, 0, 0}, {1, 1, 1});
  spec.begin_mask = 0b001;
  spec.end_mask = 0b001;
  spec.new_axis_mask = 0b010;
  spec.shrink_axis_mask = 0b100;
  const SliceResult r = run_slice_kernel(iota(24), {2, 3, 4}, spec);
  ASSERT_EQ(r.error, nullptr) << r.error;
  EXPECT_EQ(r.shape, (Dims{2, 1, 4}));
  EXPECT_EQ(r.values, (std::vector<int32_t>{8, 9, 10, 11, 20, 21, 22, 23}));
}

TEST(StridedSliceKernel, OffsetMakesEndRelativeToBegin) {
  // begin {0,1,1}, sizes {1,2,2}: x[0:1, 1:3, 1:3].
  ref::StridedSliceSpec spec = make_spec({0, 1, 1}, {1, 2, 2}, {1, 1, 1});
  spec.offset = true;
  const SliceResult r = run_slice_kernel(iota(24), {2, 3, 4}, spec);
  ASSERT_EQ(r.error, nullptr) << r.error;
  EXPECT_EQ(r.shape, (Dims{1, 2, 2}));
  EXPECT_EQ(r.values, (std::vector<int32_t>{5, 6, 9, 10}));
}

TEST(StridedSliceKernel, OneDimensionalHandChecked) {
  struct Case {
    int32_t begin, end, stride;
    int32_t begin_mask, end_mask;
    std::vector<int32_t> expected;
  };
  const Case cases[] = {
      {0, 0, -2, 1, 1, {4, 2, 0}},                                                          // [::-2]
      {-1, -6, -1, 0, 0, {4, 3, 2, 1, 0}},                                                  // [-1:-6:-1]
      {3, 0, -1, 0, 0, {3, 2, 1}},                                                          // [3:0:-1]
      {-100, 100, 1, 0, 0, {0, 1, 2, 3, 4}}, {1, 4, 2, 0, 0, {1, 3}}, {4, 1, 1, 0, 0, {}},  // empty
  };
  for (const Case& c : cases) {
    ref::StridedSliceSpec spec = make_spec({c.begin}, {c.end}, {c.stride});
    spec.begin_mask = c.begin_mask;
    spec.end_mask = c.end_mask;
    const SliceResult r = run_slice_kernel({0, 1, 2, 3, 4}, {5}, spec);
    ASSERT_EQ(r.error, nullptr) << r.error;
    EXPECT_EQ(r.values, c.expected) << "[" << c.begin << ":" << c.end << ":" << c.stride << "]";
  }
}

TEST(StridedSliceKernel, RejectsBadSpecs) {
  EXPECT_NE(run_slice_kernel(iota(5), {5}, make_spec({0}, {5}, {0})).error, nullptr);  // stride 0
  ref::StridedSliceSpec two_ellipses = make_spec({0, 0}, {0, 0}, {1, 1});
  two_ellipses.ellipsis_mask = 0b11;
  EXPECT_NE(run_slice_kernel(iota(6), {2, 3}, two_ellipses).error, nullptr);
  ref::StridedSliceSpec shrink_out_of_range = make_spec({3}, {4}, {1});
  shrink_out_of_range.shrink_axis_mask = 1;
  EXPECT_NE(run_slice_kernel(iota(3), {3}, shrink_out_of_range).error, nullptr);
  EXPECT_NE(run_slice_kernel(iota(6), {6}, make_spec({0, 0}, {1, 1}, {1, 1})).error, nullptr);  // too many indices
}

TEST(StridedSliceKernel, RandomSlicesMatchPythonSemantics) {
  std::mt19937 rng(21);
  const int32_t steps[] = {-3, -2, -1, 1, 2, 3};
  for (int trial = 0; trial < 400; ++trial) {
    const int rank = 1 + int(rng() % 5);
    const Dims shape = random_shape(rng, rank, 5);
    const int spec_count = 1 + int(rng() % uint32_t(rank));  // trailing dims stay whole
    ref::StridedSliceSpec spec;
    spec.count = spec_count;
    std::vector<std::vector<int32_t>> picks(static_cast<size_t>(rank));
    Dims expected_shape;
    for (int d = 0; d < rank; ++d) {
      if (d >= spec_count) {
        picks[d] = iota(shape[d]);
        expected_shape.push_back(shape[d]);
        continue;
      }
      spec.begin[d] = int32_t(rng() % 15) - 7;
      spec.end[d] = int32_t(rng() % 15) - 7;
      spec.strides[d] = steps[rng() % 6];
      const bool shrink = rng() % 5 == 0;
      if (shrink) {
        spec.strides[d] = 1;
        spec.begin[d] = int32_t(rng() % uint32_t(2 * shape[d])) - shape[d];  // valid: [-size, size)
        spec.shrink_axis_mask |= 1 << d;
        picks[d] = {spec.begin[d] < 0 ? spec.begin[d] + shape[d] : spec.begin[d]};
        continue;
      }
      const bool begin_none = rng() % 4 == 0;
      const bool end_none = rng() % 4 == 0;
      if (begin_none) spec.begin_mask |= 1 << d;
      if (end_none) spec.end_mask |= 1 << d;
      picks[d] = python_slice(shape[d], spec.begin[d], spec.end[d], spec.strides[d], begin_none, end_none);
      expected_shape.push_back(int32_t(picks[d].size()));
    }

    // Cartesian product of the picked indices, in row-major order.
    Dims pick_counts;
    for (const auto& p : picks) pick_counts.push_back(int32_t(p.size()));
    std::vector<int32_t> expected;
    for (int64_t o = 0; o < count_of(pick_counts); ++o) {
      const Dims which = unravel(o, pick_counts);
      Dims index(static_cast<size_t>(rank));
      for (int d = 0; d < rank; ++d) index[d] = picks[d][which[d]];
      expected.push_back(int32_t(ravel(index, shape)));
    }

    const SliceResult r = run_slice_kernel(iota(count_of(shape)), shape, spec);
    ASSERT_EQ(r.error, nullptr) << "trial " << trial << ": " << r.error;
    ASSERT_EQ(r.shape, expected_shape) << "trial " << trial;
    ASSERT_EQ(r.values, expected) << "trial " << trial;
  }
}

// ===========================================================================
// MEAN kernels

ref::MeanParams mean_params_for(const Dims& shape, const std::vector<int>& axes) {
  bool reduced[mote::kMaxDims] = {};
  for (int a : axes) reduced[a] = true;
  ref::MeanParams p;
  ref::mean_params(to_shape(shape), reduced, &p);
  return p;
}

// For each output, the inputs whose kept coordinates match it, in input order.
std::vector<std::vector<int64_t>> mean_groups(const Dims& shape, const std::vector<int>& axes) {
  Dims out_shape;
  for (size_t d = 0; d < shape.size(); ++d)
    if (std::find(axes.begin(), axes.end(), int(d)) == axes.end()) out_shape.push_back(shape[d]);
  std::vector<std::vector<int64_t>> groups(static_cast<size_t>(count_of(out_shape)));
  for (int64_t i = 0; i < count_of(shape); ++i) {
    const Dims index = unravel(i, shape);
    Dims kept;
    for (size_t d = 0; d < shape.size(); ++d)
      if (std::find(axes.begin(), axes.end(), int(d)) == axes.end()) kept.push_back(index[d]);
    groups[size_t(ravel(kept, out_shape))].push_back(i);
  }
  return groups;
}

std::vector<float> mean_float_reference(const std::vector<float>& input, const Dims& shape,
                                        const std::vector<int>& axes) {
  std::vector<float> out;
  for (const auto& group : mean_groups(shape, axes)) {
    float sum = 0.0f;
    for (int64_t i : group) sum = sum + input[size_t(i)];
    out.push_back(sum / float(group.size()));
  }
  return out;
}

// TFLite's quantized mean, written out per output element: requantize the
// zero-point-centred sum with input_scale / output_scale, 1/n folded into
// the multiplier by shifting it left by up to floor(log2 n) bits (at most
// 32, keeping the shift >= -31) before dividing by n.
template <typename T>
std::vector<T> mean_quantized_reference(const std::vector<T>& input, const Dims& shape, const std::vector<int>& axes,
                                        float input_scale, int32_t input_zp, float output_scale, int32_t output_zp) {
  const auto groups = mean_groups(shape, axes);
  const int64_t n = int64_t(groups[0].size());
  int32_t multiplier = 0;
  int shift = 0;
  mote::fixedpoint::quantize_multiplier(double(input_scale) / double(output_scale), &multiplier, &shift);
  int extra = 0;
  while ((int64_t(1) << (extra + 1)) <= n) ++extra;
  extra = std::min({extra, 32, 31 + shift});
  multiplier = int32_t((int64_t(multiplier) << extra) / n);
  shift -= extra;
  std::vector<T> out;
  for (const auto& group : groups) {
    int64_t centered = 0;
    for (int64_t i : group) centered += int64_t(input[size_t(i)]) - input_zp;
    const int32_t scaled = mote::fixedpoint::multiply_by_quantized_multiplier(int32_t(centered), multiplier, shift);
    out.push_back(mote::fixedpoint::saturate<T>(scaled + output_zp));
  }
  return out;
}

template <typename T>
std::vector<T> run_mean_kernel(const std::vector<T>& input, const Dims& shape, const std::vector<int>& axes,
                               float input_scale, int32_t input_zp, float output_scale, int32_t output_zp) {
  ref::MeanParams p = mean_params_for(shape, axes);
  p.input_zero_point = input_zp;
  p.output_zero_point = output_zp;
  int shift = 0;
  mote::fixedpoint::quantize_multiplier(double(input_scale) / double(output_scale), &p.multiplier, &shift);
  p.shift = shift;
  ref::mean_fold_count(p.reduced_count, &p.multiplier, &p.shift);
  std::vector<T> out(static_cast<size_t>(p.num_outputs));
  std::vector<int32_t> sums(static_cast<size_t>(p.num_outputs), 12345);  // not zeroed on purpose
  if (sizeof(T) == 1) {
    ref::mean_int8(p, reinterpret_cast<const int8_t*>(input.data()), reinterpret_cast<int8_t*>(out.data()),
                   sums.data());
  } else {
    ref::mean_int16(p, reinterpret_cast<const int16_t*>(input.data()), reinterpret_cast<int16_t*>(out.data()),
                    sums.data());
  }
  return out;
}

TEST(MeanKernel, FloatHandChecked) {
  const std::vector<float> x = {1, 2, 3, 4, 5, 6};  // [2,3]
  auto run = [&](const std::vector<int>& axes) {
    ref::MeanParams p = mean_params_for({2, 3}, axes);
    std::vector<float> out(static_cast<size_t>(p.num_outputs), -1.0f);
    ref::mean_float(p, x.data(), out.data());
    return out;
  };
  EXPECT_EQ(run({1}), (std::vector<float>{2.0f, 5.0f}));
  EXPECT_EQ(run({0}), (std::vector<float>{2.5f, 3.5f, 4.5f}));
  EXPECT_EQ(run({0, 1}), (std::vector<float>{3.5f}));
  EXPECT_EQ(run({}), x);
}

TEST(MeanKernel, FloatRandomMatchesInOrderSumBitForBit) {
  std::mt19937 rng(31);
  std::uniform_real_distribution<float> value(-10.0f, 10.0f);
  for (int trial = 0; trial < 80; ++trial) {
    const int rank = 1 + trial % 5;
    const Dims shape = random_shape(rng, rank, 5);
    std::vector<int> axes;
    for (int d = 0; d < rank; ++d)
      if (rng() % 2) axes.push_back(d);
    std::vector<float> input(static_cast<size_t>(count_of(shape)));
    for (float& v : input) v = value(rng);
    ref::MeanParams p = mean_params_for(shape, axes);
    std::vector<float> out(static_cast<size_t>(p.num_outputs));
    ref::mean_float(p, input.data(), out.data());
    const std::vector<float> expected = mean_float_reference(input, shape, axes);
    ASSERT_EQ(out.size(), expected.size());
    for (size_t i = 0; i < out.size(); ++i)
      ASSERT_EQ(memcmp(&out[i], &expected[i], sizeof(float)), 0) << "trial " << trial << " output " << i;
  }
}

TEST(MeanKernel, FoldCountHandChecked) {
  // quantize_multiplier(1.0) = 2^30 * 2^1.
  int32_t m = 1 << 30;
  int32_t s = 1;
  ref::mean_fold_count(3, &m, &s);  // shift left by floor(log2 3) = 1, divide by 3
  EXPECT_EQ(m, 715827882);          // 2^31 / 3
  EXPECT_EQ(s, 0);

  m = 1 << 30;
  s = 1;
  ref::mean_fold_count(49, &m, &s);  // 7x7 pooling: 2^35 / 49
  EXPECT_EQ(m, 701219150);
  EXPECT_EQ(s, -4);

  m = 1 << 30;
  s = 1;
  ref::mean_fold_count(int64_t(1) << 33, &m, &s);  // extra shift capped at 32
  EXPECT_EQ(m, 1 << 29);
  EXPECT_EQ(s, -31);

  m = 1 << 30;
  s = -5;
  ref::mean_fold_count(int64_t(1) << 20, &m, &s);  // full log2 shift: 2^50 / 2^20
  EXPECT_EQ(m, 1 << 30);
  EXPECT_EQ(s, -25);

  m = 1 << 30;
  s = -5;
  ref::mean_fold_count(int64_t(1) << 30, &m, &s);  // capped at 26 so that the shift stays >= -31
  EXPECT_EQ(m, 1 << 26);
  EXPECT_EQ(s, -31);
}

TEST(MeanKernel, Int8HandChecked) {
  // Same scale, zero points 0: mean(1, 2) = 1.5 rounds up to 2, mean(-1, -2)
  // = -1.5 rounds up to -1 (the fixed-point multiply rounds halves toward +inf
  // for negative products).
  EXPECT_EQ(run_mean_kernel<int8_t>({1, 2, -1, -2}, {2, 2}, {1}, 1.0f, 0, 1.0f, 0), (std::vector<int8_t>{2, -1}));
  // 0.5 -> 0.25 scale: reals {0.5, 1.0} average 0.75 = 3 output steps;
  // {0.5, 1.0, 1.0} average 0.8333 = 3.33 steps -> 3.
  EXPECT_EQ(run_mean_kernel<int8_t>({1, 2}, {2}, {0}, 0.5f, 0, 0.25f, 0), (std::vector<int8_t>{3}));
  EXPECT_EQ(run_mean_kernel<int8_t>({1, 2, 2}, {3}, {0}, 0.5f, 0, 0.25f, 0), (std::vector<int8_t>{3}));
  // Zero points: input zp 10 centres {12, 14} on {2, 4} -> mean 3, output zp -5 -> -2.
  EXPECT_EQ(run_mean_kernel<int8_t>({12, 14}, {2}, {0}, 1.0f, 10, 1.0f, -5), (std::vector<int8_t>{-2}));
  // Saturation: mean 100 * 4 = 400 steps clamps to 127.
  EXPECT_EQ(run_mean_kernel<int8_t>({100, 100}, {2}, {0}, 1.0f, 0, 0.25f, 0), (std::vector<int8_t>{127}));
}

template <typename T>
void mean_quantized_sweep(uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> scale(0.01f, 0.2f);
  const int32_t lo = std::numeric_limits<T>::min(), hi = std::numeric_limits<T>::max();
  for (int trial = 0; trial < 80; ++trial) {
    const int rank = 1 + trial % 5;
    const Dims shape = random_shape(rng, rank, 6);
    std::vector<int> axes;
    for (int d = 0; d < rank; ++d)
      if (rng() % 2) axes.push_back(d);
    const float in_scale = scale(rng), out_scale = scale(rng);
    const int32_t in_zp = sizeof(T) == 1 ? int32_t(rng() % 41) - 20 : 0;
    const int32_t out_zp = sizeof(T) == 1 ? int32_t(rng() % 41) - 20 : 0;
    std::vector<T> input(static_cast<size_t>(count_of(shape)));
    for (T& v : input) v = T(lo + int64_t(rng() % uint32_t(int64_t(hi) - lo + 1)));

    const std::vector<T> out = run_mean_kernel(input, shape, axes, in_scale, in_zp, out_scale, out_zp);
    ASSERT_EQ(out, mean_quantized_reference(input, shape, axes, in_scale, in_zp, out_scale, out_zp))
        << "trial " << trial;

    // And within one step of the real-valued mean.
    const auto groups = mean_groups(shape, axes);
    for (size_t o = 0; o < groups.size(); ++o) {
      double real = 0.0;
      for (int64_t i : groups[o]) real += in_scale * (double(input[size_t(i)]) - in_zp);
      real /= double(groups[o].size());
      const double ideal = std::min<double>(hi, std::max<double>(lo, std::round(real / out_scale) + out_zp));
      ASSERT_LE(std::fabs(double(out[o]) - ideal), 1.0) << "trial " << trial << " output " << o;
    }
  }
}

TEST(MeanKernel, Int8RandomMatchesReferenceAndRealMean) { mean_quantized_sweep<int8_t>(41); }
TEST(MeanKernel, Int16RandomMatchesReferenceAndRealMean) { mean_quantized_sweep<int16_t>(42); }

// ===========================================================================
// Op-level tests through the interpreter

// --- RESHAPE / SQUEEZE / EXPAND_DIMS -----------------------------------------

template <typename T>
void check_reshape_copies(DType type) {
  const std::vector<T> data = cast_all<T>(iota(6, 1));
  const auto model =
      one_op_model(schema::BuiltinOp::kReshape,
                   {activation("x", type, {2, 3}), TensorSpec::constant<int32_t>("shape", DType::kInt32, {2}, {3, -1})},
                   activation("y", type, {3, 2}));
  const RunResult r = run_model(model, {bytes_of(data)});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.output<T>(0), data);
  ASSERT_EQ(r.output_shapes.size(), 1u);
  EXPECT_EQ(to_dims(r.output_shapes[0]), (Dims{3, 2}));
}

TEST(ReshapeOp, CopiesEveryType) {
  check_reshape_copies<float>(DType::kFloat32);
  check_reshape_copies<int8_t>(DType::kInt8);
  check_reshape_copies<uint8_t>(DType::kUInt8);
  check_reshape_copies<int16_t>(DType::kInt16);
  check_reshape_copies<int32_t>(DType::kInt32);
  check_reshape_copies<int64_t>(DType::kInt64);
}

TEST(ReshapeOp, WorksWithOnlyTheNewShapeOption) {
  const std::vector<int8_t> data = {1, 2, 3, 4, 5, 6, 7, 8};
  const auto model =
      one_op_model(schema::BuiltinOp::kReshape, {activation("x", DType::kInt8, {1, 8}, {0.5f}, {3})},
                   activation("y", DType::kInt8, {2, 2, 2}, {0.5f}, {3}),
                   Options(schema::OptionsType::kReshape).i32_vector(schema::reshape_options::new_shape, {2, 2, 2}));
  const RunResult r = run_model(model, {bytes_of(data)});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.output<int8_t>(0), data);
}

TEST(ReshapeOp, RejectsElementCountMismatch) {
  const auto model = one_op_model(schema::BuiltinOp::kReshape, {activation("x", DType::kFloat32, {2, 3})},
                                  activation("y", DType::kFloat32, {4, 2}));
  EXPECT_TRUE(fails_with(run_model(model, {bytes_of(std::vector<float>(6))}), "elements"));
}

TEST(ReshapeOp, RejectsTypeMismatch) {
  const auto model = one_op_model(schema::BuiltinOp::kReshape, {activation("x", DType::kFloat32, {2, 3})},
                                  activation("y", DType::kInt32, {6}));
  EXPECT_TRUE(fails_with(run_model(model, {bytes_of(std::vector<float>(6))}), "same type"));
}

TEST(SqueezeOp, SqueezesListedDims) {
  const std::vector<int16_t> data = cast_all<int16_t>(iota(6, -3));
  const auto model =
      one_op_model(schema::BuiltinOp::kSqueeze, {activation("x", DType::kInt16, {1, 3, 1, 2})},
                   activation("y", DType::kInt16, {3, 2}),
                   Options(schema::OptionsType::kSqueeze).i32_vector(schema::squeeze_options::squeeze_dims, {0, -2}));
  const RunResult r = run_model(model, {bytes_of(data)});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.output<int16_t>(0), data);
}

TEST(SqueezeOp, EmptyListSqueezesAllOnes) {
  const std::vector<float> data = {1.5f, -2.5f, 3.0f};
  const auto model = one_op_model(schema::BuiltinOp::kSqueeze, {activation("x", DType::kFloat32, {1, 1, 3, 1})},
                                  activation("y", DType::kFloat32, {3}));
  const RunResult r = run_model(model, {bytes_of(data)});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.output<float>(0), data);
}

TEST(SqueezeOp, RejectsDimThatIsNotOne) {
  const auto model = one_op_model(
      schema::BuiltinOp::kSqueeze, {activation("x", DType::kInt8, {1, 3, 2})}, activation("y", DType::kInt8, {1, 6}),
      Options(schema::OptionsType::kSqueeze).i32_vector(schema::squeeze_options::squeeze_dims, {1}));
  EXPECT_TRUE(fails_with(run_model(model, {bytes_of(std::vector<int8_t>(6))}), "cannot squeeze dimension 1"));
}

TEST(SqueezeOp, RejectsWrongOutputShape) {
  const auto model = one_op_model(schema::BuiltinOp::kSqueeze, {activation("x", DType::kInt8, {1, 3, 1, 2})},
                                  activation("y", DType::kInt8, {6}));
  EXPECT_TRUE(fails_with(run_model(model, {bytes_of(std::vector<int8_t>(6))}), "gives [3,2]"));
}

TEST(ExpandDimsOp, InsertsAxisAnywhere) {
  const std::vector<int8_t> data = {1, 2, 3, 4, 5, 6};
  struct Case {
    int32_t axis;
    Dims out;
  };
  for (const Case& c :
       {Case{0, {1, 3, 2}}, Case{1, {3, 1, 2}}, Case{2, {3, 2, 1}}, Case{-1, {3, 2, 1}}, Case{-3, {1, 3, 2}}}) {
    const auto model = one_op_model(
        schema::BuiltinOp::kExpandDims,
        {activation("x", DType::kInt8, {3, 2}), TensorSpec::constant<int32_t>("axis", DType::kInt32, {1}, {c.axis})},
        activation("y", DType::kInt8, c.out));
    const RunResult r = run_model(model, {bytes_of(data)});
    ASSERT_TRUE(r.ok()) << "axis " << c.axis << ": " << r.error;
    EXPECT_EQ(r.output<int8_t>(0), data);
  }
}

TEST(ExpandDimsOp, RejectsOutputThatDoesNotMatchAxis) {
  const auto model = one_op_model(
      schema::BuiltinOp::kExpandDims,
      {activation("x", DType::kFloat32, {3, 2}), TensorSpec::constant<int32_t>("axis", DType::kInt32, {1}, {0})},
      activation("y", DType::kFloat32, {3, 1, 2}));
  EXPECT_TRUE(fails_with(run_model(model, {bytes_of(std::vector<float>(6))}), "gives [1,3,2]"));
}

TEST(ExpandDimsOp, RejectsOutOfRangeAxis) {
  const auto model = one_op_model(
      schema::BuiltinOp::kExpandDims,
      {activation("x", DType::kFloat32, {3, 2}), TensorSpec::constant<int32_t>("axis", DType::kInt32, {1}, {3})},
      activation("y", DType::kFloat32, {3, 2, 1}));
  EXPECT_TRUE(fails_with(run_model(model, {bytes_of(std::vector<float>(6))}), "out of range"));
}

// --- CONCATENATION -----------------------------------------------------------

template <typename T>
std::vector<T> concat_reference(const std::vector<std::vector<T>>& inputs, const std::vector<Dims>& shapes, int axis) {
  Dims out_shape = shapes[0];
  out_shape[axis] = 0;
  for (const Dims& s : shapes) out_shape[axis] += s[axis];
  std::vector<T> out;
  for (int64_t o = 0; o < count_of(out_shape); ++o) {
    Dims index = unravel(o, out_shape);
    size_t which = 0;
    while (index[axis] >= shapes[which][axis]) index[axis] -= shapes[which++][axis];
    out.push_back(inputs[which][size_t(ravel(index, shapes[which]))]);
  }
  return out;
}

template <typename T>
void check_concatenation(DType type, const std::vector<Dims>& shapes, int32_t axis, std::vector<float> scales = {},
                         std::vector<int64_t> zero_points = {}) {
  const int rank = int(shapes[0].size());
  const int positive_axis = axis < 0 ? axis + rank : axis;
  std::vector<std::vector<T>> inputs;
  std::vector<TensorSpec> specs;
  std::vector<std::vector<uint8_t>> input_bytes;
  int32_t next = 1;
  for (size_t i = 0; i < shapes.size(); ++i) {
    inputs.push_back(cast_all<T>(iota(count_of(shapes[i]), next)));
    next += int32_t(count_of(shapes[i]));
    specs.push_back(activation("x", type, shapes[i], scales, zero_points));
    input_bytes.push_back(bytes_of(inputs.back()));
  }
  const std::vector<T> expected = concat_reference(inputs, shapes, positive_axis);
  Dims out_shape = shapes[0];
  out_shape[positive_axis] = 0;
  for (const Dims& s : shapes) out_shape[positive_axis] += s[positive_axis];
  const auto model =
      one_op_model(schema::BuiltinOp::kConcatenation, specs, activation("y", type, out_shape, scales, zero_points),
                   Options(schema::OptionsType::kConcatenation).i32(schema::concatenation_options::axis, axis));
  const RunResult r = run_model(model, input_bytes);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.output<T>(0), expected);
}

TEST(ConcatenationOp, FloatLastAxisNegative) {
  check_concatenation<float>(DType::kFloat32, {{2, 3, 1}, {2, 3, 2}, {2, 3, 3}}, -1);
}

TEST(ConcatenationOp, Int8FirstAxisCopiesQuantizedValues) {
  check_concatenation<int8_t>(DType::kInt8, {{1, 4}, {3, 4}}, 0, {0.5f}, {-3});
}

TEST(ConcatenationOp, Int16MiddleAxis) { check_concatenation<int16_t>(DType::kInt16, {{2, 1, 3}, {2, 4, 3}}, 1); }

TEST(ConcatenationOp, Int32AndInt64AndUint8) {
  check_concatenation<int32_t>(DType::kInt32, {{2, 2}, {2, 1}}, 1);
  check_concatenation<int64_t>(DType::kInt64, {{1, 2}, {2, 2}}, -2);
  check_concatenation<uint8_t>(DType::kUInt8, {{3}, {2}}, 0);
}

TEST(ConcatenationOp, HandChecked) {
  // [[1,2],[3,4]] ++ [[5],[6]] along axis 1.
  const auto model =
      one_op_model(schema::BuiltinOp::kConcatenation,
                   {activation("a", DType::kInt32, {2, 2}), activation("b", DType::kInt32, {2, 1})},
                   activation("y", DType::kInt32, {2, 3}),
                   Options(schema::OptionsType::kConcatenation).i32(schema::concatenation_options::axis, 1));
  const RunResult r =
      run_model(model, {bytes_of(std::vector<int32_t>{1, 2, 3, 4}), bytes_of(std::vector<int32_t>{5, 6})});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.output<int32_t>(0), (std::vector<int32_t>{1, 2, 5, 3, 4, 6}));
}

TEST(ConcatenationOp, RejectsMismatchedShapes) {
  const auto model =
      one_op_model(schema::BuiltinOp::kConcatenation,
                   {activation("a", DType::kFloat32, {2, 2}), activation("b", DType::kFloat32, {3, 1})},
                   activation("y", DType::kFloat32, {2, 3}),
                   Options(schema::OptionsType::kConcatenation).i32(schema::concatenation_options::axis, 1));
  EXPECT_TRUE(fails_with(run_model(model, {bytes_of(std::vector<float>(4)), bytes_of(std::vector<float>(3))}),
                         "does not match output"));
}

TEST(ConcatenationOp, RejectsFusedActivation) {
  const auto model = one_op_model(
      schema::BuiltinOp::kConcatenation, {activation("a", DType::kFloat32, {2}), activation("b", DType::kFloat32, {2})},
      activation("y", DType::kFloat32, {4}),
      Options(schema::OptionsType::kConcatenation).i8(schema::concatenation_options::fused_activation_function, 1));
  EXPECT_TRUE(fails_with(run_model(model, {bytes_of(std::vector<float>(2)), bytes_of(std::vector<float>(2))}),
                         "fused activation"));
}

// --- MEAN ---------------------------------------------------------------------

std::vector<uint8_t> mean_model(DType type, const Dims& in_shape, const std::vector<int32_t>& axes,
                                const Dims& out_shape, bool keep_dims, std::vector<float> in_scale = {},
                                std::vector<int64_t> in_zp = {}, std::vector<float> out_scale = {},
                                std::vector<int64_t> out_zp = {}) {
  return one_op_model(schema::BuiltinOp::kMean,
                      {activation("x", type, in_shape, in_scale, in_zp),
                       TensorSpec::constant<int32_t>("axis", DType::kInt32, {int32_t(axes.size())}, axes)},
                      activation("y", type, out_shape, out_scale, out_zp),
                      Options(schema::OptionsType::kReducer).boolean(schema::reducer_options::keep_dims, keep_dims));
}

TEST(MeanOp, FloatSpatialKeepDims) {
  std::mt19937 rng(51);
  std::uniform_real_distribution<float> value(-3.0f, 3.0f);
  const Dims shape = {2, 3, 4, 5};
  std::vector<float> input(static_cast<size_t>(count_of(shape)));
  for (float& v : input) v = value(rng);
  const RunResult r = run_model(mean_model(DType::kFloat32, shape, {1, 2}, {2, 1, 1, 5}, true), {bytes_of(input)});
  ASSERT_TRUE(r.ok()) << r.error;
  const std::vector<float> expected = mean_float_reference(input, shape, {1, 2});
  const std::vector<float> out = r.output<float>(0);
  ASSERT_EQ(out.size(), expected.size());
  EXPECT_EQ(memcmp(out.data(), expected.data(), out.size() * sizeof(float)), 0);
}

TEST(MeanOp, FloatNegativeAndDuplicateAxesWithoutKeepDims) {
  const std::vector<float> input = {1, 2, 3, 4, 5, 6};  // [2,3]
  const RunResult r = run_model(mean_model(DType::kFloat32, {2, 3}, {-1, 1}, {2}, false), {bytes_of(input)});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.output<float>(0), (std::vector<float>{2.0f, 5.0f}));
}

TEST(MeanOp, Int8RequantizesLikeTflm) {
  std::mt19937 rng(52);
  const Dims shape = {1, 7, 7, 6};
  std::vector<int8_t> input(static_cast<size_t>(count_of(shape)));
  for (int8_t& v : input) v = int8_t(int32_t(rng() % 256) - 128);
  const RunResult r = run_model(
      mean_model(DType::kInt8, shape, {1, 2}, {1, 1, 1, 6}, true, {0.0734f}, {-7}, {0.0512f}, {11}), {bytes_of(input)});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.output<int8_t>(0), mean_quantized_reference<int8_t>(input, shape, {1, 2}, 0.0734f, -7, 0.0512f, 11));
}

TEST(MeanOp, Int8SameQuantizationAllAxes) {
  // Equal scales and zero points still go through the requantizing path in
  // TFLM: sum -2 over n = 4 with multiplier 2^30 * 2^-1 (1/4 folded in):
  // the high multiply gives exactly -1, the rounding shift by 1 turns -0.5
  // into -1 (half away from zero).
  const RunResult r = run_model(mean_model(DType::kInt8, {2, 2}, {0, 1}, {1, 1}, true, {0.1f}, {0}, {0.1f}, {0}),
                                {bytes_of(std::vector<int8_t>{-128, -127, 126, 127})});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.output<int8_t>(0), (std::vector<int8_t>{-1}));
}

TEST(MeanOp, Int16) {
  std::mt19937 rng(53);
  const Dims shape = {3, 5, 4};
  std::vector<int16_t> input(static_cast<size_t>(count_of(shape)));
  for (int16_t& v : input) v = int16_t(int32_t(rng() % 65536) - 32768);
  const RunResult r =
      run_model(mean_model(DType::kInt16, shape, {2}, {3, 5}, false, {0.002f}, {0}, {0.0015f}, {0}), {bytes_of(input)});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.output<int16_t>(0), mean_quantized_reference<int16_t>(input, shape, {2}, 0.002f, 0, 0.0015f, 0));
}

TEST(MeanOp, RejectsNonConstantAxis) {
  const auto model = one_op_model(schema::BuiltinOp::kMean,
                                  {activation("x", DType::kFloat32, {2, 3}), activation("axis", DType::kInt32, {1})},
                                  activation("y", DType::kFloat32, {2}));
  EXPECT_TRUE(
      fails_with(run_model(model, {bytes_of(std::vector<float>(6)), bytes_of(std::vector<int32_t>{1})}), "constant"));
}

TEST(MeanOp, RejectsWrongOutputSize) {
  EXPECT_TRUE(
      fails_with(run_model(mean_model(DType::kFloat32, {2, 3}, {1}, {3}, false), {bytes_of(std::vector<float>(6))}),
                 "gives 2 elements"));
}

// Valid scales 2^40 apart would need a left shift of 40 in the kernel's
// requantization (undefined past 31): refused in prepare.
TEST(MeanOp, RejectsScalesTooFarApart) {
  const auto model = mean_model(DType::kInt8, {2, 3}, {1}, {2}, false, {1e6f}, {0}, {1e-6f}, {0});
  EXPECT_TRUE(fails_with(run_model(model, {bytes_of(std::vector<int8_t>(6, 1))}), "left shift of 40"));
}

TEST(MeanOp, RejectsAxisOutOfRange) {
  EXPECT_TRUE(
      fails_with(run_model(mean_model(DType::kFloat32, {2, 3}, {2}, {2}, false), {bytes_of(std::vector<float>(6))}),
                 "out of range"));
}

// --- PAD / PADV2 ----------------------------------------------------------------

TEST(PadOp, FloatPadsWithZero) {
  const auto model = one_op_model(schema::BuiltinOp::kPad,
                                  {activation("x", DType::kFloat32, {2, 2}),
                                   TensorSpec::constant<int32_t>("paddings", DType::kInt32, {2, 2}, {1, 0, 0, 2})},
                                  activation("y", DType::kFloat32, {3, 4}));
  const RunResult r = run_model(model, {bytes_of(std::vector<float>{1, 2, 3, 4})});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.output<float>(0), (std::vector<float>{0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0}));
}

TEST(PadOp, Int8PadsWithOutputZeroPoint) {
  const Dims shape = {1, 2, 3, 2};
  const std::vector<int8_t> input = cast_all<int8_t>(iota(12, 1));
  const auto model =
      one_op_model(schema::BuiltinOp::kPad,
                   {activation("x", DType::kInt8, shape, {0.25f}, {-9}),
                    TensorSpec::constant<int32_t>("paddings", DType::kInt32, {4, 2}, {0, 0, 1, 1, 2, 0, 0, 0})},
                   activation("y", DType::kInt8, {1, 4, 5, 2}, {0.25f}, {-9}));
  const RunResult r = run_model(model, {bytes_of(input)});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.output<int8_t>(0), pad_reference<int8_t>(input, shape, {0, 1, 2, 0}, {0, 1, 0, 0}, -9));
}

TEST(PadOp, Int16AndInt32PadWithZeroAndInt64Paddings) {
  const std::vector<int16_t> in16 = {-5, 7, 9};
  const auto model16 = one_op_model(schema::BuiltinOp::kPad,
                                    {activation("x", DType::kInt16, {3}, {0.01f}, {0}),
                                     TensorSpec::constant<int64_t>("paddings", DType::kInt64, {1, 2}, {2, 1})},
                                    activation("y", DType::kInt16, {6}, {0.01f}, {0}));
  const RunResult r16 = run_model(model16, {bytes_of(in16)});
  ASSERT_TRUE(r16.ok()) << r16.error;
  EXPECT_EQ(r16.output<int16_t>(0), (std::vector<int16_t>{0, 0, -5, 7, 9, 0}));

  const auto model32 = one_op_model(schema::BuiltinOp::kPad,
                                    {activation("x", DType::kInt32, {1, 2}),
                                     TensorSpec::constant<int32_t>("paddings", DType::kInt32, {2, 2}, {1, 1, 0, 1})},
                                    activation("y", DType::kInt32, {3, 3}));
  const RunResult r32 = run_model(model32, {bytes_of(std::vector<int32_t>{-1, 2})});
  ASSERT_TRUE(r32.ok()) << r32.error;
  EXPECT_EQ(r32.output<int32_t>(0), (std::vector<int32_t>{0, 0, 0, -1, 2, 0, 0, 0, 0}));
}

TEST(PadV2Op, FloatConstantValue) {
  const auto model = one_op_model(
      schema::BuiltinOp::kPadV2,
      {activation("x", DType::kFloat32, {2}), TensorSpec::constant<int32_t>("paddings", DType::kInt32, {1, 2}, {1, 2}),
       TensorSpec::constant<float>("value", DType::kFloat32, {}, {7.5f})},
      activation("y", DType::kFloat32, {5}));
  const RunResult r = run_model(model, {bytes_of(std::vector<float>{1, -1})});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.output<float>(0), (std::vector<float>{7.5f, 1, -1, 7.5f, 7.5f}));
}

TEST(PadV2Op, Int8ConstantValueAndNonConstantValue) {
  const auto constant_model =
      one_op_model(schema::BuiltinOp::kPadV2,
                   {activation("x", DType::kInt8, {2}, {0.5f}, {4}),
                    TensorSpec::constant<int32_t>("paddings", DType::kInt32, {1, 2}, {1, 1}),
                    TensorSpec::constant<int8_t>("value", DType::kInt8, {1}, {-100}, {0.5f}, {4})},
                   activation("y", DType::kInt8, {4}, {0.5f}, {4}));
  const RunResult r = run_model(constant_model, {bytes_of(std::vector<int8_t>{3, 5})});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.output<int8_t>(0), (std::vector<int8_t>{-100, 3, 5, -100}));

  // The pad value as a model input, read on every invoke.
  const auto input_model = one_op_model(schema::BuiltinOp::kPadV2,
                                        {activation("x", DType::kInt8, {2}, {0.5f}, {4}),
                                         TensorSpec::constant<int32_t>("paddings", DType::kInt32, {1, 2}, {0, 2}),
                                         activation("value", DType::kInt8, {1}, {0.5f}, {4})},
                                        activation("y", DType::kInt8, {4}, {0.5f}, {4}));
  const RunResult r2 = run_model(input_model, {bytes_of(std::vector<int8_t>{3, 5}), bytes_of(std::vector<int8_t>{42})});
  ASSERT_TRUE(r2.ok()) << r2.error;
  EXPECT_EQ(r2.output<int8_t>(0), (std::vector<int8_t>{3, 5, 42, 42}));
}

TEST(PadV2Op, Int8RejectsValueInOtherQuantization) {
  const auto model = one_op_model(schema::BuiltinOp::kPadV2,
                                  {activation("x", DType::kInt8, {2}, {0.5f}, {4}),
                                   TensorSpec::constant<int32_t>("paddings", DType::kInt32, {1, 2}, {1, 1}),
                                   TensorSpec::constant<int8_t>("value", DType::kInt8, {1}, {0}, {0.25f}, {4})},
                                  activation("y", DType::kInt8, {4}, {0.5f}, {4}));
  EXPECT_TRUE(fails_with(run_model(model, {bytes_of(std::vector<int8_t>{3, 5})}), "scale and zero point"));
}

TEST(PadOp, RejectsOutputShapeMismatchAndNegativePaddings) {
  const auto wrong_shape = one_op_model(
      schema::BuiltinOp::kPad,
      {activation("x", DType::kFloat32, {2}), TensorSpec::constant<int32_t>("paddings", DType::kInt32, {1, 2}, {1, 1})},
      activation("y", DType::kFloat32, {5}));
  EXPECT_TRUE(fails_with(run_model(wrong_shape, {bytes_of(std::vector<float>(2))}), "does not give output"));
  const auto negative = one_op_model(schema::BuiltinOp::kPad,
                                     {activation("x", DType::kFloat32, {3}),
                                      TensorSpec::constant<int32_t>("paddings", DType::kInt32, {1, 2}, {-1, 0})},
                                     activation("y", DType::kFloat32, {2}));
  EXPECT_TRUE(fails_with(run_model(negative, {bytes_of(std::vector<float>(3))}), "negative"));
}

// --- TRANSPOSE ------------------------------------------------------------------

template <typename T>
void check_transpose(DType type, const Dims& shape, const Dims& perm) {
  const std::vector<T> input = cast_all<T>(iota(count_of(shape), 1));
  Dims out_shape;
  for (int32_t p : perm) out_shape.push_back(shape[p]);
  const auto model = one_op_model(schema::BuiltinOp::kTranspose,
                                  {activation("x", type, shape),
                                   TensorSpec::constant<int32_t>("perm", DType::kInt32, {int32_t(perm.size())}, perm)},
                                  activation("y", type, out_shape));
  const RunResult r = run_model(model, {bytes_of(input)});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.output<T>(0), transpose_reference(input, shape, perm));
}

TEST(TransposeOp, EveryType) {
  check_transpose<float>(DType::kFloat32, {2, 3}, {1, 0});
  check_transpose<int8_t>(DType::kInt8, {2, 3, 4}, {2, 0, 1});
  check_transpose<int16_t>(DType::kInt16, {2, 1, 3, 2, 2, 2}, {5, 3, 1, 0, 4, 2});
  check_transpose<int32_t>(DType::kInt32, {3, 4, 5, 2}, {0, 3, 1, 2});
  check_transpose<uint8_t>(DType::kUInt8, {4, 3}, {1, 0});
}

TEST(TransposeOp, RejectsRepeatedPermEntry) {
  const auto model = one_op_model(
      schema::BuiltinOp::kTranspose,
      {activation("x", DType::kFloat32, {2, 2}), TensorSpec::constant<int32_t>("perm", DType::kInt32, {2}, {0, 0})},
      activation("y", DType::kFloat32, {2, 2}));
  EXPECT_TRUE(fails_with(run_model(model, {bytes_of(std::vector<float>(4))}), "not a permutation"));
}

TEST(TransposeOp, RejectsWrongOutputShape) {
  const auto model = one_op_model(
      schema::BuiltinOp::kTranspose,
      {activation("x", DType::kFloat32, {2, 3}), TensorSpec::constant<int32_t>("perm", DType::kInt32, {2}, {1, 0})},
      activation("y", DType::kFloat32, {2, 3}));
  EXPECT_TRUE(fails_with(run_model(model, {bytes_of(std::vector<float>(6))}), "gives [3,2]"));
}

// --- STRIDED_SLICE ----------------------------------------------------------------

std::vector<uint8_t> strided_slice_model(DType type, const Dims& in_shape, const std::vector<int32_t>& begin,
                                         const std::vector<int32_t>& end, const std::vector<int32_t>& strides,
                                         const Dims& out_shape, int32_t begin_mask, int32_t end_mask,
                                         int32_t ellipsis_mask = 0, int32_t new_axis_mask = 0,
                                         int32_t shrink_axis_mask = 0, bool offset = false) {
  const int32_t n = int32_t(begin.size());
  namespace so = schema::strided_slice_options;
  return one_op_model(
      schema::BuiltinOp::kStridedSlice,
      {activation("x", type, in_shape), TensorSpec::constant<int32_t>("begin", DType::kInt32, {n}, begin),
       TensorSpec::constant<int32_t>("end", DType::kInt32, {n}, end),
       TensorSpec::constant<int32_t>("strides", DType::kInt32, {n}, strides)},
      activation("y", type, out_shape),
      Options(schema::OptionsType::kStridedSlice)
          .i32(so::begin_mask, begin_mask)
          .i32(so::end_mask, end_mask)
          .i32(so::ellipsis_mask, ellipsis_mask)
          .i32(so::new_axis_mask, new_axis_mask)
          .i32(so::shrink_axis_mask, shrink_axis_mask)
          .boolean(so::offset, offset));
}

template <typename T>
void check_reversed_middle_axis(DType type) {
  // x[:, ::-1, 1:3] on arange(24).reshape(2,3,4), as in the kernel test.
  const RunResult r =
      run_model(strided_slice_model(type, {2, 3, 4}, {0, 0, 1}, {0, 0, 3}, {1, -1, 1}, {2, 3, 2}, 0b011, 0b011),
                {bytes_of(cast_all<T>(iota(24)))});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.output<T>(0), cast_all<T>({9, 10, 5, 6, 1, 2, 21, 22, 17, 18, 13, 14}));
}

TEST(StridedSliceOp, EveryType) {
  check_reversed_middle_axis<float>(DType::kFloat32);
  check_reversed_middle_axis<int8_t>(DType::kInt8);
  check_reversed_middle_axis<uint8_t>(DType::kUInt8);
  check_reversed_middle_axis<int16_t>(DType::kInt16);
  check_reversed_middle_axis<int32_t>(DType::kInt32);
  check_reversed_middle_axis<int64_t>(DType::kInt64);
}

TEST(StridedSliceOp, ShrinkEllipsisNewAxisAndOffset) {
  const std::vector<int8_t> x = cast_all<int8_t>(iota(24));
  const RunResult shrink = run_model(strided_slice_model(DType::kInt8, {2, 3, 4}, {1, 0, 0}, {2, 0, 0}, {1, 1, -2},
                                                         {3, 2}, 0b100, 0b100, 0b010, 0, 0b001),
                                     {bytes_of(x)});
  ASSERT_TRUE(shrink.ok()) << shrink.error;
  EXPECT_EQ(shrink.output<int8_t>(0), (std::vector<int8_t>{15, 13, 19, 17, 23, 21}));

  const RunResult new_axis = run_model(strided_slice_model(DType::kInt8, {2, 3, 4}, {0, 0, -1}, {0, 0, 0}, {1, 1, 1},
                                                           {2, 1, 4}, 0b001, 0b001, 0, 0b010, 0b100),
                                       {bytes_of(x)});
  ASSERT_TRUE(new_axis.ok()) << new_axis.error;
  EXPECT_EQ(new_axis.output<int8_t>(0), (std::vector<int8_t>{8, 9, 10, 11, 20, 21, 22, 23}));

  const RunResult offset = run_model(
      strided_slice_model(DType::kInt8, {2, 3, 4}, {0, 1, 1}, {1, 2, 2}, {1, 1, 1}, {1, 2, 2}, 0, 0, 0, 0, 0, true),
      {bytes_of(x)});
  ASSERT_TRUE(offset.ok()) << offset.error;
  EXPECT_EQ(offset.output<int8_t>(0), (std::vector<int8_t>{5, 6, 9, 10}));
}

TEST(StridedSliceOp, RejectsWrongOutputShape) {
  const RunResult r =
      run_model(strided_slice_model(DType::kFloat32, {4}, {1}, {3}, {1}, {3}, 0, 0), {bytes_of(std::vector<float>(4))});
  EXPECT_TRUE(fails_with(r, "gives [2]"));
}

TEST(StridedSliceOp, RejectsZeroStride) {
  const RunResult r =
      run_model(strided_slice_model(DType::kFloat32, {4}, {1}, {3}, {0}, {2}, 0, 0), {bytes_of(std::vector<float>(4))});
  EXPECT_TRUE(fails_with(r, "stride is 0"));
}

}  // namespace
