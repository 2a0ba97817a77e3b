// `mote quantize` as a user runs it: the built binary (MOTE_CLI_PATH), its exit
// codes and messages, the files it writes, and that every bad input leaves no
// output file behind.
#include <gtest/gtest.h>
#include <math.h>
#include <stb/stb_image_write.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "cli_harness.h"
#include "op_harness.h"
#include "tools/model_builder.h"
#include "tools/quantizer/graph.h"
#include "tools/tensor_io.h"

namespace fs = std::filesystem;
using mote::DType;
using mote::tools::ModelBuilder;
using mote::tools::Options;
using mote::tools::TensorSpec;
namespace schema = mote::schema;

namespace {

// y = FC(relu) -> FC on a [1, 2] input; optionally with a DIV the quantizer
// does not support or a NaN weight.
enum class Variant { kPlain, kWithDiv, kNanWeight };
std::vector<uint8_t> small_model(Variant variant = Variant::kPlain) {
  ModelBuilder b;
  const int x = b.add_tensor({"x", DType::kFloat32, {1, 2}});
  std::vector<float> w1 = {0.5f, -0.3f, 0.8f, 0.1f, -0.6f, 0.9f};
  if (variant == Variant::kNanWeight) w1[4] = NAN;
  const int w = b.add_tensor(TensorSpec::constant<float>("w1", DType::kFloat32, {3, 2}, w1));
  const int h = b.add_tensor({"h", DType::kFloat32, {1, 3}});
  const int w2 =
      b.add_tensor(TensorSpec::constant<float>("w2", DType::kFloat32, {2, 3}, {1, -1, 0.5f, 0.2f, 0.3f, -0.7f}));
  const int y = b.add_tensor({"y", DType::kFloat32, {1, 2}});
  b.add_operator(
      schema::BuiltinOp::kFullyConnected, {x, w, -1}, {h},
      Options(schema::OptionsType::kFullyConnected).i8(schema::fully_connected_options::fused_activation_function, 1));
  if (variant == Variant::kWithDiv) {
    const int d = b.add_tensor({"d", DType::kFloat32, {1, 3}});
    const int k = b.add_tensor(TensorSpec::constant<float>("k", DType::kFloat32, {1, 3}, {2, 2, 2}));
    b.add_operator(schema::BuiltinOp::kDiv, {h, k}, {d}, Options(schema::OptionsType::kDiv));
    b.add_operator(schema::BuiltinOp::kFullyConnected, {d, w2, -1}, {y}, Options(schema::OptionsType::kFullyConnected));
  } else {
    b.add_operator(schema::BuiltinOp::kFullyConnected, {h, w2, -1}, {y}, Options(schema::OptionsType::kFullyConnected));
  }
  b.set_inputs({x});
  b.set_outputs({y});
  return b.serialize();
}

// An already-quantized (int8) FULLY_CONNECTED model.
std::vector<uint8_t> int8_model() {
  ModelBuilder b;
  const int x = b.add_tensor({"x", DType::kInt8, {1, 2}, {0.1f}, {0}});
  const int w = b.add_tensor(TensorSpec::constant<int8_t>("w", DType::kInt8, {1, 2}, {10, -10}, {0.01f}, {0}));
  const int y = b.add_tensor({"y", DType::kInt8, {1, 1}, {0.05f}, {0}});
  b.add_operator(schema::BuiltinOp::kFullyConnected, {x, w, -1}, {y}, Options(schema::OptionsType::kFullyConnected), 4);
  b.set_inputs({x});
  b.set_outputs({y});
  return b.serialize();
}

// One FULLY_CONNECTED on a [1, 4, 4, 3] image input (flattened to 48 values)
// giving 2 outputs, with bias `bias`, weights `weight` and the fused
// activation `activation` (schema::Activation).
std::vector<uint8_t> image_fc_model(float weight, float bias, int activation) {
  ModelBuilder b;
  const int x = b.add_tensor({"image", DType::kFloat32, {1, 4, 4, 3}});
  std::vector<float> w(96);
  for (size_t i = 0; i < w.size(); ++i) w[i] = weight * float(1 + i % 5) / 5.0f;
  const int wt = b.add_tensor(TensorSpec::constant<float>("w", DType::kFloat32, {2, 48}, w));
  const int bt = b.add_tensor(TensorSpec::constant<float>("b", DType::kFloat32, {2}, {bias, -bias}));
  const int y = b.add_tensor({"y", DType::kFloat32, {1, 2}});
  b.add_operator(schema::BuiltinOp::kFullyConnected, {x, wt, bt}, {y},
                 Options(schema::OptionsType::kFullyConnected)
                     .i8(schema::fully_connected_options::fused_activation_function, int8_t(activation)));
  b.set_inputs({x});
  b.set_outputs({y});
  return b.serialize();
}

class QuantizeCli : public MoteCliTest {
 protected:
  // N samples of a [1, 2] input as one .npy with a batch axis.
  std::string save_samples(const std::string& name, int n, float nan_at = -1) {
    std::vector<float> v;
    for (int i = 0; i < 2 * n; ++i) v.push_back(float(sin(0.37 * i)) * 2.0f);
    if (nan_at >= 0) v[size_t(nan_at)] = NAN;
    mote::tools::write_npy(path(name), DType::kFloat32, {n, 2}, bytes_of(v));
    return path(name);
  }
  // `count` 6x6 RGB PNGs with varied content in dir_/folder.
  std::string save_images(const std::string& folder, int count) {
    fs::create_directories(dir_ / folder);
    for (int k = 0; k < count; ++k) {
      std::vector<uint8_t> rgb(6 * 6 * 3);
      for (size_t i = 0; i < rgb.size(); ++i) rgb[i] = uint8_t((37 * k + 11 * int(i)) % 256);
      const std::string file = (dir_ / folder / ("img" + std::to_string(1000 + k) + ".png")).string();
      EXPECT_NE(stbi_write_png(file.c_str(), 6, 6, 3, rgb.data(), 6 * 3), 0) << file;
    }
    return path(folder);
  }
  // A failed run: exit code, message, and neither the output nor its
  // temporary file exists.
  void expect_failure(const CommandResult& r, const std::string& message, const std::string& output, int code = 1) {
    EXPECT_EQ(r.exit_code, code) << r.err;
    EXPECT_TRUE(contains(r.err, message)) << "stderr: " << r.err;
    EXPECT_FALSE(fs::exists(output)) << output;
    EXPECT_FALSE(fs::exists(output + ".tmp")) << output;
  }
};

TEST_F(QuantizeCli, HelpTeachesWithExamples) {
  const CommandResult r = mote({"quantize", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* needle : {"Examples:", "--calibration", "--input-type", "--output-type", "--per-channel-fc",
                             "--calibration-method", "--report", "--samples", "--random", "--scale", ".npy", "uint8"})
    EXPECT_TRUE(contains(r.out, needle)) << needle;
  EXPECT_TRUE(contains(mote({"--help"}).out, "quantize"));
}

TEST_F(QuantizeCli, QuantizesAndWritesModelReportAndSummary) {
  const std::string model = save("float.tflite", small_model());
  const std::string data = save_samples("calib.npy", 50);
  const std::string out = path("int8.tflite");
  const CommandResult r = mote({"quantize", model, "-o", out, "--calibration", data, "--report", path("report.json")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* needle : {"Quantized", "FULLY_CONNECTED x2", "SQNR", "agreement", "top-1", "report"})
    EXPECT_TRUE(contains(r.out, needle)) << needle << "\n" << r.out;
  EXPECT_TRUE(contains(r.err, "calibrating")) << r.err;

  // The model is int8 and runs in mote; no temporary file is left.
  const std::vector<uint8_t> bytes = read_file(out);
  RunResult run = run_model(bytes, {std::vector<uint8_t>{10, 20}});
  ASSERT_TRUE(run.ok()) << run.error;
  EXPECT_EQ(run.output_types[0], DType::kInt8);
  EXPECT_EQ(files(), (std::set<std::string>{"float.tflite", "calib.npy", "int8.tflite", "report.json"}));

  const nlohmann::json report = nlohmann::json::parse(slurp(path("report.json")));
  EXPECT_EQ(report["calibration_samples"], 50);
  EXPECT_EQ(report["evaluation_samples"], 50);
  EXPECT_EQ(report["evaluation_data"], "calibration");
  EXPECT_EQ(report["method"], "minmax");
  EXPECT_EQ(report["tensors"].size(), 3u);  // every activation: x, h, y
  EXPECT_EQ(report["outputs"].size(), 1u);
}

TEST_F(QuantizeCli, ModelIoTypesAndHeldOutEvaluation) {
  const std::string model = save("float.tflite", small_model());
  const std::string data = save_samples("calib.npy", 30);
  const std::string holdout = save_samples("holdout.npy", 7);
  const std::string out = path("u8.tflite");
  const CommandResult r = mote({"quantize", model, "-o", out, "--calibration", data, "--eval", holdout, "--input-type",
                            "uint8", "--output-type", "float", "--calibration-method", "mse"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "7 held-out samples")) << r.out;
  const std::vector<uint8_t> bytes = read_file(out);
  RunResult run = run_model(bytes, {std::vector<uint8_t>{128, 200}});
  ASSERT_TRUE(run.ok()) << run.error;
  EXPECT_EQ(run.output_types[0], DType::kFloat32);
}

TEST_F(QuantizeCli, SharedModelsFromImagesAndFiles) {
  MOTE_REQUIRE_SHARED();
  const std::string inputs = shared_dir() + "/models/inputs/";
  // mnist_lstm from its PNG samples, with an HTML report.
  fs::create_directories(dir_ / "digits");
  for (int n = 0; n < 10; ++n)
    fs::copy_file(inputs + "mnist_sample" + std::to_string(n) + ".png",
                  dir_ / "digits" / ("d" + std::to_string(n) + ".png"));
  CommandResult r = mote({"quantize", shared_dir() + "/models/mnist_lstm_float.tflite", "-o", path("mnist.tflite"),
                      "--calibration", path("digits"), "--report", path("mnist.html")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "UNIDIRECTIONAL_SEQUENCE_LSTM")) << r.out;
  EXPECT_TRUE(contains(slurp(path("mnist.html")), "<html")) << "HTML report";
  EXPECT_TRUE(run_model(read_file(path("mnist.tflite")), {std::vector<uint8_t>(784, 0)}).ok());

  // The hybrid kws model, calibrated on raw float32 .bin files.
  for (int k = 0; k < 3; ++k) {
    const std::vector<uint8_t> raw =
        read_file(shared_dir() + "/conformance/kws_ref_model_int8/input_" + std::to_string(k) + "_0.bin");
    std::vector<float> x;
    for (uint8_t b : raw) x.push_back(0.584702909f * float(int(int8_t(b)) - 83));
    save("kws" + std::to_string(k) + ".bin", bytes_of(x));
  }
  r = mote({"quantize", shared_dir() + "/models/kws_ref_model_float32.tflite", "-o", path("kws.tflite"),
            "--calibration", path("kws0.bin"), path("kws1.bin"), path("kws2.bin")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "dequantized to float32 first")) << r.out;
}

TEST_F(QuantizeCli, ReportCountsCalibrationAndEvaluationSeparatelyAndEchoesPreprocessing) {
  const std::string model = save("float.tflite", image_fc_model(0.05f, 0.1f, 0));
  const std::string calibration = save_images("calibration", 200);
  const std::string holdout = save_images("holdout", 30);
  const CommandResult r = mote({"quantize", model, "-o", path("int8.tflite"), "--calibration", calibration, "--eval",
                                holdout, "--report", path("report.json")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "minmax, 200 samples")) << r.out;
  EXPECT_TRUE(contains(r.out, "30 samples held out")) << r.out;
  EXPECT_TRUE(contains(r.out, "on 30 held-out samples")) << r.out;
  const std::string preprocessing = "from images, RGB, bilinear from 6x6 to 4x4, (pixel - 0) * 0.003922; values in [";
  EXPECT_TRUE(contains(r.out, "calibration 'image': 200 samples " + preprocessing)) << r.out;
  EXPECT_TRUE(contains(r.out, "evaluation 'image': 30 samples " + preprocessing)) << r.out;

  const nlohmann::json report = nlohmann::json::parse(slurp(path("report.json")));
  EXPECT_EQ(report["calibration_samples"], 200);
  EXPECT_EQ(report["evaluation_samples"], 30);
  EXPECT_EQ(report["evaluation_data"], "held-out");
  const nlohmann::json& cal = report["preprocessing"]["calibration"][0];
  EXPECT_EQ(cal["input"], "image");
  EXPECT_EQ(cal["images"], 200);
  EXPECT_EQ(cal["color"], "RGB");
  EXPECT_EQ(cal["resized_from"], nlohmann::json::parse("[[6, 6]]"));
  EXPECT_EQ(cal["resized_to"], nlohmann::json::parse("[4, 4]"));
  EXPECT_GE(cal["min"].get<double>(), 0.0);
  EXPECT_LE(cal["max"].get<double>(), 1.0);
  EXPECT_EQ(report["preprocessing"]["evaluation"][0]["samples"], 30);

  ASSERT_EQ(mote({"quantize", model, "-o", path("int8.tflite"), "--calibration", calibration, "--eval", holdout,
                  "--report", path("report.html")})
                .exit_code,
            0);
  const std::string html = slurp(path("report.html"));
  EXPECT_TRUE(contains(html, "minmax, 200 samples")) << html;
  EXPECT_TRUE(contains(html, "30 samples held out")) << html;
  EXPECT_TRUE(contains(html, "bilinear from 6x6 to 4x4")) << html;
}

TEST_F(QuantizeCli, WarnsWhenTheDataRangeLooksWrongForTheModel) {
  const std::string images = save_images("images", 12);
  // Weights for 0..255 pixels fed 0..1 (the default --scale 1/255): the bias dominates.
  CommandResult r = mote({"quantize", save("small_weights.tflite", image_fc_model(0.0005f, 1.0f, 0)), "-o",
                          path("a.tflite"), "--calibration", images, "--report", path("a.json")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "warning: the inputs barely reach the first layer (node 0, FULLY_CONNECTED)")) << r.err;
  EXPECT_TRUE(contains(r.err, "--scale 1")) << r.err;
  EXPECT_TRUE(contains(r.out, "warning       the inputs barely reach")) << r.out;
  const nlohmann::json report = nlohmann::json::parse(slurp(path("a.json")));
  ASSERT_EQ(report["warnings"].size(), 1u);
  // The same weights on 0..255 pixels: no warning.
  r = mote({"quantize", path("small_weights.tflite"), "-o", path("b.tflite"), "--calibration", images, "--scale", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(contains(r.err, "warning")) << r.err;

  // Weights for 0..1 fed 0..255 through RELU6: the layer saturates.
  const std::string relu6 = save("relu6.tflite", image_fc_model(0.05f, 0.1f, int(schema::Activation::kRelu6)));
  r = mote({"quantize", relu6, "-o", path("c.tflite"), "--calibration", images, "--scale", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "saturates")) << r.err;
  EXPECT_TRUE(contains(r.err, "--scale 1/255")) << r.err;
  r = mote({"quantize", relu6, "-o", path("d.tflite"), "--calibration", images});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(contains(r.err, "warning")) << r.err;
}

// FC [1, 2] -> [1, 3] -> SOFTMAX: a classifier.
std::vector<uint8_t> softmax_model() {
  ModelBuilder b;
  const int x = b.add_tensor({"x", DType::kFloat32, {1, 2}});
  const int w = b.add_tensor(
      TensorSpec::constant<float>("w", DType::kFloat32, {3, 2}, {0.5f, -0.3f, 0.8f, 0.1f, -0.6f, 0.9f}));
  const int logits = b.add_tensor({"logits", DType::kFloat32, {1, 3}});
  const int y = b.add_tensor({"probabilities", DType::kFloat32, {1, 3}});
  b.add_operator(schema::BuiltinOp::kFullyConnected, {x, w, -1}, {logits}, Options(schema::OptionsType::kFullyConnected));
  b.add_operator(schema::BuiltinOp::kSoftmax, {logits}, {y},
                 Options(schema::OptionsType::kSoftmax).f32(schema::softmax_options::beta, 1.0f));
  b.set_inputs({x});
  b.set_outputs({y});
  return b.serialize();
}

TEST_F(QuantizeCli, VerdictUsesTheMetricOfTheOutputsTask) {
  const std::string data = save_samples("calib.npy", 40);
  // [1, 2] -> [1, 2]: as many values as the input, judged as a reconstruction.
  const std::string same_size = save("same_size.tflite", small_model());
  CommandResult r = mote({"quantize", same_size, "-o", path("a.tflite"), "--calibration", data, "--report",
                          path("a.json")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "'y' (reconstruction: as many values as input 'x'): reconstruction error")) << r.out;
  EXPECT_FALSE(contains(r.out, "top-1 agreement 1")) << r.out;
  nlohmann::json report = nlohmann::json::parse(slurp(path("a.json")));
  EXPECT_EQ(report["outputs"][0]["task"], "reconstruction");
  EXPECT_TRUE(report["outputs"][0]["top1_agreement"].is_null());
  EXPECT_GT(report["outputs"][0]["reconstruction"]["float"]["median"].get<double>(), 0.0);

  // Overridden with --task.
  r = mote({"quantize", same_size, "-o", path("b.tflite"), "--calibration", data, "--task", "regression"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "'y' (regression: --task): MSE ")) << r.out;
  r = mote({"quantize", same_size, "-o", path("c.tflite"), "--calibration", data, "--task", "classification"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "'y' (classification: --task): top-1 agreement")) << r.out;

  // A SOFTMAX output is a classifier; a 48 -> 2 FC without one is a regression.
  r = mote({"quantize", save("softmax.tflite", softmax_model()), "-o", path("d.tflite"), "--calibration", data});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "'probabilities' (classification: SOFTMAX output): top-1 agreement")) << r.out;
  r = mote({"quantize", save("fc.tflite", image_fc_model(0.05f, 0.1f, 0)), "-o", path("e.tflite"), "--calibration",
            save_images("images", 4)});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "'y' (regression: not SOFTMAX, not the size of an input): MSE ")) << r.out;
  // Reconstruction needs an input of the output's size.
  r = mote({"quantize", path("fc.tflite"), "-o", path("f.tflite"), "--calibration", path("images"), "--task",
            "reconstruction"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "no model input has as many")) << r.err;
  EXPECT_EQ(mote({"quantize", same_size, "-o", path("g.tflite"), "--calibration", data, "--task", "detect"}).exit_code,
            2);
}

// ------------------------------------------------------------ bad inputs

TEST_F(QuantizeCli, WrongShapeCalibrationFile) {
  const std::string model = save("float.tflite", small_model());
  std::vector<float> v(30, 0.5f);
  mote::tools::write_npy(path("bad.npy"), DType::kFloat32, {10, 3}, bytes_of(v));
  const CommandResult r = mote({"quantize", model, "-o", path("out.tflite"), "--calibration", path("bad.npy")});
  expect_failure(r, "bad.npy", path("out.tflite"));
  EXPECT_TRUE(contains(r.err, "'x' float32[1,2]")) << r.err;  // the hint shows what the model wants
}

TEST_F(QuantizeCli, WrongSizeBinFile) {
  const std::string model = save("float.tflite", small_model());
  save("short.bin", {1, 2, 3, 4, 5});
  const CommandResult r = mote({"quantize", model, "-o", path("out.tflite"), "--calibration", path("short.bin")});
  expect_failure(r, "short.bin", path("out.tflite"));
}

TEST_F(QuantizeCli, WrongDtypeFile) {
  const std::string model = save("float.tflite", small_model());
  // A complex64 array: .npy version 1.0 header written by hand.
  std::string header = "{'descr': '<c8', 'fortran_order': False, 'shape': (1, 2), }";
  header.append(128 - 10 - header.size() - 1, ' ');  // 10-byte preamble + header = 128
  header += '\n';
  std::string npy = std::string("\x93NUMPY\x01\x00", 8);
  npy += char(header.size() & 0xff);
  npy += char(header.size() >> 8);
  npy += header + std::string(16, '\0');
  save("c.npy", std::vector<uint8_t>(npy.begin(), npy.end()));
  CommandResult r = mote({"quantize", model, "-o", path("out.tflite"), "--calibration", path("c.npy")});
  expect_failure(r, "c.npy", path("out.tflite"));
  save("text.txt", {'h', 'i'});
  r = mote({"quantize", model, "-o", path("out.tflite"), "--calibration", path("text.txt")});
  expect_failure(r, "text.txt", path("out.tflite"));
}

TEST_F(QuantizeCli, NanOrInfInCalibrationData) {
  const std::string model = save("float.tflite", small_model());
  const std::string data = save_samples("nan.npy", 5, 3);
  const CommandResult r = mote({"quantize", model, "-o", path("out.tflite"), "--calibration", data});
  expect_failure(r, "NaN", path("out.tflite"));
}

TEST_F(QuantizeCli, EmptyDataset) {
  const std::string model = save("float.tflite", small_model());
  fs::create_directories(dir_ / "empty");
  const CommandResult r = mote({"quantize", model, "-o", path("out.tflite"), "--calibration", path("empty")});
  expect_failure(r, "empty", path("out.tflite"));
  const CommandResult none = mote({"quantize", model, "-o", path("out.tflite")});
  expect_failure(none, "no calibration data", path("out.tflite"));
}

TEST_F(QuantizeCli, UnsupportedOperatorIsNamed) {
  const std::string model = save("float.tflite", small_model(Variant::kWithDiv));
  const std::string data = save_samples("calib.npy", 5);
  const CommandResult r = mote({"quantize", model, "-o", path("out.tflite"), "--calibration", data});
  expect_failure(r, "node 1 (DIV)", path("out.tflite"));
}

TEST_F(QuantizeCli, AlreadyQuantizedModel) {
  const std::string model = save("int8.tflite", int8_model());
  const std::string data = save_samples("calib.npy", 5);
  const CommandResult r = mote({"quantize", model, "-o", path("out.tflite"), "--calibration", data});
  expect_failure(r, "already quantized", path("out.tflite"));
}

TEST_F(QuantizeCli, NanWeights) {
  const std::string model = save("float.tflite", small_model(Variant::kNanWeight));
  const std::string data = save_samples("calib.npy", 5);
  const CommandResult r = mote({"quantize", model, "-o", path("out.tflite"), "--calibration", data});
  expect_failure(r, "NaN", path("out.tflite"));
  EXPECT_TRUE(contains(r.err, "'w1'")) << r.err;
}

TEST_F(QuantizeCli, FailureLeavesAnExistingOutputUntouched) {
  const std::string model = save("float.tflite", small_model(Variant::kWithDiv));
  const std::string data = save_samples("calib.npy", 5);
  const std::string out = save("out.tflite", {'o', 'l', 'd'});
  const CommandResult r = mote({"quantize", model, "-o", out, "--calibration", data});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(slurp(out), "old");
  EXPECT_FALSE(fs::exists(out + ".tmp"));
}

TEST_F(QuantizeCli, BadCommandLines) {
  const std::string model = save("float.tflite", small_model());
  const std::string data = save_samples("calib.npy", 5);
  const std::string out = path("out.tflite");
  expect_failure(mote({"quantize", model, "-o", out, "--calibration", data, "--input-type", "int4"}), "int4", out, 2);
  expect_failure(mote({"quantize", model, "-o", out, "--calibration", data, "--calibration-method", "kl"}), "kl", out,
                 2);
  expect_failure(mote({"quantize", model, "--calibration", data}), "--output", out, 2);
  expect_failure(mote({"quantize", model, "-o", out, "--calibration", data, "--report", path("r.txt")}), "r.txt", out);
  expect_failure(mote({"quantize", model, "-o", model, "--calibration", data}), "output file is the input", out);
  expect_failure(mote({"quantize", model, "-o", out, "--calibration", data, "--random"}), "--random", out);
  expect_failure(mote({"quantize", path("missing.tflite"), "-o", out, "--calibration", data}), "does not exist", out);
  expect_failure(mote({"quantize", model, "-o", path("no_such_dir/out.tflite"), "--calibration", data}),
                 "does not exist", path("no_such_dir/out.tflite"));
}

TEST_F(QuantizeCli, RandomCalibrationWarns) {
  const std::string model = save("float.tflite", small_model());
  const CommandResult r = mote({"quantize", model, "-o", path("out.tflite"), "--random", "--samples", "20"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "warning")) << r.err;
  EXPECT_TRUE(fs::exists(path("out.tflite")));
}

}  // namespace
