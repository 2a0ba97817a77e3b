// Error measures the reports share: the mean squared error of two value
// vectors, and the distribution of per-sample errors (mean and percentiles).
#pragma once

#include <vector>

namespace mote {
namespace tools {

// Mean of (a[i] - b[i])^2 over the shorter length; 0 for empty vectors.
double mean_squared_error(const std::vector<float>& a, const std::vector<float>& b);

// Per-sample errors summarised; percentiles are nearest-rank values of the
// sorted samples (no interpolation), so each is an error some sample had.
struct ErrorDistribution {
  double mean = 0, median = 0, p90 = 0, p99 = 0, max = 0;
};

ErrorDistribution error_distribution(std::vector<double> values);

}  // namespace tools
}  // namespace mote
