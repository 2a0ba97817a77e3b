// `mote run` with what a user has: float data and images for a quantized
// model (quantized with the input's scale and zero point), --dequantize for
// outputs, and a folder of inputs with a summary.
#include <gtest/gtest.h>
#include <stb/stb_image_write.h>
#include <string.h>

#include <filesystem>
#include <string>
#include <vector>

#include "cli_harness.h"
#include "op_harness.h"
#include "mote/model.h"
#include "tools/model_builder.h"
#include "tools/quantizer/preprocessing_metadata.h"
#include "tools/tensor_io.h"

namespace fs = std::filesystem;
using mote::DType;
using mote::tools::ModelBuilder;
using mote::tools::Options;
using mote::tools::TensorSpec;
namespace schema = mote::schema;

namespace {

constexpr float kInScale = 0.1f;
constexpr int kInZeroPoint = -3;

// int8 FULLY_CONNECTED: [1, 2] (scale 0.1, zero point -3) -> [1, 3] (scale 0.05, zero point 2).
std::vector<uint8_t> int8_fc_model() {
  ModelBuilder b;
  const int x = b.add_tensor({"x", DType::kInt8, {1, 2}, {kInScale}, {kInZeroPoint}});
  const int w = b.add_tensor(
      TensorSpec::constant<int8_t>("w", DType::kInt8, {3, 2}, {10, -10, 20, 5, -7, 3}, {0.01f}, {0}));
  const int y = b.add_tensor({"y", DType::kInt8, {1, 3}, {0.05f}, {2}});
  b.add_operator(schema::BuiltinOp::kFullyConnected, {x, w, -1}, {y}, Options(schema::OptionsType::kFullyConnected), 4);
  b.set_inputs({x});
  b.set_outputs({y});
  return b.serialize();
}

// uint8 [1, 2, 2, 3] image (scale 1/255, zero point 0) reshaped to [1, 12].
std::vector<uint8_t> uint8_image_model() {
  ModelBuilder b;
  const int x = b.add_tensor({"image", DType::kUInt8, {1, 2, 2, 3}, {1.0f / 255.0f}, {0}});
  const int s = b.add_tensor(TensorSpec::constant<int32_t>("shape", DType::kInt32, {2}, {1, 12}));
  const int y = b.add_tensor({"flat", DType::kUInt8, {1, 12}, {1.0f / 255.0f}, {0}});
  b.add_operator(schema::BuiltinOp::kReshape, {x, s}, {y}, Options(schema::OptionsType::kReshape));
  b.set_inputs({x});
  b.set_outputs({y});
  return b.serialize();
}

// float32 [1, 2, 2, 3] image reshaped to [1, 12]: quantized, the int8 output
// has the input's parameters, so its bytes are the quantized input.
std::vector<uint8_t> float_image_model() {
  ModelBuilder b;
  const int x = b.add_tensor({"image", DType::kFloat32, {1, 2, 2, 3}});
  const int s = b.add_tensor(TensorSpec::constant<int32_t>("shape", DType::kInt32, {2}, {1, 12}));
  const int y = b.add_tensor({"flat", DType::kFloat32, {1, 12}});
  b.add_operator(schema::BuiltinOp::kReshape, {x, s}, {y}, Options(schema::OptionsType::kReshape));
  b.set_inputs({x});
  b.set_outputs({y});
  return b.serialize();
}

// The entries of the model's "mote_preprocessing" metadata (none without it).
std::vector<mote::tools::RecordedPreprocessing> recorded_preprocessing(const std::string& model_bytes) {
  std::vector<uint8_t> aligned(model_bytes.begin(), model_bytes.end());
  mote::Model model;
  char error[256];
  EXPECT_EQ(model.load(aligned.data(), aligned.size(), error, sizeof(error)), mote::Status::kOk) << error;
  for (uint32_t k = 0; k < model.num_metadata(); ++k) {
    const mote::MetadataInfo entry = model.metadata(k);
    if (std::string(reinterpret_cast<const char*>(entry.name.data), entry.name.size) == "mote_preprocessing")
      return mote::tools::parse_preprocessing_metadata(entry.data.data, entry.data.size);
  }
  return {};
}

class RunInputs : public MoteCliTest {};

TEST_F(RunInputs, FloatDataIsQuantizedWithTheInputsScaleAndZeroPoint) {
  const std::string model = save("int8.tflite", int8_fc_model());
  const std::vector<float> real = {0.5f, -0.24f};
  // round(0.5 / 0.1) - 3 = 2, round(-2.4) - 3 = -5
  save("q.bin", bytes_of(std::vector<int8_t>{2, -5}));
  mote::tools::write_npy(path("x.npy"), DType::kFloat32, {1, 2}, bytes_of(real));
  save("x.bin", bytes_of(real));
  mote::tools::write_npy(path("x64.npy"), DType::kFloat64, {2}, bytes_of(std::vector<double>{0.5, -0.24}));

  CommandResult r = mote({"run", model, "-i", path("q.bin"), "-o", path("expected.bin")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string expected = slurp(path("expected.bin"));
  ASSERT_EQ(expected.size(), 3u);
  for (const char* input : {"x.npy", "x.bin", "x64.npy"}) {
    r = mote({"run", model, "-i", path(input), "-o", path("out.bin")});
    ASSERT_EQ(r.exit_code, 0) << input << ": " << r.err;
    EXPECT_EQ(slurp(path("out.bin")), expected) << input;
    EXPECT_TRUE(contains(r.out, "quantized (scale 0.1, zero point -3)")) << r.out;
  }

  // --dequantize: float32 real values scale * (q - zero_point).
  r = mote({"run", model, "-i", path("x.npy"), "--dequantize", "-o", path("real.npy"), "-o", path("unused.bin")});
  EXPECT_EQ(r.exit_code, 1) << "two --output for one output";
  r = mote({"run", model, "-i", path("x.npy"), "--dequantize", "-o", path("real.npy")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "(dequantized float32)")) << r.out;
  const mote::tools::NpyArray saved = mote::tools::read_npy(path("real.npy"));
  ASSERT_EQ(saved.type, DType::kFloat32);
  EXPECT_EQ(saved.shape, (std::vector<int32_t>{1, 3}));
  std::vector<float> values(3);
  memcpy(values.data(), saved.data.data(), 12);
  for (size_t k = 0; k < 3; ++k) EXPECT_FLOAT_EQ(values[k], 0.05f * float(int(int8_t(expected[k])) - 2)) << k;

  // Wrong sizes still say what the input takes, float32 included.
  save("bad.bin", std::vector<uint8_t>(5, 0));
  r = mote({"run", model, "-i", path("bad.bin")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "or float32 values (8 bytes) to be quantized")) << r.err;
}

TEST_F(RunInputs, ImagesFeedAQuantizedImageInput) {
  const std::string model = save("u8.tflite", uint8_image_model());
  const std::vector<uint8_t> rgb = {0, 10, 20, 30, 40, 50, 60, 70, 80, 255, 128, 1};
  ASSERT_NE(stbi_write_png(path("img.png").c_str(), 2, 2, 3, rgb.data(), 6), 0);
  CommandResult r = mote({"run", model, "-i", path("img.png"), "-o", path("out.bin")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // 0..255 pixels * 1/255, quantized with scale 1/255: the pixels again.
  EXPECT_EQ(slurp(path("out.bin")), std::string(rgb.begin(), rgb.end()));
  EXPECT_TRUE(contains(r.out, "png quantized (scale 0.00392157, zero point 0): RGB, 2x2 (no resize)")) << r.out;

  // BGR order swaps the channels.
  r = mote({"run", model, "-i", path("img.png"), "--color", "bgr", "-o", path("bgr.bin")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string bgr = slurp(path("bgr.bin"));
  ASSERT_EQ(bgr.size(), 12u);
  EXPECT_EQ(uint8_t(bgr[0]), 20);
  EXPECT_EQ(uint8_t(bgr[2]), 0);
}

TEST_F(RunInputs, AFolderOfInputsRunsEachFileWithASummary) {
  const std::string model = save("int8.tflite", int8_fc_model());
  fs::create_directories(dir_ / "batch" / "more");
  mote::tools::write_npy(path("batch/a.npy"), DType::kFloat32, {1, 2}, bytes_of(std::vector<float>{1.0f, 0.0f}));
  mote::tools::write_npy(path("batch/b.npy"), DType::kFloat32, {1, 2}, bytes_of(std::vector<float>{0.0f, 1.0f}));
  mote::tools::write_npy(path("batch/more/c.npy"), DType::kFloat32, {1, 2}, bytes_of(std::vector<float>{1.0f, 0.1f}));
  write_file(path("batch/notes.txt"), "not an input");
  const CommandResult r = mote({"run", model, "-i", path("batch")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "on 3 files")) << r.out;
  for (const char* name : {"a.npy", "b.npy", "more/c.npy"}) EXPECT_TRUE(contains(r.out, name)) << r.out;
  EXPECT_FALSE(contains(r.out, "notes.txt")) << r.out;
  // x = [1, 0]: y = [0.1, 0.2, -0.07] -> class 1; x = [0, 1]: y = [-0.1, 0.05, 0.03] -> class 1.
  EXPECT_TRUE(contains(r.out, "(class: files): 1: 3")) << r.out;
  EXPECT_TRUE(contains(r.out, "3 files,")) << r.out;

  EXPECT_EQ(mote({"run", model, "-i", path("batch"), "-o", path("o.bin")}).exit_code, 1);
}

// `mote quantize` records the preprocessing of its calibration data in the
// model; `mote run` and `mote export --sample` prepare images the same way
// unless told otherwise.
TEST_F(RunInputs, ImagesArePreparedAsRecordedByQuantize) {
  const std::string float_model = save("float.tflite", float_image_model());
  const std::vector<uint8_t> rgb = {0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110};
  fs::create_directories(dir_ / "calibration");
  for (int k = 0; k < 3; ++k) {
    std::vector<uint8_t> pixels = rgb;
    for (uint8_t& p : pixels) p = uint8_t(p + 40 * k);
    ASSERT_NE(stbi_write_png(path("calibration/" + std::to_string(k) + ".png").c_str(), 2, 2, 3, pixels.data(), 6), 0);
  }
  ASSERT_NE(stbi_write_png(path("img.png").c_str(), 2, 2, 3, rgb.data(), 6), 0);
  // A model trained on 0..255 pixels in OpenCV's BGR order.
  const std::string model = path("int8.tflite");
  CommandResult r = mote({"quantize", float_model, "-o", model, "--calibration", path("calibration"), "--scale", "1",
                          "--color", "bgr"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<mote::tools::RecordedPreprocessing> recorded = recorded_preprocessing(slurp(model));
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_TRUE(recorded[0].images);
  EXPECT_EQ(recorded[0].color, "bgr");
  EXPECT_EQ(recorded[0].scale, (std::vector<float>{1, 1, 1}));
  EXPECT_TRUE(contains(recorded[0].summary, "BGR, 2x2 (no resize), (pixel - 0) * 1")) << recorded[0].summary;

  r = mote({"run", model, "-i", path("img.png"), "-o", path("recorded.bin")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "colour, scale and mean as recorded in the model by mote quantize: BGR")) << r.out;
  r = mote({"run", model, "-i", path("img.png"), "--scale", "1", "--color", "bgr", "-o", path("explicit.bin")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "), mean as recorded in the model by mote quantize")) << "only the mean unset\n" << r.out;
  EXPECT_EQ(slurp(path("recorded.bin")), slurp(path("explicit.bin")));
  // What the recorded preprocessing changes: without it the pixels would be
  // RGB in 0..1, a handful of int8 steps.
  r = mote({"run", model, "-i", path("img.png"), "--scale", "1/255", "--color", "rgb", "-o", path("default.bin")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(slurp(path("recorded.bin")), slurp(path("default.bin")));
  // An option given wins over the recorded one; the rest is still recorded.
  r = mote({"run", model, "-i", path("img.png"), "--scale", "1/255", "-o", path("scaled.bin")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "colour and mean as recorded in the model by mote quantize: BGR")) << r.out;
  r = mote({"run", model, "-i", path("img.png"), "--scale", "1/255", "--color", "bgr", "-o", path("scaled_bgr.bin")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(slurp(path("scaled.bin")), slurp(path("scaled_bgr.bin")));

  // export --sample takes the image as run does.
  r = mote({"export", model, "--out", path("app"), "--sample", path("img.png")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "sample 0: png quantized")) << r.out;
  EXPECT_TRUE(contains(r.out, "as recorded in the model by mote quantize: BGR")) << r.out;
  std::string expected_array;
  for (char c : slurp(path("recorded.bin"))) {
    char hex[8];
    snprintf(hex, sizeof(hex), "0x%02x, ", unsigned(uint8_t(c)));
    expected_array += hex;
  }
  expected_array.pop_back();
  EXPECT_TRUE(contains(slurp(path("app/main/model_sample.cc")), "kSample0[12] = {\n    " + expected_array + "\n};"))
      << slurp(path("app/main/model_sample.cc"));
}

// Float data calibrated with --scale: run and export --sample scale float
// .npy/.bin the same way; the tensor's own bytes are taken as they are.
TEST_F(RunInputs, FloatDataIsScaledAsRecordedByQuantize) {
  const std::string float_model = save("float.tflite", float_image_model());
  std::vector<float> values(12);
  for (size_t k = 0; k < values.size(); ++k) values[k] = float(k) * 20.0f;
  mote::tools::write_npy(path("calibration.npy"), DType::kFloat32, {1, 2, 2, 3}, bytes_of(values));
  const std::string model = path("int8.tflite");
  CommandResult r =
      mote({"quantize", float_model, "-o", model, "--calibration", path("calibration.npy"), "--scale", "1/220"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<mote::tools::RecordedPreprocessing> recorded = recorded_preprocessing(slurp(model));
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_FALSE(recorded[0].images);

  save("x.bin", bytes_of(values));
  r = mote({"run", model, "-i", path("x.bin"), "-o", path("recorded.bin")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "float32 .bin quantized")) << r.out;
  EXPECT_TRUE(contains(r.out, "scale and mean as recorded in the model by mote quantize")) << r.out;
  r = mote({"run", model, "-i", path("x.bin"), "--scale", "1/220", "-o", path("explicit.bin")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(slurp(path("recorded.bin")), slurp(path("explicit.bin")));
  // The values 0..220 scaled to 0..1 fill the int8 range: the last one is 127.
  EXPECT_EQ(int8_t(slurp(path("recorded.bin")).back()), 127);

  r = mote({"export", model, "--out", path("app"), "--sample", path("x.bin")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "sample 0: float32 .bin quantized")) << r.out;
  EXPECT_TRUE(contains(slurp(path("app/main/model_sample.cc")), "0x7f,\n};")) << slurp(path("app/main/model_sample.cc"));
}

}  // namespace
