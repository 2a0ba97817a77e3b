/* Seeds for the image fuzzers: re-encodes an image (PNG/BMP) as a baseline
   JPEG, since the shared data holds no JPEG files.
   Usage: jpeg_seed IN OUT.jpg */
#include <stdio.h>

#include <stb/stb_image.h>
#include <stb/stb_image_write.h>

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s IN OUT.jpg\n", argv[0]);
    return 2;
  }
  int width = 0, height = 0, channels = 0;
  unsigned char* pixels = stbi_load(argv[1], &width, &height, &channels, 0);
  if (!pixels) {
    fprintf(stderr, "%s: %s\n", argv[1], stbi_failure_reason());
    return 1;
  }
  const int ok = stbi_write_jpg(argv[2], width, height, channels, pixels, 90);
  stbi_image_free(pixels);
  return ok ? 0 : 1;
}
