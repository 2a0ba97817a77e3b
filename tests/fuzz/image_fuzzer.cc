// Treats the fuzzer's bytes as a calibration image (PNG, BMP or JPEG; stb
// decides by content). The first three bytes pick the model input
// [1, H, W, C] (H, W = 1..64, C = 1 or 3) and --color; the rest is the file,
// decoded and resized as `mote quantize --calibration image.png` does. Only
// std::runtime_error (a message for the user) may come out.
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include <stdexcept>
#include <vector>

#include "tests/fuzz/scratch_dir.h"
#include "tools/quantizer/calibration_data.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace tools = mote::tools;
  static const mote_fuzz::ScratchDir scratch;
  static const char* const kColors[] = {"auto", "gray", "rgb", "bgr"};
  if (size < 3) return 0;
  const int height = 1 + data[0] % 64;
  const int width = 1 + data[1] % 64;
  const int channels = data[2] & 1 ? 3 : 1;
  tools::CalibrationOptions options;
  options.color = kColors[(data[2] >> 1) % 4];
  const std::string path = scratch.write("image.png", data + 3, size - 3);
  try {
    const std::vector<tools::Sample> samples =
        tools::load_calibration_data({path}, {{"image", {1, height, width, channels}}}, options, nullptr);
    if (samples.size() != 1 || samples[0][0].size() != size_t(height * width * channels)) abort();
    for (float v : samples[0][0])
      if (!(v >= 0.0f && v <= 1.0f)) abort();
  } catch (const std::runtime_error&) {
  }
  return 0;
}
