// SHA-256 (FIPS 180-4) of a byte string, as 64 lower-case hex digits. The
// export manifest records one per generated file to notice user edits.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <string>

namespace mote {
namespace exporter {

std::string sha256_hex(const void* data, size_t size);
inline std::string sha256_hex(const std::string& bytes) { return sha256_hex(bytes.data(), bytes.size()); }

}  // namespace exporter
}  // namespace mote
