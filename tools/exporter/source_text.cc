#include "tools/exporter/source_text.h"

namespace mote {
namespace exporter {

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string s;
  for (size_t i = 0; i < parts.size(); ++i) s += (i ? separator : "") + parts[i];
  return s;
}

std::string printable(const std::string& s) {
  std::string out;
  for (unsigned char c : s) out += (c >= 32 && c < 127 && c != '\\' && c != '"') ? char(c) : '?';
  return out;
}

void append_byte_array(std::string& out, const std::string& array_name, const uint8_t* data, size_t size) {
  static const char kHex[] = "0123456789abcdef";
  out += "alignas(16) const uint8_t " + array_name + "[" + std::to_string(size == 0 ? 1 : size) + "] = {";
  out.reserve(out.size() + size * 6 + size / 16 * 5 + 16);
  for (size_t i = 0; i < size; ++i) {
    out += i % 16 == 0 ? "\n    " : " ";
    out += "0x";
    out += kHex[data[i] >> 4];
    out += kHex[data[i] & 15];
    out += ',';
  }
  out += "\n};\n";
}

}  // namespace exporter
}  // namespace mote
