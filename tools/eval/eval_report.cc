#include "tools/eval/eval_report.h"

#include <stdio.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "tools/common/html.h"
#include "tools/common/text_table.h"

namespace mote {
namespace tools {
namespace eval {
namespace {

using OrderedJson = nlohmann::ordered_json;

constexpr int kHistogramBins = 20;
constexpr size_t kTextMatrixClasses = 20;  // larger confusion matrices only in JSON / HTML
constexpr size_t kClassNameWidth = 14;
const char* const kModelColors[] = {"#0969da", "#d4a72c"};

std::string format(const char* fmt, double value) {
  char buf[64];
  snprintf(buf, sizeof(buf), fmt, value);
  return buf;
}

std::string number(double v) { return format("%.4g", v); }
std::string percent(double fraction) { return format("%.1f%%", fraction * 100.0); }
OrderedJson json_number(double v) { return std::isfinite(v) ? OrderedJson(v) : OrderedJson(nullptr); }

std::string shorten(const std::string& name, size_t width) {
  return name.size() <= width ? name : name.substr(0, width - 3) + "...";
}

std::string file_name(const std::string& path) { return std::filesystem::path(path).filename().string(); }

bool classification(const EvalReport& r) { return r.task == "classification"; }
bool labelled_classes(const EvalReport& r) { return classification(r) && !r.class_names.empty(); }

std::string samples_text(int64_t n) { return std::to_string(n) + " sample" + (n == 1 ? "" : "s"); }

// "'y' (3 values), classification (SOFTMAX output)"
std::string output_text(const EvalReport& r) {
  return "'" + r.output_name + "' (" + std::to_string(r.output_values) + " value" + (r.output_values == 1 ? "" : "s") +
         "), " + r.task + " (" + r.task_reason + ")";
}

std::string accuracy_text(const ModelEvaluation& m, int samples) {
  return samples > 0 ? percent(double(m.correct) / double(samples)) : "-";
}

std::string error_subject(const EvalReport& r) {
  return r.task == "reconstruction" ? "error against " + r.reconstructs : "error against the labels";
}

std::string agreement_text(const EvalReport& r) {
  const std::vector<ModelEvaluation>& m = r.results.models;
  const ModelAgreement& a = r.results.agreement;
  std::string text = file_name(m[1].path) + " vs " + file_name(m[0].path) + ": ";
  if (a.same_class >= 0) text += "same class on " + percent(a.same_class) + " of samples, ";
  return text + "output MSE " + number(a.mse) + ", max |difference| " + number(a.max_abs_difference);
}

// A class's correct predictions over its samples (recall) and over all
// predictions of it (precision); -1 when undefined.
struct ClassScore {
  int64_t samples = 0, predicted = 0, correct = 0;
  double recall() const { return samples > 0 ? double(correct) / double(samples) : -1; }
  double precision() const { return predicted > 0 ? double(correct) / double(predicted) : -1; }
};

ClassScore class_score(const std::vector<std::vector<int64_t>>& confusion, size_t c) {
  ClassScore s;
  for (size_t j = 0; j < confusion.size(); ++j) {
    s.samples += confusion[c][j];
    s.predicted += confusion[j][c];
  }
  s.correct = confusion[c][c];
  return s;
}

std::string confusion_text(const EvalReport& r, const ModelEvaluation& m) {
  std::string out = "\nconfusion matrix of " + m.path + " (rows: true class, columns: predicted)\n";
  if (r.class_names.size() > kTextMatrixClasses)
    return out + "  " + std::to_string(r.class_names.size()) + " classes: see --html or --json for the matrix\n";
  std::vector<std::string> header = {"true \\ predicted"};
  std::vector<Align> align = {Align::kLeft};
  for (const std::string& name : r.class_names) {
    header.push_back(shorten(name, kClassNameWidth));
    align.push_back(Align::kRight);
  }
  header.push_back("recall");
  align.push_back(Align::kRight);
  TextTable table(header, align);
  for (size_t c = 0; c < r.class_names.size(); ++c) {
    std::vector<std::string> row = {shorten(r.class_names[c], kClassNameWidth)};
    for (int64_t n : m.confusion[c]) row.push_back(std::to_string(n));
    const double recall = class_score(m.confusion, c).recall();
    row.push_back(recall < 0 ? "-" : percent(recall));
    table.add_row(row);
  }
  return out + table.to_string("  ");
}

OrderedJson distribution_json(const ErrorDistribution& d) {
  return {{"mean", json_number(d.mean)}, {"median", json_number(d.median)}, {"p90", json_number(d.p90)},
          {"p99", json_number(d.p99)}, {"max", json_number(d.max)}};
}

std::string svg_open(int width, int height, const std::string& label) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 " + std::to_string(width) + " " +
         std::to_string(height) + "\" width=\"" + std::to_string(width) + "\" height=\"" + std::to_string(height) +
         "\" role=\"img\" aria-label=\"" + html_escape(label) + "\">\n";
}

const char kEvalStyle[] = R"(
.chart-box { overflow-x: auto; border: 1px solid #d8dee4; border-radius: 6px; padding: 8px; margin-bottom: 12px; }
svg.chart { display: block; max-width: 100%; height: auto; font-family: system-ui, -apple-system, Helvetica, Arial, sans-serif; }
svg text { font-size: 11px; fill: #1f2328; }
svg .axis { fill: #59636e; }
svg .grid { stroke: #e6e9ed; stroke-width: 1; }
svg rect.cell { stroke: #d8dee4; stroke-width: 0.5; }
)";

}  // namespace

ErrorHistogram error_histogram(const std::vector<ModelEvaluation>& models, int bins) {
  ErrorHistogram h;
  double top = 0;
  for (const ModelEvaluation& m : models)
    for (double e : m.sample_mse)
      if (std::isfinite(e)) top = std::max(top, e);
  h.bin_width = top > 0 ? top / bins : 1.0;
  for (const ModelEvaluation& m : models) {
    std::vector<int64_t> counts(size_t(bins), 0);
    // A non-finite error (the model gave inf or NaN) counts in the last bin.
    for (double e : m.sample_mse)
      ++counts[std::isfinite(e) ? std::min(size_t(bins) - 1, size_t(e / h.bin_width)) : size_t(bins) - 1];
    h.counts.push_back(counts);
  }
  return h;
}

std::string eval_report_text(const EvalReport& r) {
  std::string out = "Evaluated " + samples_text(r.samples) + ": output " + output_text(r) + "\n";
  for (const DataPreprocessing& p : r.data) out += "  data    " + p.to_string() + "\n";
  if (!r.labels.empty()) {
    out += "  labels  " + r.labels;
    if (!r.class_names.empty()) {
      std::string names;
      for (size_t i = 0; i < r.class_names.size() && i < 10; ++i) names += (i ? ", " : "") + r.class_names[i];
      if (r.class_names.size() > 10) names += ", ...";
      out += ", " + std::to_string(r.class_names.size()) + " classes: " + names;
    }
    out += "\n";
  } else if (r.task != "reconstruction") {
    out += "  labels  none: the models are compared with each other only\n";
  }
  out += "\n";
  const std::vector<ModelEvaluation>& models = r.results.models;
  if (labelled_classes(r)) {
    TextTable table({"model", "accuracy", "correct"}, {Align::kLeft, Align::kRight, Align::kRight});
    for (const ModelEvaluation& m : models)
      table.add_row({m.path, accuracy_text(m, r.samples),
                     std::to_string(m.correct) + " of " + std::to_string(r.samples)});
    out += table.to_string("  ");
  } else if (!models.empty() && models[0].has_errors) {
    out += "  " + error_subject(r) + " (per-sample MSE: the mean of each sample's squared errors)\n";
    TextTable table({"model", "MSE", "mean |error|", "max |error|", "sample MSE median", "p90", "p99", "max"},
                    {Align::kLeft, Align::kRight, Align::kRight, Align::kRight, Align::kRight, Align::kRight,
                     Align::kRight, Align::kRight});
    for (const ModelEvaluation& m : models) {
      const ErrorDistribution& d = m.sample_mse_distribution;
      table.add_row({m.path, number(m.mse), number(m.mean_abs_error), number(m.max_abs_error), number(d.median),
                     number(d.p90), number(d.p99), number(d.max)});
    }
    out += table.to_string("  ");
  }
  if (r.results.compared) out += "  " + agreement_text(r) + "\n";
  if (labelled_classes(r))
    for (const ModelEvaluation& m : models) out += confusion_text(r, m);
  return out;
}

std::string eval_report_json(const EvalReport& r) {
  OrderedJson j;
  j["format"] = "mote-eval-report/1";
  j["samples"] = r.samples;
  j["output"] = {{"index", r.output_index}, {"name", r.output_name}, {"values", r.output_values}};
  j["task"] = r.task;
  j["task_reason"] = r.task_reason;
  j["reconstructs"] = r.reconstructs.empty() ? OrderedJson(nullptr) : OrderedJson(r.reconstructs);
  j["data"] = OrderedJson::array();
  for (const DataPreprocessing& p : r.data) j["data"].push_back(p.to_string());
  j["labels"] = r.labels.empty() ? OrderedJson(nullptr)
                                 : OrderedJson({{"source", r.labels}, {"classes", r.class_names}});
  const ErrorHistogram histogram = error_histogram(r.results.models, kHistogramBins);
  j["models"] = OrderedJson::array();
  for (size_t i = 0; i < r.results.models.size(); ++i) {
    const ModelEvaluation& m = r.results.models[i];
    OrderedJson e;
    e["path"] = m.path;
    if (labelled_classes(r)) {
      e["accuracy"] = r.samples > 0 ? OrderedJson(double(m.correct) / double(r.samples)) : OrderedJson(nullptr);
      e["correct"] = m.correct;
      e["confusion_matrix"] = m.confusion;
      e["per_class"] = OrderedJson::array();
      for (size_t c = 0; c < r.class_names.size(); ++c) {
        const ClassScore s = class_score(m.confusion, c);
        e["per_class"].push_back({{"class", r.class_names[c]},
                                  {"samples", s.samples},
                                  {"correct", s.correct},
                                  {"recall", s.recall() < 0 ? OrderedJson(nullptr) : OrderedJson(s.recall())},
                                  {"precision", s.precision() < 0 ? OrderedJson(nullptr) : OrderedJson(s.precision())}});
      }
    }
    if (m.has_errors) {
      e["error_against"] = r.task == "reconstruction" ? r.reconstructs : "labels";
      e["mse"] = json_number(m.mse);
      e["mean_abs_error"] = json_number(m.mean_abs_error);
      e["max_abs_error"] = json_number(m.max_abs_error);
      e["sample_mse"] = distribution_json(m.sample_mse_distribution);
      e["sample_mse_histogram"] = {{"bin_width", json_number(histogram.bin_width)}, {"counts", histogram.counts[i]}};
    }
    j["models"].push_back(e);
  }
  if (r.results.compared) {
    const ModelAgreement& a = r.results.agreement;
    j["agreement"] = {{"model", r.results.models[1].path},
                      {"reference", r.results.models[0].path},
                      {"same_class", a.same_class < 0 ? OrderedJson(nullptr) : OrderedJson(a.same_class)},
                      {"mse", json_number(a.mse)},
                      {"max_abs_difference", json_number(a.max_abs_difference)}};
  } else {
    j["agreement"] = nullptr;
  }
  return j.dump(2) + "\n";
}

std::string confusion_matrix_svg(const std::vector<std::string>& names,
                                 const std::vector<std::vector<int64_t>>& confusion) {
  const int n = int(names.size());
  const int cell = std::max(6, std::min(44, 640 / std::max(n, 1)));
  const bool cell_text = cell >= 20, name_text = cell >= 10;
  const int left = name_text ? 130 : 40, top = name_text ? 110 : 40;
  const int width = left + n * cell + 10, height = top + n * cell + 10;
  std::string svg = svg_open(width, height, "confusion matrix");
  svg += "<text class=\"axis\" x=\"" + std::to_string(left) + "\" y=\"12\">predicted &#8594;</text>\n";
  svg += "<text class=\"axis\" x=\"4\" y=\"" + std::to_string(top - 6) + "\">true &#8595;</text>\n";
  for (int c = 0; c < n && name_text; ++c) {
    const std::string name = html_escape(shorten(names[size_t(c)], 18));
    const int x = left + c * cell + cell / 2, y = top + c * cell + cell / 2 + 4;
    svg += "<text x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(top - 6) + "\" transform=\"rotate(-45 " +
           std::to_string(x) + " " + std::to_string(top - 6) + ")\">" + name + "</text>";
    svg += "<text x=\"" + std::to_string(left - 6) + "\" y=\"" + std::to_string(y) +
           "\" text-anchor=\"end\">" + name + "</text>\n";
  }
  for (int t = 0; t < n; ++t) {
    int64_t row_total = 0;
    for (int64_t v : confusion[size_t(t)]) row_total += v;
    for (int p = 0; p < n; ++p) {
      const int64_t count = confusion[size_t(t)][size_t(p)];
      const double share = row_total > 0 ? double(count) / double(row_total) : 0.0;
      const int x = left + p * cell, y = top + t * cell;
      svg += "<g><title>true " + html_escape(names[size_t(t)]) + ", predicted " + html_escape(names[size_t(p)]) +
             ": " + std::to_string(count) + (row_total > 0 ? " (" + percent(share) + " of the class)" : "") +
             "</title><rect class=\"cell\" x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(y) +
             "\" width=\"" + std::to_string(cell) + "\" height=\"" + std::to_string(cell) + "\" fill=\"" +
             (t == p ? "#2da44e" : "#cf222e") + "\" fill-opacity=\"" + format("%.3f", 0.05 + 0.95 * share) + "\"/>";
      if (cell_text && count > 0)
        svg += "<text x=\"" + std::to_string(x + cell / 2) + "\" y=\"" + std::to_string(y + cell / 2 + 4) +
               "\" text-anchor=\"middle\"" + (share > 0.55 ? " style=\"fill:#fff\"" : "") + ">" +
               std::to_string(count) + "</text>";
      svg += "</g>\n";
    }
  }
  return svg + "</svg>";
}

std::string error_histogram_svg(const EvalReport& r) {
  const std::vector<ModelEvaluation>& models = r.results.models;
  const ErrorHistogram h = error_histogram(models, kHistogramBins);
  int64_t most = 1;
  for (const std::vector<int64_t>& counts : h.counts)
    for (int64_t c : counts) most = std::max(most, c);
  const int left = 50, plot_w = 640, plot_h = 200, top = 30, bottom = 40;
  const int width = left + plot_w + 20, height = top + plot_h + bottom;
  const double bin_w = double(plot_w) / kHistogramBins;
  const double bar_w = (bin_w - 2) / double(std::max<size_t>(models.size(), 1));
  std::string svg = svg_open(width, height, "per-sample error histogram");
  for (int k = 0; k <= 4; ++k) {  // count axis
    const double y = top + plot_h - plot_h * k / 4.0;
    svg += "<line class=\"grid\" x1=\"" + std::to_string(left) + "\" x2=\"" + std::to_string(left + plot_w) +
           "\" y1=\"" + format("%.1f", y) + "\" y2=\"" + format("%.1f", y) + "\"/><text class=\"axis\" x=\"" +
           std::to_string(left - 6) + "\" y=\"" + format("%.1f", y + 4) + "\" text-anchor=\"end\">" +
           format("%.0f", double(most) * k / 4.0) + "</text>\n";
  }
  for (size_t m = 0; m < models.size(); ++m) {
    for (int b = 0; b < kHistogramBins; ++b) {
      const int64_t count = h.counts[m][size_t(b)];
      if (count == 0) continue;
      const double bar_h = double(plot_h) * double(count) / double(most);
      svg += "<rect x=\"" + format("%.1f", left + b * bin_w + 1 + double(m) * bar_w) + "\" y=\"" +
             format("%.1f", top + plot_h - bar_h) + "\" width=\"" + format("%.1f", bar_w) + "\" height=\"" +
             format("%.1f", bar_h) + "\" fill=\"" + kModelColors[m % 2] + "\"><title>" +
             html_escape(file_name(models[m].path)) + ": " + std::to_string(count) + " samples with MSE in [" +
             number(b * h.bin_width) + ", " + number((b + 1) * h.bin_width) + ")</title></rect>\n";
    }
  }
  for (int b = 0; b <= kHistogramBins; b += 5) {  // error axis
    const double x = left + b * bin_w;
    svg += "<text class=\"axis\" x=\"" + format("%.1f", x) + "\" y=\"" + std::to_string(top + plot_h + 16) +
           "\" text-anchor=\"middle\">" + number(b * h.bin_width) + "</text>\n";
  }
  svg += "<text class=\"axis\" x=\"" + std::to_string(left + plot_w / 2) + "\" y=\"" +
         std::to_string(height - 6) + "\" text-anchor=\"middle\">per-sample MSE (" + html_escape(error_subject(r)) +
         ")</text>\n";
  for (size_t m = 0; m < models.size(); ++m) {
    const int x = left + 10 + int(m) * 260;
    svg += "<rect x=\"" + std::to_string(x) + "\" y=\"8\" width=\"10\" height=\"10\" fill=\"" + kModelColors[m % 2] +
           "\"/><text x=\"" + std::to_string(x + 14) + "\" y=\"17\">" + html_escape(shorten(file_name(models[m].path), 36)) +
           "</text>\n";
  }
  return svg + "</svg>";
}

std::string eval_report_html(const EvalReport& r) {
  const std::vector<ModelEvaluation>& models = r.results.models;
  std::string names;
  for (const ModelEvaluation& m : models) names += (names.empty() ? "" : ", ") + file_name(m.path);
  const std::string title = "Evaluation: " + names;
  std::string h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  h += "<title>" + html_escape(title) + "</title>\n<style>" + report_base_style() + kEvalStyle +
       "</style>\n</head>\n<body>\n<h1>" + html_escape(title) + "</h1>\n<dl class=\"meta\">\n";
  for (const ModelEvaluation& m : models) h += "<dt>model</dt><dd>" + html_escape(m.path) + "</dd>\n";
  h += "<dt>output</dt><dd>" + html_escape(output_text(r)) + "</dd>\n";
  h += "<dt>samples</dt><dd>" + std::to_string(r.samples) + "</dd>\n";
  for (const DataPreprocessing& p : r.data) h += "<dt>data</dt><dd>" + html_escape(p.to_string()) + "</dd>\n";
  h += "<dt>labels</dt><dd>" + html_escape(r.labels.empty() ? "none" : r.labels) + "</dd>\n</dl>\n";
  if (r.results.compared) h += "<div class=\"verdict ok\">" + html_escape(agreement_text(r)) + "</div>\n";

  if (labelled_classes(r)) {
    h += "<h2>Accuracy</h2>\n<table>\n<tr><th>model</th><th class=\"num\">accuracy</th><th class=\"num\">correct</th></tr>\n";
    for (const ModelEvaluation& m : models)
      h += "<tr><td class=\"name\">" + html_escape(m.path) + "</td><td class=\"num\">" + accuracy_text(m, r.samples) +
           "</td><td class=\"num\">" + std::to_string(m.correct) + " of " + std::to_string(r.samples) + "</td></tr>\n";
    h += "</table>\n";
    for (const ModelEvaluation& m : models) {
      h += "<h2>Confusion matrix: " + html_escape(file_name(m.path)) + "</h2>\n<p class=\"note\">Rows: true class, "
           "columns: predicted class; green: correct, red: mistakes, shaded by the share of the row.</p>\n"
           "<div class=\"chart-box\">\n" + confusion_matrix_svg(r.class_names, m.confusion) + "\n</div>\n";
      h += "<table>\n<tr><th>class</th><th class=\"num\">samples</th><th class=\"num\">correct</th>"
           "<th class=\"num\">recall</th><th class=\"num\">precision</th></tr>\n";
      for (size_t c = 0; c < r.class_names.size(); ++c) {
        const ClassScore s = class_score(m.confusion, c);
        h += "<tr><td class=\"name\">" + html_escape(r.class_names[c]) + "</td><td class=\"num\">" +
             std::to_string(s.samples) + "</td><td class=\"num\">" + std::to_string(s.correct) +
             "</td><td class=\"num\">" + (s.recall() < 0 ? "-" : percent(s.recall())) + "</td><td class=\"num\">" +
             (s.precision() < 0 ? "-" : percent(s.precision())) + "</td></tr>\n";
      }
      h += "</table>\n";
    }
  } else if (!models.empty() && models[0].has_errors) {
    std::string heading = error_subject(r);  // "error against ..."
    heading[0] = 'E';
    h += "<h2>" + html_escape(heading) + "</h2>\n<table>\n<tr><th>model</th><th class=\"num\">MSE</th>"
         "<th class=\"num\">mean |error|</th><th class=\"num\">max |error|</th><th class=\"num\">sample MSE mean</th>"
         "<th class=\"num\">median</th><th class=\"num\">p90</th><th class=\"num\">p99</th><th class=\"num\">max</th></tr>\n";
    for (const ModelEvaluation& m : models) {
      const ErrorDistribution& d = m.sample_mse_distribution;
      h += "<tr><td class=\"name\">" + html_escape(m.path) + "</td>";
      for (double v : {m.mse, m.mean_abs_error, m.max_abs_error, d.mean, d.median, d.p90, d.p99, d.max})
        h += "<td class=\"num\">" + number(v) + "</td>";
      h += "</tr>\n";
    }
    h += "</table>\n<h2>Per-sample error distribution</h2>\n<div class=\"chart-box\">\n" + error_histogram_svg(r) +
         "\n</div>\n";
  }
  h += "<p class=\"note\">Each sample runs from a fresh model state. Per-sample MSE: the mean of one sample's "
       "squared errors; percentiles are nearest-rank. Written by mote eval.</p>\n</body>\n</html>\n";
  return h;
}

}  // namespace eval
}  // namespace tools
}  // namespace mote
