// The "mote_preprocessing" metadata entry `mote quantize` writes: what is
// recorded per input, what is left out, and how readers treat other versions.
#include "tools/quantizer/preprocessing_metadata.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace {

using mote::tools::DataPreprocessing;
using mote::tools::parse_preprocessing_metadata;
using mote::tools::preprocessing_metadata;
using mote::tools::RecordedPreprocessing;

std::vector<RecordedPreprocessing> parse(const std::string& text) {
  return parse_preprocessing_metadata(reinterpret_cast<const uint8_t*>(text.data()), text.size());
}

TEST(PreprocessingMetadata, RecordsEachInputCalibratedOnOneKindOfData) {
  DataPreprocessing image;
  image.input = "image";
  image.samples = image.images = 200;
  image.color = "BGR";
  image.image_sizes = {{48, 48}, {64, 48}};
  image.width = image.height = 32;
  image.scale = {1, 1, 1};
  image.mean = {103.9f, 116.8f, 123.7f};
  image.min = -123.7f;
  image.max = 151.1f;
  DataPreprocessing values;
  values.input = "features";
  values.samples = 10;
  DataPreprocessing mixed = image;
  mixed.input = "mixed";
  mixed.images = 3;  // of 200 samples: no one preprocessing applies to it

  const std::vector<uint8_t> entry = preprocessing_metadata({image, values, mixed});
  const std::string json(entry.begin(), entry.end());
  EXPECT_NE(json.find("\"version\":1"), std::string::npos) << json;
  EXPECT_NE(json.find("\"resize_from\":[[48,48],[64,48]],\"resize_to\":[32,32]"), std::string::npos) << json;
  const std::vector<RecordedPreprocessing> recorded = parse_preprocessing_metadata(entry.data(), entry.size());
  ASSERT_EQ(recorded.size(), 2u);
  EXPECT_EQ(recorded[0].input, 0u);
  EXPECT_TRUE(recorded[0].images);
  EXPECT_EQ(recorded[0].color, "bgr");
  EXPECT_EQ(recorded[0].scale, image.scale);
  EXPECT_EQ(recorded[0].mean, image.mean);
  EXPECT_EQ(recorded[0].summary, image.to_string());
  EXPECT_EQ(recorded[1].input, 1u);
  EXPECT_FALSE(recorded[1].images);
  EXPECT_TRUE(recorded[1].scale.empty() && recorded[1].mean.empty());
}

TEST(PreprocessingMetadata, ANewerVersionIsSkippedAndABrokenEntryNamed) {
  EXPECT_TRUE(parse(R"({"version": 2, "inputs": "a future layout"})").empty());
  for (const char* broken : {"{", R"({"inputs": []})", R"({"version": 1, "inputs": [{"index": 0}]})",
                             R"({"version": 1, "inputs": [{"index": 0, "data": "audio", "scale": [], "mean": [],
                                 "summary": ""}]})"}) {
    try {
      parse(broken);
      ADD_FAILURE() << "accepted " << broken;
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("mote_preprocessing metadata"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
