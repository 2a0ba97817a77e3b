// Text pieces the generated files share: lists, comment-safe strings, byte
// arrays.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <string>
#include <vector>

namespace mote {
namespace exporter {

std::string join(const std::vector<std::string>& parts, const std::string& separator);
// Text safe inside a // comment or a "string": printable ASCII only.
std::string printable(const std::string& s);
// Appends `data` as `alignas(16) const uint8_t <array_name>[size] = {...};`,
// 16 bytes per line.
void append_byte_array(std::string& out, const std::string& array_name, const uint8_t* data, size_t size);

}  // namespace exporter
}  // namespace mote
