#include "tools/quantizer/calibration.h"

#include <math.h>

#include <algorithm>

#include "tools/common/text_table.h"
#include "tools/quantizer/model_runner.h"
#include "tools/quantizer/quant_params.h"

namespace mote {
namespace tools {
namespace quantizer {
namespace {

constexpr int kHistogramBins = 2048;

// Tensors whose values are read after a node: its outputs and the variable
// tensors it updates.
std::vector<std::vector<int32_t>> tensors_after_each_node(const Graph& g) {
  std::vector<std::vector<int32_t>> result(g.ops.size());
  for (size_t n = 0; n < g.ops.size(); ++n) {
    for (int32_t t : g.ops[n].outputs)
      if (t >= 0) result[n].push_back(t);
    for (int32_t t : g.ops[n].inputs)
      if (t >= 0 && g.tensors[size_t(t)].is_variable) result[n].push_back(t);
  }
  return result;
}

std::string sample_label(size_t k) { return "calibration sample " + std::to_string(k); }

struct Histogram {
  float lo = 0, hi = 0;  // signed values over [lo, hi]
  float abs_hi = 0;      // |values| over [0, abs_hi]
  std::vector<double> counts, abs_counts;

  void init(const TensorRange& r) {
    lo = r.min;
    hi = r.max;
    abs_hi = std::max(fabsf(r.min), fabsf(r.max));
    counts.assign(kHistogramBins, 0.0);
    abs_counts.assign(kHistogramBins, 0.0);
  }
  static int bin(float v, float lo, float hi) {
    if (!(hi > lo)) return 0;
    const int b = int(double(v - lo) / double(hi - lo) * kHistogramBins);
    return std::min(kHistogramBins - 1, std::max(0, b));
  }
  void add(float v) {
    counts[size_t(bin(v, lo, hi))] += 1.0;
    abs_counts[size_t(bin(fabsf(v), 0.0f, abs_hi))] += 1.0;
  }
  float center(int b) const { return lo + (hi - lo) * (float(b) + 0.5f) / kHistogramBins; }
};

// The smallest threshold T with at least `percentile` % of |x| <= T.
TensorRange percentile_range(const TensorRange& r, const Histogram& h, double percentile) {
  double total = 0;
  for (double c : h.abs_counts) total += c;
  if (total <= 0 || !(h.abs_hi > 0)) return r;
  const double wanted = total * percentile / 100.0;
  double sum = 0;
  float threshold = h.abs_hi;
  for (int b = 0; b < kHistogramBins; ++b) {
    sum += h.abs_counts[size_t(b)];
    if (sum >= wanted) {
      threshold = h.abs_hi * float(b + 1) / kHistogramBins;
      break;
    }
  }
  TensorRange clipped;
  clipped.min = std::max(r.min, -threshold);
  clipped.max = std::min(r.max, threshold);
  return clipped;
}

// Expected squared error of quantizing the histogram with the int8
// parameters of `range`.
double quantization_error(const Histogram& h, const TensorRange& range) {
  const QuantParams p = activation_params(range.min, range.max);
  double error = 0;
  for (int b = 0; b < kHistogramBins; ++b) {
    const double count = h.counts[size_t(b)];
    if (count == 0) continue;
    const float x = h.center(b);
    const double d = double(x) - double(dequantize(quantize_int8(x, p), p));
    error += count * d * d;
  }
  return error;
}

TensorRange mse_range(const TensorRange& r, const Histogram& h) {
  TensorRange best = r;
  double best_error = quantization_error(h, r);
  for (int k = 99; k >= 5; --k) {
    const float f = float(k) / 100.0f;
    TensorRange candidate;
    candidate.min = r.min * f;
    candidate.max = r.max * f;
    const double e = quantization_error(h, candidate);
    if (e < best_error) {
      best_error = e;
      best = candidate;
    }
  }
  return best;
}

// An int8 scale is (max - min) / 255 over the range widened to hold 0, in
// float (activation_params()); finite values can still span more than float
// holds, and the histograms divide by that width too.
void refuse_ranges_wider_than_float(const Graph& g, const std::vector<TensorRange>& ranges) {
  for (size_t t = 0; t < ranges.size(); ++t) {
    const TensorRange& r = ranges[t];
    if (!r.seen() || isfinite(std::max(r.max, 0.0f) - std::min(r.min, 0.0f))) continue;
    throw UserError("the float model's values in '" + g.tensors[t].name + "' span [" + float_text(r.min) + ", " +
                    float_text(r.max) + "], wider than a float int8 scale can cover; check the weights and the " +
                    "calibration data's scaling");
  }
}

}  // namespace

const char* method_name(CalibrationMethod method) {
  switch (method) {
    case CalibrationMethod::kMinMax: return "minmax";
    case CalibrationMethod::kPercentile: return "percentile";
    case CalibrationMethod::kMse: return "mse";
  }
  return "minmax";
}

CalibrationMethod parse_method(const std::string& name) {
  if (name == "minmax") return CalibrationMethod::kMinMax;
  if (name == "percentile") return CalibrationMethod::kPercentile;
  if (name == "mse") return CalibrationMethod::kMse;
  throw UserError("unknown calibration method '" + name + "' (use minmax, percentile or mse)");
}

void check_samples(const FloatModel& model, const std::vector<Sample>& samples) {
  const Graph& g = model.graph;
  if (samples.empty()) throw UserError("the calibration dataset is empty: give at least one representative sample");
  for (size_t k = 0; k < samples.size(); ++k) {
    if (samples[k].size() != g.inputs.size())
      throw UserError(sample_label(k) + " has " + std::to_string(samples[k].size()) + " inputs; the model has " +
                      std::to_string(g.inputs.size()));
    for (size_t i = 0; i < g.inputs.size(); ++i) {
      const Tensor& in = g.tensors[size_t(g.inputs[i])];
      const std::vector<float>& v = samples[k][i];
      if (int64_t(v.size()) != in.num_elements())
        throw UserError(sample_label(k) + ", input " + std::to_string(i) + " '" + in.name + "': " +
                        std::to_string(v.size()) + " values, the input needs " + std::to_string(in.num_elements()));
      for (size_t e = 0; e < v.size(); ++e) {
        if (!isfinite(v[e]))
          throw UserError(sample_label(k) + ", input " + std::to_string(i) + " '" + in.name + "' holds " +
                          (isnan(v[e]) ? "NaN" : "Inf") + " at element " + std::to_string(e) +
                          "; calibration data must be finite");
      }
    }
  }
}

Calibration calibrate(const FloatModel& model, const std::vector<Sample>& samples,
                      const CalibrationSettings& settings) {
  check_samples(model, samples);
  const Graph& g = model.graph;
  ModelRunner runner(model.bytes, "the float model");
  const std::vector<std::vector<int32_t>> after_node = tensors_after_each_node(g);
  const int total = int(samples.size());

  Calibration cal;
  cal.samples = total;
  cal.observed.assign(g.tensors.size(), TensorRange());

  // Runs every sample; `visit(tensor, values)` sees each recorded tensor.
  auto sweep = [&](const std::string& phase, const std::function<void(int32_t, const std::vector<float>&)>& visit) {
    for (size_t k = 0; k < samples.size(); ++k) {
      runner.reset_state();
      for (size_t i = 0; i < g.inputs.size(); ++i) {
        runner.set_input(i, samples[k][i]);
        visit(g.inputs[i], samples[k][i]);
      }
      runner.run([&](int node) {
        for (int32_t t : after_node[size_t(node)]) {
          const std::vector<float> values = runner.tensor_values(t);
          for (float v : values) {
            if (!isfinite(v))
              throw UserError("the float model produced " + std::string(isnan(v) ? "NaN" : "Inf") + " in '" +
                              g.tensors[size_t(t)].name + "' (" + node_label(g, node) + ") on " + sample_label(k) +
                              "; check the calibration data's scaling");
          }
          visit(t, values);
        }
      });
      if (settings.progress) settings.progress(phase, int(k) + 1, total);
    }
  };

  sweep("calibrating", [&](int32_t t, const std::vector<float>& values) {
    TensorRange& r = cal.observed[size_t(t)];
    for (float v : values) r.add(v);
  });
  refuse_ranges_wider_than_float(g, cal.observed);
  cal.ranges = cal.observed;
  if (settings.method == CalibrationMethod::kMinMax) return cal;

  std::vector<Histogram> histograms(g.tensors.size());
  for (size_t t = 0; t < g.tensors.size(); ++t)
    if (cal.observed[t].seen()) histograms[t].init(cal.observed[t]);
  sweep("histograms", [&](int32_t t, const std::vector<float>& values) {
    Histogram& h = histograms[size_t(t)];
    if (h.counts.empty()) return;
    for (float v : values) h.add(v);
  });
  for (size_t t = 0; t < g.tensors.size(); ++t) {
    const TensorRange& r = cal.observed[t];
    if (!r.seen() || g.tensors[t].is_variable || !(r.max > r.min)) continue;
    cal.ranges[t] = settings.method == CalibrationMethod::kPercentile
                        ? percentile_range(r, histograms[t], settings.percentile)
                        : mse_range(r, histograms[t]);
  }
  return cal;
}

}  // namespace quantizer
}  // namespace tools
}  // namespace mote
