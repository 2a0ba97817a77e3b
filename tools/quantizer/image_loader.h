// Image files for calibration data: decoding (PNG, BMP, JPEG via Debian's
// libstb) and bilinear resizing.
#pragma once

#include <stdint.h>

#include <string>
#include <vector>

namespace mote {
namespace tools {

// 8-bit pixels, rows top to bottom, channels interleaved (HWC).
struct Image {
  int width = 0;
  int height = 0;
  int channels = 0;
  std::vector<uint8_t> pixels;
};

// Decodes `path` into `channels` (1: luma, 3: RGB) channels whatever the file
// holds; alpha is dropped. Images of more than 2^26 pixels are refused before
// decoding. Throws std::runtime_error("<path>: ...").
Image load_image(const std::string& path, int channels);

// Bilinear resize with half-pixel centres and edge clamping, no antialiasing
// (what tf.image.resize(method="bilinear") and OpenCV's INTER_LINEAR compute).
// Returns height * width * image.channels values in pixel units (0..255), HWC.
std::vector<float> resize_bilinear(const Image& image, int height, int width);

}  // namespace tools
}  // namespace mote
