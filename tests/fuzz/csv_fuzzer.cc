// Treats the fuzzer's bytes as a CSV calibration file. The first byte picks
// the model input ([1, N], N = 1..8) and whether --scale/--mean are given; the
// rest is the file. Every sample that loads must have N finite values; only
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
  if (size < 1) return 0;
  const int elements = 1 + data[0] % 8;
  tools::CalibrationOptions options;
  if (data[0] & 0x08) options.scale = {0.5f};
  if (data[0] & 0x10) options.mean = {127.5f};
  if (data[0] & 0x20) options.max_samples = 2;
  const std::string path = scratch.write("rows.csv", data + 1, size - 1);
  try {
    const std::vector<tools::Sample> samples =
        tools::load_calibration_data({path}, {{"x", {1, elements}}}, options, nullptr);
    for (const tools::Sample& s : samples) {
      if (s.size() != 1 || s[0].size() != size_t(elements)) abort();
      for (float v : s[0])
        if (!isfinite(v)) abort();
    }
  } catch (const std::runtime_error&) {
  }
  return 0;
}
