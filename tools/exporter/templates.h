// Text of the files `mote export` generates that do not depend on the model's
// contents. Placeholders are {{key}}; render() fills them.
#pragma once

#include <map>
#include <string>

namespace mote {
namespace exporter {

using TemplateVars = std::map<std::string, std::string>;

// Replaces every {{key}}; throws std::logic_error for a key missing from `vars`.
std::string render(const char* text, const TemplateVars& vars);

namespace templates {

// The seam: mote_platform.h and its ESP-IDF and Arduino implementations.
extern const char* const kPlatformHeader;
extern const char* const kPlatformEspIdf;
extern const char* const kPlatformArduino;

// model_runner.h / model_runner.cc: fill inputs, invoke, print outputs,
// latency and arena use. Vars: name, ns, arena_in_psram (0/1), ext.
extern const char* const kRunnerHeader;
extern const char* const kRunnerSource;

// Entry points. Vars: name.
extern const char* const kMainEspIdf;    // app_main()
// The Arduino ones: a head (comment, includes) for PlatformIO (src/main.cpp)
// or the Arduino IDE (NAME.ino), each followed by kArduinoSetupAndLoop, the
// setup() and loop() both share (no vars).
extern const char* const kMainArduino;
extern const char* const kSketchArduino;
extern const char* const kArduinoSetupAndLoop;

// Assembly file that embeds the .tflite 16-byte aligned. Vars: ns, file.
extern const char* const kModelEmbedAsm;

}  // namespace templates
}  // namespace exporter
}  // namespace mote
