#include "cli/run_directory.h"

#include <stdio.h>
#include <string.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>

#include "cli/run_inputs.h"
#include "tools/model_stats.h"
#include "tools/common/text_table.h"

namespace mote {
namespace cli {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> input_files(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, ec), end;
  if (ec) throw UserError("cannot read the folder '" + dir + "': " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) throw UserError("cannot read the folder '" + dir + "': " + ec.message());
    const std::string name = it->path().filename().string();
    if (!name.empty() && name[0] == '.') {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_directory() && is_input_file(name)) files.push_back(it->path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string real_text(double v) {
  char buf[32];
  snprintf(buf, sizeof(buf), "%.4g", v);
  return buf;
}

}  // namespace

int run_directory(const RunOptions& options, const ModelFile& file) {
  const Model& m = file.model;
  const std::string& dir = options.inputs[0];
  if (!options.outputs.empty())
    throw UserError("--output is not supported with a folder of inputs",
                   "run one file at a time to save its outputs, or drop --output for the summary");
  const std::vector<std::string> files = input_files(dir);
  if (files.empty())
    throw UserError("the folder '" + dir + "' holds no input files",
                   "mote run reads .bin, .npy, .csv and images (.png .bmp .jpg .jpeg)");
  const TensorInfo in_info = m.tensor(uint32_t(m.input(0)));
  const TensorInfo out_info = m.tensor(uint32_t(m.output(0)));

  HostInterpreter host(file.data.get(), file.size);
  Interpreter& interp = allocated(host, file);
  const bool one_value = out_info.shape.num_elements() == 1;
  tools::TextTable table({"file", one_value ? "output" : "top class", one_value ? "" : "score"},
                         {tools::Align::kLeft, tools::Align::kRight, tools::Align::kRight});
  std::map<int64_t, int> top_counts;
  double total_ms = 0;
  std::string conversion;
  const InputPreprocessing preprocessing = with_recorded_preprocessing(options.preprocessing, m);
  for (const std::string& path : files) {
    const ModelInput input = read_model_input(path, 0, in_info, preprocessing);
    if (conversion.empty()) conversion = input.how.substr(0, input.how.find("; values in"));
    interp.reset_state();
    memcpy(interp.input(0).data, input.bytes.data(), input.bytes.size());
    const auto start = std::chrono::steady_clock::now();
    if (!ok(interp.invoke()))
      throw UserError(path + ": inference failed: " + interp.error_message(),
                     "the message names the failing node; `mote inspect MODEL` shows its operator and tensors");
    total_ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    const std::vector<float> out = real_values(interp.output(0), out_info.quant);
    const std::string name = fs::relative(path, dir).string();
    if (one_value || out.empty()) {
      table.add_row({name, out.empty() ? "-" : real_text(out[0]), ""});
      continue;
    }
    const int64_t top = std::max_element(out.begin(), out.end()) - out.begin();
    ++top_counts[top];
    table.add_row({name, std::to_string(top), real_text(out[size_t(top)])});
  }
  printf("Ran %s on %zu file%s in %s (%s)\n", options.model_path.c_str(), files.size(), files.size() == 1 ? "" : "s",
         dir.c_str(), conversion.empty() ? "as stored" : conversion.c_str());
  printf("%s", table.to_string("  ").c_str());
  if (!top_counts.empty()) {
    std::string counts;
    for (const auto& [cls, n] : top_counts) counts += (counts.empty() ? "" : ", ") + std::to_string(cls) + ": " + std::to_string(n);
    printf("top class of output 0 '%s' (class: files): %s\n", tools::name_of(out_info.name).c_str(), counts.c_str());
  }
  printf("%zu file%s, %.3f ms per inference on this host\n", files.size(), files.size() == 1 ? "" : "s",
         total_ms / double(files.size()));
  return kExitOk;
}

}  // namespace cli
}  // namespace mote
