// Whole invokes of the conformance models (../shared/conformance, sample 0
// inputs), one benchmark per model that mote can run:
//
//   ./build/bench/model_invoke_bench
//   ./build/bench/model_invoke_bench --benchmark_filter=person_detect
//
// items_per_second is invokes per second; arena_bytes the model's arena.
// Without the shared data it says so and runs nothing.
#include <benchmark/benchmark.h>
#include <stdio.h>
#include <string.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "mote/interpreter.h"
#include "mote/op_resolver.h"
#include "mote/ops.h"
#include "tools/common/conformance_manifest.h"

namespace {

namespace fs = std::filesystem;

std::string shared_dir() {
  const char* env = getenv("MOTE_SHARED_DIR");
  return env != nullptr ? env : MOTE_SHARED_DIR;
}

std::vector<uint8_t> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// One loaded model, ready to invoke.
struct LoadedModel {
  std::vector<uint64_t> model_words;  // 8-byte aligned copy of the file
  size_t model_bytes = 0;
  mote::OpResolver resolver;
  std::vector<uint64_t> arena_words;
  std::unique_ptr<mote::Interpreter> interp;
  std::vector<std::vector<uint8_t>> inputs;

  void fill_inputs() {
    for (size_t i = 0; i < inputs.size(); ++i) memcpy(interp->input(i).data, inputs[i].data(), inputs[i].size());
  }
};

// Nullptr when the model can't run here (custom ops, rejected by TFLM, ...).
std::unique_ptr<LoadedModel> load(const mote::tools::ConformanceModel& model) {
  if (!model.reference_ok || model.samples.empty()) return nullptr;
  auto m = std::make_unique<LoadedModel>();
  const std::vector<uint8_t> file = read_file(model.model_file);
  if (file.empty()) return nullptr;
  m->model_bytes = file.size();
  m->model_words.resize(file.size() / 8 + 1);
  memcpy(m->model_words.data(), file.data(), file.size());
  if (mote::register_all_ops(m->resolver) != mote::Status::kOk) return nullptr;
  m->arena_words.resize((4u << 20) / 8);
  m->interp = std::make_unique<mote::Interpreter>(reinterpret_cast<const uint8_t*>(m->model_words.data()),
                                                  m->model_bytes, m->resolver,
                                                  reinterpret_cast<uint8_t*>(m->arena_words.data()),
                                                  m->arena_words.size() * 8);
  if (m->interp->allocate() != mote::Status::kOk) return nullptr;
  const auto& files = model.samples[0].inputs;
  if (files.size() != m->interp->num_inputs()) return nullptr;
  for (size_t i = 0; i < files.size(); ++i) {
    m->inputs.push_back(read_file(files[i]));
    if (m->inputs.back().size() != m->interp->input(i).bytes) return nullptr;
  }
  return m;
}

void invoke_model(benchmark::State& state, LoadedModel* m) {
  for (auto _ : state) {
    // Ops may run in place over their inputs: every invoke starts afresh.
    state.PauseTiming();
    m->fill_inputs();
    m->interp->reset_state();
    state.ResumeTiming();
    if (m->interp->invoke() != mote::Status::kOk) {
      state.SkipWithError(m->interp->error_message());
      break;
    }
  }
  state.SetItemsProcessed(int64_t(state.iterations()));
  state.counters["arena_bytes"] = double(m->interp->arena_used_bytes());
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  const fs::path conformance = fs::path(shared_dir()) / "conformance";
  std::error_code ec;
  if (!fs::is_directory(conformance, ec)) {
    printf("model_invoke_bench: no conformance data at %s (set MOTE_SHARED_DIR); nothing to run\n",
           conformance.string().c_str());
    return 0;
  }
  std::vector<std::unique_ptr<LoadedModel>> models;  // alive while the benchmarks run
  for (const std::string& name : mote::tools::conformance_model_names(shared_dir())) {
    std::unique_ptr<LoadedModel> m = load(mote::tools::read_conformance_model(shared_dir(), name));
    if (m == nullptr) continue;
    benchmark::RegisterBenchmark(name.c_str(), invoke_model, m.get())->Unit(benchmark::kMicrosecond);
    models.push_back(std::move(m));
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
