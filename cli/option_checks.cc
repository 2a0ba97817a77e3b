#include "cli/option_checks.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <algorithm>

namespace mote {
namespace cli {
namespace {

std::string real_text(double v) {
  char buf[32];
  snprintf(buf, sizeof(buf), "%g", v);
  return buf;
}

bool parse_whole(const std::string& text, long long* value) {
  if (text.empty()) return false;
  errno = 0;
  char* end = nullptr;
  *value = strtoll(text.c_str(), &end, 10);
  return errno == 0 && end == text.c_str() + text.size();
}

CLI::Validator whole_number_in(long long min, long long max, const std::string& range, const std::string& example) {
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        long long v = 0;
        if (parse_whole(text, &v) && v >= min && v <= max) return std::string();
        return "must be a whole number " + range + ", e.g. " + example + "; got '" + text + "'";
      },
      "", "whole_number");
}

}  // namespace

CLI::Validator whole_number(long long min, long long max, const std::string& example) {
  return whole_number_in(min, max, "from " + std::to_string(min) + " to " + std::to_string(max), example);
}

CLI::Validator whole_number(long long min, const std::string& example) {
  return whole_number_in(min, INT32_MAX, std::to_string(min) + " or more", example);
}

CLI::Validator real_number(double min, bool min_inclusive, double max, const std::string& example) {
  const std::string range = (min_inclusive ? "at least " : "above ") + real_text(min) +
                            (std::isinf(max) ? std::string() : " and at most " + real_text(max));
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        char* end = nullptr;
        const double v = text.empty() ? NAN : strtod(text.c_str(), &end);
        const bool number = !text.empty() && end == text.c_str() + text.size() && std::isfinite(v);
        if (number && (min_inclusive ? v >= min : v > min) && v <= max) return std::string();
        return "must be a number " + range + ", e.g. " + example + "; got '" + text + "'";
      },
      "", "real_number");
}

bool parse_byte_size(const std::string& text, long long* bytes) {
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0 || digits > 15) return false;
  std::string unit = text.substr(digits);
  std::transform(unit.begin(), unit.end(), unit.begin(), [](unsigned char c) { return char(tolower(c)); });
  long long multiplier = 0;
  if (unit.empty()) multiplier = 1;
  if (unit == "k" || unit == "kib") multiplier = 1024;
  if (unit == "m" || unit == "mib") multiplier = 1024 * 1024;
  if (multiplier == 0) return false;
  *bytes = std::stoll(text.substr(0, digits)) * multiplier;
  return true;
}

CLI::Validator byte_size(const std::string& example) {
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        long long bytes = 0;
        if (!parse_byte_size(text, &bytes))
          return "must be a size in bytes: a whole number, optionally with K/KiB (1024) or M/MiB (1048576), e.g. " +
                 example + "; got '" + text + "'";
        text = std::to_string(bytes);
        return std::string();
      },
      "", "byte_size");
}

}  // namespace cli
}  // namespace mote
