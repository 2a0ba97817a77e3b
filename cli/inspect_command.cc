#include "cli/inspect_command.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <string>
#include <vector>

#include "cli/cli_common.h"
#include "tools/common/shapes.h"
#include "tools/common/text_table.h"
#include "tools/exporter/build_files.h"
#include "tools/exporter/exporter.h"
#include "tools/model_stats.h"
#include "tools/op_attributes.h"
#include "tools/prepared_constants_writer.h"

namespace mote {
namespace cli {
namespace {

using nlohmann::json;
using tools::Align;
using tools::float_text;
using tools::TextTable;
using tools::with_commas;

constexpr int kTimelineColumns = 60;
constexpr size_t kNameWidth = 40;
constexpr int kQuantValuesShown = 3;

// ------------------------------------------------------------------ report

json quant_json(const QuantView& q) {
  if (!q.quantized()) return nullptr;
  json scales = json::array(), zero_points = json::array();
  for (int32_t i = 0; i < q.count; ++i) {
    scales.push_back(q.scale(i));
    zero_points.push_back(q.zero_point(i));
  }
  return {{"count", q.count}, {"axis", q.axis}, {"scales", scales}, {"zero_points", zero_points}};
}

json shape_json(const Shape& s) { return json(tools::dims_of(s)); }

json tensor_list(const fb::Vector<int32_t>& v) {
  json list = json::array();
  for (uint32_t i = 0; i < v.size(); ++i) list.push_back(v[i]);
  return list;
}

json io_json(const Model& model, uint32_t i, int32_t tensor) {
  const TensorInfo info = model.tensor(uint32_t(tensor));
  return {{"index", i},
          {"tensor", tensor},
          {"name", tools::name_of(info.name)},
          {"dtype", dtype_name(info.type)},
          {"shape", shape_json(info.shape)},
          {"bytes", info.bytes},
          {"quantization", quant_json(info.quant)}};
}

json model_json(const ModelFile& file) {
  const Model& m = file.model;
  json metadata = json::array();
  for (uint32_t i = 0; i < m.num_metadata(); ++i) {
    MetadataInfo md = m.metadata(i);
    metadata.push_back({{"name", tools::name_of(md.name)}, {"bytes", md.data.size}});
  }
  return {{"path", file.path},
          {"file_bytes", file.size},
          {"description", tools::name_of(m.description())},
          {"schema_version", m.schema_version()},
          {"subgraphs", m.num_subgraphs()},
          {"tensors", m.num_tensors()},
          {"operators", m.num_operators()},
          {"buffers", m.num_buffers()},
          {"metadata", metadata}};
}

json output_shapes_json(const Model& m, const OperatorInfo& op) {
  json shapes = json::array();
  for (uint32_t i = 0; i < op.outputs.size(); ++i)
    shapes.push_back(op.outputs[i] < 0 ? json(nullptr) : shape_json(m.tensor(uint32_t(op.outputs[i])).shape));
  return shapes;
}

// {"kernel": [3, 3], "stride": [2, 2], "padding": "SAME", "activation": "RELU6"}
json attributes_json(const std::vector<tools::OpAttribute>& attributes) {
  json object = json::object();
  for (const tools::OpAttribute& a : attributes) {
    if (a.values.empty())
      object[a.name] = a.text;
    else if (a.values.size() == 1)
      object[a.name] = a.values[0];
    else
      object[a.name] = a.values;
  }
  return object;
}

// Where the model goes on an ESP32-S3, by the rules `mote export` applies.
json esp32s3_json(size_t model_bytes, int64_t arena_bytes) {
  namespace ex = exporter;
  ex::ExportOptions options;
  const ex::Layout layout = ex::layout_for(options);
  ex::ModelAnalysis analysis;
  analysis.model_bytes = model_bytes;
  const std::string no_bytes;
  const ex::Context context{options, layout, analysis, "", "", "", false, "", {}, no_bytes};
  json flash = nullptr;
  try {
    const ex::FlashPlan plan = ex::plan_flash(context);
    flash = {{"flash_mb", plan.flash_mb},
             {"custom_partitions", plan.custom_partitions},
             {"app_partition_bytes", plan.custom_partitions ? json(plan.app_partition) : json(nullptr)}};
  } catch (const std::exception& e) {
    flash = {{"flash_mb", nullptr}, {"error", e.what()}};
  }
  json arena = nullptr;
  if (arena_bytes >= 0) {
    const bool internal = size_t(arena_bytes) <= ex::kEsp32S3InternalArenaBudget;
    arena = {{"bytes", arena_bytes},
             {"internal_budget_bytes", ex::kEsp32S3InternalArenaBudget},
             {"usable_dram_bytes", ex::kEsp32S3UsableDramBytes},
             {"placement", internal ? "internal" : "psram"},
             {"psram_required", size_t(arena_bytes) > ex::kEsp32S3UsableDramBytes}};
  }
  return {{"model_bytes", model_bytes}, {"arena", arena}, {"flash", flash}};
}

json operators_json(const Model& m) {
  json ops = json::array();
  for (uint32_t j = 0; j < m.num_operators(); ++j) {
    const OperatorInfo op = m.op(j);
    ops.push_back({{"node", j},
                   {"op", tools::op_display_name(m, j)},
                   {"builtin_code", op.builtin_code},
                   {"custom_code", tools::name_of(op.custom_code)},
                   {"version", op.version},
                   {"inputs", tensor_list(op.inputs)},
                   {"outputs", tensor_list(op.outputs)},
                   {"intermediates", tensor_list(op.intermediates)},
                   {"output_shapes", output_shapes_json(m, op)},
                   {"attributes", attributes_json(tools::op_attributes(m, j))},
                   {"attributes_text", tools::attributes_text(tools::op_attributes(m, j))},
                   {"macs", tools::macs_of_node(m, j)},
                   {"weight_bytes", tools::weight_bytes_of_node(m, j)}});
  }
  return ops;
}

json required_ops_json(const Model& m, const OpResolver& resolver) {
  json list = json::array();
  for (const tools::RequiredOp& r : tools::required_ops(m)) {
    fb::Bytes custom{reinterpret_cast<const uint8_t*>(r.custom_code.data()), r.custom_code.size()};
    const bool available = resolver.find(r.builtin_code, custom) != nullptr;
    const std::string fn = tools::op_registration_function(r.builtin_code);
    list.push_back({{"name", r.name},
                    {"builtin_code", r.builtin_code},
                    {"custom_code", r.custom_code},
                    {"max_version", r.max_version},
                    {"nodes", r.count},
                    {"available", available},
                    {"registration", fn.empty() ? json(nullptr) : json("mote::ops::" + fn + "()")}});
  }
  return list;
}

json tensors_json(const Model& m) {
  json list = json::array();
  for (uint32_t t = 0; t < m.num_tensors(); ++t) {
    const TensorInfo info = m.tensor(t);
    list.push_back({{"index", t},
                    {"name", tools::name_of(info.name)},
                    {"dtype", dtype_name(info.type)},
                    {"shape", shape_json(info.shape)},
                    {"kind", tools::tensor_kind(info)},
                    {"bytes", info.bytes},
                    {"buffer", info.buffer},
                    {"quantization", quant_json(info.quant)}});
  }
  return list;
}

// The stage allocate() runs patch by patch, null when none. Halo rows are kept
// from strip to strip, so it computes no extra MACs.
json patch_stage_json(const Interpreter& interp, const json& operators) {
  const PatchStage stage = interp.patch_stage();
  if (stage.num_layers == 0) return nullptr;
  json nodes = json::array();
  for (int32_t j = stage.first_node; j < stage.first_node + stage.num_layers; ++j) nodes.push_back(j);
  const json& last = operators[size_t(stage.first_node + stage.num_layers - 1)];
  return {{"nodes", nodes},
          {"output_shape", last["output_shapes"][0]},
          {"rows_per_strip", stage.rows_per_strip},
          {"strips", stage.num_strips},
          {"arena_used_bytes", interp.arena_used_bytes()},
          {"arena_used_bytes_without", stage.arena_bytes_without},
          {"extra_macs", 0}};
}

json memory_plan_json(const Interpreter& interp) {
  const int n = interp.memory_plan(nullptr, 0);
  std::vector<PlannedBuffer> plan(size_t(std::max(n, 0)));
  interp.memory_plan(plan.data(), n);
  std::stable_sort(plan.begin(), plan.end(), [](const PlannedBuffer& a, const PlannedBuffer& b) {
    if (a.placement.first != b.placement.first) return a.placement.first < b.placement.first;
    return a.placement.offset < b.placement.offset;
  });
  json list = json::array();
  for (const PlannedBuffer& b : plan) {
    const bool is_tensor = b.tensor >= 0;
    list.push_back({{"kind", is_tensor ? "tensor" : "scratch"},
                    {"tensor", is_tensor ? json(b.tensor) : json(nullptr)},
                    {"node", is_tensor ? json(nullptr) : json(b.node)},
                    {"name", is_tensor ? tools::name_of(interp.model().tensor(uint32_t(b.tensor)).name) : ""},
                    {"size", b.placement.size},
                    {"offset", b.placement.offset},
                    {"first", b.placement.first},
                    {"last", b.placement.last}});
  }
  return list;
}

// ------------------------------------------------------------------ text

std::string short_name(const std::string& name) {
  if (name.size() <= kNameWidth) return name;
  return "..." + name.substr(name.size() - (kNameWidth - 3));
}

std::string shape_text(const json& shape) { return tools::shape_text(shape.get<std::vector<int32_t>>()); }

std::string list_text(const json& list) {
  std::string s;
  for (size_t i = 0; i < list.size(); ++i) {
    const int64_t v = list[i].get<int64_t>();
    s += (i ? "," : "") + (v < 0 ? std::string("-") : std::to_string(v));
  }
  return s;
}

// "s=0.00392157 zp=-128" or "per-channel x8 (axis 3): s=0.0123,0.0145,0.0111,... zp=0,0,0,..."
std::string quant_text(const json& q) {
  if (q.is_null()) return "-";
  const int64_t count = q["count"].get<int64_t>();
  if (count == 1)
    return "s=" + float_text(q["scales"][0].get<double>()) + " zp=" + std::to_string(q["zero_points"][0].get<int64_t>());
  std::string scales, zps;
  const int64_t shown = std::min<int64_t>(count, kQuantValuesShown);
  for (int64_t i = 0; i < shown; ++i) {
    scales += (i ? "," : "") + float_text(q["scales"][size_t(i)].get<double>());
    zps += (i ? "," : "") + std::to_string(q["zero_points"][size_t(i)].get<int64_t>());
  }
  if (count > shown) {
    scales += ",...";
    zps += ",...";
  }
  return "per-channel x" + std::to_string(count) + " (axis " + std::to_string(q["axis"].get<int64_t>()) +
         "): s=" + scales + " zp=" + zps;
}

void print_io(const char* title, const json& list) {
  printf("\n%s\n", title);
  TextTable t({"#", "tensor", "name", "type", "bytes", "quantization"},
              {Align::kRight, Align::kRight, Align::kLeft, Align::kLeft, Align::kRight, Align::kLeft});
  for (const json& io : list) {
    t.add_row({std::to_string(io["index"].get<int64_t>()), std::to_string(io["tensor"].get<int64_t>()),
               short_name(io["name"]), io["dtype"].get<std::string>() + shape_text(io["shape"]),
               with_commas(io["bytes"].get<int64_t>()), quant_text(io["quantization"])});
  }
  t.print(stdout, "  ");
}

// One row per node; each column is a slice of the planned arena section,
// '#' where a tensor buffer is live at that node, '+' for scratch buffers.
void print_timeline(const json& plan, const json& operators, int64_t planned_bytes) {
  if (planned_bytes <= 0 || plan.empty() || operators.empty()) return;
  const double column_bytes = double(planned_bytes) / kTimelineColumns;
  printf("\nArena use over time (planned section, %s B; 1 column = %s B; '#' tensor, '+' scratch)\n",
         with_commas(planned_bytes).c_str(), float_text(column_bytes).c_str());
  std::vector<int64_t> live_bytes(operators.size(), 0);
  int64_t peak = 0;
  for (size_t node = 0; node < operators.size(); ++node) {
    // Bytes covered by live buffers: an output written in place over its
    // input shares bytes with it.
    std::vector<std::pair<int64_t, int64_t>> live;
    for (const json& b : plan) {
      if (b["first"].get<int64_t>() <= int64_t(node) && int64_t(node) <= b["last"].get<int64_t>())
        live.emplace_back(b["offset"].get<int64_t>(), b["offset"].get<int64_t>() + b["size"].get<int64_t>());
    }
    std::sort(live.begin(), live.end());
    int64_t covered_to = 0;
    for (const auto& [begin, end] : live) {
      live_bytes[node] += std::max<int64_t>(0, end - std::max(begin, covered_to));
      covered_to = std::max(covered_to, end);
    }
    peak = std::max(peak, live_bytes[node]);
  }
  size_t op_width = 0;
  for (const json& op : operators) op_width = std::max(op_width, op["op"].get<std::string>().size());
  op_width = std::min<size_t>(op_width, 28);
  for (size_t node = 0; node < operators.size(); ++node) {
    std::string row(kTimelineColumns, '.');
    for (const json& b : plan) {
      if (b["first"].get<int64_t>() > int64_t(node) || int64_t(node) > b["last"].get<int64_t>()) continue;
      const double start = double(b["offset"].get<int64_t>());
      const double end = start + double(b["size"].get<int64_t>());
      const char mark = b["kind"] == "tensor" ? '#' : '+';
      for (int c = 0; c < kTimelineColumns; ++c) {
        const double col_start = c * column_bytes, col_end = (c + 1) * column_bytes;
        if (start < col_end && end > col_start && row[size_t(c)] != '#') row[size_t(c)] = mark;
      }
    }
    std::string op = operators[node]["op"].get<std::string>().substr(0, op_width);
    printf("  %4zu %-*s |%s| %10s B%s\n", node, int(op_width), op.c_str(), row.c_str(),
           with_commas(live_bytes[node]).c_str(), live_bytes[node] == peak ? "  <- peak" : "");
  }
}

void print_esp32s3(const json& fit) {
  printf("\nOn an ESP32-S3 (as `mote export` places it)\n");
  const json& arena = fit["arena"];
  if (!arena.is_null()) {
    const int64_t bytes = arena["bytes"], budget = arena["internal_budget_bytes"], dram = arena["usable_dram_bytes"];
    if (arena["placement"] == "internal")
      printf("  arena   %s B: internal SRAM (within the %s B kept for an arena of ~%s B usable DRAM)\n",
             with_commas(bytes).c_str(), with_commas(budget).c_str(), with_commas(dram).c_str());
    else
      printf("  arena   %s B: PSRAM (%s; a module with PSRAM, e.g. N8R8 or N8R2)\n", with_commas(bytes).c_str(),
             arena["psram_required"].get<bool>()
                 ? ("more than the ~" + with_commas(dram) + " B usable internal DRAM").c_str()
                 : ("over the " + with_commas(budget) + " B internal budget; --arena internal may still fit").c_str());
  }
  const json& flash = fit["flash"];
  const int64_t model = fit["model_bytes"];
  if (flash["flash_mb"].is_null())
    printf("  flash   model %s B: %s\n", with_commas(model).c_str(), flash["error"].get<std::string>().c_str());
  else if (flash["custom_partitions"].get<bool>())
    printf("  flash   model %s B: needs %lld MB flash (an app partition of %s B)\n", with_commas(model).c_str(),
           (long long)flash["flash_mb"].get<int64_t>(), with_commas(flash["app_partition_bytes"].get<int64_t>()).c_str());
  else
    printf("  flash   model %s B: fits the default app partition of a 4 MB flash\n", with_commas(model).c_str());
}

void print_patch_stage(const json& stage) {
  if (stage.is_null()) return;
  const json& nodes = stage["nodes"];
  const json& shape = stage["output_shape"];
  const int64_t with = stage["arena_used_bytes"], without = stage["arena_used_bytes_without"];
  printf("\nPatch stage: nodes %lld..%lld run strip by strip, then the rest layer by layer\n",
         (long long)nodes.front().get<int64_t>(), (long long)nodes.back().get<int64_t>());
  printf("  patch grid    %lld strips of %lld output rows x full width over the stage output %s\n",
         (long long)stage["strips"].get<int64_t>(), (long long)stage["rows_per_strip"].get<int64_t>(),
         shape_text(shape).c_str());
  const std::string difference = with == without ? "the same"
                                 : with < without ? with_commas(without - with) + " B less"
                                                  : with_commas(with - without) + " B more";
  printf("  arena         %s B with the stage, %s B layer by layer (%s)\n", with_commas(with).c_str(),
         with_commas(without).c_str(), difference.c_str());
  printf("  extra MACs    %lld (halo rows are kept from one strip to the next, never computed twice)\n",
         (long long)stage["extra_macs"].get<int64_t>());
}

void print_savings(const json& savings) {
  if (savings.is_null()) return;
  printf("\nWhat keeps the arena small (each: the arena with that one turned off, the others kept)\n");
  TextTable t({"", "without it", "saved"}, {Align::kLeft, Align::kRight, Align::kRight});
  for (const json& s : savings) {
    const int64_t saved = s["saved_bytes"];
    t.add_row({s["description"].get<std::string>(), with_commas(s["arena_without_bytes"].get<int64_t>()) + " B",
               saved > 0 ? with_commas(saved) + " B" : "-"});
  }
  t.print(stdout, "  ");
}

void print_text(const json& r) {
  const json& model = r["model"];
  printf("Model %s\n", model["path"].get<std::string>().c_str());
  TextTable summary({"", ""});
  summary.add_row({"file size", tools::bytes_string(model["file_bytes"].get<int64_t>())});
  const std::string description = model["description"];
  summary.add_row({"description", description.empty() ? "-" : description});
  summary.add_row({"schema version", std::to_string(model["schema_version"].get<int64_t>())});
  summary.add_row({"subgraphs", std::to_string(model["subgraphs"].get<int64_t>()) +
                                    (model["subgraphs"].get<int64_t>() > 1 ? " (mote runs subgraph 0)" : "")});
  summary.add_row({"tensors / operators", std::to_string(model["tensors"].get<int64_t>()) + " / " +
                                              std::to_string(model["operators"].get<int64_t>())});
  std::string metadata;
  for (const json& md : model["metadata"]) metadata += (metadata.empty() ? "" : ", ") + md["name"].get<std::string>();
  summary.add_row({"metadata", metadata.empty() ? "-" : metadata});
  summary.add_row({"total MACs", with_commas(r["total_macs"].get<int64_t>()) + " (" +
                                     tools::si_units(r["total_macs"].get<int64_t>()) + ")"});
  summary.add_row({"weights", tools::bytes_string(r["weight_bytes"].get<int64_t>()) + " in " +
                                  std::to_string(r["weight_tensors"].get<int64_t>()) +
                                  " constant tensors (stay in flash, not in the arena)"});
  // Drop the header and rule of the two-column key/value table.
  std::string text = summary.to_string("  ");
  text = text.substr(text.find('\n', text.find('\n') + 1) + 1);
  fputs(text.c_str(), stdout);

  print_io("Inputs", r["inputs"]);
  print_io("Outputs", r["outputs"]);

  printf("\nOperators (execution order)\n");
  TextTable ops({"node", "op", "ver", "inputs", "outputs", "output shape", "attributes", "MACs", "weights B"},
                {Align::kRight, Align::kLeft, Align::kRight, Align::kLeft, Align::kLeft, Align::kLeft, Align::kLeft,
                 Align::kRight, Align::kRight});
  for (const json& op : r["operators"]) {
    std::string shapes;
    for (const json& shape : op["output_shapes"]) shapes += (shapes.empty() ? "" : " ") + (shape.is_null() ? "-" : shape_text(shape));
    ops.add_row({std::to_string(op["node"].get<int64_t>()), op["op"], std::to_string(op["version"].get<int64_t>()),
                 list_text(op["inputs"]), list_text(op["outputs"]), shapes, op["attributes_text"],
                 with_commas(op["macs"].get<int64_t>()), with_commas(op["weight_bytes"].get<int64_t>())});
  }
  ops.print(stdout, "  ");
  printf("  total MACs: %s (%s)\n", with_commas(r["total_macs"].get<int64_t>()).c_str(),
         tools::si_units(r["total_macs"].get<int64_t>()).c_str());

  const json& required = r["required_ops"];
  printf("\nOps this model needs (%zu)\n", required.size());
  TextTable req({"op", "nodes", "max ver", "in mote", "register with"},
                {Align::kLeft, Align::kRight, Align::kRight, Align::kLeft, Align::kLeft});
  for (const json& op : required) {
    const bool available = op["available"];
    std::string reg = op["registration"].is_null() ? "(your own OpRegistration)"
                                                   : "resolver.add(" + op["registration"].get<std::string>() + ");";
    req.add_row({op["name"], std::to_string(op["nodes"].get<int64_t>()), std::to_string(op["max_version"].get<int64_t>()),
                 available ? "yes" : "MISSING", reg});
  }
  req.print(stdout, "  ");

  printf("\nTensors\n");
  TextTable tensors({"#", "name", "type", "kind", "bytes", "quantization"},
                    {Align::kRight, Align::kLeft, Align::kLeft, Align::kLeft, Align::kRight, Align::kLeft});
  for (const json& t : r["tensors"]) {
    tensors.add_row({std::to_string(t["index"].get<int64_t>()), short_name(t["name"]),
                     t["dtype"].get<std::string>() + shape_text(t["shape"]), t["kind"],
                     with_commas(t["bytes"].get<int64_t>()), quant_text(t["quantization"])});
  }
  tensors.print(stdout, "  ");

  const json& alloc = r["allocation"];
  if (!alloc["ok"].get<bool>()) {
    printf("\nMemory plan: not available, the interpreter could not allocate this model (see the error below)\n");
    return;
  }
  printf("\nMemory plan (offsets in the planned section; lifetimes as first..last node)\n");
  TextTable plan({"buffer", "name", "size", "offset", "end", "first", "last"},
                 {Align::kLeft, Align::kLeft, Align::kRight, Align::kRight, Align::kRight, Align::kRight, Align::kRight});
  for (const json& b : alloc["memory_plan"]) {
    const bool is_tensor = b["kind"] == "tensor";
    const int64_t offset = b["offset"].get<int64_t>(), size = b["size"].get<int64_t>();
    plan.add_row({is_tensor ? "tensor " + std::to_string(b["tensor"].get<int64_t>())
                            : "scratch (node " + std::to_string(b["node"].get<int64_t>()) + ")",
                  is_tensor ? short_name(b["name"]) : "", with_commas(size), with_commas(offset),
                  with_commas(offset + size), std::to_string(b["first"].get<int64_t>()),
                  std::to_string(b["last"].get<int64_t>())});
  }
  plan.print(stdout, "  ");
  const int64_t used = alloc["arena_used_bytes"], planned = alloc["arena_planned_bytes"],
                persistent = alloc["arena_persistent_bytes"];
  print_timeline(alloc["memory_plan"], r["operators"], planned);

  const int64_t plain = alloc["arena_plain_bytes"];
  const json& prepared = alloc["prepared_constants"];
  printf("\nArena: mote needs %s bytes for this model (arena_used_bytes)\n", with_commas(used).c_str());
  if (prepared["ops"].get<int64_t>() > 0)
    printf("  as `mote export` deploys it: %s bytes of %lld ops' per-channel constants precomputed into the model's\n"
           "  \"mote\" metadata%s, read from flash; the plain .tflite needs %s bytes (arena_plain_bytes)\n",
           with_commas(prepared["bytes"].get<int64_t>()).c_str(), (long long)prepared["ops"].get<int64_t>(),
           prepared["in_file"].get<bool>() ? " (already in this file)" : " (`mote prepare` adds it to a .tflite)",
           with_commas(plain).c_str());
  else if (!prepared["error"].is_null())
    printf("  (no precomputed constants: %s)\n", prepared["error"].get<std::string>().c_str());
  printf("  %-50s %12s B\n", "planned (activations + scratch)", with_commas(planned).c_str());
  const int64_t bound = alloc["arena_planned_bound_bytes"];
  printf("  %-50s %12s B%s\n", "  lower bound (most bytes alive at any node)", with_commas(bound).c_str(),
         planned > bound ? "" : ", reached");
  printf("  %-50s %12s B\n", "persistent", with_commas(persistent).c_str());
  const json& parts = alloc["arena_persistent"];
  const std::pair<const char*, const char*> part_names[] = {
      {"records", "tensor, node and scratch records"},
      {"op_data", "op data (each op's prepared parameters)"},
      {"constants", "per-channel constants and tables in RAM"},
      {"state", "state (variable tensors)"}};
  for (const auto& [key, label] : part_names)
    if (parts[key].get<int64_t>() > 0)
      printf("    %-48s %12s B\n", label, with_commas(parts[key].get<int64_t>()).c_str());
  // The arena is rounded up to 16 bytes; more than that is the planner's
  // work space outgrowing the activations (when it does not fit in the state).
  if (used >= planned + persistent + 16)
    printf("  %-50s %12s B\n", "planned section incl. allocate() work space", with_commas(used - persistent).c_str());
  printf("  on the device: alignas(16) static uint8_t tensor_arena[%lld];\n", (long long)used);
  print_patch_stage(alloc["patch_stage"]);
  print_savings(alloc["savings"]);
  print_esp32s3(r["esp32s3"]);
}

// What allocate() gives for one model: the figures and plan inspect reports.
struct ArenaFigures {
  size_t used = 0, planned = 0, planned_bound = 0, persistent = 0;
  json persistent_parts, memory_plan, patch_stage;
};

ArenaFigures arena_figures(const Interpreter& interp, const json& operators) {
  ArenaFigures f;
  f.used = interp.arena_used_bytes();
  f.planned = interp.arena_planned_bytes();
  f.planned_bound = interp.arena_planned_bound_bytes();
  f.persistent = interp.arena_persistent_bytes();
  const PersistentBytes& parts = interp.arena_persistent_breakdown();
  f.persistent_parts = {{"records", parts.records},
                        {"op_data", parts.op_data},
                        {"constants", parts.constants},
                        {"state", parts.state}};
  f.memory_plan = memory_plan_json(interp);
  f.patch_stage = patch_stage_json(interp, operators);
  return f;
}

ArenaFigures allocated_figures(const uint8_t* model, size_t size, const PatchOptions& patch, const json& operators,
                               const MemoryOptions& memory = {}) {
  AlignedBuffer aligned = tools::aligned_buffer(size);
  memcpy(aligned.get(), model, size);
  HostInterpreter host(aligned.get(), size);
  if (!ok(host.allocate(patch, memory))) throw UserError(host.error_message());
  return arena_figures(host.interpreter(), operators);
}
ArenaFigures allocated_figures(const std::vector<uint8_t>& model, const PatchOptions& patch, const json& operators) {
  return allocated_figures(model.data(), model.size(), patch, operators);
}

json saving_json(const char* name, const char* description, size_t without, size_t used) {
  json s;
  s["name"] = name;
  s["description"] = description;
  s["arena_without_bytes"] = without;
  s["saved_bytes"] = without > used ? int64_t(without - used) : 0;
  return s;
}

// What each way of sharing or moving bytes saves: the deployed model
// allocated again with that one turned off, the others kept. Savings are
// not additive (a patch stage may make an overlap unnecessary).
json savings_json(const uint8_t* model, size_t size, const PatchOptions& patch, const ArenaFigures& deployed,
                  size_t plain, const json& operators) {
  const size_t used = deployed.used;
  json savings = json::array();
  savings.push_back(saving_json("prepared_constants", "per-channel constants read from flash (\"mote\" metadata)",
                                plain, used));
  MemoryOptions no_overlaps;
  no_overlaps.overlaps = false;
  savings.push_back(saving_json("overlaps", "outputs written over inputs that die (in place, streaming windows)",
                                allocated_figures(model, size, patch, operators, no_overlaps).used, used));
  MemoryOptions no_sharing;
  no_sharing.shared_buffers = false;
  savings.push_back(saving_json("shared_buffers", "RESHAPE/SQUEEZE/EXPAND_DIMS outputs sharing their input's bytes",
                                allocated_figures(model, size, patch, operators, no_sharing).used, used));
  const size_t without_stage =
      deployed.patch_stage.is_null() ? used : size_t(deployed.patch_stage["arena_used_bytes_without"].get<int64_t>());
  savings.push_back(saving_json("patch_stage", "first layers run strip by strip (patch stage)", without_stage, used));
  return savings;
}

// The arena of the model as `mote export` deploys it (with its "mote"
// metadata, tools/prepared_constants_writer.h), with the same patch options,
// and of the plain .tflite.
struct DeploymentArena {
  ArenaFigures deployed;   // with the metadata
  size_t plain = 0;        // without it
  size_t model_bytes = 0;  // of the .tflite with the metadata
  json prepared;           // what the metadata holds, or why there is none
  json savings;            // savings_json() of the deployed model
};

DeploymentArena deployment_arena(const ModelFile& file, const Interpreter& as_given, const PatchOptions& patch,
                                 const json& operators) {
  DeploymentArena a;
  a.deployed = arena_figures(as_given, operators);
  a.plain = as_given.arena_used_bytes();
  a.model_bytes = file.size;
  a.prepared["in_file"] = tools::has_prepared_constants(file.data.get(), file.size);
  try {
    const tools::PreparedModel prepared = tools::add_prepared_constants(file.data.get(), file.size);
    a.deployed = allocated_figures(prepared.bytes, patch, operators);
    a.model_bytes = prepared.bytes.size();
    a.plain = allocated_figures(tools::remove_prepared_constants(file.data.get(), file.size), patch, operators).used;
    a.prepared["ops"] = prepared.nodes_with_constants;
    a.prepared["bytes"] = prepared.constant_bytes;
    a.prepared["error"] = nullptr;
    a.savings = savings_json(prepared.bytes.data(), prepared.bytes.size(), patch, a.deployed, a.plain, operators);
  } catch (const UserError& e) {
    a.prepared["ops"] = 0;
    a.prepared["bytes"] = 0;
    a.prepared["error"] = e.what();
    a.savings = savings_json(file.data.get(), file.size, patch, a.deployed, a.plain, operators);
  }
  return a;
}

}  // namespace

PatchOptions parse_patch_option(const std::string& text) {
  PatchOptions p;
  if (text == "auto") return p;
  if (text == "off") {
    p.mode = PatchMode::kOff;
    return p;
  }
  char* end = nullptr;
  const long rows = text.empty() ? 0 : strtol(text.c_str(), &end, 10);
  if (text.empty() || end != text.c_str() + text.size() || rows <= 0 || rows > INT32_MAX)
    throw UserError("--patch must be off, auto or a number of output rows per strip; got '" + text + "'",
                    "e.g. --patch auto (the stage and strip height that give the smallest arena) or --patch 4");
  p.mode = PatchMode::kRows;
  p.rows = int32_t(rows);
  return p;
}

json inspect_report(const std::string& model_path, bool* allocated, const PatchOptions& patch) {
  std::unique_ptr<ModelFile> file = load_model_file(model_path);
  const Model& m = file->model;
  HostInterpreter host(file->data.get(), file->size);

  json r;
  r["model"] = model_json(*file);
  r["inputs"] = json::array();
  for (uint32_t i = 0; i < m.num_inputs(); ++i) r["inputs"].push_back(io_json(m, i, m.input(i)));
  r["outputs"] = json::array();
  for (uint32_t i = 0; i < m.num_outputs(); ++i) r["outputs"].push_back(io_json(m, i, m.output(i)));
  r["operators"] = operators_json(m);
  r["total_macs"] = tools::total_macs(m);
  r["weight_bytes"] = tools::weight_bytes(m);
  r["weight_tensors"] = tools::weight_tensor_count(m);
  r["required_ops"] = required_ops_json(m, host.resolver());
  r["tensors"] = tensors_json(m);

  json alloc;
  const bool ok_alloc = ok(host.allocate(patch));
  alloc["ok"] = ok_alloc;
  size_t deployed_model_bytes = file->size;
  if (ok_alloc) {
    const Interpreter& interp = host.interpreter();
    const DeploymentArena arena = deployment_arena(*file, interp, patch, r["operators"]);
    deployed_model_bytes = arena.model_bytes;
    alloc["error"] = nullptr;
    alloc["hint"] = nullptr;
    alloc["arena_used_bytes"] = arena.deployed.used;
    alloc["arena_planned_bytes"] = arena.deployed.planned;
    alloc["arena_planned_bound_bytes"] = arena.deployed.planned_bound;
    alloc["arena_persistent_bytes"] = arena.deployed.persistent;
    alloc["arena_persistent"] = arena.deployed.persistent_parts;
    alloc["arena_plain_bytes"] = arena.plain;
    alloc["prepared_constants"] = arena.prepared;
    alloc["memory_plan"] = arena.deployed.memory_plan;
    alloc["patch_stage"] = arena.deployed.patch_stage;
    alloc["savings"] = arena.savings;
  } else {
    const std::string error = host.error_message();
    alloc["error"] = error;
    alloc["hint"] = allocate_hint(error);
    alloc["arena_used_bytes"] = nullptr;
    alloc["arena_planned_bytes"] = nullptr;
    alloc["arena_planned_bound_bytes"] = nullptr;
    alloc["arena_persistent_bytes"] = nullptr;
    alloc["arena_persistent"] = nullptr;
    alloc["arena_plain_bytes"] = nullptr;
    alloc["prepared_constants"] = nullptr;
    alloc["memory_plan"] = json::array();
    alloc["patch_stage"] = nullptr;
    alloc["savings"] = nullptr;
  }
  r["allocation"] = alloc;
  r["esp32s3"] = esp32s3_json(deployed_model_bytes, ok_alloc ? alloc["arena_used_bytes"].get<int64_t>() : -1);
  if (allocated != nullptr) *allocated = ok_alloc;
  return r;
}

CLI::App* add_inspect_command(CLI::App& app, InspectOptions& options) {
  CLI::App* cmd = app.add_subcommand("inspect", "Show a model's inputs, operators, cost, tensors and arena size");
  cmd->add_option("MODEL", options.model_path, "The .tflite model file")->required()->type_name("");
  cmd->add_flag("--json", options.json, "Print one JSON document instead of tables (stable keys, for scripts)");
  cmd->add_option("--patch", options.patch,
                  "Run the first stage of window ops patch by patch: auto (default: the stage and strip height "
                  "that give the smallest arena, when smaller), off, or N output rows per strip")
      ->type_name("off|auto|N");
  cmd->footer(
      "What it prints:\n"
      "  - model summary: size, description, schema version, total MACs, weight bytes\n"
      "  - inputs and outputs: type, shape, bytes, quantization (scale s, zero point zp)\n"
      "  - operators in execution order with version, tensor indices, output shapes, attributes\n"
      "    (kernel, stride, padding, dilation, fused activation, ...), MACs and weight bytes\n"
      "  - the ops the model needs, whether mote has them, and the resolver.add() line for each\n"
      "  - every tensor (constant = weights in flash, activation = arena, variable = state)\n"
      "  - the memory plan and a picture of arena use per node\n"
      "  - the exact arena size to declare on the device, for the model as `mote export` deploys it\n"
      "    (per-channel constants precomputed into its \"mote\" metadata, see `mote prepare`) and\n"
      "    for the plain .tflite (allocation.arena_plain_bytes)\n"
      "  - what keeps the arena small: the arena with each of precomputed constants, overlapping\n"
      "    outputs over dying inputs, shared reshape buffers and the patch stage turned off\n"
      "    (allocation.savings)\n"
      "  - where it goes on an ESP32-S3: arena in internal SRAM or PSRAM, flash size needed\n"
      "\n"
      "If the model can't be allocated (e.g. it uses an op mote lacks), everything\n"
      "else is still printed, then the error; the exit status is then 1.\n"
      "\n"
      "Examples:\n"
      "  mote inspect person_detect.tflite\n"
      "  mote inspect model.tflite --json > model.json\n"
      "  mote inspect model.tflite --json | jq .allocation.arena_used_bytes\n"
      "\n"
      "Exit status: 0 ok, 1 model or allocation error, 2 bad command line.");
  return cmd;
}

int run_inspect(const InspectOptions& options) {
  bool allocated = false;
  const json report = inspect_report(options.model_path, &allocated, parse_patch_option(options.patch));
  if (options.json) {
    printf("%s\n", report.dump(2, ' ', false, json::error_handler_t::replace).c_str());
  } else {
    print_text(report);
  }
  fflush(stdout);
  if (!allocated) {
    const json& alloc = report["allocation"];
    print_error("cannot allocate '" + options.model_path + "': " + alloc["error"].get<std::string>(),
                alloc["hint"].get<std::string>());
    return kExitError;
  }
  return kExitOk;
}

}  // namespace cli
}  // namespace mote
