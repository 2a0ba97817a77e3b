#include "cli/run_command.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "cli/cli_common.h"
#include "cli/option_checks.h"
#include "cli/run_directory.h"
#include "cli/run_inputs.h"
#include "tools/common/shapes.h"
#include "tools/model_stats.h"
#include "tools/tensor_io.h"

namespace mote {
namespace cli {
namespace {

namespace fs = std::filesystem;
using tools::dims_of;

// "input 0 'input' (int8[1,96,96,1], 9216 bytes)"
std::string describe(const char* kind, uint32_t i, const TensorInfo& info) {
  return std::string(kind) + " " + std::to_string(i) + " '" + tools::name_of(info.name) + "'";
}

std::string expected_inputs_list(const Model& m) {
  std::string s;
  for (uint32_t i = 0; i < m.num_inputs(); ++i) {
    const TensorInfo info = m.tensor(uint32_t(m.input(i)));
    s += "\n    --input FILE" + std::to_string(i) + "   # " + describe("input", i, info) + ": " +
         tools::type_and_shape(info) + " = " + std::to_string(info.bytes) + " bytes";
  }
  return s;
}

void check_output_format(const std::string& path) {
  const std::string ext = extension_of(path);
  if (ext != ".bin" && ext != ".npy")
    throw UserError("don't know which format to write '" + path + "' in",
                    "name output files *.bin (raw little-endian tensor bytes) or *.npy (NumPy array)");
}

// Element i of a tensor as a double (bool as 0/1).
double element(const uint8_t* data, DType type, int64_t i) {
  auto load = [&](auto zero) {
    decltype(zero) v;
    memcpy(&v, data + size_t(i) * sizeof(v), sizeof(v));
    return double(v);
  };
  switch (type) {
    case DType::kFloat32: return load(float());
    case DType::kFloat64: return load(double());
    case DType::kInt8: return load(int8_t());
    case DType::kUInt8: return load(uint8_t());
    case DType::kInt16: return load(int16_t());
    case DType::kUInt16: return load(uint16_t());
    case DType::kInt32: return load(int32_t());
    case DType::kUInt32: return load(uint32_t());
    case DType::kInt64: return load(int64_t());
    case DType::kUInt64: return load(uint64_t());
    case DType::kBool: return data[i] != 0 ? 1.0 : 0.0;
    default: return 0.0;
  }
}

bool is_float(DType t) { return t == DType::kFloat32 || t == DType::kFloat64 || t == DType::kFloat16; }

std::string number(double v, bool as_float) {
  char buf[40];
  if (as_float)
    snprintf(buf, sizeof(buf), "%.6g", v);
  else
    snprintf(buf, sizeof(buf), "%.0f", v);
  return buf;
}

// "[0,1]": the multi-dimensional index of flat element i.
std::string index_of(const Shape& s, int64_t i) {
  std::vector<int64_t> idx(size_t(s.rank), 0);
  for (int d = s.rank - 1; d >= 0; --d) {
    const int64_t dim = s.dims[d] > 0 ? s.dims[d] : 1;
    idx[size_t(d)] = i % dim;
    i /= dim;
  }
  std::string out = "[";
  for (size_t d = 0; d < idx.size(); ++d) out += (d ? "," : "") + std::to_string(idx[d]);
  return out + "]";
}

std::string quant_summary(const QuantView& q) {
  if (!q.quantized()) return "";
  char buf[96];
  if (q.count == 1)
    snprintf(buf, sizeof(buf), " (scale %.9g, zero point %d)", double(q.scale(0)), int(q.zero_point(0)));
  else
    snprintf(buf, sizeof(buf), " (%d per-channel scales on axis %d)", int(q.count), int(q.axis));
  return buf;
}

void print_output_summary(uint32_t j, const TensorInfo& info, const TensorView& view, const std::string& saved_to,
                          int values_shown) {
  const int64_t n = view.num_elements();
  const bool as_float = is_float(view.type);
  printf("%s %s%s%s\n", describe("output", j, info).c_str(), tools::type_and_shape(info).c_str(),
         quant_summary(info.quant).c_str(), saved_to.empty() ? "" : (" -> " + saved_to).c_str());
  if (n == 0 || dtype_size(view.type) == 0) {
    printf("  (no elements)\n");
    return;
  }
  const uint8_t* data = static_cast<const uint8_t*>(view.data);
  const int64_t shown = std::min<int64_t>(n, values_shown);
  std::string values;
  for (int64_t i = 0; i < shown; ++i) values += (i ? ", " : "") + number(element(data, view.type, i), as_float);
  if (n > shown) values += ", ... (" + std::to_string(n) + " values)";
  printf("  values:      %s\n", values.c_str());

  const QuantView& q = info.quant;
  if (q.quantized() && !as_float) {
    // Channel of element i along the quantized axis (per-tensor: channel 0).
    int64_t inner = 1, channels = 1;
    if (q.count > 1 && q.axis >= 0 && q.axis < info.shape.rank) {
      inner = info.shape.flat_size(q.axis + 1, info.shape.rank);
      channels = info.shape.dims[q.axis];
    }
    std::string deq;
    for (int64_t i = 0; i < shown; ++i) {
      const int32_t c = q.count > 1 ? int32_t((i / inner) % channels) : 0;
      const double real = double(q.scale(c)) * (element(data, view.type, i) - q.zero_point(c));
      deq += (i ? ", " : "") + number(real, true);
    }
    if (n > shown) deq += ", ...";
    printf("  dequantized: %s\n", deq.c_str());
  }

  int64_t min_i = 0, max_i = 0;
  for (int64_t i = 1; i < n; ++i) {
    const double v = element(data, view.type, i);
    if (v < element(data, view.type, min_i)) min_i = i;
    if (v > element(data, view.type, max_i)) max_i = i;
  }
  printf("  min %s at %s, max %s at %s, argmax %lld\n", number(element(data, view.type, min_i), as_float).c_str(),
         index_of(info.shape, min_i).c_str(), number(element(data, view.type, max_i), as_float).c_str(),
         index_of(info.shape, max_i).c_str(), (long long)max_i);
}

// Output files are first written under a temporary name next to the target
// and renamed only when all of them were written, so a failed run never
// leaves a partial file behind.
class PendingFiles {
 public:
  ~PendingFiles() {
    for (const auto& [temp, final_path] : files_) {
      std::error_code ec;
      fs::remove(temp, ec);
    }
  }
  void write(const std::string& path, const std::vector<uint8_t>& bytes) {
    const std::string temp = path + ".tmp-mote-" + std::to_string(getpid());
    files_.emplace_back(temp, path);
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out)
      throw UserError("cannot write '" + path + "': " + strerror(errno),
                      "check that the folder exists and is writable");
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    out.close();
    if (!out) throw UserError("cannot write '" + path + "': " + strerror(errno), "is the disk full?");
  }
  void commit() {
    for (const auto& [temp, final_path] : files_) {
      std::error_code ec;
      fs::rename(temp, final_path, ec);
      if (ec) throw UserError("cannot rename '" + temp + "' to '" + final_path + "': " + ec.message());
    }
    files_.clear();
  }

 private:
  std::vector<std::pair<std::string, std::string>> files_;
};

std::string plural(size_t n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// The input files of each step, from --steps DIR: step_<s>_input_<i>.bin or
// .npy for s = 0, 1, ... while step_<s>_input_0 exists.
std::vector<std::vector<std::string>> step_files_in(const std::string& dir, uint32_t num_inputs) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw UserError("--steps '" + dir + "' is not a folder");
  auto file_of = [&](size_t s, uint32_t i) -> std::string {
    const std::string stem = dir + "/step_" + std::to_string(s) + "_input_" + std::to_string(i);
    const bool bin = fs::exists(stem + ".bin", ec), npy = fs::exists(stem + ".npy", ec);
    if (bin && npy) throw UserError("both " + stem + ".bin and .npy exist", "keep one of them");
    return bin ? stem + ".bin" : npy ? stem + ".npy" : std::string();
  };
  std::vector<std::vector<std::string>> steps;
  for (size_t s = 0; num_inputs > 0 && !file_of(s, 0).empty(); ++s) {
    steps.emplace_back();
    for (uint32_t i = 0; i < num_inputs; ++i) {
      steps.back().push_back(file_of(s, i));
      if (steps.back().back().empty())
        throw UserError("step " + std::to_string(s) + " in '" + dir + "' has no input " + std::to_string(i),
                       "the model has " + plural(num_inputs, "input") + ": step " + std::to_string(s) +
                           " needs step_" + std::to_string(s) + "_input_" + std::to_string(i) + ".bin (or .npy)");
    }
  }
  if (steps.empty())
    throw UserError("no step_0_input_0.bin (or .npy) in '" + dir + "'",
                   "name the files step_<s>_input_<i>.bin: input i of step s, from step 0");
  return steps;
}

// The input files of each step, from the --input list: num_inputs per step.
std::vector<std::vector<std::string>> step_files_of(const std::vector<std::string>& inputs, const Model& m) {
  const uint32_t n = m.num_inputs();
  const bool fits = n == 0 ? inputs.empty() : !inputs.empty() && inputs.size() % n == 0;
  if (!fits) {
    throw UserError("the model has " + plural(n, "input") + " but " + std::to_string(inputs.size()) +
                       " --input file" + (inputs.size() == 1 ? " was" : "s were") + " given",
                   "pass one --input per model input, in this order:" + expected_inputs_list(m) +
                       "\n  and again for each further step of a sequence");
  }
  std::vector<std::vector<std::string>> steps;
  if (n == 0) steps.emplace_back();
  for (size_t first = 0; first < inputs.size(); first += n)
    steps.emplace_back(inputs.begin() + std::ptrdiff_t(first), inputs.begin() + std::ptrdiff_t(first + n));
  return steps;
}

}  // namespace

CLI::App* add_run_command(CLI::App& app, RunOptions& options) {
  CLI::App* cmd = app.add_subcommand("run", "Run one inference on the host and show or save the outputs");
  cmd->add_option("MODEL", options.model_path, "The .tflite model file")->required()->type_name("");
  cmd->add_option("-i,--input", options.inputs,
                  "Input file (.bin or .npy); one per model input, in order; then the next step's, ...")
      ->type_name("FILE")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--steps", options.steps_dir,
                  "Run a sequence: the folder's step_<s>_input_<i>.bin (or .npy), s = 0, 1, ...")
      ->type_name("DIR")
      ->excludes("--input");
  cmd->add_option("-o,--output", options.outputs,
                  "Save output j to the j-th --output (.bin or .npy); for several steps, one per output and step")
      ->type_name("FILE")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--output-dir", options.output_dir, "Save every step's outputs as DIR/step_<s>_output_<j>.bin")
      ->type_name("DIR");
  cmd->add_option("--reset-every", options.reset_every,
                  "Steps per independent sequence: reset_state() before steps N, 2N, ... (default: never)")
      ->type_name("N");
  cmd->add_option("--show", options.values_shown, "Print the first N values of each output (default 16)")
      ->type_name("N")
      ->check(whole_number(0, "--show 100"));
  cmd->add_flag("--dequantize", options.dequantize,
                "Save quantized outputs as float32 real values, scale * (q - zero_point)");
  add_preprocessing_options(cmd, &options.preprocessing);
  cmd->footer(
      "Input files:\n"
      "  .bin  the tensor's raw bytes, little-endian, row-major, no header; the size must be\n"
      "        exactly elements * bytes-per-element (`mote inspect MODEL` shows it per input)\n"
      "  .npy  a NumPy array with the input's dtype and shape (leading 1s may be omitted)\n"
      "  Real values for a quantized (int8/uint8/int16) input are quantized with the input's\n"
      "  scale and zero point, q = round(x / scale) + zero_point: float32/float64 .npy, float32\n"
      "  .bin (elements * 4 bytes), .csv, or images (.png .bmp .jpg, resized to the input with\n"
      "  --scale (default 1/255), --mean and --color, as `mote quantize` does). A float model\n"
      "  takes images the same way.\n"
      "  A folder as the --input of a one-input model runs every input file in it and prints\n"
      "  one line per file (top class and score of output 0) and a summary.\n"
      "\n"
      "For each output, stdout shows its type and shape, the first values, the dequantized\n"
      "values (real = scale * (q - zero_point)) for quantized outputs, min/max and argmax.\n"
      "Output files are written only when the whole run succeeds (never half-written).\n"
      "\n"
      "Sequences (stateful models: LSTM, SVDF keep state from one invoke to the next):\n"
      "  Give the inputs of several steps, as more --input sets or a --steps folder, and they\n"
      "  run one after another on one interpreter, as on the device over a stream; the state\n"
      "  starts at its initial value and is carried from step to step. --reset-every N resets it\n"
      "  (reset_state()) before steps N, 2N, ...: independent sequences of N steps each.\n"
      "\n"
      "Examples:\n"
      "  mote run person_detect.tflite --input image.bin\n"
      "  mote run person_detect.tflite -i image.npy -o scores.npy\n"
      "  mote run two_inputs.tflite -i a.bin -i b.bin -o sum.bin\n"
      "  mote run mnist_lstm_int8.tflite -i rows0.bin -i rows1.bin -i rows2.bin   3 steps, state kept\n"
      "  mote run mnist_lstm_int8.tflite --steps seq/ --output-dir out/   seq/step_0_input_0.bin, ...\n"
      "  mote run keyword.tflite --steps frames/ --reset-every 49 --output-dir out/   49-frame utterances\n"
      "  mote run model_int8.tflite -i cat.jpg --dequantize -o scores.npy   (image quantized for you)\n"
      "  mote run model_int8.tflite -i photos/     (every image in the folder, with a summary)\n"
      "  python3 -c 'import numpy as np; np.save(\"x.npy\", np.zeros((1,96,96,1), np.int8))'\n"
      "\n"
      "Exit status: 0 ok, 1 error (model, input file, runtime), 2 bad command line.");
  return cmd;
}

int run_run(const RunOptions& options) {
  if (options.reset_every < 0)
    throw UserError("--reset-every must be 0 (never) or more, got " + std::to_string(options.reset_every));
  for (const std::string& path : options.outputs) check_output_format(path);
  std::unique_ptr<ModelFile> file = load_model_file(options.model_path);
  const Model& m = file->model;
  std::error_code dir_ec;
  if (m.num_inputs() == 1 && options.inputs.size() == 1 && fs::is_directory(options.inputs[0], dir_ec))
    return run_directory(options, *file);
  const std::vector<std::vector<std::string>> step_files = options.steps_dir.empty()
                                                               ? step_files_of(options.inputs, m)
                                                               : step_files_in(options.steps_dir, m.num_inputs());
  const size_t steps = step_files.size();
  if (steps == 1 && options.outputs.size() > m.num_outputs()) {
    throw UserError("the model has " + plural(m.num_outputs(), "output") + " but " +
                       std::to_string(options.outputs.size()) + " --output files were given",
                   "give at most one --output per model output; output j is written to the j-th --output");
  }
  if (steps > 1 && !options.outputs.empty() && options.outputs.size() != steps * m.num_outputs()) {
    throw UserError(std::to_string(steps) + " steps of " + plural(m.num_outputs(), "output") + " but " +
                       std::to_string(options.outputs.size()) + " --output files were given",
                   "give one --output per output and step (output j of step s is the (s * " +
                       std::to_string(m.num_outputs()) + " + j)-th), or --output-dir DIR for all of them");
  }
  if (!options.output_dir.empty()) {
    std::error_code ec;
    if (!fs::is_directory(options.output_dir, ec))
      throw UserError("--output-dir '" + options.output_dir + "' is not a folder", "create it first");
  }
  // Read every input before allocating, so file errors come first.
  const InputPreprocessing preprocessing = with_recorded_preprocessing(options.preprocessing, m);
  std::vector<std::vector<ModelInput>> inputs(steps);
  for (size_t s = 0; s < steps; ++s)
    for (uint32_t i = 0; i < m.num_inputs(); ++i)
      inputs[s].push_back(read_model_input(step_files[s][i], i, m.tensor(uint32_t(m.input(i))), preprocessing));

  HostInterpreter host(file->data.get(), file->size);
  Interpreter& interp = allocated(host, *file);
  PendingFiles pending;
  // Outputs are printed after the run, so that file errors leave no half report.
  std::vector<std::vector<std::vector<uint8_t>>> results(steps);
  double ms = 0;
  for (size_t s = 0; s < steps; ++s) {
    // A new independent sequence starts from the initial state.
    if (options.reset_every > 0 && s > 0 && s % size_t(options.reset_every) == 0 && !ok(interp.reset_state()))
      throw UserError(std::string("reset_state() failed: ") + interp.error_message());
    for (uint32_t i = 0; i < m.num_inputs(); ++i) {
      TensorView v = interp.input(i);
      const std::vector<uint8_t>& bytes = inputs[s][i].bytes;
      if (v.data == nullptr || v.bytes != bytes.size())
        throw UserError("input " + std::to_string(i) + " has no buffer of " + std::to_string(bytes.size()) +
                        " bytes in the interpreter (internal error)");
      memcpy(v.data, bytes.data(), bytes.size());
    }
    const auto start = std::chrono::steady_clock::now();
    if (!ok(interp.invoke())) {
      throw UserError(std::string("inference failed") + (steps > 1 ? " at step " + std::to_string(s) : "") + ": " +
                         interp.error_message(),
                     "the message names the failing node; `mote inspect MODEL` shows its operator and tensors");
    }
    ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();

    for (uint32_t j = 0; j < m.num_outputs(); ++j) {
      const TensorView v = interp.output(j);
      results[s].emplace_back(static_cast<const uint8_t*>(v.data), static_cast<const uint8_t*>(v.data) + v.bytes);
      if (!options.output_dir.empty()) {
        pending.write(options.output_dir + "/step_" + std::to_string(s) + "_output_" + std::to_string(j) + ".bin",
                      results[s][j]);
      }
      const size_t k = s * m.num_outputs() + j;
      if (k >= options.outputs.size()) continue;
      std::vector<uint8_t> bytes = results[s][j];
      DType saved_type = v.type;
      const QuantView& quant = m.tensor(uint32_t(m.output(j))).quant;
      if (options.dequantize && quant.quantized() && v.type != DType::kFloat32) {
        const std::vector<float> real = real_values(v, quant);
        bytes.assign(reinterpret_cast<const uint8_t*>(real.data()),
                     reinterpret_cast<const uint8_t*>(real.data()) + real.size() * sizeof(float));
        saved_type = DType::kFloat32;
      }
      if (extension_of(options.outputs[k]) == ".npy") {
        try {
          bytes = tools::encode_npy(saved_type, dims_of(v.shape), bytes);
        } catch (const std::exception& e) {
          throw UserError("cannot save output " + std::to_string(j) + " as .npy: " + e.what(),
                         "save it as .bin (raw bytes) instead");
        }
      }
      pending.write(options.outputs[k], bytes);
    }
  }
  pending.commit();

  printf("Ran %s: %u input%s, %u output%s, %.3f ms on this host (arena %zu bytes)\n", options.model_path.c_str(),
         unsigned(m.num_inputs()), m.num_inputs() == 1 ? "" : "s", unsigned(m.num_outputs()),
         m.num_outputs() == 1 ? "" : "s", ms, interp.arena_used_bytes());
  if (steps > 1) {
    printf("%zu steps on one interpreter, state kept from step to step%s\n", steps,
           options.reset_every > 0 ? (", reset every " + plural(size_t(options.reset_every), "step")).c_str() : "");
  }
  for (size_t s = 0; s < steps; ++s) {
    if (steps > 1) printf("step %zu:\n", s);
    for (uint32_t i = 0; i < m.num_inputs(); ++i) {
      const TensorInfo info = m.tensor(uint32_t(m.input(i)));
      const std::string& how = inputs[s][i].how;
      printf("%s %s <- %s%s\n", describe("input", i, info).c_str(), tools::type_and_shape(info).c_str(),
             step_files[s][i].c_str(), how.empty() ? "" : (" (" + how + ")").c_str());
    }
    for (uint32_t j = 0; j < m.num_outputs(); ++j) {
      const size_t k = s * m.num_outputs() + j;
      std::string saved = k < options.outputs.size() ? options.outputs[k] : std::string();
      const TensorInfo info = m.tensor(uint32_t(m.output(j)));
      if (!saved.empty() && options.dequantize && info.quant.quantized()) saved += " (dequantized float32)";
      TensorView view = interp.output(j);
      view.data = results[s][j].data();
      print_output_summary(j, info, view, saved, options.values_shown);
    }
  }
  return kExitOk;
}

}  // namespace cli
}  // namespace mote
