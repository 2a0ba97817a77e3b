// Representative (calibration) data for `mote quantize`: turns the files a user
// gives into float samples for the float model's inputs.
//
// Paths are files or directories. A directory contributes every supported file
// below it (subdirectories included, names starting with '.' skipped), sorted by
// path; other files in it are skipped with a warning. A file named explicitly
// must have a supported extension (case-insensitive):
//
//   .npy   one sample, or N samples along a leading batch axis: for an input of
//          shape [1, 28, 28, 1] the array may be [28, 28, 1] or [1, 28, 28, 1]
//          (one sample), [N, 28, 28, 1] or [N, 1, 28, 28, 1] (N samples).
//          Leading 1s are ignored when comparing; anything else is an error (no
//          silent reshape of a flat array). dtypes float32, float64, int8, uint8,
//          int16, int32, int64; integers are taken as their value.
//   .bin .raw
//          raw little-endian float32, one sample or N whole samples back to back.
//   .csv   one sample per row, exactly the input's element count per row, comma
//          separated, C order. A first line with text in it (a field that is
//          neither empty nor a number) is a header and skipped; blank lines are
//          skipped.
//   .png .bmp .jpg .jpeg
//          one sample, decoded with stb_image and resized to the input's H x W
//          with bilinear interpolation (half-pixel centres, no antialiasing:
//          tf.image.resize(method="bilinear") / OpenCV INTER_LINEAR). The input
//          must look like an image: [1, H, W, C], [H, W, C], [1, H, W] or [H, W]
//          (H > 1) with C = 1 (gray) or 3 (colour). Each value is
//              (pixel - mean[c]) * scale[c]     pixel in 0..255
//          with scale = 1/255 and mean = 0 unless given (so 0..1 by default).
//
// Normalisation (CalibrationOptions::scale / mean): 0 values = default, 1 value =
// every channel, or one value per channel (the input's last dimension). For
// images it is always applied (default 0..1 above); for .npy/.bin/.csv only when
// scale or mean is given, as (value - mean[c]) * scale[c].
//
// color: "auto" (gray for C = 1, RGB for C = 3), "gray" (luma, replicated
// into 3 channels for C = 3), "rgb", or "bgr" (channel order swapped, for models
// trained on OpenCV images; needs C = 3).
//
// Multi-input models: prefix each path with the input it feeds, as NAME=PATH or
// INDEX=PATH (e.g. `--calibration audio=feats/ 1=ids.npy`). Every input must
// get the same number of samples; the k-th sample of each input (in sorted file
// order, then batch/row order) form sample k. A single-input model takes plain
// paths (a NAME=/INDEX= prefix is accepted too). A path whose text before '='
// is not an input name or index is a plain path.
//
// max_samples > 0 keeps the first max_samples samples. random = true (only with
// no paths) draws max_samples samples (100 if max_samples <= 0) uniformly from
// [-1, 1] with `seed` (no normalisation), and warns that activation ranges
// will be wrong.
//
// For the CLI: show calibration_data_help() in --help, parse --scale/--mean
// with parse_float_list(), and pass `warn` a function printing "warning: ...".
//
// Memory bounds: an input of more than 2^24 values, and data of more than 2^20
// samples or 2^28 values (1 GiB of float32) per input, are refused before
// allocating (max_samples keeps loading under them).
//
// Every problem (unreadable file, wrong shape/dtype/size, NaN or Inf, empty
// dataset, bad options, the bounds) throws std::runtime_error with a message that names the
// file (and line/element) and says what to do. Non-fatal notes go to `warn`.
#pragma once

#include <stdint.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace mote {
namespace tools {

// A float32 model input.
struct InputSpec {
  std::string name;
  std::vector<int32_t> shape;
};

struct CalibrationOptions {
  int max_samples = -1;  // <= 0: all
  bool random = false;
  uint32_t seed = 1;
  std::vector<float> scale;  // see the normalisation notes above
  std::vector<float> mean;
  std::string color = "auto";  // auto | gray | rgb | bgr
  bool warn_few_samples = true;  // calibration: warn that under 10 samples may not cover real inputs
  // What the data is for, in messages ("no evaluation files found"):
  // "calibration" for `mote quantize --calibration`, "evaluation" for data
  // that is only run (`mote eval --data`, `mote quantize --eval`).
  std::string purpose = "calibration";
};

// One float vector per model input, in input order (C order, the input's
// element count each).
using Sample = std::vector<std::vector<float>>;

// What was done to one input's data, for the summary and the report.
struct DataPreprocessing {
  std::string input;  // the input's name
  int samples = 0;
  int images = 0;     // samples decoded from image files
  std::string color;  // images: "RGB", "BGR" or "gray"
  std::vector<std::pair<int, int>> image_sizes;  // distinct source sizes (width, height), first seen first
  int width = 0, height = 0;                     // images: the size they were resized to
  std::vector<float> scale, mean;  // (value - mean[c]) * scale[c] as applied; empty: values as read
  float min = 0, max = 0;          // the values after preprocessing
  // The files read, in sample order, each with the number of samples it gave
  // (for labels that follow the files, e.g. `mote eval`).
  std::vector<std::pair<std::string, int>> files;

  // e.g. "'image': 200 images, RGB, bilinear from 48x48 to 32x32, (pixel - 0) * 0.003922; values in [0, 1]"
  std::string to_string() const;
};

// `preprocessing`, when given, receives one entry per input.
std::vector<Sample> load_calibration_data(const std::vector<std::string>& paths, const std::vector<InputSpec>& inputs,
                                          const CalibrationOptions& options,
                                          const std::function<void(const std::string&)>& warn,
                                          std::vector<DataPreprocessing>* preprocessing = nullptr);

// Text for a CLI's --help describing the accepted data (formats, image
// normalisation, NAME=PATH for multi-input models), lines of at most 100
// characters: data_files_help("Data", "--data") for any command reading data
// files, calibration_data_help() for `mote quantize` (adds --random).
std::string data_files_help(const std::string& title, const std::string& option);
std::string calibration_data_help();

// Parses a --scale/--mean value: "0.00392", "1/255", or a comma-separated list
// of those ("1/58.4,1/57.1,1/57.4"); throws std::runtime_error naming `what`.
std::vector<float> parse_float_list(const std::string& text, const std::string& what);

}  // namespace tools
}  // namespace mote
