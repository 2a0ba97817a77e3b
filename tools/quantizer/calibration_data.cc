#include "tools/quantizer/calibration_data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmath>

#include <algorithm>
#include <filesystem>
#include <random>
#include <stdexcept>

#include "tools/common/file_reading.h"
#include "tools/common/shapes.h"
#include "tools/quantizer/image_loader.h"
#include "tools/tensor_io.h"

namespace mote {
namespace tools {
namespace {

namespace fs = std::filesystem;
using Warn = std::function<void(const std::string&)>;

constexpr int kDefaultRandomSamples = 100;
constexpr int kFewSamples = 10;
const char kCannotOpen[] = "cannot open file (check that it exists and is readable)";
// Memory bounds, checked before allocating: an input larger than any
// microcontroller's memory, and calibration data beyond 1 GiB of float32 or a
// million samples, are errors rather than an out-of-memory.
constexpr int64_t kMaxInputValues = int64_t(1) << 24;
constexpr int64_t kMaxValues = int64_t(1) << 28;
constexpr size_t kMaxSamples = size_t(1) << 20;
const char kSupportedList[] = ".npy, .bin/.raw, .csv, .png, .bmp, .jpg or .jpeg";

[[noreturn]] void fail(const std::string& message) { throw std::runtime_error(message); }

enum class Format { kNone, kNpy, kBin, kCsv, kImage };

Format format_of(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(tolower(c)); });
  if (ext == ".npy") return Format::kNpy;
  if (ext == ".bin" || ext == ".raw") return Format::kBin;
  if (ext == ".csv") return Format::kCsv;
  if (ext == ".png" || ext == ".bmp" || ext == ".jpg" || ext == ".jpeg") return Format::kImage;
  return Format::kNone;
}

std::vector<int32_t> without_leading_ones(const std::vector<int32_t>& shape) {
  size_t first = 0;
  while (first < shape.size() && shape[first] == 1) ++first;
  return std::vector<int32_t>(shape.begin() + long(first), shape.end());
}

std::string quoted(const std::string& name) { return "'" + name + "'"; }

std::string describe(const InputSpec& input) {
  return "input " + quoted(input.name) + " " + spaced_shape_text(input.shape);
}

// "[0, 2, 5]": the position of flat index `flat` in `shape`.
std::string index_in(const std::vector<int32_t>& shape, int64_t flat) {
  std::vector<int32_t> index(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    index[d] = int32_t(flat % shape[d]);
    flat /= shape[d];
  }
  return spaced_shape_text(index);
}

// Fails when `samples` samples of `values_per_sample` values exceed the bounds.
void check_data_size(size_t samples, int64_t values_per_sample, const std::string& what, const std::string& purpose) {
  if (samples > kMaxSamples || int64_t(samples) * values_per_sample > kMaxValues)
    fail(what + ": " + purpose + " data of more than " + std::to_string(kMaxSamples) + " samples or " +
         std::to_string(kMaxValues) + " values (1 GiB of float32); use fewer samples (--samples N keeps the first N)");
}

// Per-channel (value - mean) * scale, channels being the fastest-moving axis.
struct Normalization {
  std::vector<float> scale;  // one per channel
  std::vector<float> mean;

  void apply(float* values, size_t count) const {
    const size_t channels = scale.size();
    for (size_t i = 0; i < count; ++i) values[i] = (values[i] - mean[i % channels]) * scale[i % channels];
  }
};

std::vector<float> per_channel(const std::vector<float>& given, float default_value, int channels,
                               const std::string& flag, const std::string& what) {
  if (given.empty()) return std::vector<float>(size_t(channels), default_value);
  if (given.size() == 1) return std::vector<float>(size_t(channels), given[0]);
  if (given.size() == size_t(channels)) return given;
  fail(flag + " has " + std::to_string(given.size()) + " values, but " + what + " has " + std::to_string(channels) +
       " channel" + (channels == 1 ? "" : "s") + ": give 1 value (all channels) or " + std::to_string(channels));
}

// Where an image goes in an input tensor.
struct ImageGeometry {
  bool ok = false;
  int height = 0, width = 0, channels = 0;
};

ImageGeometry image_geometry(const std::vector<int32_t>& shape) {
  ImageGeometry g;
  const size_t rank = shape.size();
  if (rank == 4 && shape[0] == 1) {
    g = {true, shape[1], shape[2], shape[3]};
  } else if (rank == 3 && (shape[2] == 1 || shape[2] == 3)) {
    g = {true, shape[0], shape[1], shape[2]};
  } else if (rank == 3 && shape[0] == 1) {
    g = {true, shape[1], shape[2], 1};
  } else if (rank == 2 && shape[0] > 1) {  // [1, N] is a feature vector
    g = {true, shape[0], shape[1], 1};
  }
  if (g.channels != 1 && g.channels != 3) g.ok = false;
  return g;
}

// Loads the samples of one model input, stopping at `limit` samples.
class InputLoader {
 public:
  InputLoader(const InputSpec& input, const CalibrationOptions& options, const Warn& warn, size_t limit)
      : input_(input), options_(options), warn_(warn), limit_(limit) {
    elements_ = element_count(input.shape);
    core_shape_ = without_leading_ones(input.shape);
    last_dim_ = input.shape.empty() ? 1 : input.shape.back();
  }

  bool full() const { return samples_.size() >= limit_; }
  std::vector<std::vector<float>>& samples() { return samples_; }
  DataPreprocessing preprocessing() const {
    DataPreprocessing p = prep_;
    p.input = input_.name;
    p.samples = int(samples_.size());
    return p;
  }

  // A path given by the user: a file, or a directory searched recursively.
  void add_path(const std::string& path, bool has_prefix_like_assignment, const std::string& input_names) {
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      std::string hint;
      if (has_prefix_like_assignment)
        hint = " (to feed one model input, write NAME=PATH or INDEX=PATH with an input of the model: " + input_names + ")";
      fail(path + ": no such file or directory" + hint);
    }
    if (fs::is_directory(status)) {
      add_directory(path);
      return;
    }
    if (format_of(path) == Format::kNone)
      fail(path + ": unsupported " + options_.purpose + " file type '" + fs::path(path).extension().string() + "'; use " +
           kSupportedList);
    add_file(path);
  }

 private:
  void add_directory(const std::string& dir) {
    std::vector<std::string> files;
    std::vector<std::string> skipped;
    std::error_code ec;
    fs::recursive_directory_iterator it(dir, ec), end;
    if (ec) fail(dir + ": cannot read directory (" + ec.message() + ")");
    for (; it != end; it.increment(ec)) {
      if (ec) fail(dir + ": cannot read directory (" + ec.message() + ")");
      const std::string name = it->path().filename().string();
      if (!name.empty() && name[0] == '.') {
        if (it->is_directory()) it.disable_recursion_pending();
        continue;
      }
      if (it->is_directory()) continue;
      if (format_of(name) == Format::kNone)
        skipped.push_back(it->path().string());
      else
        files.push_back(it->path().string());
    }
    std::sort(files.begin(), files.end());
    if (files.empty())
      fail(dir + ": no " + options_.purpose + " files found (looked for " + kSupportedList + ", subdirectories included)");
    if (!skipped.empty()) {
      std::sort(skipped.begin(), skipped.end());
      std::string list;
      for (size_t i = 0; i < skipped.size() && i < 3; ++i) list += (i ? ", " : "") + skipped[i];
      if (skipped.size() > 3) list += ", ...";
      warn_(dir + ": skipped " + std::to_string(skipped.size()) +
            (skipped.size() == 1 ? " file that is" : " files that are") + " not " + options_.purpose + " data (" + list +
            ")");
    }
    for (const std::string& f : files) {
      if (full()) return;
      add_file(f);
    }
  }

  void add_file(const std::string& path) {
    if (full()) return;
    const size_t before = samples_.size();
    read_file(path);
    prep_.files.push_back({path, int(samples_.size() - before)});
  }

  void read_file(const std::string& path) {
    switch (format_of(path)) {
      case Format::kNpy:
        load_npy(path);
        break;
      case Format::kBin:
        load_bin(path);
        break;
      case Format::kCsv:
        load_csv(path);
        break;
      case Format::kImage:
        load_image_file(path);
        break;
      case Format::kNone:
        break;
    }
  }

  // Normalisation for .npy/.bin/.csv: only when asked for.
  const Normalization* data_normalization() {
    if (options_.scale.empty() && options_.mean.empty()) return nullptr;
    if (!data_norm_.scale.empty()) return &data_norm_;
    const std::string what = describe(input_) + " (channels = last dimension)";
    data_norm_.scale = per_channel(options_.scale, 1.0f, last_dim_, "--scale", what);
    data_norm_.mean = per_channel(options_.mean, 0.0f, last_dim_, "--mean", what);
    return &data_norm_;
  }

  // Checks the bounds before `more` samples are added (at most up to the limit).
  void make_room(size_t more, const std::string& what) const {
    check_data_size(samples_.size() + std::min(more, limit_ - samples_.size()), elements_, what, options_.purpose);
  }

  // Adds one sample after normalising it and checking it is finite.
  template <typename Where>
  void push(std::vector<float> values, const Normalization* norm, Where where) {
    make_room(1, describe(input_));
    if (norm) {
      norm->apply(values.data(), values.size());
      prep_.scale = norm->scale;
      prep_.mean = norm->mean;
    }
    for (size_t i = 0; i < values.size(); ++i) {
      if (!std::isfinite(values[i])) {
        fail(where(i) + (std::isnan(values[i]) ? " is NaN" : " is infinite (or beyond the float32 range)") +
             "; " + options_.purpose + " data must be finite: fix or drop that sample (e.g. numpy.nan_to_num)");
      }
    }
    if (samples_.empty() && !values.empty()) prep_.min = prep_.max = values[0];
    for (float v : values) {
      prep_.min = std::min(prep_.min, v);
      prep_.max = std::max(prep_.max, v);
    }
    samples_.push_back(std::move(values));
  }

  void load_npy(const std::string& path) {
    NpyArray array = read_npy(path);
    const std::vector<int32_t> shape = array.shape;
    int64_t count = 0;
    if (without_leading_ones(shape) == core_shape_) {
      count = 1;
    } else if (!shape.empty() &&
               without_leading_ones(std::vector<int32_t>(shape.begin() + 1, shape.end())) == core_shape_) {
      count = shape[0];
    } else {
      const std::vector<int32_t> one = core_shape_.empty() ? std::vector<int32_t>{1} : core_shape_;
      std::vector<int32_t> batch = one;
      batch.insert(batch.begin(), -1);
      std::string batch_text = spaced_shape_text(batch);
      batch_text.replace(1, 2, "N");
      fail(path + ": shape " + spaced_shape_text(shape) + " does not fit " + describe(input_) + "; expected " +
           spaced_shape_text(one) + " for one sample or " + batch_text +
           " for N samples (reshape the array, e.g. a.reshape(-1, ...))");
    }
    if (count == 0) fail(path + ": holds no samples (batch dimension is 0)");
    make_room(size_t(count), path);

    bool is_integer = true;
    switch (array.type) {
      case DType::kFloat32:
      case DType::kFloat64:
        is_integer = false;
        break;
      case DType::kInt8:
      case DType::kUInt8:
      case DType::kInt16:
      case DType::kInt32:
      case DType::kInt64:
        break;
      default:
        fail(path + ": dtype " + dtype_name(array.type) +
             " is not supported for " + options_.purpose + " data (use float32, float64, int8, uint8, int16, int32 or int64)");
    }
    const Normalization* norm = data_normalization();
    if (is_integer && !norm && !warned_integers_) {
      warned_integers_ = true;
      warn_(path + ": holds " + dtype_name(array.type) +
            " values, used as they are; if the model expects normalised input, give --scale/--mean (e.g. --scale "
            "1/255 for 0..1)");
    }
    const size_t elements = size_t(elements_);
    const size_t item = dtype_size(array.type);
    for (int64_t s = 0; s < count && !full(); ++s) {
      const uint8_t* src = array.data.data() + size_t(s) * elements * item;
      std::vector<float> values(elements);
      for (size_t i = 0; i < elements; ++i) values[i] = element_as_float(array.type, src + i * item);
      push(std::move(values), norm, [&](size_t i) {
        std::string where = path + ": ";
        if (count > 1) where += "sample " + std::to_string(s) + " (of " + std::to_string(count) + "), ";
        return where + "element " + std::to_string(i) + " " + index_in(input_.shape, int64_t(i));
      });
    }
  }

  static float element_as_float(DType type, const uint8_t* p) {
    switch (type) {
      case DType::kFloat32: {
        float v;
        memcpy(&v, p, 4);
        return v;
      }
      case DType::kFloat64: {
        double v;
        memcpy(&v, p, 8);
        return float(v);
      }
      case DType::kInt8:
        return float(int8_t(*p));
      case DType::kUInt8:
        return float(*p);
      case DType::kInt16: {
        int16_t v;
        memcpy(&v, p, 2);
        return float(v);
      }
      case DType::kInt32: {
        int32_t v;
        memcpy(&v, p, 4);
        return float(v);
      }
      case DType::kInt64: {
        int64_t v;
        memcpy(&v, p, 8);
        return float(v);
      }
      default:
        return 0.0f;
    }
  }

  void load_bin(const std::string& path) {
    const std::vector<uint8_t> bytes = read_file_bytes(path, kCannotOpen);
    const size_t sample_bytes = size_t(elements_) * sizeof(float);
    if (bytes.empty() || bytes.size() % sample_bytes != 0) {
      fail(path + ": has " + std::to_string(bytes.size()) + " bytes, but one sample of " + describe(input_) + " is " +
           std::to_string(elements_) + " float32 values = " + std::to_string(sample_bytes) +
           " bytes; .bin/.raw files must hold raw little-endian float32 data of one or more whole samples "
           "(for other types use .npy)");
    }
    const size_t count = bytes.size() / sample_bytes;
    make_room(count, path);
    const Normalization* norm = data_normalization();
    for (size_t s = 0; s < count && !full(); ++s) {
      std::vector<float> values(static_cast<size_t>(elements_));
      memcpy(values.data(), bytes.data() + s * sample_bytes, sample_bytes);
      push(std::move(values), norm, [&](size_t i) {
        std::string where = path + ": ";
        if (count > 1) where += "sample " + std::to_string(s) + " (of " + std::to_string(count) + "), ";
        return where + "element " + std::to_string(i) + " " + index_in(input_.shape, int64_t(i));
      });
    }
  }

  void load_csv(const std::string& path) {
    const std::vector<uint8_t> bytes = read_file_bytes(path, kCannotOpen);
    const std::string text(bytes.begin(), bytes.end());
    const Normalization* norm = data_normalization();
    size_t line_start = 0;
    int line_number = 0;
    bool first_content_line = true;
    size_t rows = 0;
    while (line_start < text.size() && !full()) {
      size_t line_end = text.find('\n', line_start);
      if (line_end == std::string::npos) line_end = text.size();
      std::string line = text.substr(line_start, line_end - line_start);
      line_start = line_end + 1;
      ++line_number;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;

      std::vector<std::string> fields = split_fields(line);
      std::vector<float> values(fields.size());
      size_t bad_field = fields.size();
      bool has_text = false;  // a non-empty field that is not a number: a header
      for (size_t i = 0; i < fields.size(); ++i) {
        if (!parse_number(fields[i], &values[i])) {
          if (bad_field == fields.size()) bad_field = i;
          if (!fields[i].empty()) has_text = true;
        }
      }
      const bool first = first_content_line;
      const bool header = first && has_text;
      first_content_line = false;
      if (header) continue;
      const std::string where = path + " line " + std::to_string(line_number);
      if (bad_field != fields.size())
        fail(where + ", column " + std::to_string(bad_field + 1) + ": '" + fields[bad_field] +
             "' is not a number" + (first ? "" : " (only the first line may be a header)"));
      if (int64_t(values.size()) != elements_)
        fail(where + ": has " + std::to_string(values.size()) + " values, but " + describe(input_) + " needs " +
             std::to_string(elements_) + "; each row is one sample, all its values comma-separated in C order");
      ++rows;
      push(std::move(values), norm, [&](size_t i) { return where + ", column " + std::to_string(i + 1); });
    }
    if (rows == 0 && !full()) fail(path + ": has no data rows (one sample per line, comma-separated numbers)");
  }

  static std::vector<std::string> split_fields(const std::string& line) {
    std::vector<std::string> fields;
    size_t start = 0;
    while (true) {
      size_t comma = line.find(',', start);
      std::string field = line.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      const size_t first = field.find_first_not_of(" \t\r");
      const size_t last = field.find_last_not_of(" \t\r");
      field = first == std::string::npos ? "" : field.substr(first, last - first + 1);
      if (field.size() >= 2 && field.front() == '"' && field.back() == '"') field = field.substr(1, field.size() - 2);
      fields.push_back(field);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    return fields;
  }

  static bool parse_number(const std::string& text, float* value) {
    if (text.empty()) return false;
    char* end = nullptr;
    const double v = strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size()) return false;
    *value = float(v);
    return true;
  }

  void load_image_file(const std::string& path) {
    const ImageGeometry g = image_geometry(input_.shape);
    if (!g.ok)
      fail(path + ": " + describe(input_) +
           " is not an image input (expected [1, H, W, C] or [H, W, C] with C = 1 or 3, [1, H, W], or [H, W] with H > 1); "
           "give "
           ".npy, .bin or .csv data instead");
    const std::string& color = options_.color;
    if (g.channels == 1 && (color == "rgb" || color == "bgr"))
      fail("--color " + color + ": " + describe(input_) + " has 1 channel; use --color gray or auto");
    const bool gray = g.channels == 1 || color == "gray";
    const Image image = load_image(path, gray ? 1 : 3);
    ++prep_.images;
    prep_.color = gray ? "gray" : color == "bgr" ? "BGR" : "RGB";
    prep_.width = g.width;
    prep_.height = g.height;
    const std::pair<int, int> size(image.width, image.height);
    if (std::find(prep_.image_sizes.begin(), prep_.image_sizes.end(), size) == prep_.image_sizes.end())
      prep_.image_sizes.push_back(size);
    std::vector<float> resized = resize_bilinear(image, g.height, g.width);
    std::vector<float> values;
    if (gray && g.channels == 3) {
      values.resize(resized.size() * 3);
      for (size_t i = 0; i < resized.size(); ++i) values[3 * i] = values[3 * i + 1] = values[3 * i + 2] = resized[i];
    } else {
      values = std::move(resized);
    }
    if (color == "bgr")
      for (size_t i = 0; i + 2 < values.size(); i += 3) std::swap(values[i], values[i + 2]);
    if (image_norm_.scale.empty()) {
      const std::string what = describe(input_) + " (an image input)";
      image_norm_.scale = per_channel(options_.scale, 1.0f / 255.0f, g.channels, "--scale", what);
      image_norm_.mean = per_channel(options_.mean, 0.0f, g.channels, "--mean", what);
    }
    push(std::move(values), &image_norm_, [&](size_t i) {
      return path + ": value " + std::to_string(i) + " " + index_in(input_.shape, int64_t(i)) +
             " after normalisation";
    });
  }

  const InputSpec& input_;
  const CalibrationOptions& options_;
  const Warn& warn_;
  const size_t limit_;
  int64_t elements_ = 0;
  std::vector<int32_t> core_shape_;
  int last_dim_ = 1;
  Normalization data_norm_;
  Normalization image_norm_;
  bool warned_integers_ = false;
  DataPreprocessing prep_;
  std::vector<std::vector<float>> samples_;
};

void check_options(const std::vector<InputSpec>& inputs, const CalibrationOptions& options) {
  if (inputs.empty()) fail("the model has no inputs to read " + options.purpose + " data for");
  for (const InputSpec& input : inputs) {
    int64_t values = 1;
    for (int32_t d : input.shape) {
      if (d <= 0)
        fail(describe(input) + " has a dimension that is not positive; " + options.purpose +
             " needs a model with static shapes");
      values *= d;
      if (values > kMaxInputValues)
        fail(describe(input) + " has more than " + std::to_string(kMaxInputValues) +
             " values (64 MiB of float32 per sample), more than a microcontroller holds");
    }
  }
  const std::string& c = options.color;
  if (c != "auto" && c != "gray" && c != "rgb" && c != "bgr")
    fail("--color must be auto, gray, rgb or bgr, not '" + c + "'");
  for (float s : options.scale)
    if (!std::isfinite(s) || s == 0.0f) fail("--scale values must be finite and non-zero");
  for (float m : options.mean)
    if (!std::isfinite(m)) fail("--mean values must be finite");
}

std::string input_names(const std::vector<InputSpec>& inputs) {
  std::string names;
  for (size_t i = 0; i < inputs.size(); ++i) names += (i ? ", " : "") + std::to_string(i) + " " + quoted(inputs[i].name);
  return names;
}

std::vector<Sample> random_samples(const std::vector<InputSpec>& inputs, const CalibrationOptions& options,
                                   const Warn& warn, std::vector<DataPreprocessing>* preprocessing) {
  const int count = options.max_samples > 0 ? options.max_samples : kDefaultRandomSamples;
  warn("random calibration data: activation ranges will not match real inputs, so the int8 model can lose much "
       "accuracy; use --random only to try the pipeline and calibrate models you ship with real samples");
  // Our own mapping from the 32-bit generator output to floats, so a seed gives
  // the same data with every standard library.
  int64_t values_per_sample = 0;
  for (const InputSpec& input : inputs) values_per_sample += element_count(input.shape);
  check_data_size(size_t(count), values_per_sample, "random calibration data", options.purpose);
  std::mt19937 generator(options.seed);
  std::vector<Sample> samples(size_t(count), Sample(inputs.size()));
  for (Sample& sample : samples) {
    for (size_t k = 0; k < inputs.size(); ++k) {
      sample[k].resize(size_t(element_count(inputs[k].shape)));
      for (float& v : sample[k]) v = float(-1.0 + 2.0 * double(generator() >> 8) * 0x1p-24);
    }
  }
  if (preprocessing) {
    preprocessing->clear();
    for (const InputSpec& input : inputs) {
      DataPreprocessing p;
      p.input = input.name;
      p.samples = count;
      p.min = -1;
      p.max = 1;
      preprocessing->push_back(p);
    }
  }
  return samples;
}

}  // namespace

std::vector<Sample> load_calibration_data(const std::vector<std::string>& paths, const std::vector<InputSpec>& inputs,
                                          const CalibrationOptions& options, const Warn& given_warn,
                                          std::vector<DataPreprocessing>* preprocessing) {
  const Warn warn = given_warn ? given_warn : [](const std::string&) {};
  check_options(inputs, options);
  if (options.random) {
    if (!paths.empty())
      fail("give calibration data or --random, not both (random data is only for trying the pipeline)");
    return random_samples(inputs, options, warn, preprocessing);
  }
  if (paths.empty())
    fail("no calibration data: give --calibration with .npy/.bin/.csv files, images or directories of them "
         "(a few hundred representative inputs); --random exists for trying the pipeline only");

  // Assign each path to an input.
  std::vector<std::vector<std::pair<std::string, bool>>> per_input(inputs.size());
  for (const std::string& arg : paths) {
    const size_t eq = arg.find('=');
    int target = -1;
    if (eq != std::string::npos) {
      const std::string prefix = arg.substr(0, eq);
      for (size_t k = 0; k < inputs.size() && target < 0; ++k)
        if (inputs[k].name == prefix) target = int(k);
      if (target < 0 && !prefix.empty() && prefix.size() < 9 &&
          prefix.find_first_not_of("0123456789") == std::string::npos && size_t(atoi(prefix.c_str())) < inputs.size())
        target = atoi(prefix.c_str());
    }
    if (target >= 0) {
      const std::string path = arg.substr(eq + 1);
      if (path.empty()) fail("'" + arg + "': no path after '='");
      per_input[size_t(target)].push_back({path, false});
    } else {
      if (inputs.size() > 1)
        fail("the model has " + std::to_string(inputs.size()) + " inputs (" + input_names(inputs) +
             "): give the data of each as NAME=PATH or INDEX=PATH (e.g. " + quoted(inputs[0].name + "=DIR") +
             "); '" + arg + "' names no input");
      per_input[0].push_back({arg, eq != std::string::npos});
    }
  }

  const size_t limit = options.max_samples > 0 ? size_t(options.max_samples) : SIZE_MAX;
  std::vector<std::vector<std::vector<float>>> per_input_samples(inputs.size());
  if (preprocessing) preprocessing->clear();
  for (size_t k = 0; k < inputs.size(); ++k) {
    if (per_input[k].empty())
      fail(describe(inputs[k]) + " has no " + options.purpose + " data: add " + quoted(inputs[k].name + "=PATH") + " (or " +
           std::to_string(k) + "=PATH)");
    InputLoader loader(inputs[k], options, warn, limit);
    for (const auto& [path, looks_assigned] : per_input[k]) {
      if (loader.full()) break;
      loader.add_path(path, looks_assigned, input_names(inputs));
    }
    if (loader.samples().empty()) fail(describe(inputs[k]) + ": the " + options.purpose + " data holds no samples");
    if (preprocessing) preprocessing->push_back(loader.preprocessing());
    per_input_samples[k] = std::move(loader.samples());
  }

  const size_t count = per_input_samples[0].size();
  for (size_t k = 1; k < inputs.size(); ++k) {
    if (per_input_samples[k].size() != count)
      fail(describe(inputs[0]) + " has " + std::to_string(count) + " " + options.purpose + " samples but " + describe(inputs[k]) +
           " has " + std::to_string(per_input_samples[k].size()) +
           "; give every input the same number (the k-th samples of each input are paired)");
  }
  if (options.max_samples > 0 && count < size_t(options.max_samples))
    warn("found " + std::to_string(count) + " " + options.purpose + " samples, fewer than the " +
         std::to_string(options.max_samples) + " asked for");
  else if (options.warn_few_samples && options.max_samples <= 0 && count < size_t(kFewSamples))
    warn("only " + std::to_string(count) + " calibration sample" + (count == 1 ? "" : "s") +
         ": activation ranges may not cover real inputs (100 or more representative samples are typical)");

  std::vector<Sample> samples(count, Sample(inputs.size()));
  for (size_t s = 0; s < count; ++s)
    for (size_t k = 0; k < inputs.size(); ++k) samples[s][k] = std::move(per_input_samples[k][s]);
  return samples;
}

std::string DataPreprocessing::to_string() const {
  auto number = [](double v) {
    char buf[32];
    snprintf(buf, sizeof(buf), "%.4g", v);
    return std::string(buf);
  };
  // "0.003922" or "0.01712,0.01751,0.01742"
  auto list = [&](const std::vector<float>& values) {
    std::string text;
    for (size_t i = 0; i < values.size(); ++i) text += (i ? "," : "") + number(double(values[i]));
    if (!values.empty() && std::all_of(values.begin(), values.end(), [&](float v) { return v == values[0]; }))
      text = number(double(values[0]));
    return text;
  };
  auto size_text = [](int w, int h) { return std::to_string(w) + "x" + std::to_string(h); };
  std::string text = quoted(input) + ": " + std::to_string(samples) + " sample" + (samples == 1 ? "" : "s");
  if (images > 0) {
    text += images == samples ? " from images" : " (" + std::to_string(images) + " from images)";
    text += ", " + color;
    std::string from;
    for (size_t i = 0; i < image_sizes.size() && i < 3; ++i)
      from += (i ? ", " : "") + size_text(image_sizes[i].first, image_sizes[i].second);
    if (image_sizes.size() > 3) from += ", ... (" + std::to_string(image_sizes.size()) + " sizes)";
    const bool same = image_sizes.size() == 1 && image_sizes[0] == std::make_pair(width, height);
    text += same ? ", " + size_text(width, height) + " (no resize)"
                 : ", bilinear from " + from + " to " + size_text(width, height);
  }
  const std::string x = images > 0 ? "pixel" : "x";
  text += scale.empty() ? ", values as read" : ", (" + x + " - " + list(mean) + ") * " + list(scale);
  return text + "; values in [" + number(double(min)) + ", " + number(double(max)) + "]";
}

std::vector<float> parse_float_list(const std::string& text, const std::string& what) {
  std::vector<float> values;
  size_t start = 0;
  auto bad = [&](const std::string& item) {
    fail(what + ": '" + item + "' is not a number (write e.g. 0.0039, 1/255, or one value per channel: 1/58.4,1/57.1,1/57.4)");
  };
  auto number = [&](const std::string& s, const std::string& item) {
    char* end = nullptr;
    const double v = strtod(s.c_str(), &end);
    if (s.empty() || end != s.c_str() + s.size() || !std::isfinite(v)) bad(item);
    return v;
  };
  while (true) {
    const size_t comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    const size_t slash = item.find('/');
    double v = 0;
    if (slash == std::string::npos) {
      v = number(item, item);
    } else {
      const double divisor = number(item.substr(slash + 1), item);
      if (divisor == 0) fail(what + ": '" + item + "' divides by zero");
      v = number(item.substr(0, slash), item) / divisor;
    }
    values.push_back(float(v));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return values;
}

std::string data_files_help(const std::string& title, const std::string& option) {
  std::string help = title + " (" + option + R"( PATH...): files, or directories searched recursively (sorted
by path, other files skipped). An image is one sample; .npy/.bin/.csv files may hold several.
  .npy       one sample ([28,28,1] or [1,28,28,1] for a [1,28,28,1] input) or N along a leading
             axis ([N,28,28,1]); float32/float64/int8/uint8/int16/int32/int64 (integers as values)
  .bin .raw  raw little-endian float32, one or more whole samples
  .csv       one sample per row, comma-separated, C order; a first line with text is a header
  .png .bmp .jpg .jpeg
             resized to the input's H x W (bilinear), gray or RGB by the input's channel count
             (--color auto|gray|rgb|bgr); value = (pixel - mean) * scale, pixel in 0..255,
             default scale 1/255, mean 0 (0..1); --scale 1/127.5 --mean 127.5 gives -1..1
--scale/--mean: one value, or one per channel (--mean 123.7,116.3,103.5); for .npy/.bin/.csv
  applied only when given.
Models with several inputs: prefix each path with its input, NAME=PATH or INDEX=PATH
  ()" + option + R"( 0=audio/ 1=ids.npy); every input needs the same sample count, paired in order.
)";
  return help;
}

std::string calibration_data_help() {
  return data_files_help("Calibration data", "--calibration") +
         "--random: uniform [-1, 1] data to try the pipeline only (activation ranges will be wrong).\n";
}

}  // namespace tools
}  // namespace mote
