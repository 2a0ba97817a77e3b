#include "tools/common/error_statistics.h"

#include <stddef.h>

#include <algorithm>

namespace mote {
namespace tools {

double mean_squared_error(const std::vector<float>& a, const std::vector<float>& b) {
  double sum = 0;
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) sum += (double(a[i]) - double(b[i])) * (double(a[i]) - double(b[i]));
  return n > 0 ? sum / double(n) : 0.0;
}

ErrorDistribution error_distribution(std::vector<double> values) {
  ErrorDistribution d;
  if (values.empty()) return d;
  std::sort(values.begin(), values.end());
  for (double v : values) d.mean += v;
  d.mean /= double(values.size());
  auto at = [&](double q) { return values[std::min(values.size() - 1, size_t(q * double(values.size() - 1) + 0.5))]; };
  d.median = at(0.5);
  d.p90 = at(0.9);
  d.p99 = at(0.99);
  d.max = values.back();
  return d;
}

}  // namespace tools
}  // namespace mote
