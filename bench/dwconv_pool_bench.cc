// Optimized kernels against their reference kernels, on layer shapes taken
// from the conformance models (person_detect / vww_96 MobileNet depthwise
// layers, kws_ref_model's 25x5x64 layers and pool, a 1000-class softmax):
// DEPTHWISE_CONV_2D int8 (3x3 and generic) and float, AVERAGE/MAX_POOL_2D
// int8, ADD / MUL int8 (same shape and per-channel), SOFTMAX int8.
//
//   ./build/bench/dwconv_pool_bench --benchmark_filter=Depthwise
//
// items_per_second counts multiply-accumulates (convolutions) or output
// elements (the others).
#include <benchmark/benchmark.h>
#include <stdint.h>

#include <vector>

#include "random_data.h"
#include "kernels/conv_params.h"
#include "kernels/fixedpoint.h"
#include "kernels/optimized/add.h"
#include "kernels/optimized/depthwise_conv_2d.h"
#include "kernels/optimized/mul.h"
#include "kernels/optimized/pooling.h"
#include "kernels/optimized/softmax.h"
#include "kernels/reference/add.h"
#include "kernels/reference/depthwise_conv_2d.h"
#include "kernels/reference/mul.h"
#include "kernels/reference/pooling.h"
#include "kernels/reference/softmax.h"

namespace {

using mote::ConvParams;
using mote::Dims4;

enum class Kernel { kReference, kOptimized, kOptimized3x3, kChannelwise3x3 };

// A depthwise layer: square input of `size`, `channels`, 3x3 SAME, `stride`.
struct DepthwiseLayer {
  ConvParams params;
  Dims4 in, filter, out;
  int64_t macs;
};

DepthwiseLayer depthwise_layer(int32_t height, int32_t width, int32_t channels, int32_t stride) {
  DepthwiseLayer l;
  l.in = Dims4{1, height, width, channels};
  l.filter = Dims4{1, 3, 3, channels};
  l.out.n = 1;
  l.out.h = mote::conv_output_size(mote::schema::Padding::kSame, height, 3, stride, 1);
  l.out.w = mote::conv_output_size(mote::schema::Padding::kSame, width, 3, stride, 1);
  l.out.c = channels;
  l.params.stride_h = l.params.stride_w = stride;
  l.params.pad_h = mote::conv_padding_before(height, 3, stride, 1, l.out.h);
  l.params.pad_w = mote::conv_padding_before(width, 3, stride, 1, l.out.w);
  l.params.input_offset = 128;
  l.params.output_offset = -128;
  l.params.activation_min = -128;
  l.params.activation_max = 127;
  l.params.float_activation_min = 0.0f;
  l.params.float_activation_max = 6.0f;
  l.macs = int64_t(l.out.h) * l.out.w * channels * 9;
  return l;
}

void BM_DepthwiseInt8(benchmark::State& state, Kernel kernel) {
  const DepthwiseLayer l = depthwise_layer(int32_t(state.range(0)), int32_t(state.range(1)), int32_t(state.range(2)),
                                           int32_t(state.range(3)));
  const auto input = random_int8(size_t(l.in.h) * l.in.w * l.in.c, 1);
  const auto filter = random_int8(size_t(9) * l.filter.c, 2);
  std::vector<int32_t> bias(size_t(l.out.c), 1000), multiplier(size_t(l.out.c)), shift(size_t(l.out.c));
  for (size_t c = 0; c < multiplier.size(); ++c) {
    int s = 0;
    mote::fixedpoint::quantize_multiplier(0.002 + 0.0001 * double(c), &multiplier[c], &s);
    shift[c] = s;
  }
  std::vector<int32_t> prepared = shift;  // the optimized kernels' form
  mote::optimized::depthwise_conv_2d_int8_prepare(l.filter, filter.data(), prepared.data());
  std::vector<int8_t> output(size_t(l.out.h) * l.out.w * l.out.c);
  for (auto _ : state) {
    switch (kernel) {
      case Kernel::kReference:
        mote::reference::depthwise_conv_2d_int8(l.params, multiplier.data(), shift.data(), l.in, input.data(),
                                                l.filter, filter.data(), bias.data(), l.out, output.data());
        break;
      case Kernel::kOptimized:
        mote::optimized::depthwise_conv_2d_int8(l.params, multiplier.data(), prepared.data(), l.in, input.data(),
                                                l.filter, filter.data(), bias.data(), l.out, output.data());
        break;
      case Kernel::kOptimized3x3:
        mote::optimized::depthwise_conv_2d_int8_3x3(l.params, multiplier.data(), prepared.data(), l.in, input.data(),
                                                    l.filter, filter.data(), bias.data(), l.out, output.data());
        break;
      case Kernel::kChannelwise3x3:
        mote::optimized::depthwise_conv_2d_int8_3x3_channelwise(l.params, multiplier.data(), prepared.data(), l.in,
                                                                input.data(), l.filter, filter.data(), bias.data(),
                                                                l.out, output.data());
        break;
    }
    benchmark::DoNotOptimize(output.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * l.macs);
}

void BM_DepthwiseFloat(benchmark::State& state, Kernel kernel) {
  const DepthwiseLayer l = depthwise_layer(int32_t(state.range(0)), int32_t(state.range(1)), int32_t(state.range(2)),
                                           int32_t(state.range(3)));
  const auto input = random_floats(size_t(l.in.h) * l.in.w * l.in.c, 1);
  const auto filter = random_floats(size_t(9) * l.filter.c, 2);
  const auto bias = random_floats(size_t(l.out.c), 3);
  std::vector<float> output(size_t(l.out.h) * l.out.w * l.out.c);
  for (auto _ : state) {
    if (kernel == Kernel::kReference) {
      mote::reference::depthwise_conv_2d_float(l.params, l.in, input.data(), l.filter, filter.data(), bias.data(),
                                               l.out, output.data());
    } else {
      mote::optimized::depthwise_conv_2d_float(l.params, l.in, input.data(), l.filter, filter.data(), bias.data(),
                                               l.out, output.data());
    }
    benchmark::DoNotOptimize(output.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * l.macs);
}

// (height, width, channels, stride) of depthwise layers in the models.
void DepthwiseShapes(benchmark::internal::Benchmark* b) {
  b->Args({48, 48, 8, 1})->Args({48, 48, 16, 2})->Args({24, 24, 32, 1})->Args({12, 12, 128, 1});
  b->Args({6, 6, 256, 2})->Args({25, 5, 64, 1});
}

BENCHMARK_CAPTURE(BM_DepthwiseInt8, reference, Kernel::kReference)->Apply(DepthwiseShapes);
BENCHMARK_CAPTURE(BM_DepthwiseInt8, optimized_generic, Kernel::kOptimized)->Apply(DepthwiseShapes);
BENCHMARK_CAPTURE(BM_DepthwiseInt8, optimized_3x3, Kernel::kOptimized3x3)->Apply(DepthwiseShapes);
// What 32-bit cores run; on a host it shows the cost without vectorization.
BENCHMARK_CAPTURE(BM_DepthwiseInt8, optimized_3x3_channelwise, Kernel::kChannelwise3x3)->Apply(DepthwiseShapes);
BENCHMARK_CAPTURE(BM_DepthwiseFloat, reference, Kernel::kReference)->Apply(DepthwiseShapes);
BENCHMARK_CAPTURE(BM_DepthwiseFloat, optimized, Kernel::kOptimized)->Apply(DepthwiseShapes);

// (height, width, channels, filter, stride) pools, VALID padding.
void BM_PoolInt8(benchmark::State& state, bool average, Kernel kernel) {
  mote::reference::PoolParams p{};
  p.batches = 1;
  p.input_height = int32_t(state.range(0));
  p.input_width = int32_t(state.range(1));
  p.channels = int32_t(state.range(2));
  p.filter_height = p.filter_width = int32_t(state.range(3));
  p.stride_height = p.stride_width = int32_t(state.range(4));
  mote::reference::pool_output_size(false, p.input_height, p.filter_height, p.stride_height, &p.output_height,
                                    &p.padding_height);
  mote::reference::pool_output_size(false, p.input_width, p.filter_width, p.stride_width, &p.output_width,
                                    &p.padding_width);
  const auto input = random_int8(size_t(p.input_height) * p.input_width * p.channels, 4);
  std::vector<int8_t> output(size_t(p.output_height) * p.output_width * p.channels);
  for (auto _ : state) {
    if (average) {
      if (kernel == Kernel::kReference)
        benchmark::DoNotOptimize(mote::reference::average_pool_int8(p, -128, 127, input.data(), output.data()));
      else
        benchmark::DoNotOptimize(mote::optimized::average_pool_int8(p, -128, 127, input.data(), output.data()));
    } else {
      if (kernel == Kernel::kReference)
        mote::reference::max_pool_int8(p, -128, 127, input.data(), output.data());
      else
        mote::optimized::max_pool_int8(p, -128, 127, input.data(), output.data());
    }
    benchmark::DoNotOptimize(output.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * int64_t(output.size()));
}

void PoolShapes(benchmark::internal::Benchmark* b) {
  b->Args({3, 3, 256, 3, 3})->Args({24, 24, 32, 2, 2})->Args({12, 12, 64, 3, 2});
}

BENCHMARK_CAPTURE(BM_PoolInt8, average_reference, true, Kernel::kReference)->Apply(PoolShapes);
BENCHMARK_CAPTURE(BM_PoolInt8, average_optimized, true, Kernel::kOptimized)->Apply(PoolShapes);
BENCHMARK_CAPTURE(BM_PoolInt8, max_reference, false, Kernel::kReference)->Apply(PoolShapes);
BENCHMARK_CAPTURE(BM_PoolInt8, max_optimized, false, Kernel::kOptimized)->Apply(PoolShapes);

mote::Shape shape4(int32_t n, int32_t h, int32_t w, int32_t c) {
  mote::Shape s;
  s.rank = 4;
  s.dims[0] = n;
  s.dims[1] = h;
  s.dims[2] = w;
  s.dims[3] = c;
  return s;
}

// ADD / MUL of a [1, 24, 24, 32] tensor with the same shape (range(0) == 0)
// or with a per-channel [32] vector.
void BM_AddMulInt8(benchmark::State& state, bool add, Kernel kernel) {
  const mote::Shape a = shape4(1, 24, 24, 32);
  const mote::Shape b = state.range(0) == 0 ? a : shape4(1, 1, 1, 32);
  mote::reference::BroadcastDesc d;
  mote::reference::make_broadcast_desc(a, b, &d);
  const auto in1 = random_int8(size_t(a.num_elements()), 5);
  const auto in2 = random_int8(size_t(b.num_elements()), 6);
  std::vector<int8_t> output(in1.size());
  mote::reference::AddSubQuantParams add_params;
  mote::reference::make_add_sub_quant_params(false, false, 0.05f, 3, 0.04f, -7, 0.08f, -2, -128, 127, &add_params);
  mote::reference::MulQuantParams mul_params;
  mote::reference::make_mul_quant_params(0.05f, 3, 0.04f, -7, 0.01f, -2, -128, 127, &mul_params);
  for (auto _ : state) {
    if (add) {
      if (kernel == Kernel::kReference)
        mote::reference::add_int8(d, add_params, in1.data(), in2.data(), output.data());
      else
        mote::optimized::add_int8(d, add_params, in1.data(), in2.data(), output.data());
    } else {
      if (kernel == Kernel::kReference)
        mote::reference::mul_int8(d, mul_params, in1.data(), in2.data(), output.data());
      else
        mote::optimized::mul_int8(d, mul_params, in1.data(), in2.data(), output.data());
    }
    benchmark::DoNotOptimize(output.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * int64_t(output.size()));
}

BENCHMARK_CAPTURE(BM_AddMulInt8, add_reference, true, Kernel::kReference)->Arg(0)->Arg(1);
BENCHMARK_CAPTURE(BM_AddMulInt8, add_optimized, true, Kernel::kOptimized)->Arg(0)->Arg(1);
BENCHMARK_CAPTURE(BM_AddMulInt8, mul_reference, false, Kernel::kReference)->Arg(0)->Arg(1);
BENCHMARK_CAPTURE(BM_AddMulInt8, mul_optimized, false, Kernel::kOptimized)->Arg(0)->Arg(1);

// SOFTMAX int8 over rows of range(0) classes (range(1) rows). The table
// variant is what prepare picks from 1024 elements on.
enum class SoftmaxKernel { kReference, kCached, kTable };

void BM_SoftmaxInt8(benchmark::State& state, SoftmaxKernel kernel) {
  const int32_t depth = int32_t(state.range(0));
  const int32_t rows = int32_t(state.range(1));
  mote::reference::SoftmaxInt8Params params;
  mote::reference::softmax_int8_params(1.0, 0.0625, &params);
  std::vector<int32_t> table(mote::optimized::kSoftmaxExpTableSize);
  mote::optimized::softmax_int8_exp_table(params, table.data());
  const auto input = random_int8(size_t(depth) * size_t(rows), 7);
  std::vector<int8_t> output(input.size());
  for (auto _ : state) {
    switch (kernel) {
      case SoftmaxKernel::kReference:
        mote::reference::softmax_int8(params, rows, depth, input.data(), output.data());
        break;
      case SoftmaxKernel::kCached:
        mote::optimized::softmax_int8(params, rows, depth, input.data(), output.data());
        break;
      case SoftmaxKernel::kTable:
        mote::optimized::softmax_int8_with_table(table.data(), rows, depth, input.data(), output.data());
        break;
    }
    benchmark::DoNotOptimize(output.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * int64_t(output.size()));
}

BENCHMARK_CAPTURE(BM_SoftmaxInt8, reference, SoftmaxKernel::kReference)->Args({12, 1})->Args({1000, 1});
BENCHMARK_CAPTURE(BM_SoftmaxInt8, optimized, SoftmaxKernel::kCached)->Args({12, 1})->Args({1000, 1});
BENCHMARK_CAPTURE(BM_SoftmaxInt8, optimized_table, SoftmaxKernel::kTable)->Args({12, 1})->Args({1000, 1});

}  // namespace

BENCHMARK_MAIN();
