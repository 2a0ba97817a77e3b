// runtime/library.json (PlatformIO's library manifest) builds what the CMake
// build of the runtime builds: a source its srcFilter leaves out links in
// mote's own build and fails to link in a PlatformIO project.
#include <fnmatch.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

// PlatformIO's source filter: "+<glob>" / "-<glob>" applied in order, globs
// relative to srcDir; a glob that matches a folder takes in everything under it.
bool platformio_filter_selects(const std::vector<std::string>& filter, const std::string& path) {
  bool selected = false;
  for (const std::string& entry : filter) {
    if (entry.size() < 3 || (entry[0] != '+' && entry[0] != '-') || entry[1] != '<' || entry.back() != '>') {
      ADD_FAILURE() << "not a PlatformIO filter entry: " << entry;
      continue;
    }
    std::string glob = entry.substr(2, entry.size() - 3);
    if (glob.size() > 1 && glob.back() == '/') glob.pop_back();  // "dir/": the folder
    bool matches = false;
    for (size_t end = path.find('/'); !matches; end = path.find('/', end + 1)) {
      matches = fnmatch(glob.c_str(), path.substr(0, end).c_str(), FNM_PATHNAME) == 0;
      if (end == std::string::npos) break;
    }
    if (matches) selected = entry[0] == '+';
  }
  return selected;
}

TEST(RuntimeManifest, PlatformIoFilterSemantics) {
  const std::vector<std::string> filter = {"-<*>", "+<src/*.cc>", "+<kernels/>"};
  EXPECT_TRUE(platformio_filter_selects(filter, "src/a.cc"));
  EXPECT_FALSE(platformio_filter_selects(filter, "src/a.h"));
  EXPECT_FALSE(platformio_filter_selects(filter, "ops/a.cc"));
  EXPECT_TRUE(platformio_filter_selects(filter, "kernels/optimized/a.cc"));
  EXPECT_FALSE(platformio_filter_selects({"-<*>", "+<kernels/*.cc>"}, "kernels/optimized/a.cc"));
}

TEST(RuntimeManifest, LibraryJsonBuildsEverySourceTheCMakeBuildCompiles) {
  const fs::path runtime = fs::path(MOTE_SOURCE_DIR) / "runtime";
  std::ifstream manifest_file(runtime / "library.json");
  ASSERT_TRUE(manifest_file) << runtime / "library.json";
  const nlohmann::json manifest = nlohmann::json::parse(manifest_file);
  ASSERT_EQ(manifest["build"]["srcDir"], ".");
  const std::vector<std::string> filter = manifest["build"]["srcFilter"].get<std::vector<std::string>>();

  // The mote_runtime target's sources, as CMake lists them (tests/CMakeLists.txt).
  std::ifstream list(MOTE_RUNTIME_SOURCES_FILE);
  ASSERT_TRUE(list) << MOTE_RUNTIME_SOURCES_FILE;
  int checked = 0;
  for (std::string line; std::getline(list, line);) {
    const fs::path source = fs::path(line).lexically_normal();
    const std::string relative = source.lexically_relative(runtime).generic_string();
    if (relative.empty() || relative.rfind("..", 0) == 0) continue;  // generated in the build folder
    EXPECT_TRUE(platformio_filter_selects(filter, relative)) << relative << " is left out of library.json's srcFilter";
    ++checked;
  }
  EXPECT_GT(checked, 40) << "runtime sources listed by CMake";
}

}  // namespace
