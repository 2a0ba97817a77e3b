// The preprocessing `mote quantize` applied to the calibration data, recorded
// in the quantized model as a metadata entry named "mote_preprocessing" (TFLM
// and mote's runtime ignore metadata they do not know), so that `mote run` and
// `mote export --sample` prepare images and float data for the model the same
// way. The entry is JSON:
//
//   {"version": 1, "inputs": [{"index": 0, "name": "image", "data": "images",
//     "color": "rgb", "resize_from": [[48, 48]], "resize_to": [32, 32],
//     "scale": [0.003921569], "mean": [0], "range": [0, 1],
//     "summary": "'image': 200 samples from images, RGB, bilinear from 48x48 to 32x32, ..."}]}
//
// "data" is "images" or "values" (.npy/.bin/.csv); an input calibrated with
// both is not recorded (no single preprocessing applies to it). "scale" and
// "mean" are empty when values were used as read. Readers skip entries of a
// newer version.
#pragma once

#include <stdint.h>

#include <string>
#include <vector>

#include "tools/quantizer/calibration_data.h"

namespace mote {
namespace tools {

constexpr const char* kPreprocessingMetadataName = "mote_preprocessing";
constexpr int kPreprocessingMetadataVersion = 1;

// What was recorded for one model input.
struct RecordedPreprocessing {
  uint32_t input = 0;          // model input index
  bool images = false;         // calibrated on images (else on .npy/.bin/.csv values)
  std::string color;           // images: "rgb", "bgr" or "gray" (a --color value)
  std::vector<float> scale, mean;  // (x - mean[c]) * scale[c]; empty: values as read
  std::string summary;         // DataPreprocessing::to_string() at quantize time
};

// The entry's bytes for the preprocessing of each input (in input order).
std::vector<uint8_t> preprocessing_metadata(const std::vector<DataPreprocessing>& inputs);

// Parses an entry; throws std::runtime_error when it is not one this version
// writes (bad JSON, missing fields). An entry of a newer version gives no inputs.
std::vector<RecordedPreprocessing> parse_preprocessing_metadata(const uint8_t* data, size_t size);

}  // namespace tools
}  // namespace mote
