// Calibration: runs the float model with mote's float kernels over the
// representative samples and records the range of every activation tensor
// (each node's outputs, the model inputs, and variable tensors such as the
// LSTM state, read after the node that updates them).
//
// Methods:
//   minmax      the running min / max over all samples (what TensorFlow's
//               calibrator does; the default)
//   percentile  clips |x| at a percentile of its histogram (e.g. 99.99%), to
//               ignore rare outliers
//   mse         the clipping range (a fraction of the min/max range) whose int8
//               quantization has the smallest mean squared error over the
//               histogram of the calibration values
// percentile and mse make a second pass over the samples to fill histograms.
// Variable (state) tensors always keep their min/max.
//
// Every sample starts from a fresh state (variable tensors reset), so a sample
// is one independent sequence for LSTM / SVDF models. (TensorFlow's calibrator
// carries the state from one sample to the next.)
#pragma once

#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "tools/quantizer/calibration_data.h"
#include "tools/quantizer/float_model.h"

namespace mote {
namespace tools {
namespace quantizer {

enum class CalibrationMethod { kMinMax, kPercentile, kMse };

// "minmax", "percentile", "mse"
const char* method_name(CalibrationMethod method);
// Parses a method name; throws UserError for an unknown one.
CalibrationMethod parse_method(const std::string& name);

// Called after each sample: phase ("calibrating", "histograms", ...), samples
// done, samples in total.
using ProgressCallback = std::function<void(const std::string& phase, int done, int total)>;

struct TensorRange {
  float min = std::numeric_limits<float>::infinity();
  float max = -std::numeric_limits<float>::infinity();
  bool seen() const { return min <= max; }
  void add(float v) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  void merge(const TensorRange& o) {
    if (o.min < min) min = o.min;
    if (o.max > max) max = o.max;
  }
};

struct CalibrationSettings {
  CalibrationMethod method = CalibrationMethod::kMinMax;
  double percentile = 99.99;
  ProgressCallback progress;
};

struct Calibration {
  std::vector<TensorRange> observed;  // per float-model tensor: min / max seen
  std::vector<TensorRange> ranges;    // the ranges to quantize with (after the method)
  int samples = 0;
};

// Throws UserError for an empty dataset, samples that do not fit the
// model's inputs, NaN/Inf in the samples, or NaN/Inf produced by the model.
Calibration calibrate(const FloatModel& model, const std::vector<Sample>& samples, const CalibrationSettings& settings);

// Checks that every sample has one vector per input of the right size and
// only finite values; throws UserError naming the sample and input.
void check_samples(const FloatModel& model, const std::vector<Sample>& samples);

}  // namespace quantizer
}  // namespace tools
}  // namespace mote
