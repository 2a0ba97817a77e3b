#include "tools/tensor_io.h"

#include <ctype.h>
#include <string.h>

#include <fstream>
#include <limits>
#include <stdexcept>

#include "tools/common/file_reading.h"
#include "tools/common/shapes.h"

namespace mote {
namespace tools {
namespace {

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "tensor_io assumes a little-endian host"
#endif

const char kNpyMagic[] = "\x93NUMPY";
constexpr size_t kNpyMagicBytes = 6;
constexpr size_t kNpyHeaderAlignment = 64;

[[noreturn]] void fail(const std::string& name, const std::string& message) {
  throw std::runtime_error(name + ": " + message);
}

void write_whole_file(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) fail(path, "cannot create file");
  out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
  out.close();
  if (!out) fail(path, "write error");
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

struct DescrEntry {
  const char* descr;
  DType type;
};
// '|' (not applicable) is what NumPy writes for 1-byte types; '<' is accepted too.
const DescrEntry kDescrs[] = {
    {"<f4", DType::kFloat32}, {"|i1", DType::kInt8},  {"<i1", DType::kInt8},  {"|u1", DType::kUInt8},
    {"<u1", DType::kUInt8},   {"<i2", DType::kInt16}, {"<i4", DType::kInt32}, {"<i8", DType::kInt64},
    {"<f8", DType::kFloat64},
};

// The header of a .npy file is a Python dict literal, e.g.
// {'descr': '<f4', 'fortran_order': False, 'shape': (1, 4), }
class HeaderParser {
 public:
  HeaderParser(const std::string& text, const std::string& name) : s_(text), name_(name) {}

  void parse(std::string* descr, bool* fortran_order, std::vector<int64_t>* shape) {
    bool have_descr = false, have_order = false, have_shape = false;
    expect('{');
    while (true) {
      skip_space();
      if (peek() == '}') break;
      std::string key = string_literal();
      expect(':');
      if (key == "descr") {
        *descr = string_literal();
        have_descr = true;
      } else if (key == "fortran_order") {
        *fortran_order = boolean();
        have_order = true;
      } else if (key == "shape") {
        *shape = tuple();
        have_shape = true;
      } else {
        error("unexpected key '" + key + "'");
      }
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      skip_space();
      if (peek() != '}') error("expected ',' or '}'");
    }
    if (!have_descr || !have_order || !have_shape) error("needs the keys 'descr', 'fortran_order' and 'shape'");
  }

 private:
  [[noreturn]] void error(const std::string& what) const {
    fail(name_, "malformed .npy header (" + what + " at character " + std::to_string(pos_) + "): " + s_);
  }
  char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  void skip_space() {
    while (pos_ < s_.size() && isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  void expect(char c) {
    skip_space();
    if (peek() != c) error(std::string("expected '") + c + "'");
    ++pos_;
  }
  std::string string_literal() {
    skip_space();
    char quote = peek();
    if (quote != '\'' && quote != '"') error("expected a string");
    size_t end = s_.find(quote, pos_ + 1);
    if (end == std::string::npos) error("unterminated string");
    std::string value = s_.substr(pos_ + 1, end - pos_ - 1);
    pos_ = end + 1;
    return value;
  }
  bool boolean() {
    skip_space();
    if (s_.compare(pos_, 4, "True") == 0) {
      pos_ += 4;
      return true;
    }
    if (s_.compare(pos_, 5, "False") == 0) {
      pos_ += 5;
      return false;
    }
    error("expected True or False");
  }
  std::vector<int64_t> tuple() {
    std::vector<int64_t> dims;
    expect('(');
    while (true) {
      skip_space();
      if (peek() == ')') break;
      if (!isdigit(static_cast<unsigned char>(peek()))) error("expected a dimension");
      int64_t v = 0;
      while (isdigit(static_cast<unsigned char>(peek()))) {
        v = v * 10 + (peek() - '0');
        if (v > std::numeric_limits<int32_t>::max()) error("dimension too large");
        ++pos_;
      }
      if (peek() == 'L') ++pos_;  // Python 2 long suffix
      dims.push_back(v);
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() != ')') error("expected ',' or ')'");
    }
    ++pos_;
    return dims;
  }

  const std::string& s_;
  const std::string& name_;
  size_t pos_ = 0;
};

std::vector<int32_t> without_leading_ones(const std::vector<int32_t>& shape) {
  size_t first = 0;
  while (first < shape.size() && shape[first] == 1) ++first;
  return std::vector<int32_t>(shape.begin() + long(first), shape.end());
}

std::string tensor_description(DType type, const std::vector<int32_t>& shape) {
  return std::string(dtype_name(type)) + " " + spaced_shape_text(shape);
}

}  // namespace

int64_t element_count(const std::vector<int32_t>& shape) {
  int64_t n = 1;
  for (int32_t d : shape) n *= d;
  return n;
}

std::string npy_descr(DType type) {
  for (const DescrEntry& e : kDescrs)
    if (e.type == type) return e.descr;
  throw std::runtime_error(std::string(".npy files of type ") + dtype_name(type) + " are not supported");
}

DType dtype_from_name(const std::string& name) {
  for (int t = 0; t <= int(DType::kInt4); ++t)
    if (name == dtype_name(DType(t))) return DType(t);
  throw std::runtime_error("unknown tensor type '" + name + "'");
}

// --- raw .bin ---

std::vector<uint8_t> read_bin(const std::string& path, size_t expected_bytes) {
  std::vector<uint8_t> bytes = read_file_bytes(path);
  if (bytes.size() != expected_bytes)
    fail(path, "has " + std::to_string(bytes.size()) + " bytes, expected exactly " + std::to_string(expected_bytes));
  return bytes;
}

void write_bin(const std::string& path, const std::vector<uint8_t>& data) { write_whole_file(path, data); }

// --- .npy ---

NpyArray parse_npy(const std::vector<uint8_t>& file, const std::string& name) {
  if (file.size() < kNpyMagicBytes + 4 || memcmp(file.data(), kNpyMagic, kNpyMagicBytes) != 0)
    fail(name, "not a .npy file (missing the \\x93NUMPY magic)");
  const uint8_t major = file[6];
  size_t header_len = 0;
  size_t header_start = 0;
  if (major == 1) {
    header_len = size_t(file[8]) | size_t(file[9]) << 8;
    header_start = 10;
  } else if (major == 2 || major == 3) {
    if (file.size() < 12) fail(name, "truncated .npy header");
    header_len = size_t(file[8]) | size_t(file[9]) << 8 | size_t(file[10]) << 16 | size_t(file[11]) << 24;
    header_start = 12;
  } else {
    fail(name, "unsupported .npy format version " + std::to_string(major) + "." + std::to_string(file[7]));
  }
  if (header_len > file.size() - header_start) fail(name, "truncated .npy header");
  std::string header(reinterpret_cast<const char*>(file.data() + header_start), header_len);

  std::string descr;
  bool fortran_order = false;
  std::vector<int64_t> dims;
  HeaderParser(header, name).parse(&descr, &fortran_order, &dims);

  NpyArray array;
  bool known = false;
  for (const DescrEntry& e : kDescrs) {
    if (descr == e.descr) {
      array.type = e.type;
      known = true;
    }
  }
  if (!known) {
    if (!descr.empty() && descr[0] == '>')
      fail(name, "big-endian dtype '" + descr + "' is not supported; save with a little-endian dtype");
    fail(name, "dtype '" + descr + "' is not supported (use one of <f4 |i1 |u1 <i2 <i4 <i8 <f8)");
  }
  if (fortran_order)
    fail(name, "Fortran-order arrays are not supported; save a C-order array (numpy.ascontiguousarray)");

  int64_t elements = 1;
  for (int64_t d : dims) {
    array.shape.push_back(int32_t(d));
    elements *= d;
    if (elements > std::numeric_limits<int32_t>::max()) fail(name, "array too large");
  }
  const size_t data_start = header_start + header_len;
  const size_t expected = size_t(elements) * dtype_size(array.type);
  const size_t actual = file.size() - data_start;
  if (actual != expected)
    fail(name, "data has " + std::to_string(actual) + " bytes, but " + descr + " " + spaced_shape_text(array.shape) +
                   " needs " + std::to_string(expected));
  array.data.assign(file.begin() + long(data_start), file.end());
  return array;
}

NpyArray read_npy(const std::string& path) { return parse_npy(read_file_bytes(path), path); }

std::vector<uint8_t> read_npy(const std::string& path, DType expected_type, const std::vector<int32_t>& expected_shape) {
  NpyArray array = read_npy(path);
  if (array.type != expected_type)
    fail(path, std::string("holds ") + dtype_name(array.type) + " (" + npy_descr(array.type) + "), expected " +
                   dtype_name(expected_type));
  if (without_leading_ones(array.shape) != without_leading_ones(expected_shape))
    fail(path, "shape " + spaced_shape_text(array.shape) + " does not match the expected shape " +
                   spaced_shape_text(expected_shape));
  return std::move(array.data);
}

std::vector<uint8_t> encode_npy(DType type, const std::vector<int32_t>& shape, const std::vector<uint8_t>& data) {
  const size_t expected = size_t(element_count(shape)) * dtype_size(type);
  if (data.size() != expected)
    throw std::runtime_error("encode_npy: " + std::to_string(data.size()) + " bytes given for " +
                             tensor_description(type, shape) + ", which needs " + std::to_string(expected));
  std::string header =
      "{'descr': '" + npy_descr(type) + "', 'fortran_order': False, 'shape': " + python_shape_tuple(shape) + ", }";
  // Pad with spaces so magic + version + length + header + '\n' is aligned.
  const size_t prefix = kNpyMagicBytes + 2 + 2;
  const size_t total = (prefix + header.size() + 1 + kNpyHeaderAlignment - 1) / kNpyHeaderAlignment *
                       kNpyHeaderAlignment;
  header.append(total - prefix - header.size() - 1, ' ');
  header += '\n';
  if (header.size() > 0xFFFF) throw std::runtime_error("encode_npy: shape too long for a .npy 1.0 header");

  std::vector<uint8_t> file(kNpyMagic, kNpyMagic + kNpyMagicBytes);
  file.push_back(1);  // format 1.0
  file.push_back(0);
  file.push_back(uint8_t(header.size() & 0xFF));
  file.push_back(uint8_t(header.size() >> 8));
  file.insert(file.end(), header.begin(), header.end());
  file.insert(file.end(), data.begin(), data.end());
  return file;
}

void write_npy(const std::string& path, DType type, const std::vector<int32_t>& shape,
               const std::vector<uint8_t>& data) {
  write_whole_file(path, encode_npy(type, shape, data));
}

// --- by extension ---

std::vector<uint8_t> read_tensor_file(const std::string& path, DType type, const std::vector<int32_t>& shape) {
  if (ends_with(path, ".npy")) return read_npy(path, type, shape);
  const size_t bytes = size_t(element_count(shape)) * dtype_size(type);
  try {
    return read_bin(path, bytes);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(std::string(e.what()) + " (" + tensor_description(type, shape) + ")");
  }
}

void write_tensor_file(const std::string& path, DType type, const std::vector<int32_t>& shape,
                       const std::vector<uint8_t>& data) {
  if (ends_with(path, ".npy"))
    write_npy(path, type, shape, data);
  else
    write_bin(path, data);
}

}  // namespace tools
}  // namespace mote
