/* The fuzz build compiles stb_image from Debian's header (libstb-dev) with the
   fuzzer's coverage and sanitizers instead of linking the prebuilt libstb, so
   the decoders the image fuzzers reach are instrumented too. */
#define STB_IMAGE_IMPLEMENTATION
#include <stb/stb_image.h>
