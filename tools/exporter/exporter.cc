#include "tools/exporter/exporter.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <new>
#include <set>

#include "tools/common/file_reading.h"
#include "tools/common/shapes.h"
#include "tools/common/text_table.h"
#include "tools/exporter/runtime_bundle.h"
#include "tools/exporter/templates.h"
#include "tools/tensor_io.h"

namespace mote {
namespace exporter {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using tools::shape_text;
using tools::with_commas;

// Where each kind of project keeps things.
struct Layout {
  Format format;
  Framework framework;
  std::string app_dir;      // generated sources: "main" or "src"
  std::string ext;          // C++ source extension: ".cc" or ".cpp" (Arduino)
  std::string runtime_dir;  // the runtime copy: components/mote, lib/mote, src/mote
  bool esp_idf_build;       // built by ESP-IDF's CMake (idf.py, PlatformIO espidf)
  bool arduino_core;        // setup()/loop() on the Arduino core
  bool arduino_sketch;      // Arduino IDE sketch: runtime as an Arduino library layout, relative includes
};

Layout layout_for(const ExportOptions& o) {
  switch (o.format) {
    case Format::kEspIdf:
      return {o.format, Framework::kEspIdf, "main", ".cc", "components/mote", true, false, false};
    case Format::kPlatformIo:
      if (o.framework == Framework::kArduino)
        return {o.format, o.framework, "src", ".cpp", "lib/mote", false, true, false};
      return {o.format, o.framework, "src", ".cc", "components/mote", true, false, false};
    case Format::kArduino:
      return {o.format, Framework::kArduino, "src", ".cpp", "src/mote", false, true, true};
  }
  return {};
}

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string s;
  for (size_t i = 0; i < parts.size(); ++i) s += (i ? separator : "") + parts[i];
  return s;
}

// Text safe inside a // comment or a "string": printable ASCII only.
std::string printable(const std::string& s) {
  std::string out;
  for (unsigned char c : s) out += (c >= 32 && c < 127 && c != '\\' && c != '"') ? char(c) : '?';
  return out;
}

std::string float_text(double v) {
  char buf[32];
  snprintf(buf, sizeof(buf), "%.6g", v);
  return buf;
}

std::string tensor_line(size_t i, const ModelTensor& t) {
  std::string s = std::to_string(i) + " \"" + printable(t.name) + "\" " + dtype_name(t.type) + shape_text(t.shape) +
                  ", " + with_commas(t.bytes) + " bytes";
  if (t.per_channel)
    s += ", per-channel quantization";
  else if (t.quantized)
    s += ", scale " + float_text(t.scale) + ", zero point " + std::to_string(t.zero_point);
  return s;
}

std::string read_model_file(const std::string& path) {
  std::string bytes;
  if (tools::read_whole_file(path, &bytes) != tools::FileRead::kOk)
    throw tools::UserError("cannot read '" + path + "': " + strerror(errno), "check the path of the model file");
  return bytes;
}

// `name` as a C/C++ byte array, 16 bytes per line.
void append_byte_array(std::string& out, const std::string& array_name, const uint8_t* data, size_t size) {
  static const char kHex[] = "0123456789abcdef";
  out += "alignas(16) const uint8_t " + array_name + "[" + std::to_string(size == 0 ? 1 : size) + "] = {";
  out.reserve(out.size() + size * 6 + size / 16 * 5 + 16);
  for (size_t i = 0; i < size; ++i) {
    out += i % 16 == 0 ? "\n    " : " ";
    out += "0x";
    out += kHex[data[i] >> 4];
    out += kHex[data[i] & 15];
    out += ',';
  }
  out += "\n};\n";
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

// ------------------------------------------------------------ runtime copy

struct RuntimeFile {
  std::string source;  // path in runtime/
  std::string target;  // path in the project
  std::string text;
};

// Where an Arduino sketch keeps a runtime file: src/mote is an Arduino
// library (library.properties + src/), and its src/ has the include roots
// (mote/, kernels/, ops/) so `#include "mote/interpreter.h"` works once it
// is installed as a library. Build files of other systems are left out.
std::string arduino_target(const std::string& source, const std::string& root) {
  auto starts = [&](const char* prefix) { return source.compare(0, strlen(prefix), prefix) == 0; };
  std::string path;
  if (source == "library.properties") return root + "/library.properties";
  if (starts("include/")) {
    path = root + "/src/" + source.substr(strlen("include/"));
  } else if (starts("src/")) {
    path = root + "/src/core/" + source.substr(strlen("src/"));
  } else if (starts("ops/") || starts("kernels/")) {
    path = root + "/src/" + source;
  } else {
    return std::string();
  }
  if (path.size() > 3 && path.compare(path.size() - 3, 3, ".in") == 0) return std::string();
  // Arduino builds compile .cpp, not .cc.
  if (path.size() > 3 && path.compare(path.size() - 3, 3, ".cc") == 0) path = path.substr(0, path.size() - 3) + ".cpp";
  return path;
}

std::string generated_all_ops(const std::vector<std::string>& op_functions) {
  std::string s =
      "// register_all_ops(): every op of this runtime copy. Generated by `mote export`\n"
      "// (runtime/CMakeLists.txt generates the same file in CMake builds).\n"
      "#include \"mote/op_resolver.h\"\n#include \"mote/ops.h\"\n\nnamespace mote {\n\n"
      "Status register_all_ops(OpResolver& resolver) {\n";
  for (const std::string& f : op_functions) s += "  MOTE_RETURN_IF_ERROR(resolver.add(ops::" + f + "()));\n";
  return s + "  return Status::kOk;\n}\n\n}  // namespace mote\n";
}

// The ops a runtime copy defines: ops/<name>.cc containing
// `OpRegistration& <name>()`, as runtime/CMakeLists.txt finds them.
std::vector<std::string> bundled_op_functions() {
  size_t count = 0;
  const BundledFile* files = runtime_files(&count);
  std::vector<std::string> names;
  for (size_t i = 0; i < count; ++i) {
    const std::string path = files[i].path;
    if (path.compare(0, 4, "ops/") != 0 || path.find('/', 4) != std::string::npos) continue;
    if (path.size() < 7 || path.compare(path.size() - 3, 3, ".cc") != 0) continue;
    const std::string name = path.substr(4, path.size() - 7);
    if (std::string(files[i].text, files[i].size).find("OpRegistration& " + name + "()") != std::string::npos)
      names.push_back(name);
  }
  return names;
}

// Rewrites `#include "x"` lines to paths relative to the including file, for
// builds with no include path of ours (Arduino IDE sketches). `resolve` maps
// an include as written, seen from a file, to the project path it means.
template <typename Resolve>
std::string rewrite_includes(const std::string& text, const std::string& file_target, Resolve resolve) {
  std::string out;
  out.reserve(text.size() + 256);
  size_t pos = 0;
  const fs::path from_dir = fs::path(file_target).parent_path();
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    size_t k = line.find_first_not_of(" \t");
    if (k != std::string::npos && line[k] == '#') {
      size_t directive = line.find_first_not_of(" \t", k + 1);
      if (directive != std::string::npos && line.compare(directive, 7, "include") == 0) {
        const size_t open = line.find('"', directive + 7);
        const size_t close = open == std::string::npos ? open : line.find('"', open + 1);
        if (close != std::string::npos) {
          const std::string target = resolve(line.substr(open + 1, close - open - 1));
          if (!target.empty()) {
            const std::string relative = fs::path(target).lexically_relative(from_dir).generic_string();
            line = line.substr(0, open + 1) + relative + line.substr(close);
          }
        }
      }
    }
    out += line;
    if (end < text.size()) out += '\n';
    pos = end + 1;
  }
  return out;
}

std::vector<RuntimeFile> runtime_copy(const Layout& layout) {
  size_t count = 0;
  const BundledFile* files = runtime_files(&count);
  std::vector<RuntimeFile> copy;
  if (!layout.arduino_sketch) {
    for (size_t i = 0; i < count; ++i)
      copy.push_back({files[i].path, layout.runtime_dir + "/" + files[i].path, std::string(files[i].text, files[i].size)});
    return copy;
  }

  std::map<std::string, std::string> target_of;  // runtime path -> sketch path
  for (size_t i = 0; i < count; ++i) {
    const std::string target = arduino_target(files[i].path, layout.runtime_dir);
    if (!target.empty()) target_of[files[i].path] = target;
  }
  for (size_t i = 0; i < count; ++i) {
    const std::string source = files[i].path;
    const auto target = target_of.find(source);
    if (target == target_of.end()) continue;
    // The runtime's include search order: the file's folder, include/, runtime/.
    const std::string source_dir = fs::path(source).parent_path().generic_string();
    auto resolve = [&](const std::string& include) {
      for (const std::string& candidate :
           {(source_dir.empty() ? include : source_dir + "/" + include), "include/" + include, include}) {
        const auto hit = target_of.find(fs::path(candidate).lexically_normal().generic_string());
        if (hit != target_of.end()) return hit->second;
      }
      return std::string();
    };
    copy.push_back({source, target->second,
                    rewrite_includes(std::string(files[i].text, files[i].size), target->second, resolve)});
  }
  copy.push_back({"(generated)", layout.runtime_dir + "/src/core/all_ops.cpp", std::string()});
  const std::string all_ops_target = copy.back().target;
  auto resolve_public = [&](const std::string& include) {
    const auto hit = target_of.find("include/" + include);
    return hit == target_of.end() ? std::string() : hit->second;
  };
  copy.back().text = rewrite_includes(generated_all_ops(bundled_op_functions()), all_ops_target, resolve_public);
  return copy;
}

// ------------------------------------------------------------ generated sources

struct Context {
  const ExportOptions& options;
  const Layout& layout;
  const ModelAnalysis& model;
  std::string name;
  std::string ns;
  std::string model_file;  // the model's file name, for comments
  bool arena_in_psram;
  std::string arena_reason;
  std::vector<std::vector<uint8_t>> samples;
  const std::string& model_bytes;
};

std::string app_path(const Context& c, const std::string& file) { return c.layout.app_dir + "/" + file; }

std::string model_header(const Context& c) {
  const ModelAnalysis& m = c.model;
  std::vector<std::string> op_names;
  for (const ModelOp& op : m.ops) op_names.push_back(op.name);
  std::string s;
  s += "// " + c.name + ": the model API, generated by `mote export` from " + printable(c.model_file) + "\n";
  s += "// (" + with_commas(int64_t(m.model_bytes)) + " bytes, sha256 " + m.sha256 + ").\n";
  s += "// Re-run mote export after changing the model; do not edit the figures by hand.\n";
  s += "#pragma once\n\n#include <stddef.h>\n#include <stdint.h>\n\n#include \"mote/op_resolver.h\"\n\n";
  s += "namespace " + c.ns + " {\n\n";
  s += "// Bytes of tensor arena the model needs: Interpreter::arena_used_bytes() from\n";
  s += "// mote's memory planner on the host, the figure `mote inspect` prints. Arena\n";
  s += "// records hold no pointers, so the ESP32-S3 needs exactly this many.\n";
  s += "//   planned (activations + scratch):           " + with_commas(int64_t(m.arena_planned_bytes)) + "\n";
  s += "//   persistent (records, op data, state):      " + with_commas(int64_t(m.arena_persistent_bytes)) + "\n";
  s += "constexpr size_t kArenaBytes = " + std::to_string(m.arena_bytes) + ";\n\n";
  s += "// Arena placement chosen by mote export (model_runner" + c.layout.ext + ", MODEL_ARENA_IN_PSRAM):\n";
  s += "//   " + std::string(c.arena_in_psram ? "PSRAM" : "internal SRAM") + ": " + c.arena_reason + "\n\n";
  s += "// The .tflite flatbuffer, 16-byte aligned in flash (model_data" + c.layout.ext + ").\n";
  s += "const uint8_t* model_data();\nsize_t model_size();\n\n";
  s += "// Registers exactly the " + std::to_string(m.ops.size()) + " ops the model uses (model_ops" + c.layout.ext +
       "):\n//   " + join(op_names, ", ") + "\n";
  s += "mote::Status add_ops(mote::OpResolver& resolver);\n\n";
  s += "// The data given with `mote export --sample` for input i, or nullptr\n// (model_sample" + c.layout.ext +
       ").\n";
  s += "const uint8_t* sample_input(size_t i, size_t* bytes);\n\n";
  s += "// Inputs\n";
  for (size_t i = 0; i < m.inputs.size(); ++i) s += "//   " + tensor_line(i, m.inputs[i]) + "\n";
  s += "constexpr size_t kNumInputs = " + std::to_string(m.inputs.size()) + ";\n";
  s += "// Outputs\n";
  for (size_t i = 0; i < m.outputs.size(); ++i) s += "//   " + tensor_line(i, m.outputs[i]) + "\n";
  s += "constexpr size_t kNumOutputs = " + std::to_string(m.outputs.size()) + ";\n\n";
  s += "}  // namespace " + c.ns + "\n";
  return s;
}

std::string model_data_array(const Context& c) {
  std::string s;
  s += "// " + c.name + ": the model file " + printable(c.model_file) + " as a 16-byte aligned array\n";
  s += "// in flash (" + with_commas(int64_t(c.model.model_bytes)) + " bytes, sha256 " + c.model.sha256 +
       "). Generated by `mote export`.\n";
  s += "#include \"model.h\"\n\nnamespace " + c.ns + " {\nnamespace {\n\n";
  append_byte_array(s, "kModel", reinterpret_cast<const uint8_t*>(c.model_bytes.data()), c.model_bytes.size());
  s += "\n}  // namespace\n\n";
  s += "const uint8_t* model_data() { return kModel; }\n";
  s += "size_t model_size() { return " + std::to_string(c.model_bytes.size()) + "; }\n\n";
  s += "}  // namespace " + c.ns + "\n";
  return s;
}

std::string model_data_embedded(const Context& c) {
  std::string s;
  s += "// " + c.name + ": the model file model.tflite, embedded by model_embed.S\n";
  s += "// (" + with_commas(int64_t(c.model.model_bytes)) + " bytes, sha256 " + c.model.sha256 +
       "). Generated by `mote export`.\n";
  s += "#include \"model.h\"\n\n";
  s += "extern \"C\" const uint8_t " + c.ns + "_model_start[];\n";
  s += "extern \"C\" const uint8_t " + c.ns + "_model_end[];\n\n";
  s += "namespace " + c.ns + " {\n\n";
  s += "const uint8_t* model_data() { return " + c.ns + "_model_start; }\n";
  s += "size_t model_size() { return size_t(" + c.ns + "_model_end - " + c.ns + "_model_start); }\n\n";
  s += "}  // namespace " + c.ns + "\n";
  return s;
}

std::string model_ops(const Context& c) {
  std::string s;
  s += "// " + c.name + ": registers exactly the ops the model uses, so the linker\n";
  s += "// leaves every other kernel out. Generated by `mote export` from the\n";
  s += "// model's operators.\n";
  s += "#include \"model.h\"\n#include \"mote/ops.h\"\n\nnamespace " + c.ns + " {\n\n";
  s += "mote::Status add_ops(mote::OpResolver& resolver) {\n";
  for (const ModelOp& op : c.model.ops) {
    s += "  MOTE_RETURN_IF_ERROR(resolver.add(mote::ops::" + op.function + "()));  // " + op.name + ": " +
         std::to_string(op.nodes) + (op.nodes == 1 ? " node" : " nodes") + ", version <= " +
         std::to_string(op.max_version) + "\n";
  }
  s += "  return mote::Status::kOk;\n}\n\n}  // namespace " + c.ns + "\n";
  return s;
}

std::string model_sample(const Context& c) {
  std::string s;
  s += "// " + c.name + ": input data given with `mote export --sample`; model_runner\n";
  s += "// fills the inputs with it (inputs without a sample get zeros). Generated by\n// `mote export`.\n";
  s += "#include \"model.h\"\n\nnamespace " + c.ns + " {\n";
  if (c.samples.empty()) {
    s += "\nconst uint8_t* sample_input(size_t i, size_t* bytes) {\n  (void)i;\n  *bytes = 0;\n  return nullptr;\n}\n";
  } else {
    s += "namespace {\n\n";
    for (size_t i = 0; i < c.samples.size(); ++i) {
      s += "// input " + std::to_string(i) + " from " + printable(fs::path(c.options.samples[i]).filename().string()) +
           "\n";
      append_byte_array(s, "kSample" + std::to_string(i), c.samples[i].data(), c.samples[i].size());
      s += "\n";
    }
    s += "}  // namespace\n\nconst uint8_t* sample_input(size_t i, size_t* bytes) {\n  switch (i) {\n";
    for (size_t i = 0; i < c.samples.size(); ++i) {
      const std::string a = "kSample" + std::to_string(i);
      s += "    case " + std::to_string(i) + ":\n      *bytes = sizeof(" + a + ");\n      return " + a + ";\n";
    }
    s += "    default:\n      *bytes = 0;\n      return nullptr;\n  }\n}\n";
  }
  s += "\n}  // namespace " + c.ns + "\n";
  return s;
}

// The files of the app folder, in build order (the .S and .tflite last).
std::vector<std::string> app_sources(const Context& c) {
  const std::string& e = c.layout.ext;
  std::vector<std::string> files;
  if (c.layout.esp_idf_build) files.push_back("main" + e);
  if (c.layout.format == Format::kPlatformIo && c.layout.arduino_core) files.push_back("main.cpp");
  files.insert(files.end(), {"model_runner" + e, "model_data" + e, "model_ops" + e, "model_sample" + e});
  files.push_back(c.layout.esp_idf_build ? "mote_platform_esp_idf.cc" : "mote_platform_arduino.cpp");
  if (c.options.embed == Embed::kFile) files.push_back("model_embed.S");
  return files;
}

// --------------------------------------------------------------- flash, PSRAM, sdkconfig

// Rough flash size of the application without the model: ESP-IDF (or the
// Arduino core) plus the registered kernels.
constexpr size_t kAppWithoutModelBytes = 640 * 1024;
constexpr size_t kIdfLargeAppPartition = 0x180000;      // CONFIG_PARTITION_TABLE_SINGLE_APP_LARGE
constexpr size_t kArduinoDefaultAppPartition = 0x140000;  // "Default 4MB with spiffs"
constexpr size_t kFactoryOffset = 0x10000;

struct FlashPlan {
  bool custom_partitions = false;
  size_t app_partition = 0;
  int flash_mb = 4;
};

FlashPlan plan_flash(const Context& c) {
  FlashPlan plan;
  const size_t app = c.model.model_bytes + kAppWithoutModelBytes;
  const size_t limit = c.layout.arduino_core ? kArduinoDefaultAppPartition : kIdfLargeAppPartition;
  if (app <= limit) return plan;
  plan.custom_partitions = true;
  const size_t mb = size_t(1) << 20;
  plan.app_partition = (app + mb - 1) / mb * mb;
  for (int flash_mb : {4, 8, 16, 32}) {
    plan.flash_mb = flash_mb;
    if (kFactoryOffset + plan.app_partition <= size_t(flash_mb) * mb) break;
  }
  if (kFactoryOffset + plan.app_partition > size_t(32) * mb)
    throw tools::UserError("the model (" + with_commas(int64_t(c.model.model_bytes)) +
                           " bytes) does not fit the flash of any ESP32-S3 module");
  return plan;
}

std::string hex(size_t v) {
  char buf[32];
  snprintf(buf, sizeof(buf), "0x%zx", v);
  return buf;
}

std::string partitions_csv(const FlashPlan& plan) {
  return "# Partition table written by `mote export`: one app partition large enough for\n"
         "# the application and the model in flash.\n"
         "# Name,   Type, SubType, Offset,  Size\n"
         "nvs,      data, nvs,     0x9000,  0x6000,\n"
         "phy_init, data, phy,     0xf000,  0x1000,\n"
         "factory,  app,  factory, " + hex(kFactoryOffset) + ", " + hex(plan.app_partition) + ",\n";
}

std::string sdkconfig_defaults(const Context& c, const FlashPlan& plan) {
  std::string s;
  s += "# ESP-IDF settings for " + c.name + ", written by `mote export`. They seed sdkconfig when\n";
  s += "# there is none: after changing them, delete sdkconfig and build again.\n";
  s += "CONFIG_IDF_TARGET=\"esp32s3\"\n\n";
  s += "# 240 MHz (the default is 160 MHz)\nCONFIG_ESP_DEFAULT_CPU_FREQ_MHZ_240=y\n\n";
  s += "# -O2 for the whole application (the mote component also builds with -O2 on its\n";
  s += "# own, CONFIG_MOTE_OPTIMIZE_FOR_SPEED)\nCONFIG_COMPILER_OPTIMIZATION_PERF=y\n\n";
  s += "# Main task stack: the model runner prints floats and calls the interpreter\n";
  s += "CONFIG_ESP_MAIN_TASK_STACK_SIZE=8192\n\n";
  s += "# Flash: the model is in the application image\n";
  s += "CONFIG_ESPTOOLPY_FLASHSIZE_" + std::to_string(plan.flash_mb) + "MB=y\n";
  if (plan.custom_partitions) {
    s += "CONFIG_PARTITION_TABLE_CUSTOM=y\nCONFIG_PARTITION_TABLE_CUSTOM_FILENAME=\"partitions.csv\"\n\n";
  } else {
    s += "CONFIG_PARTITION_TABLE_SINGLE_APP_LARGE=y\n\n";
  }
  s += "# Tensor arena placement (menuconfig: Component config > mote): " + c.arena_reason + "\n";
  if (c.arena_in_psram) {
    s += "CONFIG_MOTE_ARENA_PSRAM=y\n\n";
    s += "# PSRAM. Octal on ESP32-S3 modules with 8 MB PSRAM (N8R8, N16R8), quad on 2 MB\n";
    s += "# ones (N8R2): export with --psram-mode quad for those.\n";
    s += "CONFIG_SPIRAM=y\n";
    s += c.options.psram_mode == PsramMode::kOctal ? "CONFIG_SPIRAM_MODE_OCT=y\n" : "CONFIG_SPIRAM_MODE_QUAD=y\n";
    s += "CONFIG_SPIRAM_SPEED_80M=y\n";
  } else {
    s += "CONFIG_MOTE_ARENA_INTERNAL=y\n";
  }
  return s;
}

std::string idf_main_cmake(const Context& c) {
  std::vector<std::string> quoted;
  for (const std::string& f : app_sources(c)) quoted.push_back("\"" + f + "\"");
  std::string s;
  s += "# " + c.name + ": the application component, generated by `mote export`.\n";
  s += "idf_component_register(SRCS " + join(quoted, " ") + "\n";
  s += "                       INCLUDE_DIRS \".\"\n";
  s += "                       REQUIRES mote esp_timer)\n";
  if (c.options.embed == Embed::kFile) {
    s += "# model_embed.S includes model.tflite with .incbin: rebuild when it changes.\n";
    s += "set_property(SOURCE model_embed.S APPEND PROPERTY OBJECT_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/model.tflite)\n";
  }
  return s;
}

std::string idf_project_cmake(const Context& c, const std::string& how) {
  return "# " + c.name + ": " + how + "\n"
         "cmake_minimum_required(VERSION 3.16)\n"
         "include($ENV{IDF_PATH}/tools/cmake/project.cmake)\n"
         "project(" + c.name + ")\n";
}

std::string platformio_ini(const Context& c, const FlashPlan& plan) {
  std::string s;
  const bool arduino = c.layout.arduino_core;
  s += "; " + c.name + ": PlatformIO project generated by `mote export` for the ESP32-S3\n";
  s += "; (framework " + std::string(arduino ? "arduino" : "espidf") + ").  pio run -t upload -t monitor\n";
  s += "[env:esp32-s3-devkitc-1]\nplatform = espressif32\nboard = esp32-s3-devkitc-1\n";
  s += std::string("framework = ") + (arduino ? "arduino" : "espidf") + "\n";
  s += "monitor_speed = 115200\n";
  if (plan.custom_partitions) {
    s += "board_build.partitions = partitions.csv\n";
    s += "board_upload.flash_size = " + std::to_string(plan.flash_mb) + "MB\n";
  }
  if (arduino) {
    std::vector<std::string> flags = {"-O2"};
    if (c.arena_in_psram) flags.push_back("-DBOARD_HAS_PSRAM");
    if (c.options.embed == Embed::kFile) flags.push_back("-Isrc");  // model_embed.S finds model.tflite there
    s += "; -O2 instead of the core's -Os\nbuild_unflags = -Os\nbuild_flags = " + join(flags, " ") + "\n";
    if (c.arena_in_psram) {
      s += "; PSRAM for the arena: octal on N8R8/N16R8 modules (qio_opi), quad on N8R2 (qio_qspi)\n";
      s += std::string("board_build.arduino.memory_type = ") +
           (c.options.psram_mode == PsramMode::kOctal ? "qio_opi" : "qio_qspi") + "\n";
    }
  } else {
    s += "; ESP-IDF settings (CPU 240 MHz, -O2, PSRAM, arena placement): sdkconfig.defaults\n";
  }
  return s;
}

std::string readme(const Context& c, const FlashPlan& plan) {
  const ModelAnalysis& m = c.model;
  const Layout& l = c.layout;
  std::vector<std::string> op_names;
  for (const ModelOp& op : m.ops) op_names.push_back(op.name);
  const std::string app = l.app_dir + "/";
  std::string s;
  s += "# " + c.name + "\n\n";
  s += "Runs `" + printable(c.model_file) + "` on an ESP32-S3 and prints its outputs, the latency of one invoke\n";
  s += "and the arena use, once a second. Generated by `mote export` (mote " + c.options.mote_version + ").\n\n";
  s += "| | |\n|---|---|\n";
  s += "| model | " + with_commas(int64_t(m.model_bytes)) + " bytes, " +
       (c.options.embed == Embed::kArray ? "a 16-byte aligned array in flash (`" + app + "model_data" + l.ext + "`)"
                                          : "`" + app + "model.tflite`, embedded 16-byte aligned by `" + app +
                                                "model_embed.S`") +
       " |\n";
  s += "| ops | " + join(op_names, ", ") + " (registered in `" + app + "model_ops" + l.ext + "`) |\n";
  s += "| arena | " + with_commas(int64_t(m.arena_bytes)) + " bytes (`" + c.ns + "::kArenaBytes` in `" + app +
       "model.h`), " + (c.arena_in_psram ? "PSRAM" : "internal SRAM") + ": " + c.arena_reason + " |\n";
  s += "| input | " + std::string(c.samples.empty() ? "zeros (the quantized value of 0.0)" : "the --sample data") +
       "; put your data in `fill_inputs()` in `" + app + "model_runner" + l.ext + "` |\n\n";

  s += "## Build, flash, watch\n\n";
  if (l.format == Format::kEspIdf) {
    s += "With ESP-IDF 5.x set up (`. $IDF_PATH/export.sh`):\n\n```sh\nidf.py set-target esp32s3\n"
         "idf.py build flash monitor        # add -p /dev/ttyUSB0 (or COM3) if needed\n```\n\n";
  } else if (l.format == Format::kPlatformIo) {
    s += "```sh\npio run -t upload -t monitor\n```\n\n";
  } else {
    s += "Open `" + c.name + ".ino` in the Arduino IDE (2.x) with the esp32 boards package (3.x) installed, then\n";
    s += "Tools > Board > esp32 > **ESP32S3 Dev Module**";
    if (c.arena_in_psram)
      s += std::string(", Tools > PSRAM > **") + (c.options.psram_mode == PsramMode::kOctal ? "OPI PSRAM" : "QSPI PSRAM") +
           "**";
    if (plan.custom_partitions) s += ", Tools > Flash Size > **" + std::to_string(plan.flash_mb) + "MB** (the sketch's `partitions.csv` sizes the app partition)";
    s += ", Upload, and open the Serial Monitor at 115200 baud. Or with arduino-cli:\n\n";
    std::vector<std::string> menu;
    if (c.arena_in_psram) menu.push_back(c.options.psram_mode == PsramMode::kOctal ? "PSRAM=opi" : "PSRAM=enabled");
    if (plan.custom_partitions) menu.push_back("FlashSize=" + std::to_string(plan.flash_mb) + "M");
    s += "```sh\narduino-cli compile --upload -p /dev/ttyUSB0 --fqbn esp32:esp32:esp32s3";
    if (!menu.empty()) s += ":" + join(menu, ",");
    s += " " + c.name + "\narduino-cli monitor -p /dev/ttyUSB0 -c baudrate=115200\n```\n\n";
  }

  s += "## Files\n\n| file | what |\n|---|---|\n";
  if (l.format == Format::kEspIdf) {
    s += "| `CMakeLists.txt` | the ESP-IDF project |\n";
    s += "| `sdkconfig.defaults` | 240 MHz, -O2, flash size, main task stack, arena placement, PSRAM |\n";
    s += "| `main/CMakeLists.txt` | the application component (requires `mote`, `esp_timer`) |\n";
    s += "| `main/main.cc` | `app_main()`: set up once, run every second |\n";
  } else if (l.format == Format::kPlatformIo) {
    s += "| `platformio.ini` | board `esp32-s3-devkitc-1`, framework `" + std::string(l.arduino_core ? "arduino" : "espidf") +
         "` |\n";
    if (l.esp_idf_build) {
      s += "| `CMakeLists.txt`, `src/CMakeLists.txt` | the ESP-IDF build PlatformIO drives |\n";
      s += "| `sdkconfig.defaults` | 240 MHz, -O2, flash size, main task stack, arena placement, PSRAM |\n";
      s += "| `src/main.cc` | `app_main()`: set up once, run every second |\n";
    } else {
      s += "| `src/main.cpp` | `setup()` and `loop()` |\n";
    }
  } else {
    s += "| `" + c.name + ".ino` | `setup()` and `loop()` |\n";
  }
  s += "| `" + app + "model_runner" + l.ext + "` | fills the inputs, invokes, prints outputs, latency and arena use: **your code goes here** |\n";
  s += "| `" + app + "model.h` | the model's API: `kArenaBytes`, `model_data()`, `add_ops()`, inputs and outputs |\n";
  s += "| `" + app + "model_data" + l.ext + "` | the model bytes |\n";
  s += "| `" + app + "model_ops" + l.ext + "` | the resolver: one `resolver.add(mote::ops::...())` per op the model uses |\n";
  s += "| `" + app + "model_sample" + l.ext + "` | the `--sample` input data (empty without it) |\n";
  s += "| `" + app + "mote_platform.h`, `" + app + (l.esp_idf_build ? "mote_platform_esp_idf.cc" : "mote_platform_arduino.cpp") +
       "` | the only board-specific code: clock, console, PSRAM allocation, delay |\n";
  if (plan.custom_partitions) s += "| `partitions.csv` | an app partition large enough for the model |\n";
  if (l.arduino_sketch) {
    s += "| `src/mote/` | the mote runtime as an Arduino library (move it to your libraries folder to share it) |\n";
  } else if (l.esp_idf_build) {
    s += "| `components/mote/` | the mote runtime as an ESP-IDF component (`Kconfig`: Component config > mote) |\n";
  } else {
    s += "| `lib/mote/` | the mote runtime as a PlatformIO library (`library.json`) |\n";
  }
  s += "| `.mote-export.json` | what mote export wrote (hashes), so a re-export keeps files you edited |\n\n";
  s += "Re-running the same `mote export` command refreshes the generated files. A file you edited is left\n";
  s += "alone and its new version is written next to it as `<file>.mote-new`; delete a file to get it regenerated.\n";
  return s;
}

// ---------------------------------------------------------------- options

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

  // The model, 16-byte aligned like the device will see it.
  const std::string bytes = read_model_file(options.model_path);
  std::unique_ptr<uint8_t[], void (*)(uint8_t*)> aligned(
      static_cast<uint8_t*>(::operator new[](bytes.size() + 1, std::align_val_t(16))),
      [](uint8_t* p) { ::operator delete[](p, std::align_val_t(16)); });
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

  if (options.samples.size() > model.inputs.size())
    throw tools::UserError(std::to_string(options.samples.size()) + " --sample files for a model with " +
                               std::to_string(model.inputs.size()) + " input(s)",
                           "give one --sample per input, in input order");
  for (size_t i = 0; i < options.samples.size(); ++i) {
    const ModelTensor& input = model.inputs[i];
    try {
      c.samples.push_back(tools::read_tensor_file(options.samples[i], input.type, input.shape));
    } catch (const std::exception& e) {
      throw tools::UserError(std::string("--sample for input ") + std::to_string(i) + ": " + e.what(),
                             "input " + std::to_string(i) + " is " + dtype_name(input.type) + shape_text(input.shape) +
                                 " (" + std::to_string(input.bytes) +
                                 " bytes): give a .npy of that dtype and shape or "
                                 "a raw .bin of exactly that size");
    }
  }

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
    if (!layout.arduino_sketch) app["main.cpp"] = render(templates::kMainArduino, vars);
  }

  std::vector<RuntimeFile> runtime = runtime_copy(layout);
  if (layout.arduino_sketch) {
    // No include path in a sketch: the generated sources include the runtime
    // by relative paths too.
    std::map<std::string, std::string> public_headers;
    for (const RuntimeFile& f : runtime) {
      if (f.source.compare(0, 8, "include/") == 0) public_headers[f.source.substr(8)] = f.target;
    }
    for (auto& [file, text] : app) {
      const std::string target = app_path(c, file);
      text = rewrite_includes(text, target, [&](const std::string& include) {
        const auto hit = public_headers.find(include);
        return hit == public_headers.end() ? std::string() : hit->second;
      });
    }
    writer.add(name + ".ino", render(templates::kSketchArduino, vars));
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
    writer.add("sdkconfig.defaults", sdkconfig_defaults(c, flash));
  }
  if (layout.format == Format::kPlatformIo) writer.add("platformio.ini", platformio_ini(c, flash));
  if (flash.custom_partitions) writer.add("partitions.csv", partitions_csv(flash));
  writer.add("README.md", readme(c, flash));

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
                     {"samples", options.samples}};
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
