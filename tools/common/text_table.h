// Plain-text tables with aligned columns for terminal output.
//
//   TextTable t({"node", "op", "MACs"}, {Align::kRight, Align::kLeft, Align::kRight});
//   t.add_row({"0", "CONV_2D", "12,345"});
//   t.print(stdout, "  ");
#pragma once

#include <stdint.h>
#include <stdio.h>

#include <string>
#include <vector>

namespace mote {
namespace tools {

enum class Align { kLeft, kRight };

class TextTable {
 public:
  // Columns without an alignment are left-aligned.
  explicit TextTable(std::vector<std::string> header, std::vector<Align> align = {});

  void add_row(std::vector<std::string> cells);
  size_t rows() const { return rows_.size(); }

  // Header, a dashed rule, then the rows; every line starts with `indent`.
  // The last column is not padded (no trailing spaces).
  void print(FILE* out, const std::string& indent = "") const;
  std::string to_string(const std::string& indent = "") const;

 private:
  std::vector<std::string> header_;
  std::vector<Align> align_;
  std::vector<std::vector<std::string>> rows_;
};

// 1234567 -> "1,234,567"
std::string with_commas(int64_t value);
// 1234567 -> "1.23 M", 2048 -> "2.05 k"; below 1000 the plain number.
std::string si_units(int64_t value);
// Bytes as "85,024 B (83.0 KiB)".
std::string bytes_string(int64_t bytes);
// 0.00392157, 1e+06: six significant digits ("%.6g").
std::string float_text(double v);

}  // namespace tools
}  // namespace mote
