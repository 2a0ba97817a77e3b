// Runs every model of shared/conformance on its reference inputs and compares
// every output byte with what TFLM produced. On a mismatch it walks the
// per-tensor dumps of sample 0 and names the first node whose output differs.
// When the suite runs in one process it ends with a table of all models.
#include <gtest/gtest.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "mote/interpreter.h"
#include "mote/op_resolver.h"
#include "mote/ops.h"
#include "op_harness.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string conformance_dir() { return shared_dir() + "/conformance"; }

std::vector<std::string> model_names() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(conformance_dir(), ec)) {
    if (e.is_directory() && fs::exists(e.path() / "manifest.json")) names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  if (names.empty()) names.push_back("no_shared_data");
  return names;
}

json load_json(const std::string& path) {
  std::ifstream f(path);
  if (!f) throw std::runtime_error("cannot read " + path);
  return json::parse(f);
}

struct Row {
  std::string model;
  std::string result;
  size_t mote_arena = 0;
  long long tflm_arena = -1;
};
std::map<std::string, Row>& table() {
  static std::map<std::string, Row> rows;
  return rows;
}

bool has_custom_ops(const json& manifest) {
  for (const auto& op : manifest["ops"])
    if (op.get<std::string>().rfind("CUSTOM:", 0) == 0) return true;
  return false;
}

// Float outputs: how far apart, for the report.
std::string float_difference(const std::vector<uint8_t>& got, const std::vector<uint8_t>& want) {
  size_t n = std::min(got.size(), want.size()) / 4;
  double max_abs = 0;
  int64_t max_ulp = 0;
  for (size_t i = 0; i < n; ++i) {
    float a, b;
    int32_t ia, ib;
    memcpy(&a, &got[4 * i], 4);
    memcpy(&b, &want[4 * i], 4);
    memcpy(&ia, &a, 4);
    memcpy(&ib, &b, 4);
    max_abs = std::max(max_abs, double(fabsf(a - b)));
    max_ulp = std::max<int64_t>(max_ulp, std::llabs(int64_t(ia) - int64_t(ib)));
  }
  std::ostringstream s;
  s << "max abs diff " << max_abs << ", max " << max_ulp << " ulp";
  return s.str();
}

struct Capture {
  std::map<int, std::vector<uint8_t>> tensors;  // tensor index -> bytes right after its producer ran
};

void capture_node(void* user, int node, const mote::Interpreter& interp) {
  auto* cap = static_cast<Capture*>(user);
  mote::OperatorInfo op = interp.model().op(uint32_t(node));
  for (uint32_t k = 0; k < op.outputs.size(); ++k) {
    mote::TensorView v = interp.tensor(op.outputs[k]);
    if (v.data) cap->tensors[op.outputs[k]] = std::vector<uint8_t>((uint8_t*)v.data, (uint8_t*)v.data + v.bytes);
  }
  for (uint32_t k = 0; k < op.inputs.size(); ++k) {
    int32_t t = op.inputs[k];
    if (t < 0) continue;
    mote::TensorInfo info = interp.model().tensor(uint32_t(t));
    if (!info.is_variable) continue;
    mote::TensorView v = interp.tensor(t);
    if (v.data) cap->tensors[t] = std::vector<uint8_t>((uint8_t*)v.data, (uint8_t*)v.data + v.bytes);
  }
}

// Names the first node (in execution order) whose outputs differ from the
// reference dump of sample 0.
std::string first_divergence(const std::string& dir, const std::vector<uint8_t>& model_bytes, const json& manifest) {
  json index = load_json(dir + "/tensors/index.json");
  mote::OpResolver resolver;
  mote::register_all_ops(resolver);
  std::vector<uint8_t> arena(4 << 20);
  mote::Interpreter interp(model_bytes.data(), model_bytes.size(), resolver, arena.data(), arena.size());
  if (interp.allocate() != mote::Status::kOk) return interp.error_message();
  const auto& files = manifest["samples"][0]["inputs"];
  for (size_t i = 0; i < files.size(); ++i) {
    auto in = read_file(dir + "/" + files[i].get<std::string>());
    mote::TensorView v = interp.input(i);
    memcpy(v.data, in.data(), std::min<size_t>(in.size(), v.bytes));
  }
  Capture cap;
  interp.set_node_observer(capture_node, &cap);
  if (interp.invoke() != mote::Status::kOk) return interp.error_message();
  std::map<int, json> tensor_entries;
  for (const auto& t : index["tensors"]) tensor_entries[t["index"].get<int>()] = t;
  for (const auto& node : index["node_order"]) {
    std::vector<int> checked = node["outputs"].get<std::vector<int>>();
    for (int t : node["inputs"].get<std::vector<int>>())
      if (t >= 0 && tensor_entries.count(t) && tensor_entries[t]["producer_op"] == "variable") checked.push_back(t);
    for (int t : checked) {
      const json& e = tensor_entries[t];
      if (!e.contains("file") || e["file"].is_null()) continue;
      auto want = read_file(dir + "/tensors/" + e["file"].get<std::string>());
      auto it = cap.tensors.find(t);
      if (it == cap.tensors.end()) continue;
      if (it->second != want) {
        size_t first_diff = 0;
        while (first_diff < want.size() && first_diff < it->second.size() && it->second[first_diff] == want[first_diff])
          ++first_diff;
        std::ostringstream s;
        s << "first divergence at node " << node["node"] << " (" << node["op"].get<std::string>() << "), tensor "
          << t << " '" << e["name"].get<std::string>() << "' (" << e["dtype"].get<std::string>() << "), byte "
          << first_diff << " of " << want.size();
        return s.str();
      }
    }
  }
  return "no single node diverges in sample 0";
}

class Conformance : public ::testing::TestWithParam<std::string> {};

TEST(ConformanceData, SharedDataPresent) {
  MOTE_REQUIRE_SHARED();
  EXPECT_TRUE(fs::exists(conformance_dir() + "/README.md")) << conformance_dir();
}

TEST_P(Conformance, BitExactOnAllSamples) {
  MOTE_REQUIRE_SHARED();
  const std::string name = GetParam();
  const std::string dir = conformance_dir() + "/" + name;
  json manifest = load_json(dir + "/manifest.json");
  Row row{name, "", 0, manifest.value("arena_used_bytes_ilp32", -1LL)};
  auto model_bytes = read_file(shared_dir() + "/models/" + manifest["model_file"].get<std::string>());

  mote::OpResolver resolver;
  ASSERT_EQ(mote::register_all_ops(resolver), mote::Status::kOk);
  std::vector<uint8_t> arena(4 << 20);
  auto interp = std::make_unique<mote::Interpreter>(model_bytes.data(), model_bytes.size(), resolver, arena.data(),
                                                    arena.size());
  mote::Status st = interp->allocate();
  if (manifest["status"] != "ok") {
    // No reference output (TFLM refused the model, e.g. a hybrid one): mote
    // must refuse it too, in prepare, naming the node.
    row.result = "rejected, as by TFLM";
    table()[name] = row;
    ASSERT_NE(st, mote::Status::kOk) << name << ": TFLM rejected this model (" << manifest.value("error", "")
                                     << ") but mote allocated it";
    EXPECT_NE(std::string(interp->error_message()).find("node "), std::string::npos) << interp->error_message();
    return;
  }
  if (has_custom_ops(manifest)) {
    // Only the audio front ends use custom (Signal*) ops; mote has no kernels
    // for them and must say so clearly.
    ASSERT_NE(st, mote::Status::kOk) << "custom ops should not resolve";
    EXPECT_NE(std::string(interp->error_message()).find("custom op"), std::string::npos) << interp->error_message();
    row.result = "unsupported (custom ops)";
    table()[name] = row;
    return;
  }
  ASSERT_EQ(st, mote::Status::kOk) << interp->error_message();
  row.mote_arena = interp->arena_used_bytes();

  bool all_exact = true;
  std::string float_note;
  for (const auto& sample : manifest["samples"]) {
    // Each reference output is the first invoke() after allocation;
    // reset_state() must bring a used interpreter back to that point.
    ASSERT_EQ(interp->reset_state(), mote::Status::kOk);
    const auto& inputs = sample["inputs"];
    ASSERT_EQ(inputs.size(), interp->num_inputs());
    for (size_t i = 0; i < inputs.size(); ++i) {
      auto in = read_file(dir + "/" + inputs[i].get<std::string>());
      mote::TensorView v = interp->input(i);
      ASSERT_EQ(in.size(), v.bytes) << "input " << i;
      memcpy(v.data, in.data(), in.size());
    }
    ASSERT_EQ(interp->invoke(), mote::Status::kOk) << interp->error_message();
    const auto& outputs = sample["outputs"];
    ASSERT_EQ(outputs.size(), interp->num_outputs());
    for (size_t j = 0; j < outputs.size(); ++j) {
      auto want = read_file(dir + "/" + outputs[j].get<std::string>());
      mote::TensorView v = interp->output(j);
      std::vector<uint8_t> got((uint8_t*)v.data, (uint8_t*)v.data + v.bytes);
      if (got == want) continue;
      all_exact = false;
      if (v.type == mote::DType::kFloat32) float_note = float_difference(got, want);
      ADD_FAILURE() << name << " sample " << sample["sample"] << " output " << j << " differs"
                    << (float_note.empty() ? "" : " (" + float_note + ")") << "; "
                    << first_divergence(dir, model_bytes, manifest);
    }
  }
  row.result = all_exact ? "bit-exact" : ("DIFFERS" + (float_note.empty() ? "" : " (" + float_note + ")"));
  table()[name] = row;
  if (row.tflm_arena > 0) {
    EXPECT_LE(row.mote_arena, size_t(row.tflm_arena)) << name << ": mote's arena is larger than TFLM's (ILP32)";
  }
}

INSTANTIATE_TEST_SUITE_P(SharedModels, Conformance, ::testing::ValuesIn(model_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

// Prints the table when the conformance tests ran in this process.
class ReportTable : public ::testing::Environment {
 public:
  void TearDown() override {
    if (table().empty()) return;
    printf("\n%-32s %-28s %12s %12s %7s\n", "model", "result", "mote arena", "TFLM ilp32", "ratio");
    for (const auto& [name, row] : table()) {
      if (row.mote_arena && row.tflm_arena > 0) {
        printf("%-32s %-28s %12zu %12lld %7.3f\n", name.c_str(), row.result.c_str(), row.mote_arena, row.tflm_arena,
               double(row.mote_arena) / double(row.tflm_arena));
      } else {
        printf("%-32s %-28s %12s %12s %7s\n", name.c_str(), row.result.c_str(), "-",
               row.tflm_arena > 0 ? std::to_string(row.tflm_arena).c_str() : "-", "-");
      }
    }
  }
};
const auto* const kReport = ::testing::AddGlobalTestEnvironment(new ReportTable);

}  // namespace
