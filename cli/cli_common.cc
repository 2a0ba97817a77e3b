#include "cli/cli_common.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <filesystem>
#include <fstream>

namespace mote {
namespace cli {

void print_error(const std::string& message, const std::string& hint) {
  fprintf(stderr, "mote: error: %s\n", message.c_str());
  if (!hint.empty()) fprintf(stderr, "  hint: %s\n", hint.c_str());
}

void print_warning(const std::string& message) { fprintf(stderr, "mote: warning: %s\n", message.c_str()); }

void check_writable_path(const std::string& path, const char* what) {
  namespace fs = std::filesystem;
  const fs::path parent = fs::path(path).parent_path();
  std::error_code ec;
  if (!parent.empty() && !fs::is_directory(parent, ec))
    throw UserError(std::string("cannot write the ") + what + " '" + path + "': folder '" + parent.string() +
                    "' does not exist");
  if (fs::is_directory(path, ec))
    throw UserError(std::string("cannot write the ") + what + " '" + path + "': it is a directory");
}

std::string extension_of(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (char& c : ext) c = char(tolower(static_cast<unsigned char>(c)));
  return ext;
}

namespace {

std::string load_hint(const std::string& error, size_t size) {
  if (error.find("TFL3") != std::string::npos)
    return "mote reads binary .tflite flatbuffers; if the model is a C array (.cc/.h), convert it back to binary "
           "first (e.g. with xxd -r or a short script)";
  if (error.find("corrupt") != std::string::npos || error.find("out of bounds") != std::string::npos ||
      error.find("shorter than") != std::string::npos)
    return "the file (" + std::to_string(size) +
           " bytes) looks truncated or damaged; copy it again or re-export it from the TensorFlow Lite converter";
  if (error.find("dynamic") != std::string::npos)
    return "convert the model with fixed input shapes (e.g. batch size 1)";
  return std::string();
}

}  // namespace

std::unique_ptr<ModelFile> load_model_file(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(path, ec))
    throw UserError("model file '" + path + "' does not exist", "check the path; models usually end in .tflite");
  if (fs::is_directory(path, ec)) throw UserError("'" + path + "' is a directory, not a model file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UserError("cannot open model file '" + path + "': " + strerror(errno));
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  in.seekg(0, std::ios::beg);
  if (size < 0) throw UserError("cannot read model file '" + path + "'");
  auto file = std::make_unique<ModelFile>();
  file->path = path;
  file->size = size_t(size);
  file->data = tools::aligned_buffer(file->size);
  if (file->size > 0 && !in.read(reinterpret_cast<char*>(file->data.get()), size))
    throw UserError("cannot read model file '" + path + "': " + strerror(errno));
  char error[256] = {};
  if (!ok(file->model.load(file->data.get(), file->size, error, sizeof(error))))
    throw UserError("'" + path + "' is not a usable model: " + error, load_hint(error, file->size));
  return file;
}

std::vector<uint8_t> read_model_bytes(const std::string& path) {
  std::unique_ptr<ModelFile> file = load_model_file(path);
  return std::vector<uint8_t>(file->data.get(), file->data.get() + file->size);
}

Interpreter& allocated(HostInterpreter& host, const ModelFile& file) {
  if (!ok(host.allocate())) {
    const std::string error = host.error_message();
    throw UserError("cannot allocate '" + file.path + "': " + error, allocate_hint(error));
  }
  return host.interpreter();
}

std::string allocate_hint(const std::string& error) {
  if (error.find("custom op") != std::string::npos)
    return "custom ops are not part of mote: implement it as an OpRegistration whose custom_name is the op's "
           "name and add it to your resolver; `mote inspect MODEL` marks every missing op";
  if (error.find("not registered") != std::string::npos || error.find("no kernel") != std::string::npos)
    return "this build of mote has no kernel for that op; `mote inspect MODEL` lists every op the model needs "
           "and which ones are missing";
  return "the model loaded, but an operator rejected its parameters in prepare; the message above names the node "
         "(see the operator table of `mote inspect MODEL`)";
}

// Writes `bytes` to path + ".tmp" and renames it over `path`; the temporary
// file is removed on any failure.
void write_atomically(const std::string& path, const std::vector<uint8_t>& bytes) {
  namespace fs = std::filesystem;
  const std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) throw UserError("cannot write '" + temp + "': " + strerror(errno));
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    out.close();
    if (!out) {
      std::error_code ec;
      fs::remove(temp, ec);
      throw UserError("cannot write '" + path + "': " + strerror(errno), "is the disk full?");
    }
  }
  std::error_code ec;
  fs::rename(temp, path, ec);
  if (ec) {
    fs::remove(temp, ec);
    throw UserError("cannot rename '" + temp + "' to '" + path + "': " + ec.message());
  }
}

}  // namespace cli
}  // namespace mote
