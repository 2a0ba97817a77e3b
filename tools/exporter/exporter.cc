#include "tools/exporter/exporter.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

#include <filesystem>
#include <map>
#include <set>

#include "tools/common/file_reading.h"
#include "tools/common/host_interpreter.h"
#include "tools/common/text_table.h"
#include "tools/exporter/build_files.h"
#include "tools/exporter/export_context.h"
#include "tools/exporter/model_api.h"
#include "tools/exporter/model_data.h"
#include "tools/exporter/project_readme.h"
#include "tools/exporter/runtime_copy.h"
#include "tools/exporter/sample_data.h"
#include "tools/exporter/sdkconfig_overrides.h"
#include "tools/exporter/templates.h"
#include "tools/prepared_constants_writer.h"

namespace mote {
namespace exporter {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using tools::with_commas;

std::string read_model_file(const std::string& path) {
  std::string bytes;
  if (tools::read_whole_file(path, &bytes) != tools::FileRead::kOk)
    throw tools::UserError("cannot read '" + path + "': " + strerror(errno), "check the path of the model file");
  return bytes;
}

const std::set<std::string>& reserved_identifiers() {
  static const std::set<std::string> words = {
      "alignas", "alignof", "and", "asm", "auto", "bool", "break", "case", "catch", "char", "class", "const",
      "constexpr", "continue", "default", "delete", "do", "double", "else", "enum", "explicit", "export", "extern",
      "false", "float", "for", "friend", "goto", "if", "inline", "int", "long", "mutable", "namespace", "new",
      "noexcept", "not", "nullptr", "operator", "or", "private", "protected", "public", "register", "return",
      "short", "signed", "sizeof", "static", "struct", "switch", "template", "this", "throw", "true", "try",
      "typedef", "typeid", "typename", "union", "unsigned", "using", "virtual", "void", "volatile", "while",
      "xor", "main", "mote", "std", "model", "app_main", "setup", "loop"};
  return words;
}

std::string placement_reason(const ExportOptions& o, size_t arena, bool* in_psram, std::vector<std::string>* warnings) {
  const std::string arena_text = with_commas(int64_t(arena)) + " B";
  const std::string budget_text = with_commas(int64_t(o.internal_budget)) + " B";
  switch (o.arena) {
    case ArenaPlacement::kInternal:
      *in_psram = false;
      if (arena > kEsp32S3UsableDramBytes)
        warnings->push_back("the arena (" + arena_text + ") is larger than the ~" +
                            with_commas(int64_t(kEsp32S3UsableDramBytes)) +
                            " B of DRAM an ESP32-S3 app has: the link will likely fail with \"region `dram0_0_seg' "
                            "overflowed\"; use --arena psram");
      return "--arena internal";
    case ArenaPlacement::kPsram:
      *in_psram = true;
      return "--arena psram";
    case ArenaPlacement::kAuto:
      break;
  }
  *in_psram = arena > o.internal_budget;
  const std::string budget_why = "the internal budget (" + budget_text +
                                 (o.internal_budget == kEsp32S3InternalArenaBudget
                                      ? ": ~300 KiB of DRAM free in an ESP32-S3 app minus 100 KiB for stacks, heap "
                                        "and Wi-Fi/Bluetooth"
                                      : ", --internal-budget") +
                                 ")";
  if (!*in_psram) return "--arena auto: " + arena_text + " fit " + budget_why;
  return "--arena auto: " + arena_text + " exceed " + budget_why +
         "; the runtime takes one arena, so all of it goes to PSRAM";
}

}  // namespace

const char* format_name(Format format) {
  switch (format) {
    case Format::kEspIdf: return "idf";
    case Format::kPlatformIo: return "platformio";
    case Format::kArduino: return "arduino";
  }
  return "?";
}

bool valid_project_name(const std::string& name) {
  if (name.empty() || name.size() > 63 || !isalnum(static_cast<unsigned char>(name[0])) || name.back() == '.')
    return false;
  for (unsigned char c : name) {
    if (!isalnum(c) && c != '_' && c != '-' && c != '.') return false;
  }
  return true;
}

std::string identifier_from_name(const std::string& name) {
  std::string id;
  for (unsigned char c : name) id += isalnum(c) ? char(tolower(c)) : '_';
  if (id.empty() || isdigit(static_cast<unsigned char>(id[0]))) id = "m_" + id;
  if (reserved_identifiers().count(id)) id += "_model";
  return id;
}

ExportResult export_project(const ExportOptions& options) {
  if (options.target != "esp32s3")
    throw tools::UserError("unknown target '" + options.target + "'", "the supported target is esp32s3");
  if (options.out_dir.empty()) throw tools::UserError("no output folder", "give one with --out DIR");
  const Layout layout = layout_for(options);
  if (options.embed == Embed::kFile && layout.arduino_sketch)
    throw tools::UserError("--embed file needs a build system that embeds files; the Arduino IDE has none",
                           "use --embed array (the default) for Arduino sketches");

  std::error_code ec;
  fs::path out_abs = fs::absolute(options.out_dir).lexically_normal();
  if (out_abs.filename().empty()) out_abs = out_abs.parent_path();  // "--out dir/"
  const fs::path canonical = fs::weakly_canonical(out_abs, ec);
  if (!ec) out_abs = canonical;
  if (fs::exists(out_abs, ec) && !fs::is_directory(out_abs, ec))
    throw tools::UserError("'" + options.out_dir + "' exists and is not a folder");
  const std::string folder_name = out_abs.filename().string();
  std::string name = options.name.empty() ? folder_name : options.name;
  if (!valid_project_name(name))
    throw tools::UserError("'" + name + "' is not a usable project name",
                           std::string(options.name.empty() ? "it comes from the --out folder; " : "") +
                               "use --name with letters, digits, '_', '-' or '.', starting with a letter or digit, "
                               "at most 63 characters");
  if (layout.arduino_sketch && name != folder_name)
    throw tools::UserError(
        "an Arduino sketch must live in a folder named like the sketch: '" + name + "' vs '" + folder_name + "'",
        "use --out .../" + name + " (or leave out --name)");

  // The model, with its "mote" metadata unless told otherwise, 16-byte
  // aligned like the device will see it.
  const std::string file_bytes = read_model_file(options.model_path);
  const auto* file_data = reinterpret_cast<const uint8_t*>(file_bytes.data());
  const std::vector<uint8_t> model_bytes =
      options.prepared_constants ? tools::add_prepared_constants(file_data, file_bytes.size()).bytes
                                 : tools::remove_prepared_constants(file_data, file_bytes.size());
  const std::string bytes(model_bytes.begin(), model_bytes.end());
  tools::AlignedBuffer aligned = tools::aligned_buffer(bytes.size());
  memcpy(aligned.get(), bytes.data(), bytes.size());
  const ModelAnalysis model = analyze_model(aligned.get(), bytes.size());

  ExportResult result;
  result.name = name;
  result.identifier = identifier_from_name(name);
  result.out_dir = options.out_dir;
  result.app_dir = layout.app_dir;
  result.model = model;

  Context c{options, layout, model, name, result.identifier, fs::path(options.model_path).filename().string(),
            false, std::string(), {}, bytes};
  c.arena_reason = placement_reason(options, model.arena_bytes, &c.arena_in_psram, &result.warnings);
  result.arena_in_psram = c.arena_in_psram;
  result.arena_reason = c.arena_reason;

  c.samples = checked_samples(options.samples, model);
  const FlashPlan flash = plan_flash(c);
  ProjectWriter writer(out_abs.string());
  const std::string& e = layout.ext;
  TemplateVars vars = {{"name", name},
                       {"ns", c.ns},
                       {"ext", e},
                       {"arena_in_psram", c.arena_in_psram ? "1" : "0"},
                       {"file", "model.tflite"}};

  // The application sources.
  std::map<std::string, std::string> app;
  app["model.h"] = model_header(c);
  app["model_ops" + e] = model_ops(c);
  app["model_sample" + e] = model_sample(c);
  app["model_runner.h"] = render(templates::kRunnerHeader, vars);
  app["model_runner" + e] = render(templates::kRunnerSource, vars);
  app["mote_platform.h"] = render(templates::kPlatformHeader, vars);
  if (options.embed == Embed::kArray) {
    app["model_data" + e] = model_data_array(c);
  } else {
    app["model_data" + e] = model_data_embedded(c);
    app["model_embed.S"] = render(templates::kModelEmbedAsm, vars);
    app["model.tflite"] = bytes;
  }
  if (layout.esp_idf_build) {
    app["mote_platform_esp_idf.cc"] = render(templates::kPlatformEspIdf, vars);
    app["main" + e] = render(templates::kMainEspIdf, vars);
    app["CMakeLists.txt"] = idf_main_cmake(c);
  } else {
    app["mote_platform_arduino.cpp"] = render(templates::kPlatformArduino, vars);
    if (!layout.arduino_sketch)
      app["main.cpp"] = render(templates::kMainArduino, vars) + templates::kArduinoSetupAndLoop;
  }

  std::vector<RuntimeFile> runtime = runtime_copy(layout);
  if (layout.arduino_sketch) {
    // No include path in a sketch: the generated sources include the runtime
    // by relative path, or as an installed library once it has been moved.
    include_runtime_from_sketch(layout, runtime, &app);
    writer.add(name + ".ino", render(templates::kSketchArduino, vars) + templates::kArduinoSetupAndLoop);
  }
  for (const auto& [file, text] : app) writer.add(app_path(c, file), text);
  for (const RuntimeFile& f : runtime) writer.add(f.target, f.text);

  // Project files.
  if (layout.esp_idf_build) {
    writer.add("CMakeLists.txt",
               idf_project_cmake(c, layout.format == Format::kEspIdf
                                        ? "ESP-IDF project generated by `mote export` for the ESP32-S3.\n"
                                          "#   idf.py set-target esp32s3 && idf.py build flash monitor"
                                        : "the ESP-IDF project PlatformIO builds (generated by `mote export`)."));
    const std::string defaults = sdkconfig_defaults(c, flash);
    writer.add("sdkconfig.defaults", defaults);
    const bool platformio = layout.format == Format::kPlatformIo;
    const std::vector<std::string> configs =
        platformio ? std::vector<std::string>{"sdkconfig", "sdkconfig." + std::string(kPlatformIoEnv)}
                   : std::vector<std::string>{"sdkconfig"};
    for (const std::string& w : sdkconfig_overrides(out_abs.string(), configs, defaults,
                                                    platformio ? "pio run -t menuconfig" : "idf.py menuconfig"))
      result.warnings.push_back(w);
  }
  if (layout.format == Format::kPlatformIo) writer.add("platformio.ini", platformio_ini(c, flash));
  if (flash.custom_partitions) writer.add("partitions.csv", partitions_csv(flash));
  writer.add("README.md", readme(c, flash));

  std::vector<std::string> sample_files;
  for (const InputSample& s : options.samples) sample_files.push_back(s.file);
  json info;
  info["generator"] = "mote export " + options.mote_version;
  info["note"] =
      "SHA-256 of every file as mote export last wrote it: a re-export replaces a file only while it still has "
      "this hash, so files you edited are kept (the new version goes to <file>.mote-new)";
  info["model"] = {{"file", c.model_file}, {"bytes", model.model_bytes}, {"sha256", model.sha256}};
  info["options"] = {{"target", options.target},
                     {"format", format_name(options.format)},
                     {"framework", layout.arduino_core ? "arduino" : "espidf"},
                     {"name", name},
                     {"arena", options.arena == ArenaPlacement::kAuto       ? "auto"
                               : options.arena == ArenaPlacement::kInternal ? "internal"
                                                                            : "psram"},
                     {"embed", options.embed == Embed::kArray ? "array" : "file"},
                     {"prepared_constants", options.prepared_constants},
                     {"samples", sample_files}};
  info["arena_bytes"] = model.arena_bytes;
  info["arena_placement"] = c.arena_in_psram ? "psram" : "internal";
  json ops = json::array();
  for (const ModelOp& op : model.ops) ops.push_back(op.name);
  info["ops"] = ops;
  result.files = writer.commit(info);

  switch (layout.format) {
    case Format::kEspIdf:
      result.next_steps = "cd " + options.out_dir + " && idf.py set-target esp32s3 && idf.py build flash monitor";
      break;
    case Format::kPlatformIo:
      result.next_steps = "cd " + options.out_dir + " && pio run -t upload -t monitor";
      break;
    case Format::kArduino:
      result.next_steps = "open " + options.out_dir + "/" + name +
                          ".ino in the Arduino IDE, board \"ESP32S3 Dev Module\", Upload, Serial Monitor at 115200";
      break;
  }
  return result;
}

}  // namespace exporter
}  // namespace mote
