// Reading and writing tensor files on the host: raw little-endian `.bin`
// (just the bytes) and NumPy `.npy` (format 1.0/2.0/3.0, C order,
// little-endian <f4 |i1 |u1 <i2 <i4 <i8 <f8).
//
// Errors throw std::runtime_error with a message meant for the user, naming
// the file, e.g. "input.npy: holds int16 (<i2), expected int8".
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <string>
#include <vector>

#include "mote/tensor.h"

namespace mote {
namespace tools {

struct NpyArray {
  DType type = DType::kFloat32;
  std::vector<int32_t> shape;  // empty: a scalar
  std::vector<uint8_t> data;   // C order, little-endian
};

// Product of the dims (1 for a scalar).
int64_t element_count(const std::vector<int32_t>& shape);

// --- raw .bin ---
// The whole file, which must be exactly `expected_bytes` long.
std::vector<uint8_t> read_bin(const std::string& path, size_t expected_bytes);
void write_bin(const std::string& path, const std::vector<uint8_t>& data);

// --- .npy ---
// Parses a complete .npy file held in memory; `name` is used in messages.
NpyArray parse_npy(const std::vector<uint8_t>& file, const std::string& name);
NpyArray read_npy(const std::string& path);
// Reads an .npy file and checks its dtype and shape against a tensor's.
// Shapes match when equal after dropping leading 1s on both sides, so a (4,)
// array fits a [1, 4] tensor.
std::vector<uint8_t> read_npy(const std::string& path, DType expected_type,
                              const std::vector<int32_t>& expected_shape);
// A complete .npy file (format 1.0, 64-byte aligned header).
std::vector<uint8_t> encode_npy(DType type, const std::vector<int32_t>& shape, const std::vector<uint8_t>& data);
void write_npy(const std::string& path, DType type, const std::vector<int32_t>& shape,
               const std::vector<uint8_t>& data);

// --- by extension ---
// `.npy` files are read with read_npy (dtype and shape checked), anything
// else as raw bytes of the tensor's exact size.
std::vector<uint8_t> read_tensor_file(const std::string& path, DType type, const std::vector<int32_t>& shape);
void write_tensor_file(const std::string& path, DType type, const std::vector<int32_t>& shape,
                       const std::vector<uint8_t>& data);

// NumPy dtype string ("<f4") of a tensor type; throws for types .npy files
// can't hold here.
std::string npy_descr(DType type);

// The type named by dtype_name() ("int8", "float32", ...), as used in
// manifest.json files; throws std::runtime_error for an unknown name.
DType dtype_from_name(const std::string& name);

}  // namespace tools
}  // namespace mote
