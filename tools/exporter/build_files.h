// The files a build system reads, per project kind: CMakeLists.txt of the
// ESP-IDF project and its app component, sdkconfig.defaults, platformio.ini,
// and partitions.csv when the model needs a larger app partition.
#pragma once

#include <stddef.h>

#include <string>

#include "tools/exporter/export_context.h"

namespace mote {
namespace exporter {

// The environment of the generated platformio.ini (PlatformIO keeps its
// ESP-IDF configuration in sdkconfig.<env>).
constexpr const char* kPlatformIoEnv = "esp32-s3-devkitc-1";

struct FlashPlan {
  bool custom_partitions = false;
  size_t app_partition = 0;
  int flash_mb = 4;
};

// Flash size and app partition for the model; throws UserError when no
// ESP32-S3 module has enough flash.
FlashPlan plan_flash(const Context& c);

std::string partitions_csv(const FlashPlan& plan);
std::string sdkconfig_defaults(const Context& c, const FlashPlan& plan);
std::string idf_main_cmake(const Context& c);
// The project's CMakeLists.txt; `how` completes its first comment line.
std::string idf_project_cmake(const Context& c, const std::string& how);
std::string platformio_ini(const Context& c, const FlashPlan& plan);

}  // namespace exporter
}  // namespace mote
