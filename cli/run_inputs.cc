#include "cli/run_inputs.h"

#include <stdio.h>
#include <string.h>

#include <filesystem>

#include "cli/cli_common.h"
#include "tools/common/shapes.h"
#include "tools/quantizer/calibration_data.h"
#include "tools/model_stats.h"
#include "tools/quantizer/model_runner.h"
#include "tools/quantizer/quant_params.h"
#include "tools/tensor_io.h"

namespace mote {
namespace cli {
namespace {

namespace fs = std::filesystem;

std::vector<int32_t> dims_of(const Shape& s) { return std::vector<int32_t>(s.dims, s.dims + s.rank); }

std::string describe(uint32_t i, const TensorInfo& info) {
  return "input " + std::to_string(i) + " '" + tools::name_of(info.name) + "'";
}

// "np.int8, shape (1, 96, 96, 1)": how to make a matching array in NumPy.
std::string numpy_recipe(const TensorInfo& info) {
  std::string dtype = dtype_name(info.type);
  if (info.type == DType::kBool) dtype = "bool_";
  return "np." + dtype + ", shape " + tools::python_shape_tuple(dims_of(info.shape));
}

bool is_image(const std::string& ext) { return ext == ".png" || ext == ".bmp" || ext == ".jpg" || ext == ".jpeg"; }

// Inputs that take real values: float32, or int8/uint8/int16 with a scale.
bool takes_real_values(const TensorInfo& info) {
  if (info.type == DType::kFloat32) return true;
  const bool integer = info.type == DType::kInt8 || info.type == DType::kUInt8 || info.type == DType::kInt16;
  return integer && info.quant.quantized() && info.quant.count == 1;
}

std::string quant_text(const TensorInfo& info) {
  char buf[96];
  snprintf(buf, sizeof(buf), "scale %.6g, zero point %d", double(info.quant.scale(0)), int(info.quant.zero_point(0)));
  return buf;
}

// Real values -> the tensor's bytes.
std::vector<uint8_t> to_tensor_bytes(const std::vector<float>& values, const TensorInfo& info) {
  std::vector<uint8_t> bytes(info.bytes);
  if (info.type == DType::kFloat32) {
    memcpy(bytes.data(), values.data(), bytes.size());
    return bytes;
  }
  tools::quantizer::QuantParams p;
  p.scale = info.quant.scale(0);
  p.zero_point = info.quant.zero_point(0);
  for (size_t k = 0; k < values.size(); ++k) {
    if (info.type == DType::kInt8) {
      bytes[k] = uint8_t(int8_t(tools::quantizer::quantize_value(values[k], p, -128, 127)));
    } else if (info.type == DType::kUInt8) {
      bytes[k] = uint8_t(tools::quantizer::quantize_value(values[k], p, 0, 255));
    } else {
      const int16_t q = int16_t(tools::quantizer::quantize_value(values[k], p, -32768, 32767));
      memcpy(bytes.data() + 2 * k, &q, 2);
    }
  }
  return bytes;
}

// Real values from a float .npy/.bin, a .csv or an image, through the loader
// `mote quantize` uses (same resizing and normalisation).
ModelInput convert_real_values(const std::string& path, uint32_t i, const TensorInfo& info,
                               const InputPreprocessing& preprocessing, const std::string& source) {
  const std::string what = describe(i, info);
  if (!takes_real_values(info))
    throw UserError(what + " is " + tools::type_and_shape(info) + (info.quant.quantized() ? " with per-channel" : " without") +
                       " quantization, so '" + path + "' (" + source + ") cannot be converted to it",
                   "pass the tensor's own bytes: a .bin of " + std::to_string(info.bytes) + " bytes or a .npy as " +
                       numpy_recipe(info));
  // What `mote quantize` recorded for this input, when it was calibrated on
  // data of this kind; options given explicitly win.
  const bool image = is_image(extension_of(path));
  const tools::RecordedPreprocessing* recorded = nullptr;
  for (const tools::RecordedPreprocessing& r : preprocessing.recorded)
    if (r.input == i && r.images == image) recorded = &r;
  std::vector<std::string> from_record;
  tools::CalibrationOptions options;
  options.color = preprocessing.color;
  if (recorded && image && preprocessing.color == "auto") {
    options.color = recorded->color;
    from_record.push_back("colour");
  }
  std::vector<tools::DataPreprocessing> applied;
  std::vector<tools::Sample> samples;
  try {
    if (!preprocessing.scale.empty()) {
      options.scale = tools::parse_float_list(preprocessing.scale, "--scale");
    } else if (recorded && !recorded->scale.empty()) {
      options.scale = recorded->scale;
      from_record.push_back("scale");
    }
    if (!preprocessing.mean.empty()) {
      options.mean = tools::parse_float_list(preprocessing.mean, "--mean");
    } else if (recorded && !recorded->mean.empty()) {
      options.mean = recorded->mean;
      from_record.push_back("mean");
    }
    samples = tools::load_calibration_data({path}, {tools::InputSpec{tools::name_of(info.name), dims_of(info.shape)}},
                                           options, nullptr, &applied);
  } catch (const std::exception& e) {
    throw UserError(what + " (" + tools::type_and_shape(info) + "): " + e.what());
  }
  if (samples.size() != 1)
    throw UserError("'" + path + "' holds " + std::to_string(samples.size()) + " samples for " + what +
                       "; mote run takes one per run",
                   "save one sample per file, or give a folder of such files to run them all");
  ModelInput input;
  input.bytes = to_tensor_bytes(samples[0][0], info);
  // The preprocessing without the input's name and the sample count ("'x': 1 sample from images, ").
  std::string prep = applied.empty() ? std::string() : applied[0].to_string();
  const size_t counted = prep.find("sample");
  if (counted != std::string::npos) prep = prep.substr(prep.find(", ", counted) + 2);
  std::string recorded_text;
  for (size_t k = 0; k < from_record.size(); ++k)
    recorded_text += (k == 0 ? "" : k + 1 == from_record.size() ? " and " : ", ") + from_record[k];
  if (!recorded_text.empty()) recorded_text = ", " + recorded_text + " as recorded in the model by mote quantize";
  input.how = source + (info.type == DType::kFloat32 ? "" : " quantized (" + quant_text(info) + ")") + recorded_text +
              (prep.empty() ? "" : ": " + prep);
  return input;
}

}  // namespace

void add_preprocessing_options(CLI::App* cmd, InputPreprocessing* preprocessing) {
  cmd->add_option("--scale", preprocessing->scale,
                  "Images and float data for a quantized input: value = (x - mean) * scale (images: default 1/255, "
                  "or as mote quantize recorded in the model)")
      ->type_name("S[,S...]");
  cmd->add_option("--mean", preprocessing->mean, "Normalisation mean, one value or one per channel")
      ->type_name("M[,M...]");
  cmd->add_option("--color", preprocessing->color, "Images: auto (default), gray, rgb or bgr")
      ->type_name("MODE")
      ->check(CLI::IsMember({"auto", "gray", "rgb", "bgr"}));
}

InputPreprocessing with_recorded_preprocessing(const InputPreprocessing& given, const Model& model) {
  InputPreprocessing result = given;
  for (uint32_t k = 0; k < model.num_metadata(); ++k) {
    const MetadataInfo entry = model.metadata(k);
    if (std::string(reinterpret_cast<const char*>(entry.name.data), entry.name.size) !=
        tools::kPreprocessingMetadataName)
      continue;
    try {
      result.recorded = tools::parse_preprocessing_metadata(entry.data.data, entry.data.size);
    } catch (const std::exception& e) {
      fprintf(stderr, "mote: warning: %s; ignored (give --scale, --mean and --color for images and float data)\n",
              e.what());
    }
  }
  return result;
}

bool is_input_file(const std::string& path) {
  const std::string ext = extension_of(path);
  return ext == ".bin" || ext == ".raw" || ext == ".npy" || ext == ".csv" || is_image(ext);
}

ModelInput read_model_input(const std::string& path, uint32_t i, const TensorInfo& info,
                            const InputPreprocessing& preprocessing) {
  const std::string what = describe(i, info);
  const std::string expects =
      what + " expects " + tools::type_and_shape(info) + " = " + std::to_string(info.bytes) + " bytes";
  std::error_code ec;
  if (!fs::exists(path, ec)) throw UserError("file '" + path + "' for " + what + " does not exist");
  if (fs::is_directory(path, ec)) throw UserError("'" + path + "' (for " + what + ") is a directory, not a file");
  const std::string ext = extension_of(path);
  const std::string real_hint =
      takes_real_values(info) ? std::string("; float32 data and images are converted too") : std::string();
  ModelInput input;
  if (is_image(ext) || ext == ".csv") return convert_real_values(path, i, info, preprocessing, ext.substr(1));
  if (ext == ".npy") {
    DType stored = info.type;
    try {
      stored = tools::read_npy(path).type;
    } catch (const std::exception&) {
      // read again below for the full message
    }
    if (stored != info.type && (stored == DType::kFloat32 || stored == DType::kFloat64) && takes_real_values(info))
      return convert_real_values(path, i, info, preprocessing, std::string(dtype_name(stored)) + " .npy");
    try {
      input.bytes = tools::read_npy(path, info.type, dims_of(info.shape));
      return input;
    } catch (const std::exception& e) {
      throw UserError(what + " expects " + tools::type_and_shape(info) + ": " + e.what(),
                     "save the array as " + numpy_recipe(info) + real_hint + "; or pass the raw bytes as a .bin file");
    }
  }
  const uintmax_t size = fs::file_size(path, ec);
  const uintmax_t float_bytes = uintmax_t(tools::element_count(dims_of(info.shape))) * sizeof(float);
  if (!ec && size != info.bytes && size == float_bytes && takes_real_values(info))
    return convert_real_values(path, i, info, preprocessing, "float32 .bin");
  try {
    if (!ec && size != info.bytes) {
      throw UserError(expects + ", file " + path + " has " + std::to_string(size) + " bytes",
                     "a .bin input is the tensor's raw little-endian bytes, no header, " +
                         std::to_string(dtype_size(info.type)) + " byte(s) per " + dtype_name(info.type) +
                         " element" +
                         (takes_real_values(info) && info.type != DType::kFloat32
                              ? ", or float32 values (" + std::to_string(float_bytes) + " bytes) to be quantized"
                              : std::string()) +
                         "; or pass a .npy file of that dtype and shape");
    }
    input.bytes = tools::read_bin(path, info.bytes);
    return input;
  } catch (const UserError&) {
    throw;
  } catch (const std::exception& e) {
    throw UserError(expects + ": " + e.what());
  }
}

std::vector<float> real_values(const TensorView& view, const QuantView& quant) {
  return tools::quantizer::dequantized_values(view, quant);
}

}  // namespace cli
}  // namespace mote
