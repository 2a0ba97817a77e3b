#include "tools/common/text_table.h"

#include <algorithm>

namespace mote {
namespace tools {

TextTable::TextTable(std::vector<std::string> header, std::vector<Align> align)
    : header_(std::move(header)), align_(std::move(align)) {
  align_.resize(header_.size(), Align::kLeft);
}

void TextTable::add_row(std::vector<std::string> cells) {
  cells.resize(header_.size());
  rows_.push_back(std::move(cells));
}

std::string TextTable::to_string(const std::string& indent) const {
  const size_t columns = header_.size();
  std::vector<size_t> width(columns, 0);
  for (size_t c = 0; c < columns; ++c) {
    width[c] = header_[c].size();
    for (const auto& row : rows_) width[c] = std::max(width[c], row[c].size());
  }
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    std::string s = indent;
    for (size_t c = 0; c < columns; ++c) {
      const std::string& cell = cells[c];
      const size_t pad = width[c] - cell.size();
      const bool last = c + 1 == columns;
      if (align_[c] == Align::kRight) {
        s.append(pad, ' ');
        s += cell;
      } else {
        s += cell;
        if (!last) s.append(pad, ' ');
      }
      if (!last) s += "  ";
    }
    while (!s.empty() && s.back() == ' ') s.pop_back();
    out += s + "\n";
  };
  line(header_);
  std::vector<std::string> rule(columns);
  for (size_t c = 0; c < columns; ++c) rule[c] = std::string(width[c], '-');
  line(rule);
  for (const auto& row : rows_) line(row);
  return out;
}

void TextTable::print(FILE* out, const std::string& indent) const { fputs(to_string(indent).c_str(), out); }

std::string with_commas(int64_t value) {
  const bool negative = value < 0;
  uint64_t v = negative ? uint64_t(0) - uint64_t(value) : uint64_t(value);
  std::string digits = std::to_string(v);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return negative ? "-" + out : out;
}

std::string si_units(int64_t value) {
  const double v = double(value);
  const double a = v < 0 ? -v : v;
  char buf[32];
  if (a >= 1e9)
    snprintf(buf, sizeof(buf), "%.2f G", v / 1e9);
  else if (a >= 1e6)
    snprintf(buf, sizeof(buf), "%.2f M", v / 1e6);
  else if (a >= 1e3)
    snprintf(buf, sizeof(buf), "%.2f k", v / 1e3);
  else
    snprintf(buf, sizeof(buf), "%lld", (long long)value);
  return buf;
}

std::string float_text(double v) {
  char buf[32];
  snprintf(buf, sizeof(buf), "%.6g", v);
  return buf;
}

std::string bytes_string(int64_t bytes) {
  std::string s = with_commas(bytes) + " B";
  char buf[32];
  if (bytes >= (int64_t(1) << 20))
    snprintf(buf, sizeof(buf), " (%.2f MiB)", double(bytes) / double(1 << 20));
  else if (bytes >= 1024)
    snprintf(buf, sizeof(buf), " (%.1f KiB)", double(bytes) / 1024.0);
  else
    buf[0] = 0;
  return s + buf;
}

}  // namespace tools
}  // namespace mote
