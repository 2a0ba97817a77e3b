#include "tools/quantizer/calibration_data.h"

#include <gtest/gtest.h>
#include <stb/stb_image_write.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "cli_harness.h"
#include "op_harness.h"
#include "tools/quantizer/image_loader.h"
#include "tools/tensor_io.h"

namespace {

using mote::DType;
using namespace mote::tools;
namespace fs = std::filesystem;

class CalibrationData : public TempDirTest {
 protected:
  void write_text(const std::string& name, const std::string& text) const { write_file(dir_ / name, text); }
  void write_floats(const std::string& name, const std::vector<float>& values) const {
    fs::create_directories((dir_ / name).parent_path());
    write_bin(path(name), bytes_of(values));
  }

  // Loads with warnings collected in warnings_.
  std::vector<Sample> load(const std::vector<std::string>& paths, const std::vector<InputSpec>& inputs,
                           const CalibrationOptions& options = {}) {
    warnings_.clear();
    return load_calibration_data(paths, inputs, options, [this](const std::string& w) { warnings_.push_back(w); });
  }
  // The message of the runtime_error the load throws ("" when it does not).
  std::string error_of(const std::vector<std::string>& paths, const std::vector<InputSpec>& inputs,
                       const CalibrationOptions& options = {}) {
    try {
      load(paths, inputs, options);
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    return "";
  }
  bool warned(const std::string& part) const {
    for (const std::string& w : warnings_)
      if (contains(w, part)) return true;
    return false;
  }

  std::vector<std::string> warnings_;
};

const std::vector<InputSpec> kVector = {{"x", {1, 2, 3}}};

// --- .npy ---

TEST_F(CalibrationData, NpyOneSampleWithOrWithoutBatchDim) {
  const std::vector<float> a = {1, 2, 3, 4, 5, 6.5f};
  write_npy(path("a.npy"), DType::kFloat32, {2, 3}, bytes_of(a));
  write_npy(path("b.npy"), DType::kFloat32, {1, 2, 3}, bytes_of(a));
  std::vector<Sample> samples = load({path("a.npy"), path("b.npy")}, kVector);
  ASSERT_EQ(samples.size(), 2u);
  for (const Sample& s : samples) {
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0], a);
  }
}

TEST_F(CalibrationData, NpyBatchAxis) {
  std::vector<float> values(4 * 6);
  for (size_t i = 0; i < values.size(); ++i) values[i] = float(i) * 0.5f - 3;
  write_npy(path("batch.npy"), DType::kFloat32, {4, 2, 3}, bytes_of(values));
  write_npy(path("batch_with_one.npy"), DType::kFloat32, {4, 1, 2, 3}, bytes_of(values));
  for (const char* name : {"batch.npy", "batch_with_one.npy"}) {
    SCOPED_TRACE(name);
    std::vector<Sample> samples = load({path(name)}, kVector);
    ASSERT_EQ(samples.size(), 4u);
    for (size_t s = 0; s < 4; ++s)
      EXPECT_EQ(samples[s][0], std::vector<float>(values.begin() + long(s * 6), values.begin() + long(s * 6 + 6)));
  }
  // A [1, 1] input (hello_world) takes [N] and [N, 1] arrays as N samples.
  write_npy(path("xs.npy"), DType::kFloat32, {3}, bytes_of(std::vector<float>{0.5f, 1.5f, 2.5f}));
  std::vector<Sample> scalars = load({path("xs.npy")}, {{"x", {1, 1}}});
  ASSERT_EQ(scalars.size(), 3u);
  EXPECT_EQ(scalars[2][0], std::vector<float>{2.5f});
}

TEST_F(CalibrationData, NpyIntegerAndDoubleTypes) {
  write_npy(path("a_u8.npy"), DType::kUInt8, {2, 3}, bytes_of(std::vector<uint8_t>{0, 1, 2, 128, 254, 255}));
  write_npy(path("b_i8.npy"), DType::kInt8, {2, 3}, bytes_of(std::vector<int8_t>{-128, -1, 0, 1, 2, 127}));
  write_npy(path("c_i16.npy"), DType::kInt16, {2, 3}, bytes_of(std::vector<int16_t>{-32768, -1, 0, 1, 2, 32767}));
  write_npy(path("d_i32.npy"), DType::kInt32, {2, 3}, bytes_of(std::vector<int32_t>{-70000, -1, 0, 1, 2, 70000}));
  write_npy(path("e_f64.npy"), DType::kFloat64, {2, 3}, bytes_of(std::vector<double>{0.25, -0.5, 1e3, 4, 5, 6}));
  std::vector<Sample> samples = load({dir_.string()}, kVector);
  ASSERT_EQ(samples.size(), 5u);
  EXPECT_EQ(samples[0][0], (std::vector<float>{0, 1, 2, 128, 254, 255}));
  EXPECT_EQ(samples[1][0], (std::vector<float>{-128, -1, 0, 1, 2, 127}));
  EXPECT_EQ(samples[2][0], (std::vector<float>{-32768, -1, 0, 1, 2, 32767}));
  EXPECT_EQ(samples[3][0], (std::vector<float>{-70000, -1, 0, 1, 2, 70000}));
  EXPECT_EQ(samples[4][0], (std::vector<float>{0.25f, -0.5f, 1e3f, 4, 5, 6}));
  EXPECT_TRUE(warned("used as they are")) << "integer data without --scale/--mean should be pointed out";

  // With --scale/--mean: (value - mean[c]) * scale[c], channels on the last axis.
  CalibrationOptions options;
  options.scale = {0.5f, 1.0f, 2.0f};
  options.mean = {10.0f};
  std::vector<Sample> normalised = load({path("a_u8.npy")}, kVector, options);
  EXPECT_EQ(normalised[0][0], (std::vector<float>{-5, -9, -16, 59, 244, 490}));
  EXPECT_FALSE(warned("used as they are"));
}

TEST_F(CalibrationData, NpyWrongShape) {
  write_npy(path("flat.npy"), DType::kFloat32, {6}, bytes_of(std::vector<float>(6, 1.0f)));
  std::string e = error_of({path("flat.npy")}, {{"image", {1, 2, 3, 1}}});
  EXPECT_TRUE(contains(e, "flat.npy: shape [6] does not fit input 'image' [1, 2, 3, 1]")) << e;
  EXPECT_TRUE(contains(e, "expected [2, 3, 1] for one sample or [N, 2, 3, 1] for N samples")) << e;

  write_npy(path("wrong.npy"), DType::kFloat32, {2, 2, 2}, bytes_of(std::vector<float>(8, 1.0f)));
  e = error_of({path("wrong.npy")}, kVector);
  EXPECT_TRUE(contains(e, "wrong.npy: shape [2, 2, 2] does not fit input 'x' [1, 2, 3]")) << e;

  write_npy(path("empty.npy"), DType::kFloat32, {0, 2, 3}, {});
  e = error_of({path("empty.npy")}, kVector);
  EXPECT_TRUE(contains(e, "empty.npy: holds no samples")) << e;
}

TEST_F(CalibrationData, NpyUnsupportedDtype) {
  // float16 is not a dtype calibration accepts.
  std::string header = "{'descr': '<f2', 'fortran_order': False, 'shape': (2, 3), }";
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string file = std::string("\x93NUMPY\x01\x00", 8) + char(header.size()) + '\0' + header + std::string(12, '\0');
  write_text("half.npy", file);
  std::string e = error_of({path("half.npy")}, kVector);
  EXPECT_TRUE(contains(e, "half.npy")) << e;
  EXPECT_TRUE(contains(e, "'<f2' is not supported")) << e;

}

TEST_F(CalibrationData, NonFiniteValuesNameTheFileAndElement) {
  std::vector<float> values(12, 0.5f);
  values[6 + 4] = std::numeric_limits<float>::quiet_NaN();
  write_npy(path("nan.npy"), DType::kFloat32, {2, 2, 3}, bytes_of(values));
  std::string e = error_of({path("nan.npy")}, kVector);
  EXPECT_TRUE(contains(e, "nan.npy: sample 1 (of 2), element 4 [0, 1, 1] is NaN")) << e;
  EXPECT_TRUE(contains(e, "must be finite")) << e;

  std::vector<float> one(6, 0.0f);
  one[2] = -std::numeric_limits<float>::infinity();
  write_floats("inf.bin", one);
  e = error_of({path("inf.bin")}, kVector);
  EXPECT_TRUE(contains(e, "inf.bin: element 2 [0, 0, 2] is infinite")) << e;

  // float64 values beyond the float32 range.
  write_npy(path("huge.npy"), DType::kFloat64, {2, 3}, bytes_of(std::vector<double>{0, 0, 0, 0, 0, 1e300}));
  e = error_of({path("huge.npy")}, kVector);
  EXPECT_TRUE(contains(e, "huge.npy: element 5 [0, 1, 2] is infinite (or beyond the float32 range)")) << e;

  write_text("nan.csv", "1,2,3,4,5,6\n1,2,nan,4,5,6\n");
  e = error_of({path("nan.csv")}, kVector);
  EXPECT_TRUE(contains(e, "nan.csv line 2, column 3 is NaN")) << e;
}

// --- .bin ---

TEST_F(CalibrationData, BinOneOrSeveralSamples) {
  const std::vector<float> one = {1, 2, 3, 4, 5, 6};
  write_floats("one.bin", one);
  std::vector<float> three;
  for (int s = 0; s < 3; ++s)
    for (float v : one) three.push_back(v + float(10 * s));
  write_floats("three.raw", three);  // .raw is read like .bin
  std::vector<Sample> samples = load({path("one.bin"), path("three.raw")}, kVector);
  ASSERT_EQ(samples.size(), 4u);
  EXPECT_EQ(samples[0][0], one);
  EXPECT_EQ(samples[3][0], (std::vector<float>{21, 22, 23, 24, 25, 26}));
}

TEST_F(CalibrationData, BinWrongSize) {
  write_floats("short.bin", {1, 2, 3, 4, 5});
  std::string e = error_of({path("short.bin")}, kVector);
  EXPECT_TRUE(contains(e, "short.bin: has 20 bytes, but one sample of input 'x' [1, 2, 3] is 6 float32 values = 24 "
                          "bytes")) << e;
  EXPECT_TRUE(contains(e, "raw little-endian float32")) << e;
  write_text("empty.bin", "");
  e = error_of({path("empty.bin")}, kVector);
  EXPECT_TRUE(contains(e, "empty.bin: has 0 bytes")) << e;
}

// --- .csv ---

TEST_F(CalibrationData, CsvWithHeaderBlankLinesAndCrlf) {
  write_text("rows.csv", "a,b,c,d,e,f\r\n1,2,3,4,5,6\r\n\r\n 0.5 , -1e-3,7,8,9,\"10\"\r\n-1,-2,-3,-4,-5,-6");
  std::vector<Sample> samples = load({path("rows.csv")}, kVector);
  ASSERT_EQ(samples.size(), 3u);
  EXPECT_EQ(samples[0][0], (std::vector<float>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(samples[1][0], (std::vector<float>{0.5f, -1e-3f, 7, 8, 9, 10}));
  EXPECT_EQ(samples[2][0], (std::vector<float>{-1, -2, -3, -4, -5, -6}));

  // Without a header the first line is data.
  write_text("plain.csv", "1,2,3,4,5,6\n");
  EXPECT_EQ(load({path("plain.csv")}, kVector).size(), 1u);
}

TEST_F(CalibrationData, CsvErrorsNameTheLine) {
  write_text("count.csv", "h1,h2\n1,2,3,4,5,6\n1,2,3\n");
  std::string e = error_of({path("count.csv")}, kVector);
  EXPECT_TRUE(contains(e, "count.csv line 3: has 3 values, but input 'x' [1, 2, 3] needs 6")) << e;

  write_text("text.csv", "1,2,3,4,5,6\n1,2,x3,4,5,6\n");
  e = error_of({path("text.csv")}, kVector);
  EXPECT_TRUE(contains(e, "text.csv line 2, column 3: 'x3' is not a number")) << e;

  write_text("header_only.csv", "a,b,c,d,e,f\n\n");
  e = error_of({path("header_only.csv")}, kVector);
  EXPECT_TRUE(contains(e, "header_only.csv: has no data rows")) << e;

  // A missing value is not a header, even on the first line.
  write_text("empty_field.csv", "1,2,,4,5,6\n1,2,3,4,5,6\n");
  e = error_of({path("empty_field.csv")}, kVector);
  EXPECT_TRUE(contains(e, "empty_field.csv line 1, column 3: '' is not a number")) << e;
}

// --- images ---

// Writes an 8-bit image with stb_image_write by extension.
void write_image(const std::string& file, int w, int h, int c, const std::vector<uint8_t>& pixels) {
  ASSERT_EQ(pixels.size(), size_t(w * h * c));
  int ok = 0;
  if (file.size() > 4 && file.substr(file.size() - 4) == ".png")
    ok = stbi_write_png(file.c_str(), w, h, c, pixels.data(), w * c);
  else if (file.size() > 4 && file.substr(file.size() - 4) == ".bmp")
    ok = stbi_write_bmp(file.c_str(), w, h, c, pixels.data());
  else
    ok = stbi_write_jpg(file.c_str(), w, h, c, pixels.data(), 100);
  ASSERT_NE(ok, 0) << file;
}

TEST_F(CalibrationData, PngDownscaledToTheInputSize) {
  // 4x4 RGB -> 2x2: with half-pixel centres each output pixel is the mean of a 2x2 block.
  std::vector<uint8_t> rgb(4 * 4 * 3);
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 4; ++x)
      for (int c = 0; c < 3; ++c) rgb[size_t((y * 4 + x) * 3 + c)] = uint8_t(10 * y + 40 * x + 80 * c + (x * y) % 3);
  write_image(path("img.png"), 4, 4, 3, rgb);
  CalibrationOptions options;
  options.scale = {1.0f};  // keep pixel units
  std::vector<Sample> samples = load({path("img.png")}, {{"image", {1, 2, 2, 3}}}, options);
  ASSERT_EQ(samples.size(), 1u);
  ASSERT_EQ(samples[0][0].size(), 12u);
  for (int y = 0; y < 2; ++y) {
    for (int x = 0; x < 2; ++x) {
      for (int c = 0; c < 3; ++c) {
        float sum = 0;
        for (int dy = 0; dy < 2; ++dy)
          for (int dx = 0; dx < 2; ++dx) sum += rgb[size_t(((2 * y + dy) * 4 + 2 * x + dx) * 3 + c)];
        EXPECT_FLOAT_EQ(samples[0][0][size_t((y * 2 + x) * 3 + c)], sum / 4) << y << "," << x << "," << c;
      }
    }
  }
}

TEST_F(CalibrationData, BilinearUpscaleInterpolatesBetweenPixelCentres) {
  // A 2x1 gray image [0, 200] widened to 4: centres at -0.25, 0.25, 0.75, 1.25 source pixels.
  Image image;
  image.width = 2;
  image.height = 1;
  image.channels = 1;
  image.pixels = {0, 200};
  std::vector<float> out = resize_bilinear(image, 1, 4);
  EXPECT_EQ(out, (std::vector<float>{0, 50, 150, 200}));
  // Same size: unchanged.
  EXPECT_EQ(resize_bilinear(image, 1, 2), (std::vector<float>{0, 200}));
  // Upscaled vertically too: rows repeat the same interpolation.
  std::vector<float> tall = resize_bilinear(image, 3, 4);
  ASSERT_EQ(tall.size(), 12u);
  EXPECT_EQ(std::vector<float>(tall.begin() + 8, tall.end()), (std::vector<float>{0, 50, 150, 200}));
}

TEST_F(CalibrationData, ImageNormalisationAndColour) {
  // 1x2 RGB: a red and a blue pixel.
  const std::vector<uint8_t> rgb = {255, 0, 0, 0, 51, 102};
  write_image(path("c.png"), 2, 1, 3, rgb);
  const std::vector<InputSpec> colour = {{"image", {1, 1, 2, 3}}};

  // Default: pixel / 255.
  std::vector<Sample> s = load({path("c.png")}, colour);
  ASSERT_EQ(s[0][0].size(), 6u);
  for (size_t i = 0; i < 6; ++i) EXPECT_FLOAT_EQ(s[0][0][i], rgb[i] / 255.0f);

  // --scale 1/127.5 --mean 127.5 maps 0..255 to -1..1.
  CalibrationOptions symmetric;
  symmetric.scale = {1 / 127.5f};
  symmetric.mean = {127.5f};
  s = load({path("c.png")}, colour, symmetric);
  EXPECT_FLOAT_EQ(s[0][0][0], 1.0f);
  EXPECT_FLOAT_EQ(s[0][0][1], -1.0f);

  // Per-channel mean and scale.
  CalibrationOptions per_channel;
  per_channel.mean = {100, 0, 2};
  per_channel.scale = {1, 2, 0.5f};
  s = load({path("c.png")}, colour, per_channel);
  EXPECT_EQ(s[0][0], (std::vector<float>{155, 0, -1, -100, 102, 50}));

  // BGR swaps the channel order.
  CalibrationOptions bgr;
  bgr.color = "bgr";
  bgr.scale = {1};
  s = load({path("c.png")}, colour, bgr);
  EXPECT_EQ(s[0][0], (std::vector<float>{0, 0, 255, 102, 51, 0}));

  // Gray for a 1-channel input: luma (ITU-R BT.601 weights, to within stb's rounding).
  CalibrationOptions units;
  units.scale = {1};
  s = load({path("c.png")}, {{"image", {1, 1, 2, 1}}}, units);
  ASSERT_EQ(s[0][0].size(), 2u);
  EXPECT_NEAR(s[0][0][0], 0.299 * 255, 1.0);
  EXPECT_NEAR(s[0][0][1], 0.587 * 51 + 0.114 * 102, 1.0);
  // [1, H, W] inputs (mnist_lstm) are gray images too.
  EXPECT_EQ(load({path("c.png")}, {{"image", {1, 1, 2}}}, units)[0][0], s[0][0]);

  // --color gray on a 3-channel input repeats the luma in every channel.
  CalibrationOptions gray = units;
  gray.color = "gray";
  std::vector<Sample> g = load({path("c.png")}, colour, gray);
  EXPECT_EQ(g[0][0], (std::vector<float>{s[0][0][0], s[0][0][0], s[0][0][0], s[0][0][1], s[0][0][1], s[0][0][1]}));

  // Gray source file into an RGB input: replicated by the decoder.
  write_image(path("g.png"), 2, 1, 1, {10, 20});
  EXPECT_EQ(load({path("g.png")}, colour, units)[0][0], (std::vector<float>{10, 10, 10, 20, 20, 20}));
}

TEST_F(CalibrationData, BmpAndJpeg) {
  std::vector<uint8_t> flat(8 * 8 * 3);
  for (size_t i = 0; i < flat.size(); i += 3) {
    flat[i] = 200;
    flat[i + 1] = 100;
    flat[i + 2] = 50;
  }
  write_image(path("a.bmp"), 8, 8, 3, flat);
  write_image(path("b.jpg"), 8, 8, 3, flat);
  write_image(path("c.JPEG"), 8, 8, 3, flat);  // extensions are case-insensitive
  CalibrationOptions units;
  units.scale = {1};
  std::vector<Sample> s = load({dir_.string()}, {{"image", {1, 4, 4, 3}}}, units);
  ASSERT_EQ(s.size(), 3u);
  for (size_t k = 0; k < 3; ++k) {
    ASSERT_EQ(s[k][0].size(), 48u);
    for (size_t i = 0; i < 48; i += 3) {
      // BMP is lossless; JPEG of a flat colour stays within a few levels.
      const float tolerance = k == 0 ? 0.0f : 3.0f;
      EXPECT_NEAR(s[k][0][i], 200, tolerance);
      EXPECT_NEAR(s[k][0][i + 1], 100, tolerance);
      EXPECT_NEAR(s[k][0][i + 2], 50, tolerance);
    }
  }
}

TEST_F(CalibrationData, ImageErrors) {
  write_image(path("a.png"), 2, 2, 3, std::vector<uint8_t>(12, 7));
  std::string e = error_of({path("a.png")}, {{"features", {1, 10}}});
  EXPECT_TRUE(contains(e, "a.png: input 'features' [1, 10] is not an image input")) << e;

  CalibrationOptions rgb;
  rgb.color = "rgb";
  e = error_of({path("a.png")}, {{"image", {1, 2, 2, 1}}}, rgb);
  EXPECT_TRUE(contains(e, "--color rgb: input 'image' [1, 2, 2, 1] has 1 channel")) << e;

  CalibrationOptions two;
  two.mean = {1, 2};
  e = error_of({path("a.png")}, {{"image", {1, 2, 2, 3}}}, two);
  EXPECT_TRUE(contains(e, "--mean has 2 values, but input 'image' [1, 2, 2, 3] (an image input) has 3 channels")) << e;

  write_text("empty.png", "");  // image_fuzzer: stb offset a null pointer for an empty buffer
  e = error_of({path("empty.png")}, {{"image", {1, 2, 2, 3}}});
  EXPECT_TRUE(contains(e, "empty.png: the file is empty")) << e;

  write_text("broken.png", "\x89PNG\r\n\x1a\nnot really");
  e = error_of({path("broken.png")}, {{"image", {1, 2, 2, 3}}});
  EXPECT_TRUE(contains(e, "broken.png: cannot decode the image")) << e;
}

// A 54-byte BMP header announcing 26000 x 26000 pixels (2 GB decoded) and no
// pixel data: refused before stb allocates anything.
TEST_F(CalibrationData, AbsurdImageDimensionsAreRefusedBeforeDecoding) {
  std::vector<uint8_t> bmp = {'B', 'M'};
  auto le32 = [&](uint32_t v) {
    for (int i = 0; i < 4; ++i) bmp.push_back(uint8_t(v >> (8 * i)));
  };
  le32(54);  // file size
  le32(0);   // reserved
  le32(54);  // pixel data offset
  le32(40);  // BITMAPINFOHEADER
  le32(26000);
  le32(26000);
  le32(1 | 24 << 16);  // planes, bits per pixel
  for (int i = 0; i < 6; ++i) le32(0);  // no compression, sizes, resolution, palette
  write_file(dir_ / "huge.bmp", bmp);
  const std::string e = error_of({path("huge.bmp")}, {{"image", {1, 2, 2, 3}}});
  EXPECT_TRUE(contains(e, "huge.bmp: the image is 26000 x 26000 pixels, more than 67108864")) << e;
}

// A JPEG whose DHT segment declares 510 codes in one table: Debian's stb would
// write past its 257-entry Huffman arrays (found by image_fuzzer under UBSan).
TEST_F(CalibrationData, JpegWithAnOverfullHuffmanTableIsRefused) {
  const std::vector<uint8_t> jpeg = {0xFF, 0xD8,                                   // SOI
                                     0xFF, 0xC4, 0x00, 0x13, 0x00,                 // DHT, DC table 0
                                     255,  255,  0,    0,    0,    0, 0, 0, 0, 0,  // codes per length
                                     0,    0,    0,    0,    0,    0,              //
                                     0xFF, 0xD9};                                  // EOI
  write_file(dir_ / "bad.jpg", jpeg);
  const std::string e = error_of({path("bad.jpg")}, {{"image", {1, 2, 2, 3}}});
  EXPECT_TRUE(contains(e, "bad.jpg: corrupt JPEG (a Huffman table declares 510 codes")) << e;
}

// The same table behind fill bytes before the start-of-image marker, which stb
// skips (found by image_fuzzer in CI).
TEST_F(CalibrationData, JpegWithFillBytesBeforeItsStartIsCheckedToo) {
  const std::vector<uint8_t> jpeg = {0xFF, 0xFF, 0xFF, 0xD8,                       // fill, fill, SOI
                                     0xFF, 0xC4, 0x00, 0x13, 0x00,                 // DHT, DC table 0
                                     20,   20,   20,   20,   20,   20, 20, 20, 20, 20,  // codes per length
                                     20,   20,   20,   20,   20,   20,             //
                                     0xFF, 0xD9};                                  // EOI
  write_file(dir_ / "fill.jpg", jpeg);
  const std::string e = error_of({path("fill.jpg")}, {{"image", {1, 2, 2, 3}}});
  EXPECT_TRUE(contains(e, "fill.jpg: corrupt JPEG (a Huffman table declares 320 codes")) << e;
}

// A BMP whose header says 0 pixels wide, which stb decodes to an empty image
// (found by image_fuzzer: the resize read before its data).
TEST_F(CalibrationData, ImageWithoutPixelsIsRefused) {
  std::vector<uint8_t> bmp = {'B', 'M', 0x36, 0x28, 0, 0, 0, 0, 0, 0, 0x36, 0x04, 0, 0,  // file header
                              0x28, 0, 0, 0,  0, 0, 0, 0,  0x60, 0, 0, 0,  1, 0, 8, 0,  // size, width 0, height 96, 8 bit
                              0, 0, 0, 0,  0, 0, 0, 0,  0x13, 0x0B, 0, 0,  0x13, 0x0B, 0, 0,
                              0, 1, 0, 0,  0, 1, 0, 0};
  for (int i = 0; i < 256; ++i) bmp.insert(bmp.end(), {uint8_t(i), uint8_t(i), uint8_t(i), 0});  // palette
  write_file(dir_ / "empty.bmp", bmp);
  const std::string e = error_of({path("empty.bmp")}, {{"image", {1, 2, 2, 3}}});
  EXPECT_TRUE(contains(e, "empty.bmp: the image is 0 x 96 pixels")) << e;
}

// --- directories, selection, random ---

TEST_F(CalibrationData, DirectoriesSortedRecursiveAndFiltered) {
  write_floats("d/b.bin", {2, 2, 2, 2, 2, 2});
  write_floats("d/a.bin", {1, 1, 1, 1, 1, 1});
  write_floats("d/sub/c.bin", {3, 3, 3, 3, 3, 3});
  write_floats("d/.hidden.bin", {9, 9, 9, 9, 9, 9});
  write_floats("d/.cache/x.bin", {9, 9, 9, 9, 9, 9});
  write_text("d/labels.txt", "cat\n");
  std::vector<Sample> samples = load({path("d")}, kVector);
  ASSERT_EQ(samples.size(), 3u);
  EXPECT_EQ(samples[0][0][0], 1);
  EXPECT_EQ(samples[1][0][0], 2);
  EXPECT_EQ(samples[2][0][0], 3);
  EXPECT_TRUE(warned("skipped 1 file that is not calibration data")) << (warnings_.empty() ? "" : warnings_[0]);
  EXPECT_TRUE(warned("labels.txt"));

  // max_samples keeps the first N in sorted order and stops reading.
  CalibrationOptions two;
  two.max_samples = 2;
  samples = load({path("d")}, kVector, two);
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples[1][0][0], 2);
  // Asking for more than there is: all of them, with a warning.
  CalibrationOptions many;
  many.max_samples = 50;
  EXPECT_EQ(load({path("d")}, kVector, many).size(), 3u);
  EXPECT_TRUE(warned("found 3 calibration samples, fewer than the 50 asked for"));
}

TEST_F(CalibrationData, EmptyAndMissingInputs) {
  fs::create_directories(path("empty"));
  write_text("empty/readme.md", "nothing here");
  std::string e = error_of({path("empty")}, kVector);
  EXPECT_TRUE(contains(e, "empty: no calibration files found")) << e;

  e = error_of({}, kVector);
  EXPECT_TRUE(contains(e, "no calibration data: give --calibration")) << e;

  e = error_of({path("missing.npy")}, kVector);
  EXPECT_TRUE(contains(e, "missing.npy: no such file or directory")) << e;

  write_text("notes.txt", "1,2,3,4,5,6");
  e = error_of({path("notes.txt")}, kVector);
  EXPECT_TRUE(contains(e, "notes.txt: unsupported calibration file type '.txt'")) << e;

  // Data that is only run (mote eval, quantize --eval) is named for that.
  CalibrationOptions evaluation;
  evaluation.purpose = "evaluation";
  e = error_of({path("empty")}, kVector, evaluation);
  EXPECT_TRUE(contains(e, "empty: no evaluation files found")) << e;
  e = error_of({path("notes.txt")}, kVector, evaluation);
  EXPECT_TRUE(contains(e, "notes.txt: unsupported evaluation file type '.txt'")) << e;

  if (getuid() != 0) {  // root reads anything
    write_floats("locked.bin", {1, 2, 3, 4, 5, 6});
    fs::permissions(path("locked.bin"), fs::perms::none);
    e = error_of({path("locked.bin")}, kVector);
    EXPECT_TRUE(contains(e, "locked.bin: cannot open file")) << e;
  }
}

TEST_F(CalibrationData, FewSamplesWarning) {
  write_floats("one.bin", {1, 2, 3, 4, 5, 6});
  load({path("one.bin")}, kVector);
  EXPECT_TRUE(warned("only 1 calibration sample"));
}

TEST_F(CalibrationData, BadOptions) {
  write_floats("one.bin", {1, 2, 3, 4, 5, 6});
  CalibrationOptions color;
  color.color = "purple";
  EXPECT_TRUE(contains(error_of({path("one.bin")}, kVector, color), "--color must be auto, gray, rgb or bgr"));
  CalibrationOptions zero;
  zero.scale = {0};
  EXPECT_TRUE(contains(error_of({path("one.bin")}, kVector, zero), "--scale values must be finite and non-zero"));
  CalibrationOptions count;
  count.scale = {1, 2};
  std::string e = error_of({path("one.bin")}, kVector, count);
  EXPECT_TRUE(contains(e, "--scale has 2 values, but input 'x' [1, 2, 3] (channels = last dimension) has 3 channels"))
      << e;
  EXPECT_TRUE(contains(error_of({path("one.bin")}, {{"x", {1, -1}}}), "static shapes"));
}

TEST_F(CalibrationData, RandomOnlyWhenAsked) {
  CalibrationOptions options;
  options.random = true;
  options.max_samples = 20;
  options.seed = 7;
  std::vector<Sample> a = load({}, {{"x", {1, 50}}, {"y", {3}}}, options);
  ASSERT_EQ(a.size(), 20u);
  EXPECT_TRUE(warned("random calibration data: activation ranges will not match real inputs"));
  float lo = 1, hi = -1;
  for (const Sample& s : a) {
    ASSERT_EQ(s[0].size(), 50u);
    ASSERT_EQ(s[1].size(), 3u);
    for (const auto& v : s)
      for (float x : v) {
        lo = std::min(lo, x);
        hi = std::max(hi, x);
      }
  }
  EXPECT_GE(lo, -1.0f);
  EXPECT_LT(hi, 1.0f);
  EXPECT_LT(lo, -0.9f);  // 1060 values spread over the range
  EXPECT_GT(hi, 0.9f);
  EXPECT_EQ(load({}, {{"x", {1, 50}}, {"y", {3}}}, options)[5][0], a[5][0]);  // same seed, same data
  options.seed = 8;
  EXPECT_NE(load({}, {{"x", {1, 50}}, {"y", {3}}}, options)[5][0], a[5][0]);

  CalibrationOptions default_count;
  default_count.random = true;
  EXPECT_EQ(load({}, kVector, default_count).size(), 100u);

  write_floats("one.bin", {1, 2, 3, 4, 5, 6});
  EXPECT_TRUE(contains(error_of({path("one.bin")}, kVector, default_count), "not both"));
}

// --- memory bounds: errors, not allocations ---

TEST_F(CalibrationData, HugeInputIsRefusedBeforeAllocating) {
  CalibrationOptions options;
  options.random = true;
  options.max_samples = 3;
  const std::string error = error_of({}, {{"x", {1, 100000, 100000, 1}}}, options);
  EXPECT_TRUE(contains(error, "input 'x' [1, 100000, 100000, 1] has more than 16777216 values")) << error;
  // Each dimension fits int32 but their product overflows int64.
  EXPECT_TRUE(contains(error_of({}, {{"x", {65536, 65536, 65536, 65536, 65536}}}, options), "more than 16777216"));
}

TEST_F(CalibrationData, TooMuchRandomDataIsRefused) {
  CalibrationOptions options;
  options.random = true;
  options.max_samples = 1000;  // 1000 x 2^20 values: 4 GiB
  const std::string error = error_of({}, {{"x", {1, 1 << 20}}}, options);
  EXPECT_TRUE(contains(error, "random calibration data: calibration data of more than 1048576 samples or 268435456 "
                              "values (1 GiB of float32); use fewer samples")) << error;
  options.max_samples = 2;
  EXPECT_EQ(load({}, {{"x", {1, 1 << 20}}}, options).size(), 2u);
}

TEST_F(CalibrationData, MillionsOfSamplesAreRefusedUnlessLimited) {
  const size_t count = (size_t(1) << 20) + 1;
  write_npy(path("many.npy"), DType::kInt8, {int32_t(count), 1}, std::vector<uint8_t>(count, 1));
  const std::string error = error_of({path("many.npy")}, {{"x", {1, 1}}});
  EXPECT_TRUE(contains(error, "many.npy: calibration data of more than 1048576 samples")) << error;
  CalibrationOptions first_five;
  first_five.max_samples = 5;
  EXPECT_EQ(load({path("many.npy")}, {{"x", {1, 1}}}, first_five).size(), 5u);
}

// --- multi-input models ---

TEST_F(CalibrationData, MultiInputByNameOrIndex) {
  const std::vector<InputSpec> inputs = {{"audio", {1, 4}}, {"ids:0", {1, 2}}};
  std::vector<float> audio(3 * 4);
  for (size_t i = 0; i < audio.size(); ++i) audio[i] = float(i);
  write_npy(path("audio.npy"), DType::kFloat32, {3, 4}, bytes_of(audio));
  write_text("ids.csv", "1,2\n3,4\n5,6\n");
  std::vector<Sample> samples = load({"audio=" + path("audio.npy"), "ids:0=" + path("ids.csv")}, inputs);
  ASSERT_EQ(samples.size(), 3u);
  EXPECT_EQ(samples[2][0], (std::vector<float>{8, 9, 10, 11}));
  EXPECT_EQ(samples[2][1], (std::vector<float>{5, 6}));
  // By index, in any order.
  samples = load({"1=" + path("ids.csv"), "0=" + path("audio.npy")}, inputs);
  ASSERT_EQ(samples.size(), 3u);
  EXPECT_EQ(samples[0][1], (std::vector<float>{1, 2}));

  std::string e = error_of({path("audio.npy")}, inputs);
  EXPECT_TRUE(contains(e, "the model has 2 inputs (0 'audio', 1 'ids:0'): give the data of each as NAME=PATH")) << e;
  e = error_of({"audio=" + path("audio.npy")}, inputs);
  EXPECT_TRUE(contains(e, "input 'ids:0' [1, 2] has no calibration data: add 'ids:0=PATH'")) << e;
  write_text("ids_short.csv", "1,2\n3,4\n");
  e = error_of({"audio=" + path("audio.npy"), "ids:0=" + path("ids_short.csv")}, inputs);
  EXPECT_TRUE(contains(e, "input 'audio' [1, 4] has 3 calibration samples but input 'ids:0' [1, 2] has 2")) << e;

  // Single-input models accept the prefix too; an unknown prefix is part of the path.
  EXPECT_EQ(load({"x=" + path("ids.csv")}, {{"x", {2}}}).size(), 3u);
  e = error_of({"y=" + path("ids.csv")}, {{"x", {2}}});
  EXPECT_TRUE(contains(e, "no such file or directory (to feed one model input, write NAME=PATH")) << e;
}

TEST(CalibrationOptionsParsing, FloatLists) {
  EXPECT_EQ(parse_float_list("0.5", "--scale"), std::vector<float>{0.5f});
  EXPECT_EQ(parse_float_list("1/255", "--scale"), std::vector<float>{float(1.0 / 255.0)});
  EXPECT_EQ(parse_float_list("123.5, 1/2,-3", "--mean"), (std::vector<float>{123.5f, 0.5f, -3.0f}));
  auto error = [](const std::string& text) {
    try {
      parse_float_list(text, "--scale");
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_TRUE(contains(error("abc"), "--scale: 'abc' is not a number"));
  EXPECT_TRUE(contains(error("1,,2"), "--scale: '' is not a number"));
  EXPECT_TRUE(contains(error("1/0"), "divides by zero"));
  EXPECT_TRUE(contains(error("inf"), "is not a number"));
  const std::string help = calibration_data_help();
  EXPECT_NE(help.find("NAME=PATH"), std::string::npos);
  size_t start = 0;
  while (start < help.size()) {
    size_t end = help.find('\n', start);
    if (end == std::string::npos) end = help.size();
    EXPECT_LE(end - start, 100u) << help.substr(start, end - start);
    start = end + 1;
  }
}

}  // namespace

TEST_F(CalibrationData, PreprocessingOfImagesIsDescribed) {
  write_image(path("a.png"), 4, 4, 3, std::vector<uint8_t>(48, 0));
  write_image(path("b.png"), 6, 4, 3, std::vector<uint8_t>(72, 255));
  std::vector<mote::tools::DataPreprocessing> prep;
  CalibrationOptions bgr;
  bgr.color = "bgr";
  load_calibration_data({path("a.png"), path("b.png")}, {{"image", {1, 2, 2, 3}}}, bgr, nullptr, &prep);
  ASSERT_EQ(prep.size(), 1u);
  EXPECT_EQ(prep[0].samples, 2);
  EXPECT_EQ(prep[0].images, 2);
  EXPECT_EQ(prep[0].color, "BGR");
  EXPECT_EQ(prep[0].image_sizes, (std::vector<std::pair<int, int>>{{4, 4}, {6, 4}}));
  EXPECT_EQ(prep[0].width, 2);
  EXPECT_EQ(prep[0].height, 2);
  EXPECT_FLOAT_EQ(prep[0].scale[0], 1.0f / 255.0f);
  EXPECT_EQ(prep[0].min, 0.0f);
  EXPECT_EQ(prep[0].max, 1.0f);
  EXPECT_EQ(prep[0].to_string(),
            "'image': 2 samples from images, BGR, bilinear from 4x4, 6x4 to 2x2, (pixel - 0) * 0.003922; "
            "values in [0, 1]");

  // Arrays are taken as they are unless --scale/--mean are given.
  mote::tools::write_npy(path("x.npy"), DType::kFloat32, {3, 2}, bytes_of(std::vector<float>{-2, 1, 0, 4, 3, 0}));
  load_calibration_data({path("x.npy")}, {{"x", {1, 2}}}, CalibrationOptions(), nullptr, &prep);
  ASSERT_EQ(prep.size(), 1u);
  EXPECT_EQ(prep[0].to_string(), "'x': 3 samples, values as read; values in [-2, 4]");
  CalibrationOptions scaled;
  scaled.scale = {0.5f, 0.25f};
  scaled.mean = {1.0f};
  load_calibration_data({path("x.npy")}, {{"x", {1, 2}}}, scaled, nullptr, &prep);
  EXPECT_EQ(prep[0].to_string(), "'x': 3 samples, (x - 1) * 0.5,0.25; values in [-1.5, 1]");
}
