// JSON for the host tools (manifest.json, reports): nlohmann-json plus a file
// reader whose errors name the file.
#pragma once

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace mote {
namespace tools {

using Json = nlohmann::json;

// Parses a whole JSON file; throws std::runtime_error("<path>: ...") when the
// file can't be opened or isn't valid JSON.
inline Json read_json_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot open file");
  try {
    return Json::parse(in);
  } catch (const Json::exception& e) {
    throw std::runtime_error(path + ": invalid JSON: " + e.what());
  }
}

}  // namespace tools
}  // namespace mote
