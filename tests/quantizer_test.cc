// The post-training int8 quantizer (tools/quantizer/): TensorFlow's scale
// arithmetic, the weights it produces compared with TensorFlow's own int8
// models, the structure of the quantized graph (same-scale ops, fixed output
// ranges, LSTM, I/O types, operator versions), refusals, and held-out
// agreement with the float models in ../shared/models.
//
// Calibration data for the shared models: TFLM's conformance inputs, the
// sample files in shared/models/inputs, and synthetic data where nothing else
// exists (said at each use).
#include "tools/quantizer/quantizer.h"

#include <gtest/gtest.h>
#include <math.h>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "mote/flatbuffer.h"
#include "op_harness.h"
#include "tools/model_builder.h"
#include "tools/quantizer/model_runner.h"
#include "tools/quantizer/op_rules.h"
#include "tools/quantizer/quant_params.h"

namespace {

using mote::DType;
using mote::tools::ModelBuilder;
using mote::tools::Options;
using mote::tools::Sample;
using mote::tools::TensorSpec;
namespace q = mote::tools::quantizer;
namespace schema = mote::schema;
namespace fb = mote::fb;

std::string model_path(const std::string& name) { return shared_dir() + "/models/" + name + ".tflite"; }

// A model's graph (to inspect TensorFlow's and our int8 models).
q::Graph graph_of(const std::vector<uint8_t>& bytes) {
  struct Free {
    void operator()(uint8_t* p) const { ::operator delete[](p, std::align_val_t(16)); }
  };
  std::unique_ptr<uint8_t[], Free> data(static_cast<uint8_t*>(::operator new[](bytes.size(), std::align_val_t(16))));
  memcpy(data.get(), bytes.data(), bytes.size());
  mote::Model model;
  char error[256] = {};
  if (model.load(data.get(), bytes.size(), error, sizeof(error)) != mote::Status::kOk) {
    ADD_FAILURE() << "model does not load: " << error;
    return q::Graph();
  }
  return q::read_graph(data.get(), bytes.size());
}

const q::Tensor* find_tensor(const q::Graph& g, const std::string& name) {
  for (const q::Tensor& t : g.tensors)
    if (t.name == name) return &t;
  return nullptr;
}

int32_t find_tensor_index(const q::Graph& g, const std::string& name) {
  for (size_t i = 0; i < g.tensors.size(); ++i)
    if (g.tensors[i].name == name) return int32_t(i);
  return -1;
}

std::vector<float> floats_from_file(const std::string& path) {
  const std::vector<uint8_t> bytes = read_file(path);
  std::vector<float> v(bytes.size() / 4);
  if (!v.empty()) memcpy(v.data(), bytes.data(), v.size() * 4);
  return v;
}

// Inputs of the three conformance samples of a float model.
std::vector<Sample> conformance_samples(const std::string& model) {
  std::vector<Sample> samples;
  for (int k = 0; k < 3; ++k)
    samples.push_back(
        {floats_from_file(shared_dir() + "/conformance/" + model + "/input_" + std::to_string(k) + "_0.bin")});
  return samples;
}

// Deterministic pseudo-random numbers for synthetic data.
struct Lcg {
  uint64_t state;
  explicit Lcg(uint64_t seed) : state(seed) {}
  double uniform() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return double(state >> 11) * (1.0 / 9007199254740992.0);
  }
};

std::vector<int8_t> from_bytes_int8(const std::vector<uint8_t>& bytes) {
  return std::vector<int8_t>(bytes.begin(), bytes.end());
}

q::FloatModel prepare(const std::string& name) { return q::prepare_float_model(read_file(model_path(name))); }

q::QuantizedModel quantize(const q::FloatModel& fm, const std::vector<Sample>& samples,
                           q::RewriteOptions rewrite = q::RewriteOptions(),
                           q::CalibrationMethod method = q::CalibrationMethod::kMinMax) {
  q::QuantizeOptions options;
  options.rewrite = rewrite;
  options.calibration.method = method;
  return q::quantize_model(fm, samples, options);
}

// The min / max arrays TensorFlow stored in a tensor's quantization table
// (empty when absent).
struct StoredMinMax {
  std::vector<float> min, max;
};
std::vector<StoredMinMax> stored_min_max(const std::vector<uint8_t>& bytes) {
  const fb::Table root = fb::Table::root(bytes.data(), bytes.size());
  const fb::Table subgraph = root.table_in(root.vector<uint32_t>(schema::model::subgraphs), 0);
  const fb::Vector<uint32_t> tensors = subgraph.vector<uint32_t>(schema::subgraph::tensors);
  std::vector<StoredMinMax> result(tensors.size());
  for (uint32_t i = 0; i < tensors.size(); ++i) {
    const fb::Table quant = subgraph.table_in(tensors, i).table(schema::tensor::quantization);
    const fb::Vector<float> mins = quant.vector<float>(schema::quantization::min);
    const fb::Vector<float> maxs = quant.vector<float>(schema::quantization::max);
    for (uint32_t k = 0; k < mins.size(); ++k) result[i].min.push_back(mins[k]);
    for (uint32_t k = 0; k < maxs.size(); ++k) result[i].max.push_back(maxs[k]);
  }
  return result;
}

// ---------------------------------------------------------------------------
// Arithmetic

TEST(QuantParams, ActivationRangeIsWidenedToContainZero) {
  const q::QuantParams relu = q::activation_params(0.5f, 10.0f);  // min lowered to 0
  EXPECT_FLOAT_EQ(relu.scale, 10.0f / 255.0f);
  EXPECT_EQ(relu.zero_point, -128);
  const q::QuantParams negative = q::activation_params(-4.0f, -1.0f);  // max raised to 0
  EXPECT_FLOAT_EQ(negative.scale, 4.0f / 255.0f);
  EXPECT_EQ(negative.zero_point, 127);
  // Zero is exactly representable: dequantize(zero_point) == 0.
  const q::QuantParams mixed = q::activation_params(-1.3f, 2.9f);
  EXPECT_EQ(q::dequantize(mixed.zero_point, mixed), 0.0f);
  EXPECT_EQ(q::quantize_int8(0.0f, mixed), mixed.zero_point);
  // round(-128 + 1.3 / (4.2 / 255)) = round(-49.07) = -49
  EXPECT_EQ(mixed.zero_point, -49);
}

TEST(QuantParams, DegenerateRangeGetsTensorFlowsMinimumWidth) {
  const q::QuantParams p = q::activation_params(0.0f, 0.0f);
  EXPECT_FLOAT_EQ(p.scale, 2e-6f / 255.0f);
  EXPECT_GE(p.zero_point, -1);
  EXPECT_LE(p.zero_point, 0);
}

TEST(QuantParams, SymmetricWeightsUseNarrowRange) {
  EXPECT_FLOAT_EQ(q::symmetric_weight_scale(1.27f), 0.01f);
  const std::vector<int8_t> w = q::quantize_per_tensor({-1.27f, 1.27f, 0.0f, 0.635f}, 0.01f);
  EXPECT_EQ(w, (std::vector<int8_t>{-127, 127, 0, 64}));  // 63.5 rounds away from zero
  // Per channel along axis 0 of a [2, 2] tensor.
  const std::vector<int8_t> pc =
      q::quantize_per_channel({1.0f, -0.5f, 0.02f, 0.01f}, {2, 2}, 0, {1.0f / 127, 0.02f / 127});
  EXPECT_EQ(pc, (std::vector<int8_t>{127, -64, 127, 64}));
}

TEST(QuantParams, BiasIsInt32WithProductScale) {
  EXPECT_FLOAT_EQ(q::bias_scale(0.5f, 0.01f), 0.005f);
  const std::vector<int32_t> b = q::quantize_bias({0.1f, -0.25f, 1e9f}, {0.005f});
  EXPECT_EQ(b[0], 20);
  EXPECT_EQ(b[1], -50);
  EXPECT_EQ(b[2], 2147483647);  // saturates
}

TEST(QuantParams, LstmCellScaleIsAPowerOfTwo) {
  EXPECT_FLOAT_EQ(q::power_of_two_int16_scale(-5.1f, 3.0f), 8.0f / 32768.0f);
  EXPECT_FLOAT_EQ(q::power_of_two_int16_scale(-1.0f, 0.5f), 1.0f / 32768.0f);
}

// kws_ref_model_int8 and vww_96_int8 store TensorFlow's calibrated min / max
// with every tensor: our formulas must turn them into exactly TensorFlow's
// scales and zero points (activations) and weight scales.
void expect_tensorflow_params(const std::string& model, int* activations, int* weight_scales) {
  const std::vector<uint8_t> bytes = read_file(model_path(model));
  const q::Graph g = graph_of(bytes);
  const std::vector<StoredMinMax> stored = stored_min_max(bytes);
  *activations = *weight_scales = 0;
  for (size_t i = 0; i < g.tensors.size(); ++i) {
    const q::Tensor& t = g.tensors[i];
    const StoredMinMax& mm = stored[i];
    if (t.type != DType::kInt8 || mm.min.empty() || mm.min.size() != t.scales.size()) continue;
    if (!t.is_constant()) {
      const q::QuantParams p = q::activation_params(mm.min[0], mm.max[0]);
      EXPECT_EQ(p.scale, t.scales[0]) << model << " tensor " << i << " " << t.name;
      EXPECT_EQ(p.zero_point, t.zero_points[0]) << model << " tensor " << i << " " << t.name;
      ++*activations;
      continue;
    }
    for (size_t c = 0; c < t.scales.size(); ++c) {
      const float max_abs = std::max(fabsf(mm.min[c]), fabsf(mm.max[c]));
      // Current TensorFlow widens ranges under 1e-6 (all-zero channels) to
      // 1e-6, as we do; the older converter that made vww_96_int8 did not.
      if (2.0 * double(max_abs) <= 1e-6) continue;
      EXPECT_EQ(q::symmetric_weight_scale(max_abs), t.scales[c]) << model << " tensor " << i << " channel " << c;
      ++*weight_scales;
    }
  }
}

TEST(QuantParams, MatchTensorFlowFromItsStoredRanges) {
  MOTE_REQUIRE_SHARED();
  for (const char* model : {"kws_ref_model_int8", "vww_96_int8"}) {
    int activations = 0, weights = 0;
    expect_tensorflow_params(model, &activations, &weights);
    EXPECT_GT(activations, 10) << model;
    EXPECT_GT(weights, 100) << model;
    printf("[ params ] %s: %d activation and %d weight scales equal TensorFlow's bit for bit\n", model, activations,
           weights);
  }
}

// ---------------------------------------------------------------------------
// Weights compared with TensorFlow's int8 models made from the same float
// files, tensor by tensor (matched by name).

struct WeightComparison {
  int tensors = 0;
  int64_t values = 0;
  int64_t values_off_by_one = 0;
  int max_steps = 0;           // largest |ours - TensorFlow's| in quantization steps
  int64_t scales = 0;          // channels TensorFlow saw as non-zero
  int64_t scales_equal = 0;    // ... whose scale is bit-identical to ours
  int64_t dead_channels = 0;   // channels TensorFlow saw as all-zero (arbitrary tiny scale)
  double max_scale_steps = 0;  // |scale difference| * 127 / scale: range difference in steps
};

// `skip` names weights that are not float32 in the float file (compared
// separately).
WeightComparison compare_weights(const q::Graph& ours, const q::Graph& tf, const std::vector<std::string>& only,
                                 const std::vector<std::string>& skip) {
  WeightComparison c;
  for (const q::Tensor& theirs : tf.tensors) {
    if (!theirs.is_constant() || theirs.type != DType::kInt8) continue;
    if (std::find(skip.begin(), skip.end(), theirs.name) != skip.end()) continue;
    if (!only.empty() && std::find(only.begin(), only.end(), theirs.name) == only.end()) continue;
    const q::Tensor* mine = find_tensor(ours, theirs.name);
    if (mine == nullptr) {
      ADD_FAILURE() << "no weight tensor named '" << theirs.name << "' in our model";
      continue;
    }
    EXPECT_EQ(mine->type, DType::kInt8) << theirs.name;
    EXPECT_EQ(mine->shape, theirs.shape) << theirs.name;
    EXPECT_EQ(mine->scales.size(), theirs.scales.size()) << theirs.name;
    EXPECT_EQ(mine->quantized_dimension, theirs.quantized_dimension) << theirs.name;
    if (mine->data.size() != theirs.data.size() || mine->scales.size() != theirs.scales.size()) continue;
    ++c.tensors;
    for (size_t k = 0; k < theirs.data.size(); ++k) {
      const int d = abs(int(int8_t(mine->data[k])) - int(int8_t(theirs.data[k])));
      c.max_steps = std::max(c.max_steps, d);
      if (d == 1) ++c.values_off_by_one;
      ++c.values;
    }
    for (size_t k = 0; k < theirs.scales.size(); ++k) {
      // Channels TensorFlow saw as all-zero get an arbitrary tiny scale; their
      // weights are 0 either way.
      if (theirs.scales[k] < 1e-7f) {
        ++c.dead_channels;
        continue;
      }
      ++c.scales;
      if (mine->scales[k] == theirs.scales[k]) ++c.scales_equal;
      c.max_scale_steps = std::max(c.max_scale_steps, fabs(double(mine->scales[k]) - double(theirs.scales[k])) * 127.0 /
                                                          double(theirs.scales[k]));
    }
  }
  return c;
}

void print_comparison(const std::string& what, const WeightComparison& c) {
  printf(
      "[ weights ] %s: %d tensors, %lld values: max |ours - TF| = %d step(s), %lld off by one; %lld/%lld scales "
      "bit-identical, largest scale difference %.3g steps of range (%lld all-zero channels skipped)\n",
      what.c_str(), c.tensors, (long long)c.values, c.max_steps, (long long)c.values_off_by_one,
      (long long)c.scales_equal, (long long)c.scales, c.max_scale_steps, (long long)c.dead_channels);
}

// Real values of an int32 bias, in double (float would round large products).
std::vector<double> bias_values(const q::Tensor& t) {
  std::vector<double> v;
  for (size_t k = 0; k < t.data.size() / 4; ++k) {
    int32_t raw;
    memcpy(&raw, t.data.data() + 4 * k, 4);
    v.push_back(double(raw) * double(t.scales[t.scales.size() == 1 ? 0 : k]));
  }
  return v;
}

// Biases: the int32 values depend on the calibrated input scale, so compare
// the real values they stand for: each side is within half of its own step of
// the float bias.
void expect_biases_close(const q::Graph& ours, const q::Graph& tf, const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    const q::Tensor* mine = find_tensor(ours, name);
    const q::Tensor* theirs = find_tensor(tf, name);
    ASSERT_NE(mine, nullptr) << name;
    ASSERT_NE(theirs, nullptr) << name;
    ASSERT_EQ(mine->type, DType::kInt32) << name;
    const std::vector<double> a = bias_values(*mine);
    const std::vector<double> b = bias_values(*theirs);
    ASSERT_EQ(a.size(), b.size()) << name;
    for (size_t k = 0; k < a.size(); ++k) {
      const double step_a = mine->scales[mine->scales.size() == 1 ? 0 : k];
      const double step_b = theirs->scales[theirs->scales.size() == 1 ? 0 : k];
      // int32 saturation (TensorFlow's biases of channels with all-zero
      // weights) makes the value meaningless on either side.
      if (fabs(b[k]) >= 2147483000.0 * step_b || fabs(a[k]) >= 2147483000.0 * step_a) continue;
      // Both sides compute bias / scale in float32: besides the half step of
      // rounding, large quotients carry float32 rounding (|q| * 2^-24 steps);
      // and the two float files' biases may differ in their last bit.
      const double tolerance_a = (0.5 + fabs(a[k] / step_a) * 0x1p-24) * step_a;
      const double tolerance_b = (0.5 + fabs(b[k] / step_b) * 0x1p-24) * step_b;
      EXPECT_LE(fabs(a[k] - b[k]), (tolerance_a + tolerance_b) * 1.0001 + fabs(b[k]) * 0x1p-22)
          << name << "[" << k << "]";
    }
  }
}

// Names of the quantized int32 constants (biases).
std::vector<std::string> bias_names(const q::Graph& g) {
  std::vector<std::string> names;
  for (const q::Tensor& t : g.tensors)
    if (t.is_constant() && t.type == DType::kInt32 && t.quantized()) names.push_back(t.name);
  return names;
}

// Same operators, in the same order, with the same versions.
void expect_same_ops(const q::Graph& ours, const q::Graph& tf) {
  ASSERT_EQ(ours.ops.size(), tf.ops.size());
  for (size_t i = 0; i < tf.ops.size(); ++i) {
    EXPECT_EQ(q::op_name(ours.ops[i]), q::op_name(tf.ops[i])) << "node " << i;
    EXPECT_EQ(ours.ops[i].version, tf.ops[i].version) << "node " << i << " " << q::op_name(tf.ops[i]);
    EXPECT_EQ(ours.ops[i].inputs.size(), tf.ops[i].inputs.size()) << "node " << i;
  }
}

// The float file's constant weights that were float32 (not the hybrid int8
// ones).
std::vector<std::string> float_weight_names(const std::string& float_model) {
  const q::Graph g = graph_of(read_file(model_path(float_model)));
  std::vector<std::string> names;
  for (const q::Tensor& t : g.tensors)
    if (t.is_constant() && t.type == DType::kFloat32) names.push_back(t.name);
  return names;
}

TEST(QuantizeVsTensorFlow, Vww96WeightsMatchWithinOneStep) {
  MOTE_REQUIRE_SHARED();
  // Few samples keep this fast; weights do not depend on calibration.
  // The person / no-person test images (gray replicated to RGB, 0..1).
  const mote::tools::InputSpec spec{"input", {1, 96, 96, 3}};
  const std::string dir = shared_dir() + "/models/inputs/";
  const std::vector<Sample> samples =
      mote::tools::load_calibration_data({dir + "person.bmp", dir + "no_person.bmp"}, {spec},
                                         mote::tools::CalibrationOptions(), [](const std::string&) {});
  const q::QuantizedModel qm = quantize(prepare("vww_96_float"), samples);
  const q::Graph ours = graph_of(qm.bytes);
  const q::Graph tf = graph_of(read_file(model_path("vww_96_int8")));
  // Pixels spanning 0..1 give TensorFlow's input parameters; the first
  // CONV_2D's bias (scale = input scale x weight scale) is then TensorFlow's
  // int32 data bit for bit.
  const q::Tensor& input = ours.tensors[size_t(ours.inputs[0])];
  const q::Tensor& tf_input = tf.tensors[size_t(tf.inputs[0])];
  EXPECT_EQ(input.scales, tf_input.scales);
  EXPECT_EQ(input.zero_points, tf_input.zero_points);
  const q::Tensor& bias = ours.tensors[size_t(ours.ops[0].inputs[2])];
  const q::Tensor& tf_bias = tf.tensors[size_t(tf.ops[0].inputs[2])];
  EXPECT_EQ(bias.scales, tf_bias.scales);
  EXPECT_EQ(bias.data, tf_bias.data);
  // Both int8 models on the same int8 inputs (Espressif's photos): our model
  // behaves like TensorFlow's.
  const std::vector<uint8_t> tf_bytes = read_file(model_path("vww_96_int8"));
  int same_top1 = 0;
  for (const char* photo : {"esp_image0_person_96x96_u8.raw", "esp_image1_dog_96x96_u8.raw",
                            "esp_image2_person_96x96_u8.raw", "esp_image5_cat_96x96_u8.raw"}) {
    std::vector<uint8_t> rgb;
    for (uint8_t p : read_file(dir + photo))
      for (int ch = 0; ch < 3; ++ch) rgb.push_back(uint8_t(p - 128));  // q = pixel / 255 / scale - 128
    const RunResult a = run_model(qm.bytes, {rgb});
    const RunResult b = run_model(tf_bytes, {rgb});
    ASSERT_TRUE(a.ok() && b.ok()) << a.error << b.error;
    const std::vector<int8_t> ya = a.output<int8_t>(0), yb = b.output<int8_t>(0);
    same_top1 += (ya[1] > ya[0]) == (yb[1] > yb[0]);
    for (size_t k = 0; k < 2; ++k) EXPECT_LE(abs(int(ya[k]) - int(yb[k])), 40) << photo;  // 40/256 of probability
  }
  printf("[ vs TF int8 ] vww_96: same top-1 as TensorFlow's int8 model on %d of 4 photos\n", same_top1);
  EXPECT_GE(same_top1, 3);

  const WeightComparison c = compare_weights(ours, tf, {}, {});
  print_comparison("vww_96 (all 28 weight tensors)", c);
  EXPECT_EQ(c.tensors, 28);
  EXPECT_LE(c.max_steps, 1);
  EXPECT_LE(c.max_scale_steps, 1.0);
  expect_biases_close(ours, tf, bias_names(tf));
  expect_same_ops(ours, tf);
}

TEST(QuantizeVsTensorFlow, KwsWeightsMatchWithinOneStep) {
  MOTE_REQUIRE_SHARED();
  const q::FloatModel fm = prepare("kws_ref_model_float32");
  EXPECT_EQ(fm.dequantized_constants, 5);  // the hybrid CONV_2D weights
  // No float inputs exist for this model: the int8 conformance inputs of
  // kws_ref_model_int8 dequantized with its input parameters (values on
  // TensorFlow's calibrated input range).
  std::vector<Sample> samples;
  for (int k = 0; k < 3; ++k) {
    const std::vector<uint8_t> raw =
        read_file(shared_dir() + "/conformance/kws_ref_model_int8/input_" + std::to_string(k) + "_0.bin");
    std::vector<float> x;
    for (uint8_t b : raw) x.push_back(0.584702909f * float(int(int8_t(b)) - 83));
    samples.push_back({x});
  }
  const q::QuantizedModel qm = quantize(fm, samples);
  const q::Graph ours = graph_of(qm.bytes);
  const q::Graph tf = graph_of(read_file(model_path("kws_ref_model_int8")));
  const std::vector<std::string> float_names = float_weight_names("kws_ref_model_float32");
  std::vector<std::string> hybrid;
  for (const q::Tensor& t : graph_of(read_file(model_path("kws_ref_model_float32"))).tensors)
    if (t.is_constant() && t.type == DType::kInt8) hybrid.push_back(t.name);
  ASSERT_EQ(hybrid.size(), 5u);

  const WeightComparison c = compare_weights(ours, tf, float_names, {});
  print_comparison("kws_ref_model (5 weight tensors float32 in the float file)", c);
  EXPECT_EQ(c.tensors, 5);
  EXPECT_LE(c.max_steps, 1);
  EXPECT_LE(c.max_scale_steps, 1.0);
  std::vector<std::string> biases;
  for (const std::string& n : float_names)
    if (find_tensor(tf, n) != nullptr && find_tensor(tf, n)->type == DType::kInt32) biases.push_back(n);
  EXPECT_EQ(biases.size(), 10u);
  expect_biases_close(ours, tf, biases);
  expect_same_ops(ours, tf);

  // The five CONV_2D weights the float file holds only as per-tensor int8:
  // TensorFlow quantized its own float originals per channel, we can only
  // requantize the per-tensor values (each off by up to half a per-tensor
  // step s_t), so a channel of scale s_c may differ by 1 + s_t / s_c steps.
  const WeightComparison h = compare_weights(ours, tf, hybrid, {});
  print_comparison("kws_ref_model (5 CONV_2D weights int8 per-tensor in the float file)", h);
  EXPECT_EQ(h.tensors, 5);
  const q::Graph hybrid_graph = graph_of(read_file(model_path("kws_ref_model_float32")));
  double bound = 0;
  for (const std::string& n : hybrid) {
    const float per_tensor = find_tensor(hybrid_graph, n)->scales[0];
    for (float channel : find_tensor(tf, n)->scales) bound = std::max(bound, 1.0 + double(per_tensor) / channel);
  }
  printf("[ weights ] kws_ref_model hybrid CONV_2D bound: %.2f steps\n", bound);
  EXPECT_LE(h.max_steps, int(bound));
}

// MNIST sample image n (0..9) as the [1, 28, 28] input in 0..1.
Sample mnist_digit(int n) {
  const mote::tools::InputSpec spec{"x", {1, 28, 28}};
  return mote::tools::load_calibration_data({shared_dir() + "/models/inputs/mnist_sample" + std::to_string(n) + ".png"},
                                            {spec}, mote::tools::CalibrationOptions(), [](const std::string&) {})[0];
}

TEST(QuantizeVsTensorFlow, MnistLstmWeightsAndStructureMatch) {
  MOTE_REQUIRE_SHARED();
  std::vector<Sample> samples;
  for (int n = 0; n < 10; ++n) samples.push_back(mnist_digit(n));
  const q::QuantizedModel qm = quantize(prepare("mnist_lstm_float"), samples);
  const q::Graph ours = graph_of(qm.bytes);
  const q::Graph tf = graph_of(read_file(model_path("mnist_lstm_int8")));
  // Both int8 models on the same int8 digits (same input parameters): the
  // same answers.
  int same = 0;
  for (int n = 0; n < 10; ++n) {
    std::vector<uint8_t> pixels;
    for (float v : samples[size_t(n)][0]) pixels.push_back(uint8_t(q::quantize_int8(v, {1.0f / 255.0f, -128})));
    const RunResult a = run_model(qm.bytes, {pixels});
    const RunResult b = run_model(read_file(model_path("mnist_lstm_int8")), {pixels});
    ASSERT_TRUE(a.ok() && b.ok()) << a.error << b.error;
    const std::vector<int8_t> ya = a.output<int8_t>(0), yb = b.output<int8_t>(0);
    same += std::max_element(ya.begin(), ya.end()) - ya.begin() == std::max_element(yb.begin(), yb.end()) - yb.begin();
  }
  printf("[ vs TF int8 ] mnist_lstm: same top-1 as TensorFlow's int8 model on %d of 10 digits\n", same);
  EXPECT_EQ(same, 10);

  const WeightComparison c = compare_weights(ours, tf, {}, {});
  print_comparison("mnist_lstm (8 LSTM + 1 FC weight tensors)", c);
  EXPECT_EQ(c.tensors, 9);
  EXPECT_LE(c.max_steps, 1);
  EXPECT_LE(c.max_scale_steps, 1.0);
  expect_biases_close(ours, tf, bias_names(tf));
  expect_same_ops(ours, tf);

  // The LSTM: 24 inputs with the same ones omitted, 5 intermediates of shape
  // [0] typed like TensorFlow's, int8 hidden state with the output's
  // parameters, int16 cell state with a power-of-two scale, int32 biases.
  const q::Operator& lstm = ours.ops[0];
  const q::Operator& tf_lstm = tf.ops[0];
  for (size_t i = 0; i < 24; ++i) {
    EXPECT_EQ(lstm.inputs[i] < 0, tf_lstm.inputs[i] < 0) << "LSTM input " << i;
    if (lstm.inputs[i] < 0) continue;
    const q::Tensor& a = ours.tensors[size_t(lstm.inputs[i])];
    const q::Tensor& b = tf.tensors[size_t(tf_lstm.inputs[i])];
    EXPECT_EQ(a.type, b.type) << "LSTM input " << i;
    EXPECT_EQ(a.shape, b.shape) << "LSTM input " << i;
    EXPECT_EQ(a.is_variable, b.is_variable) << "LSTM input " << i;
  }
  ASSERT_EQ(lstm.intermediates.size(), 5u);
  ASSERT_EQ(tf_lstm.intermediates.size(), 5u);
  for (size_t i = 0; i < 5; ++i) {
    const q::Tensor& a = ours.tensors[size_t(lstm.intermediates[i])];
    const q::Tensor& b = tf.tensors[size_t(tf_lstm.intermediates[i])];
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.type, b.type) << a.name;
    EXPECT_EQ(a.shape, b.shape) << a.name;
    EXPECT_EQ(a.scales.size(), b.scales.size()) << a.name;
  }
  const q::Tensor& output = ours.tensors[size_t(lstm.outputs[0])];
  const q::Tensor& hidden = ours.tensors[size_t(lstm.inputs[18])];
  const q::Tensor& cell = ours.tensors[size_t(lstm.inputs[19])];
  const q::Tensor& effective = ours.tensors[size_t(lstm.intermediates[4])];
  EXPECT_EQ(hidden.scales, output.scales);
  EXPECT_EQ(hidden.zero_points, output.zero_points);
  EXPECT_EQ(effective.scales, output.scales);
  ASSERT_EQ(cell.scales.size(), 1u);
  int exponent = 0;
  EXPECT_EQ(frexpf(cell.scales[0], &exponent), 0.5f);  // a power of two
  EXPECT_EQ(cell.zero_points[0], 0);
  for (int g = 0; g < 4; ++g) {
    const q::Tensor& bias = ours.tensors[size_t(lstm.inputs[size_t(12 + g)])];
    const q::Tensor& w = ours.tensors[size_t(lstm.inputs[size_t(1 + g)])];
    const q::Tensor& in = ours.tensors[size_t(lstm.inputs[0])];
    EXPECT_EQ(bias.scales[0], q::bias_scale(in.scales[0], w.scales[0])) << "gate " << g;
  }
  // Pixels in [0, 1] give TensorFlow's input parameters exactly, so the gate
  // biases (scale = input scale x input weight scale) must be TensorFlow's
  // int32 values bit for bit.
  EXPECT_EQ(ours.tensors[size_t(ours.inputs[0])].scales, tf.tensors[size_t(tf.inputs[0])].scales);
  EXPECT_EQ(ours.tensors[size_t(ours.inputs[0])].zero_points, tf.tensors[size_t(tf.inputs[0])].zero_points);
  for (int g = 0; g < 4; ++g) {
    const q::Tensor& mine = ours.tensors[size_t(lstm.inputs[size_t(12 + g)])];
    const q::Tensor& theirs = tf.tensors[size_t(tf_lstm.inputs[size_t(12 + g)])];
    EXPECT_EQ(mine.scales, theirs.scales) << "gate " << g;
    EXPECT_EQ(mine.data, theirs.data) << "gate " << g;
  }
}

// ---------------------------------------------------------------------------
// Every shared float model: quantizes, runs in mote, tracks the float model on
// held-out inputs.

struct Agreement {
  double top1 = -1;
  double sqnr_db = 0;
  double max_abs_error = 0;
};

Agreement held_out(const q::FloatModel& fm, const q::QuantizedModel& qm, const std::vector<Sample>& holdout,
                   const std::string& name) {
  const mote::tools::QuantizeReport r = q::evaluate_quantization(fm, qm, holdout, nullptr);
  EXPECT_EQ(r.evaluation_samples, int(holdout.size()));
  EXPECT_FALSE(r.outputs.empty());
  Agreement a;
  if (r.outputs.empty()) return a;
  a.top1 = r.outputs[0].top1_agreement;
  a.sqnr_db = r.outputs[0].sqnr_db;
  a.max_abs_error = r.outputs[0].max_abs_error;
  printf("[ held-out ] %s: %zu samples, top-1 agreement %s, output SQNR %.1f dB, max |error| %.4g\n", name.c_str(),
         holdout.size(), a.top1 < 0 ? "n/a" : (std::to_string(int(lround(a.top1 * 100))) + "%").c_str(), a.sqnr_db,
         a.max_abs_error);
  return a;
}

TEST(QuantizeSharedModels, HelloWorldTracksTheSineOnHeldOutInputs) {
  MOTE_REQUIRE_SHARED();
  // Upstream's representative dataset is x ~ U(0, 2*pi); ours is drawn the
  // same way (plus the three conformance inputs), held-out points from
  // another seed.
  std::vector<Sample> calibration = conformance_samples("hello_world_float");
  Lcg rng(7);
  for (int i = 0; i < 200; ++i) calibration.push_back({{float(rng.uniform() * 2 * M_PI)}});
  std::vector<Sample> holdout;
  Lcg other(12345);
  for (int i = 0; i < 100; ++i) holdout.push_back({{float(other.uniform() * 2 * M_PI)}});
  const q::FloatModel fm = prepare("hello_world_float");
  const q::QuantizedModel qm = quantize(fm, calibration);
  const Agreement a = held_out(fm, qm, holdout, "hello_world");
  EXPECT_GT(a.sqnr_db, 30.0);
  EXPECT_LT(a.max_abs_error, 0.05);
}

TEST(QuantizeSharedModels, MagicWandAgreesOnNoisyGestures) {
  MOTE_REQUIRE_SHARED();
  // Calibration: the two recorded gestures plus the conformance inputs.
  const std::string inputs = shared_dir() + "/models/inputs/";
  std::vector<Sample> calibration = conformance_samples("magic_wand_float");
  const std::vector<float> ring = floats_from_file(inputs + "magic_wand_ring_128x3_f32.raw");
  const std::vector<float> slope = floats_from_file(inputs + "magic_wand_slope_128x3_f32.raw");
  calibration.push_back({ring});
  calibration.push_back({slope});
  // Held out: the recorded gestures with small synthetic noise (no other
  // recordings exist).
  std::vector<Sample> holdout;
  Lcg rng(3);
  for (int i = 0; i < 10; ++i) {
    std::vector<float> x = i % 2 ? ring : slope;
    for (float& v : x) v += float((rng.uniform() - 0.5) * 2.0);
    holdout.push_back({x});
  }
  const q::FloatModel fm = prepare("magic_wand_float");
  const q::QuantizedModel qm = quantize(fm, calibration);
  const Agreement a = held_out(fm, qm, holdout, "magic_wand");
  EXPECT_GE(a.top1, 0.9);
  EXPECT_GT(a.sqnr_db, 15.0);
}

TEST(QuantizeSharedModels, MnistLstmAgreesOnHeldOutDigits) {
  MOTE_REQUIRE_SHARED();
  // The ten MNIST sample images: 0-6 calibrate, 7-9 and shifted copies of all
  // ten are held out.
  std::vector<Sample> calibration, holdout;
  for (int n = 0; n < 10; ++n) (n < 7 ? calibration : holdout).push_back(mnist_digit(n));
  for (int n = 0; n < 10; ++n) {
    Sample s = mnist_digit(n);
    std::vector<float> shifted(28 * 28, 0.0f);
    for (int r = 0; r < 28; ++r)
      for (int c = 1; c < 28; ++c) shifted[size_t(r * 28 + c)] = s[0][size_t(r * 28 + c - 1)];
    holdout.push_back({shifted});
  }
  const q::FloatModel fm = prepare("mnist_lstm_float");
  const q::QuantizedModel qm = quantize(fm, calibration);
  const Agreement a = held_out(fm, qm, holdout, "mnist_lstm");
  EXPECT_GE(a.top1, 0.9);
  EXPECT_GT(a.sqnr_db, 20.0);
}

TEST(QuantizeSharedModels, KwsAgreesOnHeldOutInputs) {
  MOTE_REQUIRE_SHARED();
  // No real features exist for this model: synthetic inputs uniform over
  // TensorFlow's calibrated input range [-123.6, 25.5], other seed held out.
  auto synthetic = [](uint64_t seed, int n) {
    std::vector<Sample> s;
    Lcg rng(seed);
    for (int i = 0; i < n; ++i) {
      std::vector<float> x(490);
      for (float& v : x) v = float(-123.569725 + rng.uniform() * 149.099235);
      s.push_back({x});
    }
    return s;
  };
  const q::FloatModel fm = prepare("kws_ref_model_float32");
  const q::QuantizedModel qm = quantize(fm, synthetic(1, 20));
  const Agreement a = held_out(fm, qm, synthetic(2, 20), "kws_ref_model");
  EXPECT_GE(a.top1, 0.9);
  EXPECT_GT(a.sqnr_db, 15.0);
}

TEST(QuantizeSharedModels, Vww96AgreesOnHeldOutImages) {
  MOTE_REQUIRE_SHARED();
  // Few samples keep CI fast. Calibration: the person / no-person test
  // images (gray, replicated to RGB, 0..1); held out: Espressif's four sample
  // photos.
  mote::tools::InputSpec spec{"input", {1, 96, 96, 3}};
  const std::string dir = shared_dir() + "/models/inputs/";
  auto load = [&](const std::vector<std::string>& files) {
    std::vector<std::string> paths;
    for (const std::string& f : files) paths.push_back(dir + f);
    return mote::tools::load_calibration_data(paths, {spec}, mote::tools::CalibrationOptions(),
                                              [](const std::string&) {});
  };
  const std::vector<Sample> calibration = load({"person.bmp", "no_person.bmp"});
  std::vector<Sample> holdout;
  for (const char* raw : {"esp_image0_person_96x96_u8.raw", "esp_image1_dog_96x96_u8.raw",
                          "esp_image2_person_96x96_u8.raw", "esp_image5_cat_96x96_u8.raw"}) {
    const std::vector<uint8_t> gray = read_file(dir + raw);
    std::vector<float> rgb;
    for (uint8_t p : gray)
      for (int c = 0; c < 3; ++c) rgb.push_back(float(p) / 255.0f);
    holdout.push_back({rgb});
  }
  const q::FloatModel fm = prepare("vww_96_float");
  const q::QuantizedModel qm = quantize(fm, calibration);
  const Agreement a = held_out(fm, qm, holdout, "vww_96");
  EXPECT_GE(a.top1, 0.75);
  EXPECT_GT(a.sqnr_db, 15.0);
}

// ---------------------------------------------------------------------------
// Graph rules on small float models built here.

std::vector<float> ramp(size_t n, float from, float to) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = from + (to - from) * float(i) / float(n > 1 ? n - 1 : 1);
  return v;
}

int float_tensor(ModelBuilder& b, const std::string& name, std::vector<int32_t> shape) {
  return b.add_tensor({name, DType::kFloat32, std::move(shape)});
}

int float_constant(ModelBuilder& b, const std::string& name, std::vector<int32_t> shape, std::vector<float> values) {
  return b.add_tensor(TensorSpec::constant<float>(name, DType::kFloat32, std::move(shape), values));
}

Options fc_options(int activation = 0) {
  return Options(schema::OptionsType::kFullyConnected)
      .i8(schema::fully_connected_options::fused_activation_function, int8_t(activation));
}

// x[1,8] -> FC(relu) a[1,6] -> RESHAPE r[1,2,3,1] -> MAX_POOL p[1,1,3,1] ->
// RESHAPE f[1,3] -> FC l[1,4] -> SOFTMAX y; FC l also feeds LOGISTIC s and
// TANH t, which are outputs too.
std::vector<uint8_t> chain_model() {
  ModelBuilder b;
  const int x = float_tensor(b, "x", {1, 8});
  const int w1 = float_constant(b, "w1", {6, 8}, ramp(48, -0.5f, 0.7f));
  const int b1 = float_constant(b, "b1", {6}, ramp(6, -0.1f, 0.2f));
  const int a = float_tensor(b, "a", {1, 6});
  const int shape = b.add_tensor(TensorSpec::constant<int32_t>("shape", DType::kInt32, {4}, {1, 2, 3, 1}));
  const int r = float_tensor(b, "r", {1, 2, 3, 1});
  const int pooled = float_tensor(b, "p", {1, 1, 3, 1});
  const int f = float_tensor(b, "f", {1, 3});
  const int w2 = float_constant(b, "w2", {4, 3}, ramp(12, -1.0f, 1.5f));
  const int b2 = float_constant(b, "b2", {4}, {0.1f, -0.2f, 0.3f, 0.0f});
  const int l = float_tensor(b, "l", {1, 4});
  const int y = float_tensor(b, "y", {1, 4});
  const int sig = float_tensor(b, "s", {1, 4});
  const int th = float_tensor(b, "t", {1, 4});
  b.add_operator(schema::BuiltinOp::kFullyConnected, {x, w1, b1}, {a}, fc_options(1));
  b.add_operator(schema::BuiltinOp::kReshape, {a, shape}, {r});
  namespace pool = schema::pool2d_options;
  b.add_operator(schema::BuiltinOp::kMaxPool2D, {r}, {pooled},
                 Options(schema::OptionsType::kPool2D)
                     .i8(pool::padding, int8_t(schema::Padding::kValid))
                     .i32(pool::stride_w, 1)
                     .i32(pool::stride_h, 2)
                     .i32(pool::filter_width, 1)
                     .i32(pool::filter_height, 2));
  b.add_operator(schema::BuiltinOp::kReshape, {pooled}, {f},
                 Options(schema::OptionsType::kReshape).i32_vector(schema::reshape_options::new_shape, {1, 3}));
  b.add_operator(schema::BuiltinOp::kFullyConnected, {f, w2, b2}, {l}, fc_options());
  b.add_operator(schema::BuiltinOp::kSoftmax, {l}, {y},
                 Options(schema::OptionsType::kSoftmax).f32(schema::softmax_options::beta, 1.0f));
  b.add_operator(schema::BuiltinOp::kLogistic, {l}, {sig});
  b.add_operator(schema::BuiltinOp::kTanh, {l}, {th});
  b.set_inputs({x});
  b.set_outputs({y, sig, th});
  return b.serialize();
}

std::vector<Sample> random_samples(const std::vector<size_t>& sizes, int n, uint64_t seed, float lo, float hi) {
  std::vector<Sample> samples;
  Lcg rng(seed);
  for (int k = 0; k < n; ++k) {
    Sample s;
    for (size_t size : sizes) {
      std::vector<float> v(size);
      for (float& e : v) e = float(lo + (hi - lo) * rng.uniform());
      s.push_back(v);
    }
    samples.push_back(s);
  }
  return samples;
}

TEST(QuantizeGraph, SameScaleOpsFixedRangesAndVersions) {
  const q::FloatModel fm = q::prepare_float_model(chain_model());
  const std::vector<Sample> samples = random_samples({8}, 50, 1, -2.0f, 2.0f);
  const q::QuantizedModel qm = quantize(fm, samples);
  const q::Graph g = graph_of(qm.bytes);
  auto t = [&](const std::string& name) -> const q::Tensor& {
    const q::Tensor* found = find_tensor(g, name);
    EXPECT_NE(found, nullptr) << name;
    static const q::Tensor none;
    return found != nullptr ? *found : none;
  };
  for (const char* name : {"x", "a", "r", "p", "f", "l", "y", "s", "t"}) {
    EXPECT_EQ(t(name).type, DType::kInt8) << name;
    EXPECT_EQ(t(name).scales.size(), 1u) << name;
  }
  // RESHAPE / MAX_POOL_2D keep their input's parameters.
  for (const char* name : {"r", "p", "f"}) {
    EXPECT_EQ(t(name).scales, t("a").scales) << name;
    EXPECT_EQ(t(name).zero_points, t("a").zero_points) << name;
  }
  // The fused ReLU narrows a's range to [0, max]: zero point -128.
  EXPECT_EQ(t("a").zero_points[0], -128);
  // Fixed output ranges.
  EXPECT_EQ(t("y").scales[0], 1.0f / 256.0f);
  EXPECT_EQ(t("y").zero_points[0], -128);
  EXPECT_EQ(t("s").scales[0], 1.0f / 256.0f);
  EXPECT_EQ(t("s").zero_points[0], -128);
  EXPECT_EQ(t("t").scales[0], 1.0f / 128.0f);
  EXPECT_EQ(t("t").zero_points[0], 0);
  // Weights int8 symmetric per tensor (FULLY_CONNECTED), biases int32 with
  // scale input x weight.
  EXPECT_EQ(t("w1").type, DType::kInt8);
  EXPECT_EQ(t("w1").zero_points, std::vector<int64_t>{0});
  EXPECT_EQ(t("b1").type, DType::kInt32);
  EXPECT_EQ(t("b1").scales[0], q::bias_scale(t("x").scales[0], t("w1").scales[0]));
  EXPECT_EQ(t("b2").scales[0], q::bias_scale(t("f").scales[0], t("w2").scales[0]));
  // The int32 shape operand is untouched.
  EXPECT_EQ(t("shape").type, DType::kInt32);
  // Versions TensorFlow writes for int8.
  std::map<std::string, int> versions;
  for (const q::Operator& op : g.ops) versions[q::op_name(op)] = op.version;
  EXPECT_EQ(versions["FULLY_CONNECTED"], 4);
  EXPECT_EQ(versions["RESHAPE"], 1);
  EXPECT_EQ(versions["MAX_POOL_2D"], 2);
  EXPECT_EQ(versions["SOFTMAX"], 2);
  EXPECT_EQ(versions["LOGISTIC"], 2);
  EXPECT_EQ(versions["TANH"], 2);
  // And it tracks the float model.
  const mote::tools::QuantizeReport r = q::evaluate_quantization(fm, qm, samples, nullptr);
  ASSERT_EQ(r.outputs.size(), 3u);
  EXPECT_GE(r.outputs[0].top1_agreement, 0.95);
  for (const auto& out : r.outputs) EXPECT_GT(out.sqnr_db, 25.0) << out.name;
  EXPECT_EQ(r.tensors.size(), 9u);
}

// Two branches joined by CONCATENATION: FULLY_CONNECTED outputs, or their
// LOGISTIC and TANH / LOGISTIC and LOGISTIC.
enum class Branches { kFullyConnected, kLogisticTanh, kLogisticLogistic };
std::vector<uint8_t> concat_model(Branches branches) {
  ModelBuilder b;
  const int x = float_tensor(b, "x", {1, 4});
  const int w1 = float_constant(b, "w1", {3, 4}, ramp(12, -0.5f, 0.9f));
  const int w2 = float_constant(b, "w2", {2, 4}, ramp(8, -2.0f, 1.0f));
  const int a = float_tensor(b, "a", {1, 3});
  const int c = float_tensor(b, "c", {1, 2});
  b.add_operator(schema::BuiltinOp::kFullyConnected, {x, w1, -1}, {a}, fc_options());
  b.add_operator(schema::BuiltinOp::kFullyConnected, {x, w2, -1}, {c}, fc_options());
  int left = a, right = c;
  if (branches != Branches::kFullyConnected) {
    left = float_tensor(b, "left", {1, 3});
    right = float_tensor(b, "right", {1, 2});
    b.add_operator(schema::BuiltinOp::kLogistic, {a}, {left});
    b.add_operator(branches == Branches::kLogisticTanh ? schema::BuiltinOp::kTanh : schema::BuiltinOp::kLogistic, {c},
                   {right});
  }
  const int y = float_tensor(b, "y", {1, 5});
  b.add_operator(schema::BuiltinOp::kConcatenation, {left, right}, {y},
                 Options(schema::OptionsType::kConcatenation).i32(schema::concatenation_options::axis, 1));
  b.set_inputs({x});
  b.set_outputs({y});
  return b.serialize();
}

TEST(QuantizeGraph, ConcatenationInputsShareTheOutputParameters) {
  const q::FloatModel fm = q::prepare_float_model(concat_model(Branches::kFullyConnected));
  const std::vector<Sample> samples = random_samples({4}, 30, 2, -1.0f, 1.0f);
  const q::QuantizedModel qm = quantize(fm, samples);
  EXPECT_EQ(qm.requantize_ops, 0);
  const q::Graph g = graph_of(qm.bytes);
  const q::Tensor* y = find_tensor(g, "y");
  for (const char* name : {"a", "c"}) {
    EXPECT_EQ(find_tensor(g, name)->scales, y->scales) << name;
    EXPECT_EQ(find_tensor(g, name)->zero_points, y->zero_points) << name;
  }
  // The joint range covers both branches.
  const q::TensorRange& ra = qm.calibration.observed[size_t(find_tensor_index(fm.graph, "a"))];
  const q::TensorRange& rc = qm.calibration.observed[size_t(find_tensor_index(fm.graph, "c"))];
  const q::QuantParams expected = q::activation_params(std::min(ra.min, rc.min), std::max(ra.max, rc.max));
  EXPECT_EQ(y->scales[0], expected.scale);
  EXPECT_EQ(y->zero_points[0], expected.zero_point);
  const mote::tools::QuantizeReport r = q::evaluate_quantization(fm, qm, samples, nullptr);
  EXPECT_GT(r.outputs[0].sqnr_db, 30.0);
}

int node_of(const q::Graph& g, const std::string& op) {
  for (size_t i = 0; i < g.ops.size(); ++i)
    if (q::op_name(g.ops[i]) == op) return int(i);
  return -1;
}

TEST(QuantizeGraph, FixedRangeInputsOfConcatenationAreRequantized) {
  // LOGISTIC (1/256, -128) and TANH (1/128, 0) keep their fixed parameters;
  // the CONCATENATION gets its calibrated range and a QUANTIZE op before it
  // requantizes each input.
  const q::FloatModel fm = q::prepare_float_model(concat_model(Branches::kLogisticTanh));
  const std::vector<Sample> samples = random_samples({4}, 30, 3, -1.0f, 1.0f);
  const q::QuantizedModel qm = quantize(fm, samples);
  EXPECT_EQ(qm.requantize_ops, 2);
  const q::Graph g = graph_of(qm.bytes);
  const q::Tensor* y = find_tensor(g, "y");
  EXPECT_EQ(find_tensor(g, "left")->scales[0], 1.0f / 256.0f);
  EXPECT_EQ(find_tensor(g, "right")->scales[0], 1.0f / 128.0f);
  const q::TensorRange& ry = qm.calibration.observed[size_t(find_tensor_index(fm.graph, "y"))];
  EXPECT_EQ(y->scales[0], q::activation_params(ry.min, ry.max).scale);
  for (const char* name : {"left_requantized", "right_requantized"}) {
    const q::Tensor* requantized = find_tensor(g, name);
    ASSERT_NE(requantized, nullptr) << name;
    EXPECT_EQ(requantized->scales, y->scales);
    EXPECT_EQ(requantized->zero_points, y->zero_points);
  }
  const int quantize_node = node_of(g, "QUANTIZE");
  ASSERT_GE(quantize_node, 0);
  EXPECT_LT(quantize_node, node_of(g, "CONCATENATION"));
  EXPECT_EQ(g.ops[size_t(quantize_node)].version, 1);
  const mote::tools::QuantizeReport r = q::evaluate_quantization(fm, qm, samples, nullptr);
  EXPECT_GT(r.outputs[0].sqnr_db, 30.0);

  // Two LOGISTIC inputs: the output takes their common fixed parameters.
  const q::FloatModel same = q::prepare_float_model(concat_model(Branches::kLogisticLogistic));
  const q::QuantizedModel qs = quantize(same, samples);
  EXPECT_EQ(qs.requantize_ops, 0);
  EXPECT_EQ(find_tensor(graph_of(qs.bytes), "y")->scales[0], 1.0f / 256.0f);
}

TEST(QuantizeGraph, Uint8AndFloatModelInputsAndOutputs) {
  const std::vector<uint8_t> float_model = chain_model();
  const q::FloatModel fm = q::prepare_float_model(float_model);
  const std::vector<Sample> samples = random_samples({8}, 40, 4, -2.0f, 2.0f);
  const q::QuantizedModel int8 = quantize(fm, samples);
  const q::Graph g8 = graph_of(int8.bytes);
  const q::Tensor& x8 = g8.tensors[size_t(g8.inputs[0])];

  q::RewriteOptions u8;
  u8.input_type = u8.output_type = q::IoType::kUInt8;
  const q::QuantizedModel qu = quantize(fm, samples, u8);
  const q::Graph gu = graph_of(qu.bytes);
  EXPECT_EQ(qu.io_ops, 4);  // one QUANTIZE at the input, one per output
  const q::Tensor& xu = gu.tensors[size_t(gu.inputs[0])];
  EXPECT_EQ(xu.type, DType::kUInt8);
  EXPECT_EQ(xu.name, "x");
  EXPECT_EQ(xu.scales, x8.scales);
  EXPECT_EQ(xu.zero_points[0], x8.zero_points[0] + 128);
  EXPECT_EQ(q::op_name(gu.ops.front()), "QUANTIZE");
  EXPECT_EQ(gu.ops.front().version, 1);
  for (int32_t out : gu.outputs) EXPECT_EQ(gu.tensors[size_t(out)].type, DType::kUInt8);
  EXPECT_EQ(q::op_name(gu.ops.back()), "QUANTIZE");

  q::RewriteOptions f32;
  f32.input_type = f32.output_type = q::IoType::kFloat32;
  const q::QuantizedModel qf = quantize(fm, samples, f32);
  const q::Graph gf = graph_of(qf.bytes);
  EXPECT_EQ(gf.tensors[size_t(gf.inputs[0])].type, DType::kFloat32);
  EXPECT_FALSE(gf.tensors[size_t(gf.inputs[0])].quantized());
  EXPECT_EQ(q::op_name(gf.ops.front()), "QUANTIZE");
  EXPECT_EQ(q::op_name(gf.ops.back()), "DEQUANTIZE");
  EXPECT_EQ(gf.ops.back().version, 2);
  EXPECT_EQ(find_tensor(gf, "x_int8")->type, DType::kInt8);

  // All three compute the same int8 values: identical reports.
  const auto r8 = q::evaluate_quantization(fm, int8, samples, nullptr);
  const auto ru = q::evaluate_quantization(fm, qu, samples, nullptr);
  const auto rf = q::evaluate_quantization(fm, qf, samples, nullptr);
  for (size_t j = 0; j < 3; ++j) {
    EXPECT_DOUBLE_EQ(ru.outputs[j].max_abs_error, r8.outputs[j].max_abs_error);
    EXPECT_DOUBLE_EQ(rf.outputs[j].max_abs_error, r8.outputs[j].max_abs_error);
  }
}

TEST(QuantizeGraph, PerChannelFullyConnectedOnRequest) {
  const q::FloatModel fm = q::prepare_float_model(chain_model());
  q::RewriteOptions options;
  options.per_channel_fc = true;
  const q::QuantizedModel qm = quantize(fm, random_samples({8}, 10, 5, -1.0f, 1.0f), options);
  const q::Graph g = graph_of(qm.bytes);
  const q::Tensor* w1 = find_tensor(g, "w1");
  const q::Tensor* b1 = find_tensor(g, "b1");
  ASSERT_EQ(w1->scales.size(), 6u);
  EXPECT_EQ(w1->quantized_dimension, 0);
  ASSERT_EQ(b1->scales.size(), 6u);
  const std::vector<float> w = ramp(48, -0.5f, 0.7f);
  for (size_t c = 0; c < 6; ++c) {
    float m = 0;
    for (size_t k = 0; k < 8; ++k) m = std::max(m, fabsf(w[c * 8 + k]));
    EXPECT_EQ(w1->scales[c], q::symmetric_weight_scale(m)) << c;
    EXPECT_EQ(b1->scales[c], q::bias_scale(find_tensor(g, "x")->scales[0], w1->scales[c])) << c;
  }
}

TEST(QuantizeGraph, ConvolutionsArePerChannel) {
  ModelBuilder b;
  const int x = float_tensor(b, "x", {1, 4, 4, 2});
  const int cw = float_constant(b, "conv_w", {3, 1, 1, 2}, {0.5f, -0.25f, 0.01f, 0.02f, -2.0f, 1.0f});
  const int cb = float_constant(b, "conv_b", {3}, {0.1f, 0.0f, -0.3f});
  const int c = float_tensor(b, "c", {1, 4, 4, 3});
  const int dw = float_constant(b, "dw_w", {1, 1, 1, 3}, {0.3f, -0.6f, 0.9f});
  const int d = float_tensor(b, "d", {1, 4, 4, 3});
  b.add_operator(schema::BuiltinOp::kConv2D, {x, cw, cb}, {c},
                 Options(schema::OptionsType::kConv2D)
                     .i8(schema::conv2d_options::padding, int8_t(schema::Padding::kValid))
                     .i32(schema::conv2d_options::stride_w, 1)
                     .i32(schema::conv2d_options::stride_h, 1));
  b.add_operator(schema::BuiltinOp::kDepthwiseConv2D, {c, dw, -1}, {d},
                 Options(schema::OptionsType::kDepthwiseConv2D)
                     .i8(schema::depthwise_conv2d_options::padding, int8_t(schema::Padding::kSame))
                     .i32(schema::depthwise_conv2d_options::stride_w, 1)
                     .i32(schema::depthwise_conv2d_options::stride_h, 1)
                     .i32(schema::depthwise_conv2d_options::depth_multiplier, 1));
  b.set_inputs({x});
  b.set_outputs({d});
  const q::FloatModel fm = q::prepare_float_model(b.serialize());
  const std::vector<Sample> samples = random_samples({32}, 10, 6, -1.0f, 1.0f);
  const q::QuantizedModel qm = quantize(fm, samples);
  const q::Graph g = graph_of(qm.bytes);
  const q::Tensor* conv_w = find_tensor(g, "conv_w");
  ASSERT_EQ(conv_w->scales.size(), 3u);
  EXPECT_EQ(conv_w->quantized_dimension, 0);
  EXPECT_EQ(conv_w->scales[1], q::symmetric_weight_scale(0.02f));
  EXPECT_EQ(int8_t(conv_w->data[2]), 64);  // 0.01 / (0.02 / 127) = 63.5 -> 64
  const q::Tensor* dw_w = find_tensor(g, "dw_w");
  ASSERT_EQ(dw_w->scales.size(), 3u);
  EXPECT_EQ(dw_w->quantized_dimension, 3);
  for (const q::Operator& op : g.ops) EXPECT_EQ(op.version, 3) << q::op_name(op);
  const auto r = q::evaluate_quantization(fm, qm, samples, nullptr);
  EXPECT_GT(r.outputs[0].sqnr_db, 30.0);
}

TEST(QuantizeGraph, ConstantOperandsAreQuantizedAsActivations) {
  ModelBuilder b;
  const int x = float_tensor(b, "x", {1, 4});
  const int k = float_constant(b, "k", {1, 4}, {-1.0f, 0.5f, 2.0f, 3.0f});
  const int y = float_tensor(b, "y", {1, 4});
  b.add_operator(schema::BuiltinOp::kAdd, {x, k}, {y}, Options(schema::OptionsType::kAdd));
  b.set_inputs({x});
  b.set_outputs({y});
  const q::FloatModel fm = q::prepare_float_model(b.serialize());
  const std::vector<Sample> samples = random_samples({4}, 20, 8, -1.0f, 1.0f);
  const q::QuantizedModel qm = quantize(fm, samples);
  const q::Graph g = graph_of(qm.bytes);
  const q::Tensor* kq = find_tensor(g, "k");
  EXPECT_EQ(kq->type, DType::kInt8);
  const q::QuantParams p = q::activation_params(-1.0f, 3.0f);
  EXPECT_EQ(kq->scales[0], p.scale);
  EXPECT_EQ(kq->zero_points[0], p.zero_point);
  EXPECT_EQ(g.ops[0].version, 2);
  const auto r = q::evaluate_quantization(fm, qm, samples, nullptr);
  EXPECT_GT(r.outputs[0].sqnr_db, 30.0);
}

TEST(QuantizeGraph, HybridWeightsAreDequantizedFirst) {
  // FULLY_CONNECTED with int8 weights (scale 0.01) on float activations, and
  // float16 weights behind a DEQUANTIZE op.
  ModelBuilder b;
  const int x = float_tensor(b, "x", {1, 3});
  const std::vector<int8_t> raw = {10, -20, 30, 127, -127, 0};
  const int w = b.add_tensor(TensorSpec::constant<int8_t>("w", DType::kInt8, {2, 3}, raw, {0.01f}, {0}));
  const int h = float_tensor(b, "h", {1, 2});
  const std::vector<uint16_t> half = {0x3c00, 0xc000};  // 1.0, -2.0
  const int w16 = b.add_tensor(TensorSpec::constant<uint16_t>("w16", DType::kFloat16, {1, 2}, half));
  const int w32 = float_tensor(b, "w16_dequantized", {1, 2});
  const int y = float_tensor(b, "y", {1, 1});
  b.add_operator(schema::BuiltinOp::kFullyConnected, {x, w, -1}, {h}, fc_options(), 3);
  b.add_operator(schema::BuiltinOp::kDequantize, {w16}, {w32});
  b.add_operator(schema::BuiltinOp::kFullyConnected, {h, w32, -1}, {y}, fc_options());
  b.set_inputs({x});
  b.set_outputs({y});
  const q::FloatModel fm = q::prepare_float_model(b.serialize());
  EXPECT_EQ(fm.dequantized_constants, 1);
  EXPECT_EQ(fm.folded_dequantize_ops, 1);
  EXPECT_EQ(fm.graph.ops.size(), 2u);
  std::vector<float> expected;
  for (int8_t v : raw) expected.push_back(float(double(0.01f) * v));
  EXPECT_EQ(q::constant_as_float(*find_tensor(fm.graph, "w")), expected);
  EXPECT_EQ(q::constant_as_float(*find_tensor(fm.graph, "w16_dequantized")), (std::vector<float>{1.0f, -2.0f}));
  const q::QuantizedModel qm = quantize(fm, random_samples({3}, 10, 9, -1.0f, 1.0f));
  const q::Graph g = graph_of(qm.bytes);
  const q::Tensor* wq = find_tensor(g, "w");
  EXPECT_EQ(wq->scales[0], q::symmetric_weight_scale(1.27f));
  EXPECT_EQ(from_bytes_int8(wq->data), raw);
}

// Every supported op, alone in a float model: quantizes, runs in mote and
// tracks the float op.
struct OpCase {
  std::string name;
  std::function<std::vector<uint8_t>()> build;
  std::vector<size_t> input_sizes;
  double min_sqnr_db;
};

// One op `code` from model inputs of `input_shapes` to an output of
// `output_shape`, with extra constant inputs appended by `extra`.
std::vector<uint8_t> one_op(schema::BuiltinOp code, std::vector<std::vector<int32_t>> input_shapes,
                            std::vector<int32_t> output_shape, Options options,
                            const std::function<std::vector<int32_t>(ModelBuilder&)>& extra = nullptr) {
  ModelBuilder b;
  std::vector<int32_t> inputs;
  for (size_t i = 0; i < input_shapes.size(); ++i)
    inputs.push_back(float_tensor(b, "in" + std::to_string(i), input_shapes[i]));
  std::vector<int32_t> op_inputs = inputs;
  if (extra)
    for (int32_t t : extra(b)) op_inputs.push_back(t);
  const int out = float_tensor(b, "out", output_shape);
  b.add_operator(code, op_inputs, {out}, options);
  b.set_inputs(inputs);
  b.set_outputs({out});
  return b.serialize();
}

std::function<std::vector<int32_t>(ModelBuilder&)> int32_inputs(std::vector<std::vector<int32_t>> values,
                                                                std::vector<std::vector<int32_t>> shapes) {
  return [=](ModelBuilder& b) {
    std::vector<int32_t> ids;
    for (size_t i = 0; i < values.size(); ++i)
      ids.push_back(b.add_tensor(
          TensorSpec::constant<int32_t>("param" + std::to_string(i), DType::kInt32, shapes[i], values[i])));
    return ids;
  };
}

std::vector<OpCase> op_cases() {
  using Op = schema::BuiltinOp;
  using T = schema::OptionsType;
  namespace pool = schema::pool2d_options;
  const Options pool_options = Options(T::kPool2D)
                                   .i8(pool::padding, int8_t(schema::Padding::kValid))
                                   .i32(pool::stride_w, 2)
                                   .i32(pool::stride_h, 2)
                                   .i32(pool::filter_width, 2)
                                   .i32(pool::filter_height, 2);
  std::vector<OpCase> cases = {
      {"ADD",
       [] {
         return one_op(Op::kAdd, {{1, 8}, {1, 8}}, {1, 8}, Options(T::kAdd));
       },
       {8, 8},
       35},
      {"SUB",
       [] {
         return one_op(Op::kSub, {{1, 8}, {1, 8}}, {1, 8}, Options(T::kSub));
       },
       {8, 8},
       35},
      {"MUL",
       [] {
         return one_op(Op::kMul, {{1, 8}, {1, 8}}, {1, 8}, Options(T::kMul));
       },
       {8, 8},
       30},
      {"MAXIMUM",
       [] {
         return one_op(Op::kMaximum, {{1, 8}, {1, 8}}, {1, 8}, Options(T::kMaximumMinimum));
       },
       {8, 8},
       35},
      {"MINIMUM",
       [] {
         return one_op(Op::kMinimum, {{1, 8}, {1, 8}}, {1, 8}, Options(T::kMaximumMinimum));
       },
       {8, 8},
       35},
      {"CONCATENATION",
       [] {
         return one_op(Op::kConcatenation, {{1, 3}, {1, 5}}, {1, 8},
                       Options(T::kConcatenation).i32(schema::concatenation_options::axis, 1));
       },
       {3, 5},
       35},
      {"AVERAGE_POOL_2D",
       [=] {
         return one_op(Op::kAveragePool2D, {{1, 4, 4, 2}}, {1, 2, 2, 2}, pool_options);
       },
       {32},
       35},
      {"MAX_POOL_2D",
       [=] {
         return one_op(Op::kMaxPool2D, {{1, 4, 4, 2}}, {1, 2, 2, 2}, pool_options);
       },
       {32},
       35},
      {"RESHAPE",
       [] {
         return one_op(Op::kReshape, {{1, 8}}, {2, 4}, Options(), int32_inputs({{2, 4}}, {{2}}));
       },
       {8},
       35},
      {"SQUEEZE",
       [] {
         return one_op(Op::kSqueeze, {{1, 1, 8}}, {1, 8},
                       Options(T::kSqueeze).i32_vector(schema::squeeze_options::squeeze_dims, {1}));
       },
       {8},
       35},
      {"EXPAND_DIMS",
       [] {
         return one_op(Op::kExpandDims, {{1, 8}}, {1, 1, 8}, Options(T::kExpandDims), int32_inputs({{1}}, {{1}}));
       },
       {8},
       35},
      {"PAD",
       [] {
         return one_op(Op::kPad, {{1, 2, 2, 1}}, {1, 4, 4, 1}, Options(T::kPad),
                       int32_inputs({{0, 0, 1, 1, 1, 1, 0, 0}}, {{4, 2}}));
       },
       {4},
       35},
      {"PADV2",
       [] {
         return one_op(Op::kPadV2, {{1, 2, 2, 1}}, {1, 4, 4, 1}, Options(T::kPadV2), [](ModelBuilder& b) {
           std::vector<int32_t> ids = int32_inputs({{0, 0, 1, 1, 1, 1, 0, 0}}, {{4, 2}})(b);
           ids.push_back(float_constant(b, "pad_value", {1}, {0.5f}));
           return ids;
         });
       },
       {4},
       35},
      {"TRANSPOSE",
       [] {
         return one_op(Op::kTranspose, {{1, 2, 3, 4}}, {1, 3, 2, 4}, Options(T::kTranspose),
                       int32_inputs({{0, 2, 1, 3}}, {{4}}));
       },
       {24},
       35},
      {"STRIDED_SLICE",
       [] {
         return one_op(Op::kStridedSlice, {{1, 8}}, {1, 3}, Options(T::kStridedSlice),
                       int32_inputs({{0, 1}, {1, 7}, {1, 2}}, {{2}, {2}, {2}}));
       },
       {8},
       35},
      {"MEAN",
       [] {
         return one_op(Op::kMean, {{1, 4, 4, 3}}, {1, 1, 1, 3},
                       Options(T::kReducer).boolean(schema::reducer_options::keep_dims, true),
                       int32_inputs({{1, 2}}, {{2}}));
       },
       {48},
       25},
      {"RELU",
       [] {
         return one_op(Op::kRelu, {{1, 8}}, {1, 8}, Options());
       },
       {8},
       35},
      {"RELU6",
       [] {
         return one_op(Op::kRelu6, {{1, 8}}, {1, 8}, Options());
       },
       {8},
       35},
      {"LEAKY_RELU",
       [] {
         return one_op(Op::kLeakyRelu, {{1, 8}}, {1, 8},
                       Options(T::kLeakyRelu).f32(schema::leaky_relu_options::alpha, 0.2f));
       },
       {8},
       35},
      {"HARD_SWISH",
       [] {
         return one_op(Op::kHardSwish, {{1, 8}}, {1, 8}, Options(T::kHardSwish));
       },
       {8},
       30},
      {"LOGISTIC",
       [] {
         return one_op(Op::kLogistic, {{1, 8}}, {1, 8}, Options());
       },
       {8},
       35},
      {"TANH",
       [] {
         return one_op(Op::kTanh, {{1, 8}}, {1, 8}, Options());
       },
       {8},
       35},
      {"SOFTMAX",
       [] {
         return one_op(Op::kSoftmax, {{1, 8}}, {1, 8}, Options(T::kSoftmax).f32(schema::softmax_options::beta, 1));
       },
       {8},
       30},
  };
  return cases;
}

TEST(QuantizeOps, EverySupportedOpQuantizesAndRuns) {
  for (const OpCase& c : op_cases()) {
    SCOPED_TRACE(c.name);
    const q::FloatModel fm = q::prepare_float_model(c.build());
    const std::vector<Sample> samples = random_samples(c.input_sizes, 60, 21, -3.0f, 3.0f);
    q::QuantizedModel qm;
    try {
      qm = quantize(fm, samples);
    } catch (const mote::tools::UserError& e) {
      ADD_FAILURE() << e.what();
      continue;
    }
    const q::Graph g = graph_of(qm.bytes);
    for (const q::Operator& op : g.ops) EXPECT_EQ(op.version, q::quantized_op_version(g, op));
    const q::Tensor& out = g.tensors[size_t(g.outputs[0])];
    EXPECT_EQ(out.type, DType::kInt8);
    const mote::tools::QuantizeReport r =
        q::evaluate_quantization(fm, qm, random_samples(c.input_sizes, 30, 22, -3.0f, 3.0f), nullptr);
    printf("[ ops ] %-16s output SQNR %.1f dB\n", c.name.c_str(), r.outputs[0].sqnr_db);
    EXPECT_GT(r.outputs[0].sqnr_db, c.min_sqnr_db);
  }
  // The table covers every op the quantizer claims.
  std::string listed;
  for (const OpCase& c : op_cases()) listed += c.name + ",";
  std::string claimed = q::supported_op_names();
  for (const char* op : {"CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "UNIDIRECTIONAL_SEQUENCE_LSTM"})
    EXPECT_NE(claimed.find(op), std::string::npos);
  size_t start = 0;
  while (start < claimed.size()) {
    size_t end = claimed.find(", ", start);
    if (end == std::string::npos) end = claimed.size();
    const std::string op = claimed.substr(start, end - start);
    const bool elsewhere = op == "CONV_2D" || op == "DEPTHWISE_CONV_2D" || op == "FULLY_CONNECTED" ||
                           op == "UNIDIRECTIONAL_SEQUENCE_LSTM" || op == "SVDF";
    EXPECT_TRUE(elsewhere || listed.find(op + ",") != std::string::npos) << op << " has no test case";
    start = end + 2;
  }
}

TEST(QuantizeOps, SvdfAsTensorFlowQuantizesIt) {
  // input [1, 16] -> SVDF (8 filters, rank 2, memory 10) -> [1, 4].
  ModelBuilder b;
  const int x = float_tensor(b, "x", {1, 16});
  const int feature = float_constant(b, "weights_feature", {8, 16}, ramp(128, -0.6f, 0.8f));
  const int time = float_constant(b, "weights_time", {8, 10}, ramp(80, -0.9f, 0.7f));
  const int bias = float_constant(b, "bias", {4}, {0.1f, -0.2f, 0.05f, 0.3f});
  const int state = b.add_tensor(TensorSpec("state", DType::kFloat32, {1, 80}, {}, {}, 0, {}, true));
  const int y = float_tensor(b, "y", {1, 4});
  b.add_operator(schema::BuiltinOp::kSvdf, {x, feature, time, bias, state}, {y},
                 Options(schema::OptionsType::kSvdf).i32(schema::svdf_options::rank, 2));
  b.set_inputs({x});
  b.set_outputs({y});
  const q::FloatModel fm = q::prepare_float_model(b.serialize());
  const std::vector<Sample> samples = random_samples({16}, 50, 31, -1.0f, 1.0f);
  const q::QuantizedModel qm = quantize(fm, samples);
  const q::Graph g = graph_of(qm.bytes);
  EXPECT_EQ(g.ops[0].version, 3);
  const q::Tensor* wf = find_tensor(g, "weights_feature");
  const q::Tensor* wt = find_tensor(g, "weights_time");
  const q::Tensor* bq = find_tensor(g, "bias");
  const q::Tensor* st = find_tensor(g, "state");
  EXPECT_EQ(wf->type, DType::kInt8);
  const std::vector<float> feature_values = ramp(128, -0.6f, 0.8f);
  EXPECT_EQ(wf->scales[0], q::symmetric_weight_scale(feature_values.back()));
  EXPECT_EQ(wt->type, DType::kInt16);
  EXPECT_FLOAT_EQ(wt->scales[0], 0.9f / 512.0f);
  const std::vector<int16_t> time_values = [&] {
    std::vector<int16_t> v(wt->data.size() / 2);
    memcpy(v.data(), wt->data.data(), wt->data.size());
    return v;
  }();
  EXPECT_EQ(*std::min_element(time_values.begin(), time_values.end()), -512);
  EXPECT_EQ(st->type, DType::kInt16);
  EXPECT_TRUE(st->is_variable);
  EXPECT_EQ(st->zero_points[0], 0);
  const q::TensorRange& r = qm.calibration.observed[size_t(find_tensor_index(fm.graph, "state"))];
  EXPECT_FLOAT_EQ(st->scales[0], 2.0f * std::max(fabsf(r.min), fabsf(r.max)) / 65534.0f);
  EXPECT_EQ(bq->type, DType::kInt32);
  EXPECT_EQ(bq->scales[0], q::bias_scale(st->scales[0], wt->scales[0]));
  // The same tensor types as TensorFlow's int16-state SVDF models.
  if (shared_available()) {
    const q::Graph tf = graph_of(read_file(model_path("keyword_scrambled")));
    for (const q::Operator& op : tf.ops) {
      if (q::op_name(op) != "SVDF") continue;
      EXPECT_EQ(op.version, g.ops[0].version);
      for (size_t i = 0; i < 5; ++i)
        EXPECT_EQ(tf.tensors[size_t(op.inputs[i])].type, g.tensors[size_t(g.ops[0].inputs[i])].type) << i;
      break;
    }
  }
  const mote::tools::QuantizeReport report =
      q::evaluate_quantization(fm, qm, random_samples({16}, 20, 32, -1.0f, 1.0f), nullptr);
  printf("[ ops ] SVDF             output SQNR %.1f dB\n", report.outputs[0].sqnr_db);
  EXPECT_GT(report.outputs[0].sqnr_db, 30.0);
}

// ---------------------------------------------------------------------------
// Calibration methods

// y = FC(x) with an identity weight, x and y [1, n].
std::vector<uint8_t> identity_fc_model(int n) {
  ModelBuilder b;
  const int x = float_tensor(b, "x", {1, n});
  std::vector<float> identity(size_t(n * n), 0.0f);
  for (int i = 0; i < n; ++i) identity[size_t(i * n + i)] = 1.0f;
  const int w = float_constant(b, "w", {n, n}, identity);
  const int y = float_tensor(b, "y", {1, n});
  b.add_operator(schema::BuiltinOp::kFullyConnected, {x, w, -1}, {y}, fc_options());
  b.set_inputs({x});
  b.set_outputs({y});
  return b.serialize();
}

TEST(QuantizeCalibration, PercentileAndMseClipTheTails) {
  const q::FloatModel fm = q::prepare_float_model(identity_fc_model(4));
  const int32_t yi = find_tensor_index(fm.graph, "y");
  auto range = [&](const std::vector<Sample>& samples, q::CalibrationMethod m) {
    q::CalibrationSettings settings;
    settings.method = m;
    settings.percentile = 99.9;
    return q::calibrate(fm, samples, settings).ranges[size_t(yi)];
  };

  // Uniform data with one huge outlier: the percentile range drops it.
  std::vector<Sample> outlier = random_samples({4}, 2000, 10, -1.0f, 1.0f);
  outlier[7][0][2] = 100.0f;
  EXPECT_FLOAT_EQ(range(outlier, q::CalibrationMethod::kMinMax).max, 100.0f);
  const q::TensorRange p = range(outlier, q::CalibrationMethod::kPercentile);
  EXPECT_LT(p.max, 1.1f);
  EXPECT_GT(p.max, 0.9f);
  EXPECT_LT(p.min, -0.9f);

  // Many Laplace-distributed values (b = 1): their extremes lie far out in
  // the sparse tail, and a clipped range quantizes the bulk better.
  const q::FloatModel wide = q::prepare_float_model(identity_fc_model(64));
  const int32_t wide_y = find_tensor_index(wide.graph, "y");
  std::vector<Sample> laplace = random_samples({64}, 4000, 11, 0.0f, 1.0f);
  for (Sample& sample : laplace)
    for (float& v : sample[0]) v = v < 0.5f ? logf(2.0f * v + 1e-12f) : -logf(2.0f - 2.0f * v + 1e-12f);
  q::CalibrationSettings settings;
  settings.method = q::CalibrationMethod::kMse;
  const q::Calibration cal = q::calibrate(wide, laplace, settings);
  const q::TensorRange full = cal.observed[size_t(wide_y)];
  const q::TensorRange mse = cal.ranges[size_t(wide_y)];
  EXPECT_GE(mse.min, full.min);
  EXPECT_LT(mse.max, full.max * 0.95f);  // clipped
  const q::QuantizedModel with_minmax = quantize(wide, laplace);
  const q::QuantizedModel with_mse = quantize(wide, laplace, q::RewriteOptions(), q::CalibrationMethod::kMse);
  const double sqnr_minmax = q::evaluate_quantization(wide, with_minmax, laplace, nullptr).outputs[0].sqnr_db;
  const double sqnr_mse = q::evaluate_quantization(wide, with_mse, laplace, nullptr).outputs[0].sqnr_db;
  printf("[ calibration ] Laplace data: minmax range [%g, %g] -> %.2f dB; mse range [%g, %g] -> %.2f dB\n", full.min,
         full.max, sqnr_minmax, mse.min, mse.max, sqnr_mse);
  EXPECT_GT(sqnr_mse, sqnr_minmax);
}

TEST(QuantizeCalibration, ProgressIsReportedPerSample) {
  const q::FloatModel fm = q::prepare_float_model(chain_model());
  std::vector<std::pair<std::string, int>> calls;
  q::CalibrationSettings settings;
  settings.method = q::CalibrationMethod::kPercentile;
  settings.progress = [&](const std::string& phase, int done, int total) {
    EXPECT_EQ(total, 5);
    calls.emplace_back(phase, done);
  };
  q::calibrate(fm, random_samples({8}, 5, 11, -1.0f, 1.0f), settings);
  ASSERT_EQ(calls.size(), 10u);  // two passes
  EXPECT_EQ(calls[4], std::make_pair(std::string("calibrating"), 5));
  EXPECT_EQ(calls[9], std::make_pair(std::string("histograms"), 5));
}

// ---------------------------------------------------------------------------
// Refusals

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const mote::tools::UserError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(QuantizeRefuses, AlreadyQuantizedModels) {
  MOTE_REQUIRE_SHARED();
  for (const char* model : {"person_detect", "vww_96_int8", "test_conv_model_int8_floatio", "mnist_lstm_int8"}) {
    const std::string e = error_of([&] { prepare(model); });
    EXPECT_NE(e.find("already quantized"), std::string::npos) << model << ": " << e;
  }
}

TEST(QuantizeRefuses, UnsupportedOperatorsByNodeAndName) {
  ModelBuilder b;
  const int x = float_tensor(b, "x", {1, 4});
  const int k = float_constant(b, "k", {1, 4}, {1, 2, 3, 4});
  const int a = float_tensor(b, "a", {1, 4});
  const int y = float_tensor(b, "y", {1, 4});
  b.add_operator(schema::BuiltinOp::kAdd, {x, k}, {a}, Options(schema::OptionsType::kAdd));
  b.add_operator(schema::BuiltinOp::kDiv, {a, k}, {y}, Options(schema::OptionsType::kDiv));
  b.set_inputs({x});
  b.set_outputs({y});
  const std::vector<uint8_t> model = b.serialize();
  const std::string e = error_of([&] { q::prepare_float_model(model); });
  EXPECT_NE(e.find("node 1 (DIV)"), std::string::npos) << e;
  EXPECT_NE(e.find("does not support"), std::string::npos) << e;
  EXPECT_NE(e.find("CONV_2D"), std::string::npos) << e;  // lists what is supported

  ModelBuilder c;
  const int cx = float_tensor(c, "x", {1, 4});
  const int cy = float_tensor(c, "y", {1, 4});
  c.add_operator(schema::BuiltinOp::kCustom, {cx}, {cy}, Options(), 1, {}, "MyOp");
  c.set_inputs({cx});
  c.set_outputs({cy});
  const std::string ce = error_of([&] { q::prepare_float_model(c.serialize()); });
  EXPECT_NE(ce.find("node 0 (CUSTOM:MyOp)"), std::string::npos) << ce;
}

TEST(QuantizeRefuses, NonFiniteWeightsAndData) {
  ModelBuilder b;
  const int x = float_tensor(b, "x", {1, 2});
  const int w = float_constant(b, "weights", {1, 2}, {0.5f, NAN});
  const int y = float_tensor(b, "y", {1, 1});
  b.add_operator(schema::BuiltinOp::kFullyConnected, {x, w, -1}, {y}, fc_options());
  b.set_inputs({x});
  b.set_outputs({y});
  std::string e = error_of([&] { q::prepare_float_model(b.serialize()); });
  EXPECT_NE(e.find("'weights'"), std::string::npos) << e;
  EXPECT_NE(e.find("NaN"), std::string::npos) << e;

  const q::FloatModel fm = q::prepare_float_model(chain_model());
  std::vector<Sample> samples = random_samples({8}, 3, 12, -1.0f, 1.0f);
  samples[2][0][5] = INFINITY;
  e = error_of([&] { quantize(fm, samples); });
  EXPECT_NE(e.find("sample 2"), std::string::npos) << e;
  EXPECT_NE(e.find("Inf"), std::string::npos) << e;
}

// Found by quantize_fuzzer: finite values spanning more than float holds made
// the histogram's bin index NaN (converted to int) and would give an infinite
// scale. Every calibration method refuses them, naming the tensor.
TEST(QuantizeRefuses, RangesWiderThanFloat) {
  const q::FloatModel fm = q::prepare_float_model(identity_fc_model(2));
  const std::vector<Sample> samples = {{{3e38f, -3e38f}}};
  for (q::CalibrationMethod method :
       {q::CalibrationMethod::kMinMax, q::CalibrationMethod::kPercentile, q::CalibrationMethod::kMse}) {
    q::CalibrationSettings settings;
    settings.method = method;
    const std::string e = error_of([&] { q::calibrate(fm, samples, settings); });
    EXPECT_NE(e.find("'x' span [-3e+38, 3e+38]"), std::string::npos) << q::method_name(method) << ": " << e;
  }
  // Each value in range, the width too: calibrated.
  q::CalibrationSettings settings;
  settings.method = q::CalibrationMethod::kPercentile;
  const q::Calibration cal = q::calibrate(fm, {{{1.5e38f, -1.5e38f}}}, settings);
  EXPECT_FLOAT_EQ(cal.observed[size_t(find_tensor_index(fm.graph, "y"))].max, 1.5e38f);
}

TEST(QuantizeRefuses, EmptyOrMisshapenData) {
  const q::FloatModel fm = q::prepare_float_model(chain_model());
  std::string e = error_of([&] { quantize(fm, {}); });
  EXPECT_NE(e.find("empty"), std::string::npos) << e;
  e = error_of([&] { quantize(fm, random_samples({7}, 2, 13, -1.0f, 1.0f)); });
  EXPECT_NE(e.find("7 values"), std::string::npos) << e;
  EXPECT_NE(e.find("needs 8"), std::string::npos) << e;
  e = error_of([&] { quantize(fm, random_samples({8, 8}, 2, 13, -1.0f, 1.0f)); });
  EXPECT_NE(e.find("2 inputs"), std::string::npos) << e;
}

TEST(QuantizeRefuses, NonConstantWeights) {
  ModelBuilder b;
  const int x = float_tensor(b, "x", {1, 2});
  const int w = float_tensor(b, "w", {3, 2});
  const int y = float_tensor(b, "y", {1, 3});
  b.add_operator(schema::BuiltinOp::kFullyConnected, {x, w, -1}, {y}, fc_options());
  b.set_inputs({x, w});
  b.set_outputs({y});
  const std::string e = error_of([&] { q::prepare_float_model(b.serialize()); });
  EXPECT_NE(e.find("node 0 (FULLY_CONNECTED)"), std::string::npos) << e;
  EXPECT_NE(e.find("not constant"), std::string::npos) << e;
}

}  // namespace
