// A private scratch folder for the host-tool fuzzers, whose code under test
// reads files and folders: each run writes the fuzzer's bytes into files here
// and clears the folder before the next run.
#pragma once

#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace mote_fuzz {

class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "mote-fuzz-XXXXXX").string();
    if (!mkdtemp(pattern.data())) abort();
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }

  // Removes everything in the folder (it stays).
  void clear() const {
    for (const auto& entry : std::filesystem::directory_iterator(path_)) std::filesystem::remove_all(entry.path());
  }

  // Writes `size` bytes to `name` (which may contain subfolders) and returns its path.
  std::string write(const std::string& name, const uint8_t* data, size_t size) const {
    const std::filesystem::path file = std::filesystem::path(path_) / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), std::streamsize(size));
    if (!out) abort();
    return file.string();
  }

 private:
  std::string path_;
};

}  // namespace mote_fuzz
