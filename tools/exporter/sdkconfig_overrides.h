// ESP-IDF reads sdkconfig.defaults only for settings its sdkconfig does not
// hold yet: once a project has been built, the sdkconfig there (PlatformIO:
// sdkconfig.<env>) wins over what a re-export writes to sdkconfig.defaults.
#pragma once

#include <string>
#include <vector>

namespace mote {
namespace exporter {

// One warning per existing config file in `project_dir` (`config_files`,
// e.g. "sdkconfig") that sets a key of `defaults` (the text export writes to
// sdkconfig.defaults) to another value: the keys, both values, and what to do.
// `menuconfig`: the command that edits the file ("idf.py menuconfig").
std::vector<std::string> sdkconfig_overrides(const std::string& project_dir, const std::vector<std::string>& config_files,
                                             const std::string& defaults, const std::string& menuconfig);

}  // namespace exporter
}  // namespace mote
