// `mote export`: runs the built mote binary like a user and checks the
// projects it writes: ESP-IDF / PlatformIO / Arduino conventions, the arena
// constant against `mote inspect`, the resolver against the model's ops, the
// model bytes, re-export without losing edits, that the generated sources
// compile for Xtensa (xtensa-lx106-elf-g++ with the ESP-IDF / Arduino seam
// stubbed; for the ESP32-S3 with its PIE paths, clang-22 and the user's S3
// assembler), and that the generated runner, built for the host, prints what
// `mote run` prints.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli_harness.h"
#include "mote/model.h"
#include "mote/schema.h"
#include "op_harness.h"
#include "tools/exporter/sha256.h"
#include "tools/model_builder.h"
#include "tools/prepared_constants_writer.h"
#include "tools/tensor_io.h"

namespace fs = std::filesystem;
using mote::DType;
using mote::tools::ModelBuilder;
using mote::tools::Options;
using mote::tools::TensorSpec;
using nlohmann::json;
namespace schema = mote::schema;

namespace {

bool on_path(const std::string& program) {
  const char* path = getenv("PATH");
  if (path == nullptr) return false;
  std::string dirs = path;
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    const fs::path candidate = fs::path(dirs.substr(start, end - start)) / program;
    if (access(candidate.c_str(), X_OK) == 0) return true;
    start = end + 1;
  }
  return false;
}

// The checkout this test was built from (for device/stdcxx).
fs::path source_root() { return fs::path(__FILE__).parent_path().parent_path(); }

// --------------------------------------------------------------- test models

// Built with the model builder: int8 FULLY_CONNECTED [1,8] -> [1,4], then
// SOFTMAX (output scale 1/256, zero point -128 as TFLite requires).
std::vector<uint8_t> classifier_model() {
  ModelBuilder b;
  std::vector<int8_t> weights(32);
  for (size_t i = 0; i < weights.size(); ++i) weights[i] = int8_t(int(i * 7 % 23) - 11);
  const std::vector<int32_t> bias = {10, -20, 30, -40};
  int in = b.add_tensor({"features", DType::kInt8, {1, 8}, {0.05f}, {3}});
  int w = b.add_tensor(TensorSpec::constant<int8_t>("weights", DType::kInt8, {4, 8}, weights, {0.02f}, {0}));
  int bs = b.add_tensor(TensorSpec::constant<int32_t>("bias", DType::kInt32, {4}, bias, {0.001f}, {0}));
  int logits = b.add_tensor({"logits", DType::kInt8, {1, 4}, {0.1f}, {-5}});
  int probs = b.add_tensor({"probs", DType::kInt8, {1, 4}, {1.0f / 256}, {-128}});
  b.add_operator(schema::BuiltinOp::kFullyConnected, {in, w, bs}, {logits},
                 Options(schema::OptionsType::kFullyConnected)
                     .i8(schema::fully_connected_options::fused_activation_function, 0));
  b.add_operator(schema::BuiltinOp::kSoftmax, {logits}, {probs},
                 Options(schema::OptionsType::kSoftmax).f32(schema::softmax_options::beta, 1.0f));
  b.set_inputs({in});
  b.set_outputs({probs});
  return b.serialize();
}

// A float RELU_N1_TO_1: an op mote has no kernel for.
std::vector<uint8_t> unsupported_op_model() {
  ModelBuilder b;
  int in = b.add_tensor({"x", DType::kFloat32, {1, 4}});
  int out = b.add_tensor({"y", DType::kFloat32, {1, 4}});
  b.add_operator(schema::BuiltinOp::kReluN1To1, {in}, {out});
  b.set_inputs({in});
  b.set_outputs({out});
  return b.serialize();
}

// The registration functions a model needs, read from its operator codes:
// "CONV_2D" -> "conv_2d".
std::set<std::string> ops_of_model(const std::vector<uint8_t>& bytes) {
  std::vector<uint8_t> copy(bytes);  // vector storage is at least 16-byte aligned with glibc
  mote::Model model;
  char error[256];
  EXPECT_EQ(model.load(copy.data(), copy.size(), error, sizeof(error)), mote::Status::kOk) << error;
  std::set<std::string> ops;
  for (uint32_t i = 0; i < model.num_operators(); ++i) {
    std::string name = schema::builtin_op_name(model.op(i).builtin_code);
    for (char& c : name) c = char(tolower(static_cast<unsigned char>(c)));
    ops.insert(name);
  }
  return ops;
}

// ------------------------------------------------------------ generated files

int64_t arena_constant(const std::string& model_h) {
  std::smatch m;
  if (!std::regex_search(model_h, m, std::regex(R"(constexpr size_t kArenaBytes = (\d+);)"))) return -1;
  return std::stoll(m[1]);
}

std::set<std::string> registered_ops(const std::string& source) {
  std::set<std::string> ops;
  const std::regex add(R"(resolver\.add\(mote::ops::(\w+)\(\)\))");
  for (auto it = std::sregex_iterator(source.begin(), source.end(), add); it != std::sregex_iterator(); ++it)
    ops.insert((*it)[1]);
  return ops;
}

// The bytes of the `kModel` array in a generated model_data source.
std::vector<uint8_t> array_bytes(const std::string& source) {
  std::vector<uint8_t> bytes;
  const size_t open = source.find("kModel[");
  const size_t begin = source.find('{', open);
  const size_t end = source.find("};", begin);
  if (open == std::string::npos || begin == std::string::npos || end == std::string::npos) return bytes;
  const std::string body = source.substr(begin, end - begin);
  const std::regex byte(R"(0x([0-9a-f]{2}))");
  for (auto it = std::sregex_iterator(body.begin(), body.end(), byte); it != std::sregex_iterator(); ++it)
    bytes.push_back(uint8_t(std::stoi((*it)[1], nullptr, 16)));
  return bytes;
}

// Every file under `dir`, relative, '/' separated.
std::set<std::string> files_under(const fs::path& dir) {
  std::set<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) files.insert(fs::relative(e.path(), dir).generic_string());
  }
  return files;
}

// ------------------------------------------------------------ cross compiler

const char* const kXtensaGxx = "xtensa-lx106-elf-g++";
const char* const kXtensaGcc = "xtensa-lx106-elf-gcc";
const char* const kPicolibcSpecs = "/usr/lib/xtensa-lx106-elf/picolibc.specs";

// Minimal declarations of what the generated platform seam calls, standing in
// for ESP-IDF's and the Arduino core's headers. sdkconfig.h names the chip:
// the ESP32-S3, or the ESP32 (an Xtensa without PIE, for the lx106 compiler).
void write_seam_stubs(const fs::path& dir, bool esp32s3) {
  write_file(dir / "esp_timer.h",
             "#pragma once\n#include <stdint.h>\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n"
             "int64_t esp_timer_get_time(void);\n#ifdef __cplusplus\n}\n#endif\n");
  write_file(dir / "esp_heap_caps.h",
             "#pragma once\n#include <stddef.h>\n#include <stdint.h>\n#define MALLOC_CAP_8BIT (1 << 2)\n"
             "#define MALLOC_CAP_SPIRAM (1 << 10)\n#define MALLOC_CAP_INTERNAL (1 << 11)\n"
             "#ifdef __cplusplus\nextern \"C\" {\n#endif\n"
             "void* heap_caps_aligned_alloc(size_t alignment, size_t size, uint32_t caps);\n"
             "size_t heap_caps_get_free_size(uint32_t caps);\n#ifdef __cplusplus\n}\n#endif\n");
  write_file(dir / "freertos/FreeRTOS.h",
             "#pragma once\n#include <stdint.h>\ntypedef uint32_t TickType_t;\n"
             "#define pdMS_TO_TICKS(ms) ((TickType_t)(ms))\n");
  write_file(dir / "freertos/task.h",
             "#pragma once\n#include \"freertos/FreeRTOS.h\"\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n"
             "void vTaskDelay(TickType_t ticks);\n#ifdef __cplusplus\n}\n#endif\n");
  write_file(dir / "sdkconfig.h",
             esp32s3 ? "#pragma once\n#define CONFIG_IDF_TARGET_ESP32S3 1\n" : "#pragma once\n#define CONFIG_IDF_TARGET_ESP32 1\n");
  write_file(dir / "Arduino.h",
             "#pragma once\n#include <stddef.h>\n#include <stdint.h>\n"
             "class HardwareSerial {\n public:\n  void begin(unsigned long baud);\n  size_t print(const char* s);\n};\n"
             "extern HardwareSerial Serial;\nvoid delay(uint32_t ms);\nunsigned long micros(void);\n");
}

// Whether the Xtensa cross compiler is here; on CI it must be (scripts/install-deps.sh installs it).
bool have_cross_compiler(std::string* why) {
  if (on_path(kXtensaGxx) && fs::exists(kPicolibcSpecs)) return true;
  *why = std::string(kXtensaGxx) + " or " + kPicolibcSpecs +
         " not found (Debian: apt-get install gcc-xtensa-lx106 picolibc-xtensa-lx106-elf)";
  return false;
}

#define MOTE_REQUIRE_CROSS_COMPILER()                                              \
  do {                                                                             \
    std::string why_missing;                                                       \
    if (!have_cross_compiler(&why_missing)) MOTE_MISSING_DEPENDENCY(why_missing);  \
  } while (0)

// A host program the test runs (cmake, c++).
#define MOTE_REQUIRE_PROGRAM(program)                                                        \
  do {                                                                                       \
    if (!on_path(program)) MOTE_MISSING_DEPENDENCY(std::string(program) + " not on PATH");  \
  } while (0)

// The C++ standard flags each framework compiles with, after what the
// exported project changes: ESP-IDF 5 (and PlatformIO's espidf) uses
// -std=gnu++2b; the Arduino-ESP32 core 3.x (Arduino IDE) -std=gnu++2a;
// PlatformIO's espressif32 Arduino core -std=gnu++11 and -Os, which the
// exported platformio.ini must take out (build_unflags) and replace
// (build_flags) as PlatformIO would. Relative -I paths are the project's.
std::vector<std::string> framework_flags(const fs::path& project, const std::string& format) {
  if (format == "idf" || format == "platformio") return {"-std=gnu++2b"};
  if (format == "arduino" || format == "arduino-installed") return {"-std=gnu++2a"};
  std::vector<std::string> flags = {"-std=gnu++11", "-Os"};  // platformio-arduino
  const auto ini_list = [&](const std::string& key) {
    std::vector<std::string> words;
    std::ifstream in(project / "platformio.ini");
    for (std::string line; std::getline(in, line);) {
      if (line.rfind(key + " =", 0) != 0) continue;
      std::istringstream rest(line.substr(key.size() + 2));
      for (std::string w; rest >> w;) words.push_back(w);
    }
    return words;
  };
  for (const std::string& unflag : ini_list("build_unflags"))
    flags.erase(std::remove(flags.begin(), flags.end(), unflag), flags.end());
  for (std::string flag : ini_list("build_flags")) {
    if (flag.rfind("-I", 0) == 0 && flag.size() > 2 && flag[2] != '/') flag = "-I" + (project / flag.substr(2)).string();
    flags.push_back(flag);
  }
  return flags;
}

// A compiler the exported sources must build with: the Xtensa cross compiler
// (as ESP-IDF 5 sets it up), clang-22 for the ESP32-S3 (the PIE paths) or a
// host compiler (g++, clang++) for the warnings each of them finds.
enum class Target { kHost, kLx106, kEsp32s3 };
struct Compiler {
  std::string cxx;
  Target target = Target::kHost;
  bool xtensa() const { return target != Target::kHost; }
};
const Compiler kXtensa = {kXtensaGxx, Target::kLx106};

// The ESP32-S3: Debian's clang-22 with device/esp32s3/clang-esp32s3.cfg and
// the user's S3 assembler (MOTE_ESP32S3_BINUTILS, as for
// scripts/device-conformance.sh). None of it is a Debian package: without it
// the test skips, CI=true or not (CI has no S3 toolchain; docs/device.md).
Compiler esp32s3_compiler() {
  const char* binutils = getenv("MOTE_ESP32S3_BINUTILS");
  const std::string assembler = binutils ? std::string(binutils) + "/xtensa-esp32s3-elf-as" : std::string();
  return {"clang++-22 --config=" + (source_root() / "device/esp32s3/clang-esp32s3.cfg").string() +
              " -Wa,--mote-as=" + shell_quote(assembler),
          Target::kEsp32s3};
}
// Empty when the S3 compiler can run, else what is missing.
std::string esp32s3_missing() {
  const char* binutils = getenv("MOTE_ESP32S3_BINUTILS");
  if (binutils == nullptr || *binutils == '\0')
    return "MOTE_ESP32S3_BINUTILS is not set (a directory holding xtensa-esp32s3-elf-as)";
  if (!fs::exists(fs::path(binutils) / "xtensa-esp32s3-elf-as"))
    return std::string("no xtensa-esp32s3-elf-as in MOTE_ESP32S3_BINUTILS=") + binutils;
  if (!on_path("clang++-22")) return "clang++-22 is not on PATH";
  if (!fs::exists(kPicolibcSpecs)) return std::string(kPicolibcSpecs) + " not found (picolibc-xtensa-lx106-elf)";
  return std::string();
}

// Compiles every C++/assembly source of an exported project with `compiler`
// under ESP-IDF's default warning set (-Wall -Werror=all -Wextra, nothing
// turned off) and the framework's standard flags (framework_flags); a source
// fails when it does not compile or when the compiler warns. For Xtensa, also
// int32_t as `long` (ESP-IDF 5's Xtensa toolchains), so printf formats that
// only work with int32_t == int fail here too. Include paths as the project's
// build system sets them; the Arduino sketch gets none (its includes are
// relative). `with_runtime`: also the runtime copy (else only the generated
// sources). Returns the compiler messages of the failures (empty when all
// compiled cleanly).
std::string compile_project(const Compiler& compiler, const fs::path& project, const std::string& format,
                            bool with_runtime, const fs::path& scratch, int* compiled) {
  const fs::path stubs = scratch / "stubs";
  write_seam_stubs(stubs, compiler.target != Target::kLx106);
  std::vector<std::string> flags = framework_flags(project, format);
  for (const char* f : {"-O2", "-ffunction-sections", "-fdata-sections", "-Wall", "-Werror=all", "-Wextra",
                        "-DESP_PLATFORM"})
    flags.push_back(f);
  flags.push_back("-I" + stubs.string());
  // The Debian cross compiler ships no C++ library headers; device/stdcxx has
  // the few the runtime uses.
  const fs::path stdcxx = source_root() / "device" / "stdcxx";
  const bool have_cxx_library = !compiler.xtensa() || fs::exists(stdcxx);
  if (compiler.xtensa()) {
    for (const char* f : {"-U__INT32_TYPE__", "-D__INT32_TYPE__=long int", "-U__UINT32_TYPE__",
                          "-D__UINT32_TYPE__=long unsigned int"})
      flags.push_back(f);
    if (compiler.target == Target::kLx106) {
      flags.push_back("-mlongcalls");
      flags.push_back("--specs=" + std::string(kPicolibcSpecs));
    }
    if (fs::exists(stdcxx)) flags.push_back("-isystem" + stdcxx.string());
  }

  std::vector<fs::path> include_dirs;
  std::string app_dir = "main";
  if (format == "idf" || format == "platformio") {
    app_dir = format == "idf" ? "main" : "src";
    include_dirs = {project / app_dir, project / "components/mote/include", project / "components/mote"};
  } else if (format == "platformio-arduino") {
    app_dir = "src";
    include_dirs = {project / "src", project / "lib/mote/include", project / "lib/mote"};
    flags.push_back("-DARDUINO_ARCH_ESP32");
  } else if (format == "arduino-installed") {
    // A sketchbook: a sketch beside libraries/mote. Arduino's builder puts an
    // installed library's src/ on the include path of the sketch and the library.
    include_dirs = {project / "libraries/mote/src"};
    flags.push_back("-DARDUINO_ARCH_ESP32");
  } else {  // arduino sketch
    app_dir = "src";
    flags.push_back("-DARDUINO_ARCH_ESP32");
  }

  std::vector<fs::path> sources;
  for (const auto& e : fs::recursive_directory_iterator(project)) {
    const std::string ext = e.path().extension().string();
    if (!e.is_regular_file()) continue;
    if (ext == ".cc" || ext == ".cpp" || ext == ".ino" || (ext == ".S" && compiler.xtensa())) sources.push_back(e.path());
  }
  std::string failures;
  *compiled = 0;
  int index = 0;
  for (const fs::path& source : sources) {
    const bool runtime_file = contains(source.generic_string(), "/mote/src/") ||
                              contains(source.generic_string(), "/mote/ops/") ||
                              contains(source.generic_string(), "/mote/kernels/");
    if (runtime_file && (!with_runtime || !have_cxx_library)) continue;
    std::string cmd;
    if (source.extension() == ".S") {
      cmd = compiler.target == Target::kEsp32s3 ? compiler.cxx + " -x assembler-with-cpp"
                                                : std::string(kXtensaGcc) + " --specs=" + kPicolibcSpecs;
      cmd += " -c -I" + shell_quote((project / app_dir).string());
    } else {
      cmd = compiler.cxx + " -fno-exceptions -fno-rtti";
      if (runtime_file) cmd += " -ffp-contract=off";
      for (const std::string& f : flags) cmd += " " + shell_quote(f);
      for (const fs::path& d : include_dirs) cmd += " -I" + shell_quote(d.string());
      if (source.extension() == ".ino") cmd += " -x c++";
      cmd += " -c";
    }
    cmd += " " + shell_quote(source.string()) + " -o " + shell_quote((scratch / ("obj" + std::to_string(index++) + ".o")).string());
    const CommandResult r = run_command(cmd, scratch);
    if (r.exit_code != 0 || contains(r.err, "warning:")) {
      failures += fs::relative(source, project).generic_string() + " (" + compiler.cxx + "):\n" +
                  r.err.substr(0, 3000) + "\n";
    } else {
      ++*compiled;
    }
  }

  // The runtime as this build sees it selects the PIE paths exactly when the
  // target is the ESP32-S3 (MOTE_ESP32S3_PIE, mote/build_config.h).
  const fs::path runtime_include = format == "arduino" ? project / "src/mote/src"
                                   : format == "platformio-arduino" ? project / "lib/mote/include"
                                                                    : project / "components/mote/include";
  const bool pie_expected = compiler.target == Target::kEsp32s3;
  write_file(scratch / "pie_probe.cc",
             "#include \"mote/build_config.h\"\n"
             "#if defined(MOTE_ESP32S3_PIE) != " + std::string(pie_expected ? "1" : "0") + "\n"
             "#error \"MOTE_ESP32S3_PIE is " + (pie_expected ? "not " : "") + "defined\"\n#endif\n");
  std::string cmd = compiler.cxx;
  for (const std::string& f : flags) cmd += " " + shell_quote(f);
  for (const fs::path& d : include_dirs) cmd += " -I" + shell_quote(d.string());
  cmd += " -I" + shell_quote(runtime_include.string()) + " -c " + shell_quote((scratch / "pie_probe.cc").string()) +
         " -o " + shell_quote((scratch / "pie_probe.o").string());
  const CommandResult probe = run_command(cmd, scratch);
  if (probe.exit_code != 0)
    failures += "mote/build_config.h (" + compiler.cxx + "), PIE path " + (pie_expected ? "expected" : "not expected") +
                ":\n" + probe.err.substr(0, 3000) + "\n";
  return failures;
}

// ------------------------------------------------------------------ fixture

class ExportTest : public MoteCliTest {
 protected:
  ExportTest() { keep_dir_on_failure_ = true; }

  // `mote inspect --json`'s arena figure: as `mote export` deploys the model
  // (with its "mote" metadata), or for the plain .tflite.
  int64_t inspect_arena(const std::string& model, bool plain = false) {
    const CommandResult r = mote({"inspect", model, "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    if (r.exit_code != 0) return -2;
    return json::parse(r.out)["allocation"][plain ? "arena_plain_bytes" : "arena_used_bytes"].get<int64_t>();
  }

  // Exports and checks what every format shares: arena == inspect, resolver ==
  // the model's ops, the manifest's hashes, the model bytes.
  fs::path export_and_check(const std::string& model, const std::vector<std::string>& extra, const std::string& app_dir,
                            const std::string& ext, const std::string& out_name) {
    const fs::path out = dir_ / out_name;
    std::vector<std::string> args = {"export", model, "--target", "esp32s3", "--out", out.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    const CommandResult r = mote(args);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    if (r.exit_code != 0) return out;
    const fs::path app = out / app_dir;

    // The model as `mote prepare` writes it (--plain-model: without mote's
    // metadata), with the arena of `mote inspect` for that deployment.
    const bool plain = std::find(extra.begin(), extra.end(), "--plain-model") != extra.end();
    const std::string model_h = slurp(app / "model.h");
    EXPECT_EQ(arena_constant(model_h), inspect_arena(model, plain)) << "kArenaBytes in " << (app / "model.h");
    const std::vector<uint8_t> file_bytes = read_file(model);
    EXPECT_EQ(registered_ops(slurp(app / ("model_ops" + ext))), ops_of_model(file_bytes));
    if (!contains(slurp(app / ("model_data" + ext)), "model_embed.S")) {
      const std::vector<uint8_t> model_bytes =
          plain ? mote::tools::remove_prepared_constants(file_bytes.data(), file_bytes.size())
                : mote::tools::add_prepared_constants(file_bytes.data(), file_bytes.size()).bytes;
      EXPECT_TRUE(array_bytes(slurp(app / ("model_data" + ext))) == model_bytes)
          << "the model array differs from the model file";
      EXPECT_TRUE(contains(slurp(app / ("model_data" + ext)), "alignas(16) const uint8_t kModel["));
    }

    const json manifest = json::parse(slurp(out / ".mote-export.json"));
    std::set<std::string> listed;
    for (const auto& [path, hash] : manifest["files"].items()) {
      listed.insert(path);
      EXPECT_EQ(hash.get<std::string>(), mote::exporter::sha256_hex(slurp(out / path))) << path;
    }
    std::set<std::string> on_disk = files_under(out);
    on_disk.erase(".mote-export.json");
    EXPECT_EQ(listed, on_disk) << "the manifest must list exactly the generated files";
    EXPECT_EQ(manifest["arena_bytes"].get<int64_t>(), arena_constant(model_h));
    return out;
  }

  // The runtime copies of ESP-IDF and PlatformIO projects are the same files:
  // `with_runtime` compiles them once per kind of copy to keep the test short.
  void expect_compiles(const Compiler& compiler, const fs::path& project, const std::string& format,
                       int minimum_files, bool with_runtime) {
    const std::string compiler_name = compiler.target == Target::kEsp32s3 ? "esp32s3" : fs::path(compiler.cxx).filename().string();
    const fs::path scratch = dir_ / (compiler_name + "_" + project.filename().string());
    fs::create_directories(scratch);
    int compiled = 0;
    const std::string failures = compile_project(compiler, project, format, with_runtime, scratch, &compiled);
    EXPECT_TRUE(failures.empty()) << failures;
    const bool runtime_compiled = with_runtime && (!compiler.xtensa() || fs::exists(source_root() / "device" / "stdcxx"));
    EXPECT_GE(compiled, minimum_files + (runtime_compiled ? 40 : 0)) << "sources compiled with " << compiler.cxx;
    if (with_runtime && !runtime_compiled)
      fprintf(stderr, "note: %s not found: runtime sources not cross-compiled\n",
              (source_root() / "device" / "stdcxx").c_str());
  }
  void expect_cross_compiles(const fs::path& project, const std::string& format, int minimum_files,
                             bool with_runtime) {
    expect_compiles(kXtensa, project, format, minimum_files, with_runtime);
  }
};

// The tests that also run a compiler or cmake over what was exported: the
// "toolchain" tier (ctest -L toolchain; tests/CMakeLists.txt labels suites
// named *Toolchain).
class ExportToolchain : public ExportTest {};

std::string person_detect() { return shared_dir() + "/models/person_detect.tflite"; }

// Generated sources per app folder (model.h etc.), as each format names them.
void expect_app_files(const fs::path& app, const std::string& ext) {
  for (const std::string& f : {std::string("model.h"), "model_data" + ext, "model_ops" + ext, "model_sample" + ext,
                               "model_runner" + ext, std::string("model_runner.h"), std::string("mote_platform.h")})
    EXPECT_TRUE(fs::exists(app / f)) << (app / f);
}

// ------------------------------------------------------------------ tests

TEST(ExportSha256, KnownVectors) {
  using mote::exporter::sha256_hex;
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_F(ExportToolchain, PersonDetectEspIdfProject) {
  MOTE_REQUIRE_SHARED();
  const fs::path out = export_and_check(person_detect(), {"--format", "idf"}, "main", ".cc", "person_detect");
  ASSERT_FALSE(HasFailure());
  expect_app_files(out / "main", ".cc");

  // ESP-IDF project: top-level CMakeLists including project.cmake, the app in
  // main/ registered with idf_component_register, extra components in components/.
  const std::string top = slurp(out / "CMakeLists.txt");
  EXPECT_TRUE(contains(top, "include($ENV{IDF_PATH}/tools/cmake/project.cmake)")) << top;
  EXPECT_TRUE(contains(top, "project(person_detect)")) << top;
  const std::string main_cmake = slurp(out / "main/CMakeLists.txt");
  EXPECT_TRUE(contains(main_cmake, "idf_component_register(SRCS")) << main_cmake;
  EXPECT_TRUE(contains(main_cmake, "REQUIRES mote esp_timer")) << main_cmake;
  for (const char* f : {"main.cc", "model_runner.cc", "model_data.cc", "model_ops.cc", "mote_platform_esp_idf.cc"})
    EXPECT_TRUE(contains(main_cmake, std::string("\"") + f + "\"")) << f;
  EXPECT_TRUE(contains(slurp(out / "main/main.cc"), "extern \"C\" void app_main(void)"));
  EXPECT_TRUE(contains(slurp(out / "components/mote/CMakeLists.txt"), "idf_component_register("));
  EXPECT_TRUE(fs::exists(out / "components/mote/Kconfig"));
  EXPECT_TRUE(fs::exists(out / "components/mote/idf_component.yml"));
  EXPECT_TRUE(fs::exists(out / "components/mote/include/mote/interpreter.h"));
  EXPECT_TRUE(fs::exists(out / "components/mote/ops/conv_2d.cc"));

  const std::string sdkconfig = slurp(out / "sdkconfig.defaults");
  for (const char* line : {"CONFIG_IDF_TARGET=\"esp32s3\"", "CONFIG_ESP_DEFAULT_CPU_FREQ_MHZ_240=y",
                           "CONFIG_COMPILER_OPTIMIZATION_PERF=y", "CONFIG_ESP_MAIN_TASK_STACK_SIZE=",
                           "CONFIG_MOTE_ARENA_INTERNAL=y"})
    EXPECT_TRUE(contains(sdkconfig, line)) << line << "\n" << sdkconfig;
  // person_detect's arena (~80 KB) is far under the internal budget: no PSRAM.
  EXPECT_FALSE(contains(sdkconfig, "CONFIG_SPIRAM=y"));
  EXPECT_TRUE(contains(slurp(out / "main/model_runner.cc"), "#define MODEL_ARENA_IN_PSRAM 0"));

  MOTE_REQUIRE_CROSS_COMPILER();
  expect_cross_compiles(out, "idf", 6, true);
}

// The same project as ESP-IDF builds it for the ESP32-S3 (idf.py set-target
// esp32s3): every source, the runtime's with the PIE paths selected, compiled
// by clang-22 for the S3's core and assembled by the S3 assembler, which knows
// the EE.* instructions. The S3 tools are the user's (MOTE_ESP32S3_BINUTILS),
// not Debian packages: without them this is a skip, also when CI=true.
TEST_F(ExportToolchain, PersonDetectEspIdfProjectForEsp32s3) {
  MOTE_REQUIRE_SHARED();
  const std::string missing = esp32s3_missing();
  if (!missing.empty()) GTEST_SKIP() << "no ESP32-S3 toolchain: " << missing << " (docs/device.md)";
  const fs::path out = export_and_check(person_detect(), {"--format", "idf"}, "main", ".cc", "pd_esp32s3");
  ASSERT_FALSE(HasFailure());
  expect_compiles(esp32s3_compiler(), out, "idf", 6, true);
}

TEST_F(ExportToolchain, PersonDetectPlatformIoProjects) {
  MOTE_REQUIRE_SHARED();
  const fs::path idf =
      export_and_check(person_detect(), {"--format", "platformio", "--embed", "file"}, "src", ".cc", "pd_pio");
  const fs::path arduino = export_and_check(
      person_detect(), {"--format", "platformio", "--framework", "arduino", "--arena", "psram"}, "src", ".cpp",
      "pd_pio_arduino");
  ASSERT_FALSE(HasFailure());

  const std::string ini = slurp(idf / "platformio.ini");
  for (const char* line : {"[env:esp32-s3-devkitc-1]", "platform = espressif32", "board = esp32-s3-devkitc-1",
                           "framework = espidf"})
    EXPECT_TRUE(contains(ini, line)) << line << "\n" << ini;
  EXPECT_TRUE(contains(slurp(idf / "CMakeLists.txt"), "project(pd_pio)"));
  EXPECT_TRUE(contains(slurp(idf / "src/CMakeLists.txt"), "idf_component_register(SRCS"));
  EXPECT_TRUE(contains(slurp(idf / "src/CMakeLists.txt"), "\"model_embed.S\""));
  EXPECT_TRUE(fs::exists(idf / "sdkconfig.defaults"));
  EXPECT_TRUE(fs::exists(idf / "components/mote/CMakeLists.txt"));
  // --embed file: the .tflite itself, included 16-byte aligned by the assembler.
  const std::vector<uint8_t> plain = read_file(person_detect());
  EXPECT_EQ(read_file((idf / "src/model.tflite").string()),
            mote::tools::add_prepared_constants(plain.data(), plain.size()).bytes);
  const std::string embed = slurp(idf / "src/model_embed.S");
  EXPECT_TRUE(contains(embed, ".balign 16")) << embed;
  EXPECT_TRUE(contains(embed, ".incbin \"model.tflite\"")) << embed;

  const std::string arduino_ini = slurp(arduino / "platformio.ini");
  EXPECT_TRUE(contains(arduino_ini, "framework = arduino")) << arduino_ini;
  EXPECT_TRUE(contains(arduino_ini, "board = esp32-s3-devkitc-1")) << arduino_ini;
  EXPECT_TRUE(contains(arduino_ini, "-DBOARD_HAS_PSRAM")) << arduino_ini;
  const std::string main_cpp = slurp(arduino / "src/main.cpp");
  EXPECT_TRUE(contains(main_cpp, "void setup()") && contains(main_cpp, "void loop()")) << main_cpp;
  // The runtime as a PlatformIO library: library.json with its include folder.
  const json library = json::parse(slurp(arduino / "lib/mote/library.json"));
  EXPECT_EQ(library["name"], "mote");
  EXPECT_EQ(library["build"]["includeDir"], "include");
  EXPECT_TRUE(fs::exists(arduino / "lib/mote/include/mote/interpreter.h"));
  EXPECT_TRUE(contains(slurp(arduino / "src/model_runner.cpp"), "#define MODEL_ARENA_IN_PSRAM 1"));

  MOTE_REQUIRE_CROSS_COMPILER();
  expect_cross_compiles(idf, "platformio", 7, false);
  expect_cross_compiles(arduino, "platformio-arduino", 6, false);
}

TEST_F(ExportToolchain, PersonDetectArduinoSketch) {
  MOTE_REQUIRE_SHARED();
  const fs::path out =
      export_and_check(person_detect(), {"--format", "arduino"}, "src", ".cpp", "person_detect");
  ASSERT_FALSE(HasFailure());
  expect_app_files(out / "src", ".cpp");

  // Sketch folder NAME/ with NAME.ino and the code in src/ (compiled recursively).
  const std::string ino = slurp(out / "person_detect.ino");
  EXPECT_TRUE(contains(ino, "void setup()") && contains(ino, "void loop()")) << ino;
  EXPECT_TRUE(contains(ino, "#include \"src/model_runner.h\"")) << ino;
  // The runtime as an Arduino library layout inside src/.
  const std::string properties = slurp(out / "src/mote/library.properties");
  EXPECT_TRUE(contains(properties, "name=mote")) << properties;
  EXPECT_TRUE(fs::exists(out / "src/mote/src/mote/interpreter.h"));

  // Arduino compiles .cpp (not .cc) and gives a sketch no include path: every
  // quoted include must name an existing file relative to the includer.
  const std::regex include_line(R"re(^\s*#\s*include\s*"([^"]+)")re");
  for (const std::string& file : files_under(out)) {
    const fs::path path = out / file;
    EXPECT_NE(path.extension(), ".cc") << file;
    if (path.extension() != ".cpp" && path.extension() != ".h" && path.extension() != ".ino") continue;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
      std::smatch m;
      if (!std::regex_search(line, m, include_line)) continue;
      if (m[1] == "sdkconfig.h") continue;  // from the ESP32 core
      EXPECT_TRUE(fs::exists(path.parent_path() / std::string(m[1]))) << file << ": " << line;
    }
  }

  MOTE_REQUIRE_CROSS_COMPILER();
  expect_cross_compiles(out, "arduino", 8, true);
}

// The sketch's README says to move src/mote to the Arduino libraries folder.
// Then Arduino's builder finds the library by a header at the root of its
// src/ that the sketch includes (<mote.h>) and compiles the sketch and the
// library with that src/ folder on the include path.
TEST_F(ExportToolchain, ArduinoSketchBuildsWithTheLibraryMovedToTheLibrariesFolder) {
  const std::string model = save("classifier.tflite", classifier_model());
  const fs::path sketchbook = dir_ / "sketchbook";
  const fs::path sketch = export_and_check(model, {"--format", "arduino"}, "src", ".cpp", "sketchbook/classifier");
  ASSERT_FALSE(HasFailure());
  const fs::path library = sketchbook / "libraries/mote";
  fs::create_directories(library.parent_path());
  fs::rename(sketch / "src/mote", library);
  ASSERT_TRUE(fs::exists(library / "src/mote.h"));
  EXPECT_TRUE(contains(slurp(library / "library.properties"), "\nincludes=mote.h")) << "the IDE's Include Library line";

  // The library headers the sketch includes by <...> are root headers, the
  // ones Arduino resolves a library by.
  const std::regex angle_include(R"re(^\s*#\s*include\s*<([^>]+)>)re");
  int library_includes = 0;
  for (const std::string& file : files_under(sketch)) {
    std::ifstream in(sketch / file);
    for (std::string line; std::getline(in, line);) {
      std::smatch m;
      if (!std::regex_search(line, m, angle_include) || !fs::exists(library / "src" / std::string(m[1]))) continue;
      ++library_includes;
      EXPECT_EQ(fs::path(std::string(m[1])).parent_path(), fs::path()) << file << ": " << line;
    }
  }
  EXPECT_GE(library_includes, 3) << "model.h, model_ops and model_runner include the runtime";

  // The library's own sources include each other by relative paths, the same
  // wherever it sits (PersonDetectArduinoSketch compiles them): the sketch's here.
  MOTE_REQUIRE_PROGRAM("g++");
  expect_compiles(Compiler{"g++"}, sketchbook, "arduino-installed", 6, false);
}

TEST_F(ExportToolchain, BuilderModelInEveryFormat) {
  const std::string model = save("classifier.tflite", classifier_model());
  const int64_t arena = inspect_arena(model);
  ASSERT_GT(arena, 0);
  struct Case {
    std::vector<std::string> args;
    std::string app_dir, ext, out, compile_as;
  };
  const std::vector<Case> cases = {
      {{"--format", "idf"}, "main", ".cc", "cls_idf", "idf"},
      {{"--format", "platformio"}, "src", ".cc", "cls_pio", "platformio"},
      {{"--format", "platformio", "--framework", "arduino"}, "src", ".cpp", "cls_pio_arduino", "platformio-arduino"},
      {{"--format", "arduino"}, "src", ".cpp", "classifier", "arduino"},
  };
  std::vector<fs::path> projects;
  for (const Case& c : cases) {
    projects.push_back(export_and_check(model, c.args, c.app_dir, c.ext, c.out));
    EXPECT_EQ(registered_ops(slurp(projects.back() / c.app_dir / ("model_ops" + c.ext))),
              (std::set<std::string>{"fully_connected", "softmax"}));
    EXPECT_EQ(arena_constant(slurp(projects.back() / c.app_dir / "model.h")), arena);
  }
  ASSERT_FALSE(HasFailure());
  MOTE_REQUIRE_CROSS_COMPILER();
  for (size_t i = 0; i < cases.size(); ++i) expect_cross_compiles(projects[i], cases[i].compile_as, 5, false);
}

// The PlatformIO Arduino env as PlatformIO builds it: the espressif32 core's
// -std=gnu++11 replaced by -std=gnu++17 through platformio.ini, the runtime
// and the generated sources clean under ESP-IDF's warnings with the Xtensa
// cross compiler, g++ and clang.
TEST_F(ExportToolchain, PlatformIoArduinoBuildsAsCpp17WithEveryCompiler) {
  const std::string model = save("classifier.tflite", classifier_model());
  const fs::path out =
      export_and_check(model, {"--format", "platformio", "--framework", "arduino"}, "src", ".cpp", "cls_pioa");
  ASSERT_FALSE(HasFailure());
  const std::string ini = slurp(out / "platformio.ini");
  std::smatch unflags, flags;
  ASSERT_TRUE(std::regex_search(ini, unflags, std::regex("\nbuild_unflags = ([^\n]*)"))) << ini;
  ASSERT_TRUE(std::regex_search(ini, flags, std::regex("\nbuild_flags = ([^\n]*)"))) << ini;
  EXPECT_TRUE(contains(" " + unflags[1].str() + " ", " -std=gnu++11 ")) << ini;
  EXPECT_TRUE(contains(" " + flags[1].str() + " ", " -std=gnu++17 ")) << ini;
  EXPECT_EQ(framework_flags(out, "platformio-arduino"), (std::vector<std::string>{"-O2", "-std=gnu++17"}));

  MOTE_REQUIRE_PROGRAM("g++");
  MOTE_REQUIRE_PROGRAM("clang++");
  MOTE_REQUIRE_CROSS_COMPILER();
  for (const Compiler& compiler : {kXtensa, Compiler{"g++"}, Compiler{"clang++"}})
    expect_compiles(compiler, out, "platformio-arduino", 5, true);
}

// ESP-IDF seeds sdkconfig from sdkconfig.defaults only for settings it does
// not hold yet: after a build, a re-export with another arena placement
// changes nothing unless the user hears that sdkconfig overrides it.
TEST_F(ExportTest, WarnsWhenAnExistingSdkconfigOverridesTheDefaults) {
  const std::string model = save("classifier.tflite", classifier_model());
  const fs::path out = dir_ / "app";
  CommandResult r = mote({"export", model, "--out", out.string(), "--arena", "psram"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(contains(r.out, "warning:")) << r.out;
  // What the first build leaves: the defaults expanded, the other choice unset.
  const std::string built = slurp(out / "sdkconfig.defaults") + "# CONFIG_MOTE_ARENA_INTERNAL is not set\n";
  write_file(out / "sdkconfig", built);

  r = mote({"export", model, "--out", out.string(), "--arena", "psram"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(contains(r.out, "warning:")) << "sdkconfig agrees with the defaults\n" << r.out;

  r = mote({"export", model, "--out", out.string(), "--arena", "internal"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "warning: the existing sdkconfig overrides what export wrote to sdkconfig.defaults")) << r.out;
  EXPECT_TRUE(contains(r.out, "CONFIG_MOTE_ARENA_INTERNAL not set there, CONFIG_MOTE_ARENA_INTERNAL=y in sdkconfig.defaults"))
      << r.out;
  EXPECT_TRUE(contains(r.out, "delete sdkconfig to rebuild it from sdkconfig.defaults, or set the values with idf.py menuconfig"))
      << r.out;
  EXPECT_FALSE(contains(r.out, "CONFIG_SPIRAM")) << "PSRAM stays enabled in sdkconfig; not a conflict\n" << r.out;

  // PlatformIO keeps the configuration of its environment in sdkconfig.<env>.
  const fs::path pio = dir_ / "pio";
  r = mote({"export", model, "--out", pio.string(), "--format", "platformio", "--arena", "internal"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  write_file(pio / "sdkconfig.esp32-s3-devkitc-1",
             "CONFIG_ESPTOOLPY_FLASHSIZE_2MB=y\n# CONFIG_ESPTOOLPY_FLASHSIZE_4MB is not set\n"
             "CONFIG_ESP_MAIN_TASK_STACK_SIZE=3584\nCONFIG_MOTE_ARENA_INTERNAL=y\n");
  r = mote({"export", model, "--out", pio.string(), "--format", "platformio", "--arena", "internal"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "warning: the existing sdkconfig.esp32-s3-devkitc-1 overrides")) << r.out;
  EXPECT_TRUE(contains(r.out, "CONFIG_ESPTOOLPY_FLASHSIZE_4MB not set there, CONFIG_ESPTOOLPY_FLASHSIZE_4MB=y in "
                              "sdkconfig.defaults; CONFIG_ESP_MAIN_TASK_STACK_SIZE=3584 there, "
                              "CONFIG_ESP_MAIN_TASK_STACK_SIZE=8192 in sdkconfig.defaults)"))
      << r.out;
  EXPECT_FALSE(contains(r.out, "CONFIG_MOTE_ARENA_INTERNAL")) << r.out;
  EXPECT_TRUE(contains(r.out, "pio run -t menuconfig")) << r.out;
}

TEST_F(ExportTest, ReexportKeepsEditedFiles) {
  const std::string model = save("classifier.tflite", classifier_model());
  const fs::path out = dir_ / "app";
  // A file that exists before the first export is not mote's: kept.
  write_file(out / "README.md", "my notes\n");
  CommandResult r = mote({"export", model, "--out", out.string(), "--arena", "internal"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(slurp(out / "README.md"), "my notes\n");
  EXPECT_TRUE(fs::exists(out / "README.md.mote-new"));
  EXPECT_TRUE(contains(r.out, "kept README.md, which mote did not write")) << r.out;

  // Edit one generated file, delete another, leave the rest.
  const std::string edited = slurp(out / "main/model_runner.cc") + "\n// my change\n";
  write_file(out / "main/model_runner.cc", edited);
  fs::remove(out / "main/model_ops.cc");
  const std::string old_header = slurp(out / "main/model.h");

  // Re-export with another arena placement: model.h and model_runner.cc change.
  r = mote({"export", model, "--out", out.string(), "--arena", "psram"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "kept your edited main/model_runner.cc; the new version is main/model_runner.cc.mote-new"))
      << r.out;
  EXPECT_EQ(slurp(out / "main/model_runner.cc"), edited);
  const std::string new_runner = slurp(out / "main/model_runner.cc.mote-new");
  EXPECT_TRUE(contains(new_runner, "#define MODEL_ARENA_IN_PSRAM 1"));
  EXPECT_TRUE(fs::exists(out / "main/model_ops.cc")) << "a deleted generated file is written again";
  EXPECT_NE(slurp(out / "main/model.h"), old_header) << "an unedited file is refreshed";
  EXPECT_TRUE(contains(slurp(out / "sdkconfig.defaults"), "CONFIG_SPIRAM=y"));

  // Taking the new version makes the file mote's again: later exports update it
  // and the .mote-new goes away.
  fs::copy_file(out / "main/model_runner.cc.mote-new", out / "main/model_runner.cc",
                fs::copy_options::overwrite_existing);
  r = mote({"export", model, "--out", out.string(), "--arena", "internal"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(contains(r.out, "model_runner.cc.mote-new")) << r.out;
  EXPECT_TRUE(contains(slurp(out / "main/model_runner.cc"), "#define MODEL_ARENA_IN_PSRAM 0"));
  EXPECT_FALSE(fs::exists(out / "main/model_runner.cc.mote-new"));

  // Files a new export no longer generates are removed when unedited.
  r = mote({"export", model, "--out", out.string(), "--embed", "file"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(out / "main/model_embed.S"));
  EXPECT_TRUE(fs::exists(out / "main/model.tflite"));
  r = mote({"export", model, "--out", out.string(), "--embed", "array"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(out / "main/model_embed.S"));
  EXPECT_FALSE(fs::exists(out / "main/model.tflite"));
  EXPECT_TRUE(contains(r.out, "no longer generated and removed")) << r.out;
}

TEST_F(ExportTest, ArenaAutoPlacementFollowsTheBudget) {
  const std::string model = save("classifier.tflite", classifier_model());
  const int64_t arena = inspect_arena(model);
  ASSERT_GT(arena, 0);

  CommandResult r = mote({"export", model, "--out", (dir_ / "fits").string(), "--internal-budget",
                          std::to_string(arena)});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "internal SRAM")) << r.out;
  EXPECT_TRUE(contains(slurp(dir_ / "fits/sdkconfig.defaults"), "CONFIG_MOTE_ARENA_INTERNAL=y"));

  // Byte sizes with units: K and KiB are 1024 bytes, M and MiB 1048576.
  for (const std::string& budget : {std::to_string(arena / 1024 + 1) + "K", std::to_string(arena / 1024 + 1) + "KiB", std::string("1M")}) {
    r = mote({"export", model, "--out", (dir_ / "units").string(), "--internal-budget", budget});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "internal SRAM")) << budget << ": " << r.out;
  }
  r = mote({"export", model, "--out", (dir_ / "units").string(), "--internal-budget", "0K"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "PSRAM")) << r.out;

  r = mote({"export", model, "--out", (dir_ / "too_big").string(), "--internal-budget", std::to_string(arena - 1)});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "PSRAM")) << r.out;
  EXPECT_TRUE(contains(r.out, "one arena")) << "auto must say why the whole arena moves: " << r.out;
  const std::string sdkconfig = slurp(dir_ / "too_big/sdkconfig.defaults");
  EXPECT_TRUE(contains(sdkconfig, "CONFIG_MOTE_ARENA_PSRAM=y")) << sdkconfig;
  EXPECT_TRUE(contains(sdkconfig, "CONFIG_SPIRAM=y")) << sdkconfig;
  EXPECT_TRUE(contains(sdkconfig, "CONFIG_SPIRAM_MODE_OCT=y")) << sdkconfig;
  EXPECT_TRUE(contains(slurp(dir_ / "too_big/main/model_runner.cc"), "#define MODEL_ARENA_IN_PSRAM 1"));
}

// A model too large for the default app partitions gets its own partition
// table, named where each build system looks for it.
TEST_F(ExportTest, LargeModelGetsAPartitionTable) {
  ModelBuilder b;
  const int units = 1024, depth = 1024;  // 1 MiB of int8 weights
  std::vector<int8_t> weights(size_t(units) * depth);
  for (size_t i = 0; i < weights.size(); ++i) weights[i] = int8_t(i % 251 - 125);
  int in = b.add_tensor({"x", DType::kInt8, {1, depth}, {0.05f}, {0}});
  int w = b.add_tensor(TensorSpec::constant<int8_t>("w", DType::kInt8, {units, depth}, weights, {0.01f}, {0}));
  int out = b.add_tensor({"y", DType::kInt8, {1, units}, {0.5f}, {0}});
  b.add_operator(schema::BuiltinOp::kFullyConnected, {in, w, -1}, {out},
                 Options(schema::OptionsType::kFullyConnected)
                     .i8(schema::fully_connected_options::fused_activation_function, 0));
  b.set_inputs({in});
  b.set_outputs({out});
  const std::string model = save("big.tflite", b.serialize());

  CommandResult r = mote({"export", model, "--out", (dir_ / "big").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string sdkconfig = slurp(dir_ / "big/sdkconfig.defaults");
  EXPECT_TRUE(contains(sdkconfig, "CONFIG_PARTITION_TABLE_CUSTOM=y")) << sdkconfig;
  EXPECT_TRUE(contains(sdkconfig, "CONFIG_PARTITION_TABLE_CUSTOM_FILENAME=\"partitions.csv\"")) << sdkconfig;
  const std::string table = slurp(dir_ / "big/partitions.csv");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(table, m, std::regex(R"(factory,\s*app,\s*factory,\s*0x10000,\s*0x([0-9a-f]+))")))
      << table;
  EXPECT_GE(std::stoll(m[1], nullptr, 16), int64_t(read_file(model).size()));

  r = mote({"export", model, "--format", "platformio", "--out", (dir_ / "big_pio").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(slurp(dir_ / "big_pio/platformio.ini"), "board_build.partitions = partitions.csv"));
  EXPECT_TRUE(fs::exists(dir_ / "big_pio/partitions.csv"));
}

// By default the model goes in with its per-channel constants precomputed
// (mote prepare's metadata): a smaller arena than --plain-model's, which
// embeds the plain .tflite.
TEST_F(ExportTest, PlainModelKeepsTheConstantsInTheArena) {
  MOTE_REQUIRE_SHARED();
  const fs::path prepared = export_and_check(person_detect(), {}, "main", ".cc", "pd_prepared");
  const fs::path plain = export_and_check(person_detect(), {"--plain-model"}, "main", ".cc", "pd_plain");
  const int64_t with_constants = arena_constant(slurp(prepared / "main/model.h"));
  const int64_t without = arena_constant(slurp(plain / "main/model.h"));
  EXPECT_EQ(without - with_constants, 21904) << "8 bytes per output channel of person_detect's convolutions";
  EXPECT_TRUE(contains(slurp(prepared / "main/model.h"), "the plain .tflite would need"));
}

TEST_F(ExportTest, SampleDataIsEmbedded) {
  const std::string model = save("classifier.tflite", classifier_model());
  const std::vector<uint8_t> sample = {1, 2, 3, 250, 5, 6, 7, 128};
  const std::string bin = save("features.bin", sample);
  CommandResult r = mote({"export", model, "--out", (dir_ / "app").string(), "--sample", bin});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string source = slurp(dir_ / "app/main/model_sample.cc");
  EXPECT_TRUE(contains(source, "kSample0[8] = {\n    0x01, 0x02, 0x03, 0xfa, 0x05, 0x06, 0x07, 0x80,\n};")) << source;

  // A sample of the wrong size names the input and its size.
  const std::string short_bin = save("short.bin", {1, 2, 3});
  r = mote({"export", model, "--out", (dir_ / "bad").string(), "--sample", short_bin});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "--sample for input 0")) << r.err;
  EXPECT_TRUE(contains(r.err, "int8[1,8]")) << r.err;
  // More samples than inputs.
  r = mote({"export", model, "--out", (dir_ / "bad").string(), "--sample", bin, "--sample", bin});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "one --sample per input")) << r.err;
}

TEST_F(ExportTest, ErrorsSayWhatToDo) {
  const std::string model = save("classifier.tflite", classifier_model());
  // An op mote has no kernel for: no project, and the op is named.
  CommandResult r = mote({"export", save("relu1.tflite", unsupported_op_model()), "--out", (dir_ / "x").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "RELU_N1_TO_1")) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "x"));
  // Arduino: the sketch folder must be named like the sketch.
  r = mote({"export", model, "--format", "arduino", "--out", (dir_ / "sketch").string(), "--name", "other"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "folder named like the sketch")) << r.err;
  // The Arduino IDE cannot embed files.
  r = mote({"export", model, "--format", "arduino", "--out", (dir_ / "sketch").string(), "--embed", "file"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "--embed array")) << r.err;
  // Bad command lines: exit 2.
  EXPECT_EQ(mote({"export", model, "--out", (dir_ / "y").string(), "--target", "esp32c3"}).exit_code, 2);
  EXPECT_EQ(mote({"export", model, "--out", (dir_ / "y").string(), "--format", "makefile"}).exit_code, 2);
  EXPECT_EQ(mote({"export", model}).exit_code, 2);
  EXPECT_EQ(mote({"export", model, "--out", (dir_ / "bad name!").string()}).exit_code, 1);
}

// runtime/CMakeLists.txt as ESP-IDF uses it (in an exported project's
// components/mote): a stand-in idf_component_register records what the
// component registers; ESP-IDF's early, script-mode pass must register
// without generating anything.
TEST_F(ExportToolchain, RuntimeComponentCMakeForEspIdf) {
  MOTE_REQUIRE_PROGRAM("cmake");
  const std::string model = save("classifier.tflite", classifier_model());
  const fs::path project = dir_ / "app";
  ASSERT_EQ(mote({"export", model, "--out", project.string()}).exit_code, 0);
  const fs::path component = project / "components/mote";

  write_file(dir_ / "fake_idf/CMakeLists.txt",
             "cmake_minimum_required(VERSION 3.16)\nproject(fake_idf CXX)\n"
             "function(idf_component_register)\n"
             "  cmake_parse_arguments(ARG \"\" \"\" \"SRCS;INCLUDE_DIRS;PRIV_INCLUDE_DIRS;REQUIRES\" ${ARGN})\n"
             "  add_library(${COMPONENT_LIB} STATIC ${ARG_SRCS})\n"
             "  file(WRITE ${CMAKE_BINARY_DIR}/component.txt \"SRCS=${ARG_SRCS}\\nINCLUDE_DIRS=${ARG_INCLUDE_DIRS}\\n"
             "PRIV_INCLUDE_DIRS=${ARG_PRIV_INCLUDE_DIRS}\\n\")\n"
             "endfunction()\n"
             "set(COMPONENT_LIB mote_component)\nset(CONFIG_MOTE_OPTIMIZE_FOR_SPEED y)\n"
             "add_subdirectory(" + component.string() + " mote)\n"
             "get_target_property(options mote_component COMPILE_OPTIONS)\n"
             "file(APPEND ${CMAKE_BINARY_DIR}/component.txt \"OPTIONS=${options}\\n\")\n");
  const fs::path build = dir_ / "fake_idf_build";
  CommandResult r = run_command("cmake -S " + shell_quote((dir_ / "fake_idf").string()) + " -B " + shell_quote(build.string()), dir_);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::string registered = slurp(build / "component.txt");
  EXPECT_TRUE(contains(registered, "INCLUDE_DIRS=include\n")) << registered;
  EXPECT_TRUE(contains(registered, "PRIV_INCLUDE_DIRS=.\n")) << registered;
  EXPECT_TRUE(contains(registered, "-ffp-contract=off")) << registered;
  EXPECT_TRUE(contains(registered, "-O2")) << registered;
  for (const char* source : {"src/interpreter.cc", "src/register_all_ops.cc", "ops/conv_2d.cc",
                             "kernels/reference/softmax.cc", "kernels/fixedpoint.cc"})
    EXPECT_TRUE(contains(registered, (component / source).string())) << source << "\n" << registered;
  EXPECT_TRUE(fs::exists(component / "include/mote/op_registry.def"));

  // Early expansion: ESP-IDF includes the file in script mode with its own
  // idf_component_register macro, which returns right away.
  const fs::path early = dir_ / "early";
  write_file(early / "expand.cmake",
             "set(CMAKE_BUILD_EARLY_EXPANSION 1)\n"
             "macro(idf_component_register)\n  set(registered yes)\n  return()\nendmacro()\n"
             "function(read_requirements)\n  include(" + (component / "CMakeLists.txt").string() + ")\nendfunction()\n"
             "read_requirements()\nmessage(\"expanded\")\n");
  r = run_command("cd " + shell_quote(early.string()) + " && cmake -P expand.cmake", dir_);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(contains(r.err, "expanded")) << r.err;
  EXPECT_EQ(files_under(early), (std::set<std::string>{"expand.cmake"})) << "nothing may be generated in script mode";
}

// The generated model_runner, compiled for the host with a host version of the
// seam, prints the same outputs as `mote run` and the exact arena use.
TEST_F(ExportToolchain, GeneratedRunnerRunsOnHost) {
  MOTE_REQUIRE_SHARED();
  MOTE_REQUIRE_PROGRAM("c++");
  std::vector<uint8_t> image(96 * 96);
  for (size_t i = 0; i < image.size(); ++i) image[i] = uint8_t((i * 37 + i / 96 * 11) % 256);
  const std::string sample = save("image.bin", image);
  const fs::path out = dir_ / "pd";
  CommandResult r = mote({"export", person_detect(), "--out", out.string(), "--sample", sample});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  write_file(dir_ / "host/mote_platform_host.cc",
             "#include \"mote_platform.h\"\n#include <stdarg.h>\n#include <stdio.h>\n#include <stdlib.h>\n"
             "#include <time.h>\n"
             "int64_t mote_time_us(void) { timespec t; clock_gettime(CLOCK_MONOTONIC, &t);\n"
             "  return int64_t(t.tv_sec) * 1000000 + t.tv_nsec / 1000; }\n"
             "void mote_printf(const char* f, ...) { va_list a; va_start(a, f); vprintf(f, a); va_end(a); }\n"
             "void* mote_psram_alloc(size_t n) { return aligned_alloc(16, (n + 15) / 16 * 16); }\n"
             "size_t mote_internal_free_bytes(void) { return 0; }\n"
             "void mote_delay_ms(uint32_t) {}\n");
  write_file(dir_ / "host/host_main.cc",
             "#include \"model_runner.h\"\nint main() {\n  if (!model_runner_setup()) return 1;\n"
             "  model_runner_run();\n  model_runner_reset_state();\n  model_runner_run();\n  return 0;\n}\n");
  std::string cmd = "c++ -std=c++17 -O1 -fno-exceptions -fno-rtti -ffp-contract=off";
  for (const char* inc : {"main", "components/mote/include", "components/mote"})
    cmd += " -I" + shell_quote((out / inc).string());
  for (const std::string& file : files_under(out)) {
    const fs::path p(file);
    if (p.extension() != ".cc" || file == "main/main.cc" || file == "main/mote_platform_esp_idf.cc") continue;
    cmd += " " + shell_quote((out / file).string());
  }
  cmd += " " + shell_quote((dir_ / "host/mote_platform_host.cc").string()) + " " +
         shell_quote((dir_ / "host/host_main.cc").string()) + " -o " + shell_quote((dir_ / "host/runner").string());
  r = run_command(cmd, dir_);
  ASSERT_EQ(r.exit_code, 0) << r.err.substr(0, 4000);
  const CommandResult run = run_command(shell_quote((dir_ / "host/runner").string()), dir_);
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;

  const int64_t arena = inspect_arena(person_detect());
  EXPECT_TRUE(contains(run.out, "arena: " + std::to_string(arena) + " of " + std::to_string(arena) + " bytes used"))
      << run.out;

  // mote run on the same input; the runner prints dequantized values with %.5g.
  const std::string npy = (dir_ / "scores.npy").string();
  r = mote({"run", person_detect(), "--input", sample, "--output", npy});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const mote::tools::NpyArray scores = mote::tools::read_npy(npy);
  ASSERT_EQ(scores.type, DType::kInt8);
  std::vector<uint8_t> model_bytes = read_file(person_detect());
  mote::Model model;
  char error[256];
  ASSERT_EQ(model.load(model_bytes.data(), model_bytes.size(), error, sizeof(error)), mote::Status::kOk) << error;
  const mote::QuantView quant = model.tensor(uint32_t(model.output(0))).quant;
  ASSERT_EQ(quant.count, 1);
  std::string expected = "  output 0 int8[";
  for (size_t d = 0; d < scores.shape.size(); ++d) expected += (d ? "," : "") + std::to_string(scores.shape[d]);
  expected += "] dequantized:";
  for (uint8_t q : scores.data) {
    char value[32];
    snprintf(value, sizeof(value), " %.5g", double(quant.scale(0)) * (int8_t(q) - quant.zero_point(0)));
    expected += value;
  }
  EXPECT_TRUE(contains(run.out, expected)) << "expected\n" << expected << "\nin\n" << run.out;
  // After model_runner_reset_state() the second run prints the same outputs.
  const size_t first = run.out.find(expected), second = run.out.find(expected, first + 1);
  EXPECT_TRUE(contains(run.out, "run 2: invoke")) << run.out;
  EXPECT_NE(second, std::string::npos) << "the run after model_runner_reset_state() differs:\n" << run.out;
  EXPECT_FALSE(contains(run.out, "error:")) << run.out;
}

}  // namespace
