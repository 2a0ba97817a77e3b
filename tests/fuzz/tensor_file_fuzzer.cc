// Treats the fuzzer's bytes as a tensor file: parses them as .npy (checking
// that what parses round-trips through encode_npy) and reads them from disk as
// `mote run` / `mote export` read --input/--sample files, .npy and raw .bin.
// Only std::runtime_error (a message for the user) may come out.
#include <stdint.h>
#include <stdlib.h>

#include <stdexcept>
#include <vector>

#include "tests/fuzz/scratch_dir.h"
#include "tools/tensor_io.h"

namespace {

using mote::DType;
namespace tools = mote::tools;

void parse_and_round_trip(const std::vector<uint8_t>& file) {
  tools::NpyArray array;
  try {
    array = tools::parse_npy(file, "fuzz.npy");
  } catch (const std::runtime_error&) {
    return;
  }
  if (array.data.size() != size_t(tools::element_count(array.shape)) * mote::dtype_size(array.type)) abort();
  tools::NpyArray again = tools::parse_npy(tools::encode_npy(array.type, array.shape, array.data), "again.npy");
  if (again.type != array.type || again.shape != array.shape || again.data != array.data) abort();
}

void read_as(const std::string& path, DType type, const std::vector<int32_t>& shape) {
  try {
    const std::vector<uint8_t> bytes = tools::read_tensor_file(path, type, shape);
    if (bytes.size() != size_t(tools::element_count(shape)) * mote::dtype_size(type)) abort();
  } catch (const std::runtime_error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const mote_fuzz::ScratchDir scratch;
  parse_and_round_trip(std::vector<uint8_t>(data, data + size));
  const std::string npy = scratch.write("tensor.npy", data, size);
  const std::string bin = scratch.write("tensor.bin", data, size);
  read_as(npy, DType::kFloat32, {1, 4});
  read_as(npy, DType::kInt8, {2, 3});
  read_as(bin, DType::kInt8, {1, 8});
  read_as(bin, DType::kFloat32, {2, 2});
  return 0;
}
