#include "tools/quantizer/image_loader.h"

#include <cmath>

#include <algorithm>
#include <limits>
#include <stdexcept>

#include <stb/stb_image.h>

#include "tools/common/file_reading.h"

namespace mote {
namespace tools {
namespace {

// Source coordinate of destination index `i` when `in` samples become `out`:
// pixel centres sit at i + 0.5 in both grids.
struct Tap {
  int lower, upper;
  float weight;  // of `upper`
};

// Images beyond this are refused before decoding: a few bytes of header can
// announce gigapixels (8192 x 8192 is far more than a model input needs).
constexpr int64_t kMaxImagePixels = int64_t(1) << 26;

std::vector<Tap> bilinear_taps(int in, int out) {
  std::vector<Tap> taps(static_cast<size_t>(out));
  const double ratio = double(in) / double(out);
  for (int i = 0; i < out; ++i) {
    double x = (i + 0.5) * ratio - 0.5;
    x = std::min(std::max(x, 0.0), double(in - 1));
    const int lower = int(std::floor(x));
    taps[size_t(i)] = {lower, std::min(lower + 1, in - 1), float(x - lower)};
  }
  return taps;
}

// Debian's stb_image writes past its Huffman tables when a JPEG's DHT segment
// declares more than 256 codes in one table. Walks the markers as stb reads
// them (segments skipped by their length, entropy-coded data byte by byte) and
// refuses such a file before stb sees it.
void check_jpeg_huffman_tables(const std::vector<uint8_t>& b, const std::string& path) {
  // stb takes fill bytes (0xFF) before the start-of-image marker too.
  size_t i = 0;
  if (b.empty() || b[0] != 0xFF) return;
  while (i + 1 < b.size() && b[i + 1] == 0xFF) ++i;
  if (i + 1 >= b.size() || b[i + 1] != 0xD8) return;
  i += 2;
  auto at = [&](size_t k) -> size_t { return k < b.size() ? b[k] : 0; };  // stb reads 0 past the end
  while (i + 3 < b.size()) {
    const size_t marker = b[i + 1];
    if (b[i] != 0xFF || marker == 0xFF) {  // entropy-coded data, fill bytes
      ++i;
      continue;
    }
    if (marker == 0x00 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD9)) {  // no length
      i += 2;
      continue;
    }
    const size_t length = at(i + 2) << 8 | at(i + 3);
    if (marker == 0xC4) {
      long remaining = long(length) - 2;
      for (size_t table = i + 4; remaining > 0;) {
        size_t codes = 0;
        for (size_t k = 1; k <= 16; ++k) codes += at(table + k);
        if (codes > 256)
          throw std::runtime_error(path + ": corrupt JPEG (a Huffman table declares " + std::to_string(codes) +
                                   " codes, at most 256 are possible)");
        table += 17 + codes;
        remaining -= long(17 + codes);
      }
    }
    i += 2 + length;
  }
}

}  // namespace

Image load_image(const std::string& path, int channels) {
  if (channels != 1 && channels != 3)
    throw std::runtime_error(path + ": images can be read as 1 or 3 channels, not " + std::to_string(channels));
  const std::vector<uint8_t> file = read_file_bytes(path, "cannot open file (check that it exists and is readable)");
  if (file.empty()) throw std::runtime_error(path + ": the file is empty");
  if (file.size() > size_t(std::numeric_limits<int>::max()))
    throw std::runtime_error(path + ": the file is too large for an image");
  check_jpeg_huffman_tables(file, path);
  int width = 0, height = 0, file_channels = 0;
  if (stbi_info_from_memory(file.data(), int(file.size()), &width, &height, &file_channels) &&
      int64_t(width) * height > kMaxImagePixels)
    throw std::runtime_error(path + ": the image is " + std::to_string(width) + " x " + std::to_string(height) +
                             " pixels, more than " + std::to_string(kMaxImagePixels) +
                             "; scale it down to about the model's input size first");
  stbi_uc* pixels = stbi_load_from_memory(file.data(), int(file.size()), &width, &height, &file_channels, channels);
  if (!pixels) {
    const char* reason = stbi_failure_reason();
    throw std::runtime_error(path + ": cannot decode the image (" + (reason ? reason : "unknown error") +
                             "); calibration images must be PNG, BMP or baseline/progressive JPEG");
  }
  if (width <= 0 || height <= 0) {
    stbi_image_free(pixels);
    throw std::runtime_error(path + ": the image is " + std::to_string(width) + " x " + std::to_string(height) +
                             " pixels; it has nothing to resize");
  }
  Image image;
  image.width = width;
  image.height = height;
  image.channels = channels;
  image.pixels.assign(pixels, pixels + size_t(width) * size_t(height) * size_t(channels));
  stbi_image_free(pixels);
  return image;
}

std::vector<float> resize_bilinear(const Image& image, int height, int width) {
  const int c_count = image.channels;
  const std::vector<Tap> rows = bilinear_taps(image.height, height);
  const std::vector<Tap> cols = bilinear_taps(image.width, width);
  auto pixel = [&](int y, int x, int c) {
    return float(image.pixels[(size_t(y) * size_t(image.width) + size_t(x)) * size_t(c_count) + size_t(c)]);
  };
  std::vector<float> out(size_t(height) * size_t(width) * size_t(c_count));
  float* dst = out.data();
  for (const Tap& r : rows) {
    for (const Tap& col : cols) {
      for (int c = 0; c < c_count; ++c) {
        const float top = pixel(r.lower, col.lower, c) + (pixel(r.lower, col.upper, c) - pixel(r.lower, col.lower, c)) * col.weight;
        const float bottom =
            pixel(r.upper, col.lower, c) + (pixel(r.upper, col.upper, c) - pixel(r.upper, col.lower, c)) * col.weight;
        *dst++ = top + (bottom - top) * r.weight;
      }
    }
  }
  return out;
}

}  // namespace tools
}  // namespace mote
