// What the generators of one export share: where the kind of project keeps
// things (Layout) and the facts about this export (Context).
#pragma once

#include <stdint.h>

#include <string>
#include <vector>

#include "tools/exporter/exporter.h"

namespace mote {
namespace exporter {

// Where each kind of project keeps things.
struct Layout {
  Format format;
  Framework framework;
  std::string app_dir;      // generated sources: "main" or "src"
  std::string ext;          // C++ source extension: ".cc" or ".cpp" (Arduino)
  std::string runtime_dir;  // the runtime copy: components/mote, lib/mote, src/mote
  bool esp_idf_build;       // built by ESP-IDF's CMake (idf.py, PlatformIO espidf)
  bool arduino_core;        // setup()/loop() on the Arduino core
  bool arduino_sketch;      // Arduino IDE sketch: runtime as an Arduino library layout, relative includes
};

Layout layout_for(const ExportOptions& options);

// One export: the options, the analysed model and what export_project decided.
struct Context {
  const ExportOptions& options;
  const Layout& layout;
  const ModelAnalysis& model;
  std::string name;
  std::string ns;
  std::string model_file;  // the model's file name, for comments
  bool arena_in_psram;
  std::string arena_reason;
  std::vector<std::vector<uint8_t>> samples;
  const std::string& model_bytes;
};

// "main/model.h": a file of the app folder, as a project path.
inline std::string app_path(const Context& c, const std::string& file) { return c.layout.app_dir + "/" + file; }

}  // namespace exporter
}  // namespace mote
