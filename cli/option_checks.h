// Checks for numeric command-line options whose errors a user can act on:
// CLI11 prefixes the option ("--repeat: "), the text says the allowed range
// and gives an example ("must be a whole number from 1 to 1000000, e.g.
// --repeat 50; got '0'"), instead of CLI11's raw "Value 0 not in range 0.000000
// to 1797693134862315...".
#pragma once

#include <stdint.h>

#include <CLI/CLI.hpp>
#include <string>

namespace mote {
namespace cli {

// A whole number in [min, max]; `example` is a whole option use ("--repeat 50").
CLI::Validator whole_number(long long min, long long max, const std::string& example);
// A whole number from `min` up to INT32_MAX (said as "1 or more"), for int options.
CLI::Validator whole_number(long long min, const std::string& example);

// A finite real number above `min` (or at least `min` when min_inclusive) and
// at most `max`.
CLI::Validator real_number(double min, bool min_inclusive, double max, const std::string& example);

// A byte count: 204800, 200K / 200KiB (x1024) or 8M / 8MiB (x1048576);
// rewrites the value to plain bytes, so use it with Option::transform().
CLI::Validator byte_size(const std::string& example);

// "204800", "200K", "200KiB", "8M", "8MiB" (case-insensitive units) as bytes;
// false for anything else (negative, fractional, overflow, "KB").
bool parse_byte_size(const std::string& text, long long* bytes);

}  // namespace cli
}  // namespace mote
