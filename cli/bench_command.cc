#include "cli/bench_command.h"

#include <stdio.h>
#include <string.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <map>
#include <random>

#include "cli/cli_common.h"
#include "cli/option_checks.h"
#include "mote/build_config.h"
#include "tools/common/shapes.h"
#include "tools/common/text_table.h"
#include "tools/model_stats.h"
#include "tools/tensor_io.h"

namespace mote {
namespace cli {
namespace {

using nlohmann::json;
using tools::Align;
using tools::dims_of;
using tools::TextTable;
using tools::with_commas;
using Clock = std::chrono::steady_clock;

// Values a real input could hold: the whole range of small integer types,
// [-1, 1) for floats, small non-negative numbers for wide integers (often
// indices or lengths).
std::vector<uint8_t> random_input(DType type, int64_t count, std::mt19937& rng) {
  const size_t element = dtype_size(type);
  std::vector<uint8_t> bytes(size_t(count) * element);
  std::uniform_real_distribution<float> unit(-1.0f, 1.0f);
  for (int64_t i = 0; i < count; ++i) {
    uint8_t* p = bytes.data() + size_t(i) * element;
    switch (type) {
      case DType::kFloat32: {
        const float v = unit(rng);
        memcpy(p, &v, 4);
        break;
      }
      case DType::kFloat64: {
        const double v = unit(rng);
        memcpy(p, &v, 8);
        break;
      }
      case DType::kInt32:
      case DType::kInt64:
      case DType::kUInt32:
      case DType::kUInt64:
        memset(p, 0, element);
        p[0] = uint8_t(rng() % 8);
        break;
      case DType::kBool:
        p[0] = uint8_t(rng() & 1);
        break;
      default:  // int8, uint8, int16, uint16, float16: any bit pattern is a value
        for (size_t b = 0; b < element; ++b) p[b] = uint8_t(rng());
        break;
    }
  }
  return bytes;
}

struct Timings {
  std::vector<Clock::time_point> node_end;  // filled by the observer
};

void record_node(void* user, int node, const Interpreter&) {
  static_cast<Timings*>(user)->node_end[size_t(node)] = Clock::now();
}

double micros(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

std::string fixed(double v, int decimals) {
  char buf[48];
  snprintf(buf, sizeof(buf), "%.*f", decimals, v);
  return buf;
}

std::string time_text(double us) {
  if (us >= 10000.0) return fixed(us / 1000.0, 2) + " ms";
  if (us >= 1000.0) return fixed(us / 1000.0, 3) + " ms";
  return fixed(us, us >= 100.0 ? 1 : 2) + " us";
}

std::string percent(double share) { return fixed(100.0 * share, 1) + "%"; }

// Multiply-accumulates per microsecond = millions per second.
std::string mmacs(int64_t macs, double us) { return macs > 0 && us > 0 ? fixed(double(macs) / us, 1) : "-"; }

}  // namespace

json bench_report(const BenchOptions& options) {
  if (options.repeat < 1) throw UserError("--repeat must be at least 1, got " + std::to_string(options.repeat));
  if (options.warmup < 0) throw UserError("--warmup must be 0 or more, got " + std::to_string(options.warmup));
  std::unique_ptr<ModelFile> file = load_model_file(options.model_path);
  const Model& m = file->model;
  if (!options.inputs.empty() && options.inputs.size() != m.num_inputs()) {
    throw UserError("the model has " + std::to_string(m.num_inputs()) + " input" + (m.num_inputs() == 1 ? "" : "s") +
                        " but " + std::to_string(options.inputs.size()) + " --input file" +
                        (options.inputs.size() == 1 ? " was" : "s were") + " given",
                    "pass one --input per model input, in order, or none for random inputs");
  }

  // Inputs: files (checked like `mote run`), or random values from the seed.
  std::vector<std::vector<uint8_t>> inputs;
  std::mt19937 rng(options.seed);
  for (uint32_t i = 0; i < m.num_inputs(); ++i) {
    const TensorInfo info = m.tensor(uint32_t(m.input(i)));
    if (options.inputs.empty()) {
      inputs.push_back(random_input(info.type, info.shape.num_elements(), rng));
      continue;
    }
    try {
      inputs.push_back(tools::read_tensor_file(options.inputs[i], info.type, dims_of(info.shape)));
    } catch (const std::exception& e) {
      throw UserError("input " + std::to_string(i) + " ('" + options.inputs[i] + "'): " + e.what(),
                      "input " + std::to_string(i) + " is " + tools::type_and_shape(info) + " = " +
                          std::to_string(info.bytes) +
                          " bytes; give raw bytes (.bin) or a .npy of that dtype and shape");
    }
  }

  HostInterpreter host(file->data.get(), file->size);
  Interpreter& interp = allocated(host, *file);
  const size_t num_nodes = m.num_operators();
  Timings timings;
  timings.node_end.resize(num_nodes);
  interp.set_node_observer(record_node, &timings);

  std::vector<double> node_sum(num_nodes, 0.0), node_min(num_nodes, 1e300);
  std::vector<double> totals;
  for (int run = 0; run < options.warmup + options.repeat; ++run) {
    // Every invoke sees the same inputs and state: ops may run in place over
    // their inputs, and stateful models would drift otherwise.
    for (uint32_t i = 0; i < m.num_inputs(); ++i) memcpy(interp.input(i).data, inputs[i].data(), inputs[i].size());
    if (!ok(interp.reset_state())) throw UserError(std::string("reset_state failed: ") + interp.error_message());
    const Clock::time_point start = Clock::now();
    if (!ok(interp.invoke())) {
      throw UserError(std::string("inference failed: ") + interp.error_message(),
                      "the message names the failing node; `mote inspect MODEL` shows its operator and tensors");
    }
    const Clock::time_point end = Clock::now();
    if (run < options.warmup) continue;
    totals.push_back(micros(end - start));
    Clock::time_point previous = start;
    for (size_t j = 0; j < num_nodes; ++j) {
      const double us = micros(timings.node_end[j] - previous);
      previous = timings.node_end[j];
      node_sum[j] += us;
      node_min[j] = std::min(node_min[j], us);
    }
  }
  interp.set_node_observer(nullptr, nullptr);

  double nodes_total = 0;
  for (double s : node_sum) nodes_total += s / options.repeat;
  const auto share = [&](double us) { return nodes_total > 0 ? us / nodes_total : 0.0; };

  json r;
  r["model"] = options.model_path;
  r["repeat"] = options.repeat;
  r["warmup"] = options.warmup;
  r["inputs"] =
      options.inputs.empty() ? json("random (seed " + std::to_string(options.seed) + ")") : json(options.inputs);
  r["kernels"] = optimized_kernels_enabled() ? "optimized" : "reference";
  r["arena_used_bytes"] = interp.arena_used_bytes();
  double total_sum = 0;
  for (double t : totals) total_sum += t;
  const double mean = total_sum / double(totals.size());
  r["invoke_us"] = {{"mean", mean},
                    {"min", *std::min_element(totals.begin(), totals.end())},
                    {"max", *std::max_element(totals.begin(), totals.end())}};
  r["invokes_per_second"] = mean > 0 ? 1e6 / mean : 0.0;
  r["total_macs"] = tools::total_macs(m);

  json nodes = json::array();
  std::map<std::string, json> by_op;
  for (size_t j = 0; j < num_nodes; ++j) {
    const std::string op = tools::op_display_name(m, uint32_t(j));
    const int64_t macs = tools::macs_of_node(m, uint32_t(j));
    const double node_mean = node_sum[j] / options.repeat;
    nodes.push_back({{"node", j},
                     {"op", op},
                     {"macs", macs},
                     {"mean_us", node_mean},
                     {"min_us", node_min[j]},
                     {"share", share(node_mean)}});
    json& agg = by_op[op];
    if (agg.is_null()) agg = {{"op", op}, {"nodes", 0}, {"mean_us", 0.0}, {"macs", int64_t(0)}};
    agg["nodes"] = agg["nodes"].get<int64_t>() + 1;
    agg["mean_us"] = agg["mean_us"].get<double>() + node_mean;
    agg["macs"] = agg["macs"].get<int64_t>() + macs;
  }
  json ops = json::array();
  for (auto& [name, agg] : by_op) {
    agg["share"] = share(agg["mean_us"].get<double>());
    ops.push_back(agg);
  }
  std::stable_sort(ops.begin(), ops.end(), [](const json& a, const json& b) {
    return a["mean_us"].get<double>() > b["mean_us"].get<double>();
  });
  r["nodes"] = nodes;
  r["ops"] = ops;
  return r;
}

namespace {

void print_text(const json& r) {
  printf("Benchmark %s: %lld invokes after %lld warm-up, %s kernels, inputs %s\n",
         r["model"].get<std::string>().c_str(), (long long)r["repeat"].get<int64_t>(),
         (long long)r["warmup"].get<int64_t>(), r["kernels"].get<std::string>().c_str(),
         r["inputs"].is_string() ? r["inputs"].get<std::string>().c_str() : "from files");

  printf("\nPer node (mean over the invokes; share of the summed node times)\n");
  TextTable nodes({"node", "op", "time", "min", "share", "MACs", "MMAC/s"},
                  {Align::kRight, Align::kLeft, Align::kRight, Align::kRight, Align::kRight, Align::kRight,
                   Align::kRight});
  for (const json& n : r["nodes"]) {
    const double us = n["mean_us"].get<double>();
    const int64_t macs = n["macs"].get<int64_t>();
    nodes.add_row({std::to_string(n["node"].get<int64_t>()), n["op"].get<std::string>(), time_text(us),
                   time_text(n["min_us"].get<double>()), percent(n["share"].get<double>()),
                   macs > 0 ? with_commas(macs) : "-", mmacs(macs, us)});
  }
  nodes.print(stdout, "  ");

  printf("\nPer op type\n");
  TextTable ops({"op", "nodes", "time", "share", "MACs", "MMAC/s"},
                {Align::kLeft, Align::kRight, Align::kRight, Align::kRight, Align::kRight, Align::kRight});
  for (const json& o : r["ops"]) {
    const double us = o["mean_us"].get<double>();
    const int64_t macs = o["macs"].get<int64_t>();
    ops.add_row({o["op"].get<std::string>(), std::to_string(o["nodes"].get<int64_t>()), time_text(us),
                 percent(o["share"].get<double>()), macs > 0 ? with_commas(macs) : "-", mmacs(macs, us)});
  }
  ops.print(stdout, "  ");

  const json& t = r["invoke_us"];
  const double mean = t["mean"].get<double>();
  const int64_t macs = r["total_macs"].get<int64_t>();
  printf("\nTotal: %s per invoke (min %s, max %s), %s invokes/s, %s MACs (%s MMAC/s), arena %s B\n",
         time_text(mean).c_str(), time_text(t["min"].get<double>()).c_str(), time_text(t["max"].get<double>()).c_str(),
         fixed(r["invokes_per_second"].get<double>(), 1).c_str(), with_commas(macs).c_str(), mmacs(macs, mean).c_str(),
         with_commas(r["arena_used_bytes"].get<int64_t>()).c_str());
}

}  // namespace

CLI::App* add_bench_command(CLI::App& app, BenchOptions& options) {
  CLI::App* cmd = app.add_subcommand("bench", "Time inference on this host: per node, per op type and in total");
  cmd->add_option("MODEL", options.model_path, "The .tflite model file")->required()->type_name("");
  cmd->add_option("-n,--repeat", options.repeat, "Timed invokes (default 20)")
      ->type_name("N")
      ->check(whole_number(1, 1000000, "--repeat 50"));
  cmd->add_option("--warmup", options.warmup, "Untimed invokes first (default 2)")
      ->type_name("N")
      ->check(whole_number(0, 1000000, "--warmup 5"));
  cmd->add_option("-i,--input", options.inputs,
                  "Input file (.bin or .npy), one per model input in order; default: random inputs")
      ->type_name("FILE")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--seed", options.seed, "Seed of the random inputs (default 1)")
      ->type_name("S")
      ->check(whole_number(0, UINT32_MAX, "--seed 7"));
  cmd->add_flag("--json", options.json, "Print one JSON document instead of tables");
  cmd->footer(
      "Every invoke starts from the same inputs and state. A node's time runs from the end of\n"
      "the previous node to its own end (the interpreter's node observer and a monotonic\n"
      "clock), so the node times add up to the invoke. MACs are those `mote inspect` counts;\n"
      "MMAC/s = millions of multiply-accumulates per second. The host build is not the\n"
      "device: use the figures to compare kernels and find the expensive nodes.\n"
      "\n"
      "Examples:\n"
      "  mote bench person_detect.tflite\n"
      "  mote bench person_detect.tflite --repeat 100\n"
      "  mote bench kws.tflite -i features.npy --json > kws_bench.json\n"
      "\n"
      "Exit status: 0 ok, 1 error (model, input file, runtime), 2 bad command line.");
  return cmd;
}

int run_bench(const BenchOptions& options) {
  const json report = bench_report(options);
  if (options.json) {
    printf("%s\n", report.dump(2, ' ', false, json::error_handler_t::replace).c_str());
  } else {
    print_text(report);
  }
  return kExitOk;
}

}  // namespace cli
}  // namespace mote
