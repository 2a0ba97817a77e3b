// Optimized CONV_2D and FULLY_CONNECTED kernels against their reference
// kernels, on layer shapes taken from the conformance models: MobileNet
// pointwise layers of person_detect / vww_96 (1x1, 8 to 256 channels), their
// first layer (3x3x3, stride 2), DS-CNN's first layer of kws_ref_model
// (10x4x1, stride 2), and the classifier heads; int8 and float32 (the float
// kernels run the quantizer's calibration). "Words" is the int8 variant
// 32-bit cores without SIMD run (conv_2d_int8_32bit /
// fully_connected_int8_32bit), timed here on the host.
//
//   ./build/bench/conv_fc_bench --benchmark_filter=Pointwise
//
// items_per_second counts multiply-accumulates.
#include <benchmark/benchmark.h>
#include <stdint.h>

#include <vector>

#include "random_data.h"
#include "kernels/conv_params.h"
#include "kernels/optimized/conv_2d.h"
#include "kernels/optimized/fully_connected.h"
#include "kernels/reference/conv_2d.h"
#include "kernels/reference/fully_connected.h"

namespace {

using mote::ConvParams;
using mote::Dims4;
using mote::reference::FullyConnectedParams;

enum class Kernel { kReference, kOptimized, kWords };

size_t elements(const Dims4& d) { return size_t(d.n) * d.h * d.w * d.c; }

// A conv layer: `size` x `size` x in_c input, out_c filters of
// filter_h x filter_w, SAME padding, `stride`.
struct ConvLayer {
  ConvParams params;
  Dims4 in, filter, out;
  int64_t macs;
};

ConvLayer conv_layer(int32_t height, int32_t width, int32_t in_c, int32_t out_c, int32_t filter_h, int32_t filter_w,
                     int32_t stride) {
  ConvLayer l;
  l.in = Dims4{1, height, width, in_c};
  l.filter = Dims4{out_c, filter_h, filter_w, in_c};
  l.out.n = 1;
  l.out.h = mote::conv_output_size(mote::schema::Padding::kSame, height, filter_h, stride, 1);
  l.out.w = mote::conv_output_size(mote::schema::Padding::kSame, width, filter_w, stride, 1);
  l.out.c = out_c;
  l.params.stride_h = l.params.stride_w = stride;
  l.params.pad_h = mote::conv_padding_before(height, filter_h, stride, 1, l.out.h);
  l.params.pad_w = mote::conv_padding_before(width, filter_w, stride, 1, l.out.w);
  l.params.input_offset = 128;
  l.params.output_offset = -128;
  l.params.activation_min = -128;
  l.params.activation_max = 127;
  l.params.float_activation_min = 0.0f;
  l.params.float_activation_max = 6.0f;
  l.macs = int64_t(elements(l.out)) * filter_h * filter_w * in_c;
  return l;
}

void conv_int8(benchmark::State& state, const ConvLayer& l, Kernel kernel) {
  const std::vector<int8_t> input = random_int8(elements(l.in), 1);
  const std::vector<int8_t> filter = random_int8(elements(l.filter), 2);
  std::vector<int32_t> bias(size_t(l.out.c), 1000), multiplier(size_t(l.out.c), 1518500250), shift(size_t(l.out.c), -9);
  std::vector<int32_t> prepared = shift;  // the optimized kernels' form
  mote::optimized::conv_2d_int8_prepare(l.filter, filter.data(), prepared.data());
  std::vector<int8_t> output(elements(l.out));
  for (auto _ : state) {
    switch (kernel) {
      case Kernel::kReference:
        mote::reference::conv_2d_int8(l.params, multiplier.data(), shift.data(), l.in, input.data(), l.filter,
                                      filter.data(), bias.data(), l.out, output.data());
        break;
      case Kernel::kOptimized:
        mote::optimized::conv_2d_int8(l.params, multiplier.data(), prepared.data(), l.in, input.data(), l.filter,
                                      filter.data(), bias.data(), l.out, output.data());
        break;
      case Kernel::kWords:
        mote::optimized::conv_2d_int8_32bit(l.params, multiplier.data(), prepared.data(), l.in, input.data(),
                                            l.filter, filter.data(), bias.data(), l.out, output.data());
        break;
    }
    benchmark::DoNotOptimize(output.data());
  }
  state.SetItemsProcessed(state.iterations() * l.macs);
}

void conv_float(benchmark::State& state, const ConvLayer& l, Kernel kernel) {
  const std::vector<float> input = random_floats(elements(l.in), 3);
  const std::vector<float> filter = random_floats(elements(l.filter), 4);
  const std::vector<float> bias = random_floats(size_t(l.out.c), 5);
  std::vector<float> output(elements(l.out));
  for (auto _ : state) {
    if (kernel == Kernel::kReference) {
      mote::reference::conv_2d_float(l.params, l.in, input.data(), l.filter, filter.data(), bias.data(), l.out,
                                     output.data());
    } else {
      mote::optimized::conv_2d_float(l.params, l.in, input.data(), l.filter, filter.data(), bias.data(), l.out,
                                     output.data());
    }
    benchmark::DoNotOptimize(output.data());
  }
  state.SetItemsProcessed(state.iterations() * l.macs);
}

struct FcLayer {
  int32_t batches, depth, units;
};

void fc_int8(benchmark::State& state, const FcLayer& l, Kernel kernel) {
  FullyConnectedParams p;
  p.input_offset = 128;
  p.output_offset = -128;
  p.activation_min = -128;
  p.activation_max = 127;
  p.output_multiplier = 1518500250;
  p.output_shift = -9;
  const std::vector<int8_t> input = random_int8(size_t(l.batches) * l.depth, 6);
  const std::vector<int8_t> filter = random_int8(size_t(l.units) * l.depth, 7);
  std::vector<int32_t> bias(size_t(l.units), 1000);
  std::vector<int8_t> output(size_t(l.batches) * l.units);
  for (auto _ : state) {
    switch (kernel) {
      case Kernel::kReference:
        mote::reference::fully_connected_int8(p, nullptr, nullptr, l.batches, l.depth, l.units, input.data(),
                                              filter.data(), bias.data(), output.data());
        break;
      case Kernel::kOptimized:
        mote::optimized::fully_connected_int8(p, nullptr, nullptr, l.batches, l.depth, l.units, input.data(),
                                              filter.data(), bias.data(), output.data());
        break;
      case Kernel::kWords:
        mote::optimized::fully_connected_int8_32bit(p, nullptr, nullptr, l.batches, l.depth, l.units, input.data(),
                                                    filter.data(), bias.data(), output.data());
        break;
    }
    benchmark::DoNotOptimize(output.data());
  }
  state.SetItemsProcessed(state.iterations() * int64_t(l.batches) * l.depth * l.units);
}

void fc_float(benchmark::State& state, const FcLayer& l, Kernel kernel) {
  FullyConnectedParams p;
  p.float_activation_min = -3.4028235e38f;
  p.float_activation_max = 3.4028235e38f;
  const std::vector<float> input = random_floats(size_t(l.batches) * l.depth, 8);
  const std::vector<float> filter = random_floats(size_t(l.units) * l.depth, 9);
  const std::vector<float> bias = random_floats(size_t(l.units), 10);
  std::vector<float> output(size_t(l.batches) * l.units);
  for (auto _ : state) {
    if (kernel == Kernel::kReference) {
      mote::reference::fully_connected_float(p, l.batches, l.depth, l.units, input.data(), filter.data(),
                                             bias.data(), output.data());
    } else {
      mote::optimized::fully_connected_float(p, l.batches, l.depth, l.units, input.data(), filter.data(),
                                             bias.data(), output.data());
    }
    benchmark::DoNotOptimize(output.data());
  }
  state.SetItemsProcessed(state.iterations() * int64_t(l.batches) * l.depth * l.units);
}

const ConvLayer kPointwise8 = conv_layer(48, 48, 8, 16, 1, 1, 1);        // MobileNet block 1
const ConvLayer kPointwise64 = conv_layer(12, 12, 64, 64, 1, 1, 1);      // block 5
const ConvLayer kPointwise128 = conv_layer(6, 6, 128, 128, 1, 1, 1);     // blocks 7-11
const ConvLayer kPointwise256 = conv_layer(3, 3, 256, 256, 1, 1, 1);     // block 13
const ConvLayer kFirstLayer = conv_layer(96, 96, 3, 8, 3, 3, 2);         // vww_96 conv 0
const ConvLayer kDsCnnFirstLayer = conv_layer(49, 10, 1, 64, 10, 4, 2);  // kws_ref_model conv 0
const ConvLayer kConv3x3 = conv_layer(12, 12, 32, 32, 3, 3, 1);          // a full 3x3 convolution

const FcLayer kClassifier = {1, 256, 2};       // person_detect / vww_96 head
const FcLayer kKwsClassifier = {1, 64, 12};    // kws_ref_model head
const FcLayer kMicroSpeech = {1, 4000, 4};     // micro_speech head
const FcLayer kBatched = {8, 128, 64};         // LSTM-style gates

#define CONV_INT8(name, layer)                                                       \
  BENCHMARK_CAPTURE(conv_int8, name##_reference, layer, Kernel::kReference);         \
  BENCHMARK_CAPTURE(conv_int8, name##_optimized, layer, Kernel::kOptimized);         \
  BENCHMARK_CAPTURE(conv_int8, name##_words, layer, Kernel::kWords)
#define CONV_FLOAT(name, layer)                                                      \
  BENCHMARK_CAPTURE(conv_float, name##_reference, layer, Kernel::kReference);        \
  BENCHMARK_CAPTURE(conv_float, name##_optimized, layer, Kernel::kOptimized)
#define FC_INT8(name, layer)                                                         \
  BENCHMARK_CAPTURE(fc_int8, name##_reference, layer, Kernel::kReference);           \
  BENCHMARK_CAPTURE(fc_int8, name##_optimized, layer, Kernel::kOptimized);           \
  BENCHMARK_CAPTURE(fc_int8, name##_words, layer, Kernel::kWords)
#define FC_FLOAT(name, layer)                                                        \
  BENCHMARK_CAPTURE(fc_float, name##_reference, layer, Kernel::kReference);          \
  BENCHMARK_CAPTURE(fc_float, name##_optimized, layer, Kernel::kOptimized)

CONV_INT8(Pointwise8x16_48x48, kPointwise8);
CONV_INT8(Pointwise64_12x12, kPointwise64);
CONV_INT8(Pointwise128_6x6, kPointwise128);
CONV_INT8(Pointwise256_3x3, kPointwise256);
CONV_INT8(FirstLayer3x3x3s2_96x96, kFirstLayer);
CONV_INT8(DsCnn10x4s2_49x10, kDsCnnFirstLayer);
CONV_INT8(Conv3x3x32_12x12, kConv3x3);
CONV_FLOAT(Pointwise8x16_48x48, kPointwise8);
CONV_FLOAT(Pointwise128_6x6, kPointwise128);
CONV_FLOAT(FirstLayer3x3x3s2_96x96, kFirstLayer);
CONV_FLOAT(Conv3x3x32_12x12, kConv3x3);
FC_INT8(Classifier256x2, kClassifier);
FC_INT8(Classifier64x12, kKwsClassifier);
FC_INT8(MicroSpeech4000x4, kMicroSpeech);
FC_INT8(Batched8x128x64, kBatched);
FC_FLOAT(Classifier256x2, kClassifier);
FC_FLOAT(MicroSpeech4000x4, kMicroSpeech);
FC_FLOAT(Batched8x128x64, kBatched);

}  // namespace

BENCHMARK_MAIN();
