#include "tools/common/file_reading.h"

#include <fstream>
#include <iterator>
#include <stdexcept>

namespace mote {
namespace tools {
namespace {

template <typename Container>
FileRead read_into(const std::string& path, Container* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return FileRead::kCannotOpen;
  out->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return in.bad() ? FileRead::kReadError : FileRead::kOk;
}

}  // namespace

FileRead read_whole_file(const std::string& path, std::vector<uint8_t>* bytes) { return read_into(path, bytes); }
FileRead read_whole_file(const std::string& path, std::string* text) { return read_into(path, text); }

std::vector<uint8_t> read_file_bytes(const std::string& path, const std::string& cannot_open) {
  std::vector<uint8_t> bytes;
  switch (read_whole_file(path, &bytes)) {
    case FileRead::kOk:
      break;
    case FileRead::kCannotOpen:
      throw std::runtime_error(path + ": " + cannot_open);
    case FileRead::kReadError:
      throw std::runtime_error(path + ": read error");
  }
  return bytes;
}

}  // namespace tools
}  // namespace mote
