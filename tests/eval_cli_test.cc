// `mote eval` as a user runs it: models built here whose answers are known
// exactly (an argmax classifier, y = 2x), labels from files and folders, the
// JSON fields, the HTML pictures, the error messages; and the shared MNIST
// models on their digit images.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_harness.h"
#include "op_harness.h"
#include "tools/model_builder.h"
#include "tools/tensor_io.h"

namespace fs = std::filesystem;
using mote::DType;
using mote::tools::ModelBuilder;
using mote::tools::Options;
using mote::tools::TensorSpec;
namespace schema = mote::schema;
using Json = nlohmann::json;

namespace {

// y = SOFTMAX(x) on [1, 3]: the predicted class is the argmax of the input.
std::vector<uint8_t> argmax_model() {
  ModelBuilder b;
  const int x = b.add_tensor({"x", DType::kFloat32, {1, 3}});
  const int y = b.add_tensor({"scores", DType::kFloat32, {1, 3}});
  b.add_operator(schema::BuiltinOp::kSoftmax, {x}, {y},
                 Options(schema::OptionsType::kSoftmax).f32(schema::softmax_options::beta, 1.0f));
  b.set_inputs({x});
  b.set_outputs({y});
  return b.serialize();
}

// y = 2x with FULLY_CONNECTED, on `n` values (n = 1: a regression, n > 1: the
// input's size, a reconstruction).
std::vector<uint8_t> doubling_model(int n) {
  ModelBuilder b;
  const int x = b.add_tensor({"x", DType::kFloat32, {1, n}});
  std::vector<float> w(size_t(n * n), 0.0f);
  for (int i = 0; i < n; ++i) w[size_t(i * n + i)] = 2.0f;
  const int wt = b.add_tensor(TensorSpec::constant<float>("w", DType::kFloat32, {n, n}, w));
  const int y = b.add_tensor({"y", DType::kFloat32, {1, n}});
  b.add_operator(schema::BuiltinOp::kFullyConnected, {x, wt, -1}, {y}, Options(schema::OptionsType::kFullyConnected));
  b.set_inputs({x});
  b.set_outputs({y});
  return b.serialize();
}

class EvalCli : public MoteCliTest {
 protected:
  // 12 samples of [1, 3]; sample k's largest value is at class k % 3.
  std::string save_argmax_samples(const std::string& name) {
    std::vector<float> v;
    for (int k = 0; k < 12; ++k)
      for (int c = 0; c < 3; ++c) v.push_back(c == k % 3 ? 2.0f : -1.0f + 0.25f * float(c));
    mote::tools::write_npy(path(name), DType::kFloat32, {12, 3}, bytes_of(v));
    return path(name);
  }
  std::string save_text(const std::string& name, const std::string& text) {
    write_file(dir_ / name, text);
    return path(name);
  }
  // The float argmax model and its int8 version, quantized by mote on the samples.
  void make_models(const std::string& data) {
    save("float.tflite", argmax_model());
    const CommandResult q = mote({"quantize", path("float.tflite"), "-o", path("int8.tflite"), "--calibration", data});
    ASSERT_EQ(q.exit_code, 0) << q.err;
  }
  void expect_error(const CommandResult& r, const std::string& message, const std::string& hint = "") {
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_TRUE(contains(r.err, message)) << "stderr: " << r.err;
    if (!hint.empty()) EXPECT_TRUE(contains(r.err, "hint: " + hint)) << "stderr: " << r.err;
  }
};

TEST_F(EvalCli, HelpTeachesWithExamples) {
  const CommandResult r = mote({"eval", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* needle : {"Examples:", "--data", "--labels", "--labels-from-folders", "--classes", "--task",
                             "--json", "--html", "one label per line, in sample order", "confusion matrix", ".npy"})
    EXPECT_TRUE(contains(r.out, needle)) << needle;
  EXPECT_FALSE(contains(r.out, "--random")) << "quantize's smoke-test option is not an eval option";
  const CommandResult top = mote({"--help"});
  EXPECT_TRUE(contains(top.out, "eval")) << top.out;
}

// Labels k % 3 except samples 1 and 4 (labelled 0 and 2 while their largest
// value is at class 1): 10 of 12 right, and those two in known cells.
TEST_F(EvalCli, AccuracyAndConfusionMatrixOfBothModelsAreExact) {
  const std::string data = save_argmax_samples("x.npy");
  make_models(data);
  std::string labels;
  for (int k = 0; k < 12; ++k) labels += std::to_string(k == 1 ? 0 : k == 4 ? 2 : k % 3) + "\n";
  const std::string labels_file = save_text("labels.txt", "# class index per sample\n" + labels);
  const CommandResult r = mote({"eval", path("float.tflite"), path("int8.tflite"), "--data", data, "--labels",
                                labels_file, "--json", path("eval.json"), "--html", path("eval.html")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "classification (SOFTMAX output)")) << r.out;
  EXPECT_TRUE(contains(r.out, "83.3%")) << r.out;
  EXPECT_TRUE(contains(r.out, "10 of 12")) << r.out;
  EXPECT_TRUE(contains(r.out, "same class on 100.0% of samples")) << r.out;
  EXPECT_TRUE(contains(r.out, "confusion matrix of " + path("int8.tflite"))) << r.out;
  EXPECT_TRUE(contains(r.err, "evaluating")) << "progress on stderr: " << r.err;

  const Json j = Json::parse(slurp(path("eval.json")));
  EXPECT_EQ(j["format"], "mote-eval-report/1");
  EXPECT_EQ(j["samples"], 12);
  EXPECT_EQ(j["task"], "classification");
  EXPECT_EQ(j["output"]["name"], "scores");
  EXPECT_EQ(j["output"]["values"], 3);
  EXPECT_EQ(j["labels"]["classes"], Json::array({"0", "1", "2"}));
  const Json expected_matrix = Json::array({{4, 1, 0}, {0, 2, 0}, {0, 1, 4}});
  ASSERT_EQ(j["models"].size(), 2u);
  for (const Json& m : j["models"]) {
    EXPECT_EQ(m["correct"], 10) << m["path"];
    EXPECT_DOUBLE_EQ(m["accuracy"].get<double>(), 10.0 / 12.0) << m["path"];
    EXPECT_EQ(m["confusion_matrix"], expected_matrix) << m["path"];
    EXPECT_EQ(m["per_class"][0]["samples"], 5);
    EXPECT_DOUBLE_EQ(m["per_class"][0]["recall"].get<double>(), 0.8);
    EXPECT_DOUBLE_EQ(m["per_class"][1]["precision"].get<double>(), 0.5);
  }
  EXPECT_EQ(j["models"][0]["path"], path("float.tflite"));
  EXPECT_DOUBLE_EQ(j["agreement"]["same_class"].get<double>(), 1.0);
  EXPECT_EQ(j["agreement"]["reference"], path("float.tflite"));

  const std::string html = slurp(path("eval.html"));
  EXPECT_TRUE(contains(html, "<svg")) << "confusion matrix picture";
  EXPECT_TRUE(contains(html, "aria-label=\"confusion matrix\""));
  EXPECT_TRUE(contains(html, "true 0, predicted 1: 1 (20.0% of the class)")) << "cell tooltip";
  EXPECT_FALSE(contains(html, "<script")) << "self-contained, no scripts";
  EXPECT_FALSE(contains(html, "href=\"http")) << "self-contained, nothing fetched";
}

TEST_F(EvalCli, OneModelAloneWithNamedLabels) {
  const std::string data = save_argmax_samples("x.npy");
  make_models(data);
  std::string labels;
  const char* names[] = {"cat", "dog", "owl"};
  for (int k = 0; k < 12; ++k) labels += std::string(names[k % 3]) + "\n";
  const std::string labels_file = save_text("labels.txt", labels);
  // Names sorted (cat, dog, owl) are the output order here: all right.
  CommandResult r = mote({"eval", path("int8.tflite"), "--data", data, "--labels", labels_file, "--json",
                          path("a.json")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "100.0%")) << r.out;
  Json j = Json::parse(slurp(path("a.json")));
  EXPECT_EQ(j["models"].size(), 1u);
  EXPECT_TRUE(j["agreement"].is_null());
  EXPECT_EQ(j["labels"]["classes"], Json::array({"cat", "dog", "owl"}));
  // --classes gives another output order: classes 0 and 2 swap, only 'dog' stays right.
  r = mote({"eval", path("int8.tflite"), "--data", data, "--labels", labels_file, "--classes", "owl,dog,cat",
            "--json", path("b.json")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  j = Json::parse(slurp(path("b.json")));
  EXPECT_EQ(j["models"][0]["correct"], 4);
  EXPECT_EQ(j["models"][0]["confusion_matrix"], Json::array({{0, 0, 4}, {0, 4, 0}, {4, 0, 0}}));
}

TEST_F(EvalCli, LabelsFromFolders) {
  // One .npy per sample in data/<class>/; two samples of class 'b' predicted 'a'.
  const float rows[5][3] = {{3, 0, 0}, {0, 3, 0}, {3, 0, 0}, {3, 0, 0}, {0, 0, 3}};
  const char* folders[5] = {"a", "b", "b", "b", "c"};
  for (int k = 0; k < 5; ++k) {
    fs::create_directories(dir_ / "data" / folders[k]);
    mote::tools::write_npy((dir_ / "data" / folders[k] / ("s" + std::to_string(k) + ".npy")).string(),
                           DType::kFloat32, {1, 3}, bytes_of(std::vector<float>(rows[k], rows[k] + 3)));
  }
  save("float.tflite", argmax_model());
  const CommandResult r = mote({"eval", path("float.tflite"), "--data", path("data"), "--labels-from-folders",
                                "--json", path("e.json")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "labels  sub-folders of " + path("data") + ", 3 classes: a, b, c")) << r.out;
  const Json j = Json::parse(slurp(path("e.json")));
  EXPECT_EQ(j["models"][0]["confusion_matrix"], Json::array({{1, 0, 0}, {2, 1, 0}, {0, 0, 1}}));
  EXPECT_EQ(j["models"][0]["correct"], 3);
}

// y = 2x on one value against targets 2x, one of them off by 0.5.
TEST_F(EvalCli, RegressionMetricsAgainstTargets) {
  save("double.tflite", doubling_model(1));
  mote::tools::write_npy(path("x.npy"), DType::kFloat32, {4, 1}, bytes_of(std::vector<float>{1, 2, 3, 4}));
  const std::string labels = save_text("y.txt", "2\n4\n6.5\n8\n");
  const CommandResult r =
      mote({"eval", path("double.tflite"), "--data", path("x.npy"), "--labels", labels, "--json", path("r.json"),
            "--html", path("r.html")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "regression (not SOFTMAX, not the size of an input)")) << r.out;
  const Json j = Json::parse(slurp(path("r.json")));
  const Json& m = j["models"][0];
  EXPECT_EQ(m["error_against"], "labels");
  EXPECT_DOUBLE_EQ(m["mse"].get<double>(), 0.25 / 4);
  EXPECT_DOUBLE_EQ(m["mean_abs_error"].get<double>(), 0.5 / 4);
  EXPECT_DOUBLE_EQ(m["max_abs_error"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(m["sample_mse"]["max"].get<double>(), 0.25);
  EXPECT_DOUBLE_EQ(m["sample_mse"]["median"].get<double>(), 0.0);
  EXPECT_FALSE(m.contains("confusion_matrix"));
  EXPECT_TRUE(contains(slurp(path("r.html")), "aria-label=\"per-sample error histogram\""));
}

// y = 2x on [1, 2]: a reconstruction of the input whose per-sample MSE is x^2
// for x = (x, x): 1, 4, 9.
TEST_F(EvalCli, ReconstructionErrorDistributionNeedsNoLabels) {
  save("ae.tflite", doubling_model(2));
  mote::tools::write_npy(path("x.npy"), DType::kFloat32, {3, 2}, bytes_of(std::vector<float>{1, 1, 2, 2, 3, 3}));
  const CommandResult r =
      mote({"eval", path("ae.tflite"), "--data", path("x.npy"), "--json", path("ae.json"), "--html", path("ae.html")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "reconstruction (as many values as input 'x')")) << r.out;
  const Json j = Json::parse(slurp(path("ae.json")));
  EXPECT_EQ(j["reconstructs"], "input 'x'");
  EXPECT_TRUE(j["labels"].is_null());
  const Json& d = j["models"][0]["sample_mse"];
  EXPECT_DOUBLE_EQ(d["mean"].get<double>(), 14.0 / 3);
  EXPECT_DOUBLE_EQ(d["median"].get<double>(), 4.0);
  EXPECT_DOUBLE_EQ(d["max"].get<double>(), 9.0);
  EXPECT_DOUBLE_EQ(j["models"][0]["max_abs_error"].get<double>(), 3.0);
  // 20 bins over [0, 9]: 1 -> bin 2, 4 -> bin 8, 9 -> the last bin.
  const Json& h = j["models"][0]["sample_mse_histogram"];
  EXPECT_DOUBLE_EQ(h["bin_width"].get<double>(), 0.45);
  EXPECT_EQ(h["counts"][2], 1);
  EXPECT_EQ(h["counts"][8], 1);
  EXPECT_EQ(h["counts"][19], 1);
  const std::string html = slurp(path("ae.html"));
  EXPECT_TRUE(contains(html, "aria-label=\"per-sample error histogram\"")) << "histogram picture";
  EXPECT_TRUE(contains(html, "1 samples with MSE in [3.6, 4.05)")) << "bar tooltip";
  // --task overrides the detection: as a regression it needs labels.
  expect_error(mote({"eval", path("ae.tflite"), "--data", path("x.npy"), "--task", "regression"}),
               "is a regression output (--task): evaluating it needs labels", "give --labels FILE");
}

// Labelled data given to an autoencoder (e.g. normal/anomalous folders): the
// labels are not read (this file would fail as regression targets), a note
// says so and how to judge the output against them, the error is the same.
TEST_F(EvalCli, ReconstructionLeavesGivenLabelsUnreadWithANote) {
  save("ae.tflite", doubling_model(2));
  mote::tools::write_npy(path("x.npy"), DType::kFloat32, {3, 2}, bytes_of(std::vector<float>{1, 1, 2, 2, 3, 3}));
  const std::string labels = save_text("kinds.txt", "normal\nnormal\nanomalous\n");
  CommandResult r = mote({"eval", path("ae.tflite"), "--data", path("x.npy"), "--labels", labels, "--json",
                          path("ae.json")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "warning: --labels not used: output 'y' is judged as a reconstruction (as many values "
                              "as input 'x'), whose error is measured against the input; to judge the output "
                              "against the labels, give --task regression"))
      << r.err;
  const Json j = Json::parse(slurp(path("ae.json")));
  EXPECT_TRUE(j["labels"].is_null());
  EXPECT_DOUBLE_EQ(j["models"][0]["sample_mse"]["mean"].get<double>(), 14.0 / 3);
  // Forced by --task, the note names no other task.
  r = mote({"eval", path("ae.tflite"), "--data", path("x.npy"), "--labels", labels, "--task", "reconstruction"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "--labels not used")) << r.err;
  EXPECT_FALSE(contains(r.err, "--task regression")) << r.err;
}

TEST_F(EvalCli, ErrorsSayWhatToDo) {
  const std::string data = save_argmax_samples("x.npy");
  make_models(data);
  const std::string model = path("float.tflite");
  expect_error(mote({"eval", model, "--data", data, "--labels", save_text("short.txt", "0\n1\n2\n")}),
               "the labels file '" + path("short.txt") + "' has 3 labels but the data holds 12 samples in 1 file",
               "give one label per line, in sample order");
  std::string labels;
  for (int k = 0; k < 12; ++k) labels += (k == 7 ? "emu" : k % 2 ? "cat" : "dog") + std::string("\n");
  const std::string named = save_text("named.txt", labels);
  expect_error(mote({"eval", model, "--data", data, "--labels", named, "--classes", "cat,dog,owl"}),
               "unknown label 'emu' for " + data + ", sample 7: --classes has 'cat', 'dog', 'owl'",
               "correct the label");
  labels.clear();
  for (int k = 0; k < 12; ++k) labels += (k % 2 ? "cat" : "dog") + std::string("\n");
  expect_error(mote({"eval", model, "--data", data, "--labels", save_text("two.txt", labels)}),
               "the labels name 2 classes ('cat', 'dog') but output 'scores' has 3 classes", "give --classes");
  expect_error(mote({"eval", model, "--data", data, "--labels", save_text("big.txt", std::string(12, '7') + "\n")}),
               "has 1 label");
  labels.clear();
  for (int k = 0; k < 12; ++k) labels += (k == 3 ? "5" : "0") + std::string("\n");
  expect_error(mote({"eval", model, "--data", data, "--labels", save_text("range.txt", labels)}),
               "label 5 of " + data + ", sample 3 is not a class: output 'scores' has 3 classes (0..2)");
  expect_error(mote({"eval", model, "--data", data}), "evaluating it needs labels",
               "give --labels FILE (one per line, in sample order) or --labels-from-folders");
  fs::create_directories(dir_ / "flat");
  fs::copy_file(data, dir_ / "flat" / "x.npy");
  expect_error(mote({"eval", model, "--data", path("flat"), "--labels-from-folders"}),
               "is directly in", "put each sample in a folder named after its class");
  // The data loader's messages name what eval reads (not calibration data).
  fs::create_directories(dir_ / "empty");
  const CommandResult empty = mote({"eval", model, "--data", path("empty"), "--labels", named});
  expect_error(empty, "--data: " + path("empty") + ": no evaluation files found");
  EXPECT_FALSE(contains(empty.err, "calibration")) << empty.err;
  save("other.tflite", doubling_model(2));
  expect_error(mote({"eval", model, path("other.tflite"), "--data", data}), "input 0 differs",
               "give the float model and its quantized version");
  expect_error(mote({"eval", model, "--data", data, "--output", "1", "--labels", named}), "has 1 output");
  // Bad command lines exit 2.
  EXPECT_EQ(mote({"eval", model, "--data", data, "--labels", named, "--labels-from-folders"}).exit_code, 2);
  EXPECT_EQ(mote({"eval", model}).exit_code, 2);
  EXPECT_EQ(mote({"eval", model, "--data", data, "--task", "detect"}).exit_code, 2);
}

TEST_F(EvalCli, RegressionLabelsMustBeNumbersOfTheOutputsSize) {
  save("double.tflite", doubling_model(1));
  mote::tools::write_npy(path("x.npy"), DType::kFloat32, {2, 1}, bytes_of(std::vector<float>{1, 2}));
  expect_error(mote({"eval", path("double.tflite"), "--data", path("x.npy"), "--labels", save_text("a.txt", "2\nfour\n")}),
               "label 'four' of " + path("x.npy") + ", sample 1 is not a number");
  expect_error(mote({"eval", path("double.tflite"), "--data", path("x.npy"), "--labels", save_text("b.txt", "2\n4,1\n")}),
               "has 2 values but output 'y' has 1", "give the output's 1 target values per label");
  expect_error(mote({"eval", path("double.tflite"), "--data", path("x.npy"), "--labels", save_text("c.txt", "2\n4\n"),
                     "--task", "reconstruction"}),
               "no model input has as many");
}

// The shared MNIST models on their digit images (sampleN.png is digit N, for
// both models upstream), labelled by folder.
TEST_F(EvalCli, SharedMnistModelsOnDigitImages) {
  MOTE_REQUIRE_SHARED();
  for (int n = 0; n < 10; ++n) {
    fs::create_directories(dir_ / "digits" / std::to_string(n));
    fs::copy_file(shared_dir() + "/models/inputs/mnist_sample" + std::to_string(n) + ".png",
                  dir_ / "digits" / std::to_string(n) / "sample.png");
  }
  const CommandResult r = mote({"eval", shared_dir() + "/models/mnist_lstm_float.tflite",
                                shared_dir() + "/models/mnist_lstm_int8.tflite", "--data", path("digits"),
                                "--labels-from-folders", "--json", path("mnist.json"), "--html", path("mnist.html")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "10 samples from images, gray, 28x28")) << r.out;
  const Json j = Json::parse(slurp(path("mnist.json")));
  for (const Json& m : j["models"]) {
    EXPECT_EQ(m["correct"], 10) << m["path"];
    for (int c = 0; c < 10; ++c) EXPECT_EQ(m["confusion_matrix"][c][c], 1) << m["path"] << " digit " << c;
  }
  EXPECT_DOUBLE_EQ(j["agreement"]["same_class"].get<double>(), 1.0);
  EXPECT_GT(j["agreement"]["max_abs_difference"].get<double>(), 0.0) << "int8 and float outputs differ a little";
  EXPECT_TRUE(contains(slurp(path("mnist.html")), "<svg"));
}

}  // namespace
