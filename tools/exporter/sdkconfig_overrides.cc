#include "tools/exporter/sdkconfig_overrides.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace mote {
namespace exporter {
namespace {

namespace fs = std::filesystem;

constexpr const char* kNotSet = "not set";

// KEY -> value of a Kconfig file: `CONFIG_X=value` lines and the
// `# CONFIG_X is not set` lines menuconfig writes for an unset bool.
std::map<std::string, std::string> kconfig_values(std::istream& in) {
  std::map<std::string, std::string> values;
  const std::string not_set_suffix = " is not set";
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("# CONFIG_", 0) == 0 && line.size() > not_set_suffix.size() &&
        line.compare(line.size() - not_set_suffix.size(), not_set_suffix.size(), not_set_suffix) == 0) {
      values[line.substr(2, line.size() - 2 - not_set_suffix.size())] = kNotSet;
      continue;
    }
    const size_t equals = line.find('=');
    if (line.rfind("CONFIG_", 0) == 0 && equals != std::string::npos)
      values[line.substr(0, equals)] = line.substr(equals + 1);
  }
  return values;
}

std::string setting_text(const std::string& key, const std::string& value) {
  return value == kNotSet ? key + " not set" : key + "=" + value;
}

}  // namespace

std::vector<std::string> sdkconfig_overrides(const std::string& project_dir, const std::vector<std::string>& config_files,
                                             const std::string& defaults, const std::string& menuconfig) {
  std::istringstream defaults_in(defaults);
  const std::map<std::string, std::string> wanted = kconfig_values(defaults_in);
  std::vector<std::string> warnings;
  for (const std::string& file : config_files) {
    std::ifstream in(fs::path(project_dir) / file);
    if (!in) continue;
    const std::map<std::string, std::string> existing = kconfig_values(in);
    std::string differences;
    for (const auto& [key, value] : wanted) {
      const auto there = existing.find(key);
      if (there == existing.end() || there->second == value) continue;
      differences += (differences.empty() ? "" : "; ") + setting_text(key, there->second) + " there, " +
                     setting_text(key, value) + " in sdkconfig.defaults";
    }
    if (differences.empty()) continue;
    warnings.push_back("the existing " + file + " overrides what export wrote to sdkconfig.defaults (" + differences +
                       "): delete " + file + " to rebuild it from sdkconfig.defaults, or set the values with " +
                       menuconfig);
  }
  return warnings;
}

}  // namespace exporter
}  // namespace mote
