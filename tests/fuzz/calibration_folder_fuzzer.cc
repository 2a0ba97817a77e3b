// Treats the fuzzer's bytes as a calibration folder, loaded as
// `mote quantize --calibration DIR` loads it. Layout of the input:
//   4 bytes   the model input [1, H, W, C] (H, W = 1..4, C = 1 or 3), --color,
//             --samples, --scale/--mean
//   files     separated by "|mote|"; each file's first byte picks its name
//             (.npy .bin .raw .csv .png .jpg .txt, in a subfolder, hidden),
//             the rest is its content.
// Every sample that loads must have H*W*C finite values; only
// std::runtime_error (a message for the user) may come out.
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "tests/fuzz/scratch_dir.h"
#include "tools/quantizer/calibration_data.h"

namespace {

const char kSeparator[] = "|mote|";
constexpr size_t kSeparatorBytes = sizeof(kSeparator) - 1;
const char* const kNames[] = {"%.npy", "%.bin", "%.raw", "%.csv", "%.png", "%.JPG", "%.txt", "sub/%.npy", ".hidden/%.npy"};
const char* const kColors[] = {"auto", "gray", "rgb", "bgr"};

std::string file_name(uint8_t choice, size_t index) {
  std::string name = kNames[choice % (sizeof(kNames) / sizeof(kNames[0]))];
  return name.replace(name.find('%'), 1, std::to_string(index));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace tools = mote::tools;
  static const mote_fuzz::ScratchDir scratch;
  if (size < 4) return 0;
  const int height = 1 + data[0] % 4, width = 1 + data[1] % 4, channels = data[2] & 1 ? 3 : 1;
  tools::CalibrationOptions options;
  options.color = kColors[(data[2] >> 1) % 4];
  options.max_samples = data[3] % 4 ? data[3] % 4 : -1;
  if (data[3] & 0x04) options.scale = {1.0f / 255.0f};
  if (data[3] & 0x08) options.mean = {0.5f, 0.25f, 0.125f};

  scratch.clear();
  const uint8_t* p = data + 4;
  const uint8_t* const end = data + size;
  for (size_t index = 0; p < end; ++index) {
    const uint8_t* next = static_cast<const uint8_t*>(memmem(p, size_t(end - p), kSeparator, kSeparatorBytes));
    const uint8_t* file_end = next ? next : end;
    if (file_end > p) scratch.write(file_name(*p, index), p + 1, size_t(file_end - p - 1));
    p = next ? next + kSeparatorBytes : end;
  }

  const size_t elements = size_t(height * width * channels);
  try {
    const std::vector<tools::Sample> samples = tools::load_calibration_data(
        {scratch.path()}, {{"image", {1, height, width, channels}}}, options, nullptr);
    if (samples.empty() || (options.max_samples > 0 && samples.size() > size_t(options.max_samples))) abort();
    for (const tools::Sample& s : samples) {
      if (s.size() != 1 || s[0].size() != elements) abort();
      for (float v : s[0])
        if (!isfinite(v)) abort();
    }
  } catch (const std::runtime_error&) {
  }
  return 0;
}
