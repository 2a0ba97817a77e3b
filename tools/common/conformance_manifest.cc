#include "tools/common/conformance_manifest.h"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "tools/common/json.h"

namespace mote {
namespace tools {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> paths_in(const std::string& dir, const Json& names) {
  std::vector<std::string> paths;
  for (const auto& n : names) paths.push_back(dir + "/" + n.get<std::string>());
  return paths;
}

std::vector<ConformanceTensor> tensors_of(const Json& list) {
  std::vector<ConformanceTensor> tensors;
  for (const auto& t : list) {
    ConformanceTensor c;
    c.index = t.value("index", -1);
    c.name = t.value("name", "");
    c.dtype = t.value("dtype", "");
    c.bytes = t.value("bytes", size_t(0));
    c.shape = t.value("shape", std::vector<int32_t>());
    tensors.push_back(c);
  }
  return tensors;
}

// "step_3_var_t17.bin" -> 17
int32_t state_tensor_of(const std::string& file_name, const std::string& json_path) {
  const size_t at = file_name.rfind("_var_t");
  if (at == std::string::npos)
    throw std::runtime_error(json_path + ": '" + file_name + "' is not named step_<s>_var_t<index>.bin");
  return int32_t(std::stol(file_name.substr(at + 6)));
}

std::string sequence_json(const std::string& model_dir) { return model_dir + "/sequence/sequence.json"; }

}  // namespace

bool ConformanceModel::has_custom_ops() const {
  return std::any_of(ops.begin(), ops.end(), [](const std::string& op) { return op.rfind("CUSTOM:", 0) == 0; });
}

bool ConformanceModel::has_sequence() const {
  std::error_code ec;
  return fs::exists(sequence_json(dir), ec);
}

const ConformanceDump::Tensor* ConformanceDump::find(int32_t index) const {
  for (const Tensor& t : tensors)
    if (t.index == index) return &t;
  return nullptr;
}

std::vector<std::string> conformance_model_names(const std::string& shared_dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(shared_dir + "/conformance", ec))
    if (e.is_directory() && fs::exists(e.path() / "manifest.json")) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> conformance_sequence_names(const std::string& shared_dir) {
  std::vector<std::string> names = conformance_model_names(shared_dir);
  names.erase(std::remove_if(names.begin(), names.end(),
                             [&](const std::string& name) {
                               std::error_code ec;
                               return !fs::exists(sequence_json(shared_dir + "/conformance/" + name), ec);
                             }),
              names.end());
  return names;
}

ConformanceModel read_conformance_model(const std::string& shared_dir, const std::string& name) {
  ConformanceModel m;
  m.name = name;
  m.dir = shared_dir + "/conformance/" + name;
  const std::string path = m.dir + "/manifest.json";
  const Json manifest = read_json_file(path);
  try {
    m.model_file = shared_dir + "/models/" + manifest.at("model_file").get<std::string>();
    m.reference_ok = manifest.value("status", "") == "ok";
    m.reference_error = manifest.value("error", "");
    for (const auto& op : manifest.at("ops")) m.ops.push_back(op.get<std::string>());
    m.inputs = tensors_of(manifest.value("inputs", Json::array()));
    m.outputs = tensors_of(manifest.value("outputs", Json::array()));
    for (const auto& s : manifest.value("samples", Json::array()))
      m.samples.push_back({paths_in(m.dir, s.at("inputs")), paths_in(m.dir, s.at("outputs"))});
    m.reference_arena_ilp32 = manifest.value("arena_used_bytes_ilp32", int64_t(-1));
  } catch (const Json::exception& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
  return m;
}

ConformanceDump read_conformance_dump(const ConformanceModel& model) {
  const std::string dir = model.dir + "/tensors";
  const std::string path = dir + "/index.json";
  const Json index = read_json_file(path);
  ConformanceDump dump;
  try {
    for (const auto& n : index.at("node_order")) {
      dump.nodes.push_back({n.at("node").get<int32_t>(), n.at("op").get<std::string>(),
                            n.at("inputs").get<std::vector<int32_t>>(), n.at("outputs").get<std::vector<int32_t>>()});
    }
    for (const auto& t : index.at("tensors")) {
      ConformanceDump::Tensor d;
      d.index = t.at("index").get<int32_t>();
      d.name = t.value("name", "");
      d.dtype = t.value("dtype", "");
      d.is_variable = t.value("producer_op", Json()) == "variable";
      if (t.contains("file") && t["file"].is_string()) d.file = dir + "/" + t["file"].get<std::string>();
      dump.tensors.push_back(d);
    }
  } catch (const Json::exception& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
  return dump;
}

std::vector<ConformanceStep> read_conformance_sequence(const ConformanceModel& model) {
  std::vector<ConformanceStep> steps;
  if (!model.has_sequence()) return steps;
  const std::string dir = model.dir + "/sequence";
  const std::string path = sequence_json(model.dir);
  const Json sequence = read_json_file(path);
  try {
    for (const auto& s : sequence.at("steps")) {
      ConformanceStep step;
      step.sample = {paths_in(dir, s.at("inputs")), paths_in(dir, s.at("outputs"))};
      for (const auto& f : s.value("variable_tensors_after_invoke", Json::array())) {
        const std::string file = f.get<std::string>();
        step.state_after.push_back({state_tensor_of(file, path), dir + "/" + file});
      }
      steps.push_back(step);
    }
  } catch (const Json::exception& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
  return steps;
}

}  // namespace tools
}  // namespace mote
