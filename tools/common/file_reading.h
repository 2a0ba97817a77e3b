// Reading a whole file into memory.
#pragma once

#include <stdint.h>

#include <string>
#include <vector>

namespace mote {
namespace tools {

enum class FileRead {
  kOk,
  kCannotOpen,  // missing, a folder, or no permission; errno says which
  kReadError,   // opened, but reading stopped early
};

FileRead read_whole_file(const std::string& path, std::vector<uint8_t>* bytes);
FileRead read_whole_file(const std::string& path, std::string* text);

// The whole file; throws std::runtime_error "<path>: <cannot_open>" when it
// can't be opened and "<path>: read error" when reading fails.
std::vector<uint8_t> read_file_bytes(const std::string& path, const std::string& cannot_open = "cannot open file");

}  // namespace tools
}  // namespace mote
