#include "tools/quantizer/quantize_report.h"

#include <stdio.h>
#include <stdlib.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "tools/common/html.h"
#include "tools/common/json.h"
#include "tools/common/text_table.h"

namespace mote {
namespace tools {
namespace {

constexpr double kGoodSqnrDb = 20.0;
constexpr size_t kTextNameWidth = 56;
constexpr size_t kChartNameWidth = 40;

std::string format(const char* fmt, double value) {
  char buf[64];
  snprintf(buf, sizeof(buf), fmt, value);
  return buf;
}

std::string sqnr_text(double db) {
  if (std::isnan(db)) return "n/a";
  if (std::isinf(db)) return db > 0 ? "inf" : "-inf";
  return format("%.1f", db);
}

std::string percent_text(double fraction) { return fraction < 0 ? "-" : format("%.1f%%", fraction * 100.0); }

std::string range_text(float lo, float hi) { return "[" + format("%.4g", lo) + ", " + format("%.4g", hi) + "]"; }

// Cuts long names (TFLite joins fused op names with ';') to `width` characters.
std::string shorten(const std::string& name, size_t width) {
  if (name.size() <= width) return name;
  return name.substr(0, width - 3) + "...";
}

bool is_poor(double db) { return !std::isnan(db) && db < kPoorSqnrDb; }

// Worst SQNR first; NaN (undefined) last; ties in model order.
std::vector<const TensorQuality*> worst_first(const QuantizeReport& report) {
  std::vector<const TensorQuality*> sorted;
  for (const TensorQuality& t : report.tensors) sorted.push_back(&t);
  std::stable_sort(sorted.begin(), sorted.end(), [](const TensorQuality* a, const TensorQuality* b) {
    const bool a_nan = std::isnan(a->sqnr_db), b_nan = std::isnan(b->sqnr_db);
    if (a_nan != b_nan) return b_nan;
    if (!a_nan && a->sqnr_db != b->sqnr_db) return a->sqnr_db < b->sqnr_db;
    return a->tensor < b->tensor;
  });
  return sorted;
}

std::vector<const TensorQuality*> model_order(const QuantizeReport& report) {
  std::vector<const TensorQuality*> sorted;
  for (const TensorQuality& t : report.tensors) sorted.push_back(&t);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const TensorQuality* a, const TensorQuality* b) { return a->tensor < b->tensor; });
  return sorted;
}

int poor_count(const QuantizeReport& report) {
  int n = 0;
  for (const TensorQuality& t : report.tensors) n += is_poor(t.sqnr_db);
  return n;
}

// Float values as the shortest decimal that reads back as the same float, so
// JSON shows 0.0235294122 rather than the float's exact double expansion.
double json_float(float v) {
  for (int digits = 6; digits < 9; ++digits) {
    char buf[32];
    snprintf(buf, sizeof(buf), "%.*g", digits, double(v));
    if (strtof(buf, nullptr) == v) return strtod(buf, nullptr);
  }
  return strtod(format("%.9g", double(v)).c_str(), nullptr);
}

using OrderedJson = nlohmann::ordered_json;

OrderedJson json_number(double v) { return std::isfinite(v) ? OrderedJson(v) : OrderedJson(nullptr); }

// Escaped, with line-break opportunities after the separators of TFLite names.
std::string html_name(const std::string& name) {
  std::string out;
  for (char c : html_escape(name)) {
    out += c;
    if (c == ';' || c == '/') out += "<wbr>";
  }
  return out;
}

const char* sqnr_class(double db) {
  if (std::isnan(db)) return "na";
  if (db < kPoorSqnrDb) return "poor";
  if (db < kGoodSqnrDb) return "fair";
  return "good";
}

bool ends_with_ci(const std::string& s, const std::string& suffix) {
  if (s.size() < suffix.size()) return false;
  for (size_t i = 0; i < suffix.size(); ++i)
    if (tolower(static_cast<unsigned char>(s[s.size() - suffix.size() + i])) != suffix[i]) return false;
  return true;
}

// Horizontal bars, one per tensor in model order, with the poor threshold.
std::string sqnr_chart_svg(const QuantizeReport& report) {
  const std::vector<const TensorQuality*> tensors = model_order(report);
  double top = 30.0;
  for (const TensorQuality* t : tensors)
    if (std::isfinite(t->sqnr_db)) top = std::max(top, t->sqnr_db);
  top = std::ceil(top / 10.0) * 10.0;

  const int label_w = 300, bar_w = 520, value_w = 60, row_h = 18, axis_h = 28, pad = 8;
  const int width = label_w + bar_w + value_w;
  const int height = axis_h + int(tensors.size()) * row_h + pad;
  auto x_of = [&](double db) { return label_w + bar_w * std::min(std::max(db, 0.0), top) / top; };

  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 " + std::to_string(width) +
                    " " + std::to_string(height) + "\" width=\"" + std::to_string(width) + "\" height=\"" +
                    std::to_string(height) + "\" role=\"img\" aria-label=\"SQNR by layer\">\n";
  // Axis: grid lines every 10 dB with labels on top.
  for (double db = 0; db <= top + 1e-9; db += 10.0) {
    const std::string x = format("%.1f", x_of(db));
    svg += "<line class=\"grid\" x1=\"" + x + "\" y1=\"" + std::to_string(axis_h - 6) + "\" x2=\"" + x + "\" y2=\"" +
           std::to_string(height - pad) + "\"/>";
    svg += "<text class=\"tick\" x=\"" + x + "\" y=\"" + std::to_string(axis_h - 10) + "\">" + format("%.0f", db) +
           (db == 0 ? " dB" : "") + "</text>\n";
  }
  auto bar_end = [&](double db) {
    if (std::isinf(db) && db > 0) return x_of(top);
    return std::isfinite(db) ? x_of(db) : double(label_w);
  };
  auto row_y = [&](size_t i) { return axis_h + int(i) * row_h; };
  for (size_t i = 0; i < tensors.size(); ++i) {
    const TensorQuality& t = *tensors[i];
    const std::string label = (t.tensor >= 0 ? std::to_string(t.tensor) + "  " : "") + shorten(t.name, kChartNameWidth);
    svg += "<g><title>" + html_escape(t.name) + " (" + html_escape(t.producer_op) + "): " + sqnr_text(t.sqnr_db) +
           " dB</title>";
    svg += "<text class=\"label\" x=\"" + std::to_string(label_w - 6) + "\" y=\"" + std::to_string(row_y(i) + 13) +
           "\">" + html_escape(label) + "</text>";
    svg += "<rect class=\"" + std::string(sqnr_class(t.sqnr_db)) + "\" x=\"" + std::to_string(label_w) + "\" y=\"" +
           std::to_string(row_y(i) + 3) + "\" width=\"" + format("%.1f", bar_end(t.sqnr_db) - label_w) +
           "\" height=\"" + std::to_string(row_h - 6) + "\"/></g>\n";
  }
  // The threshold goes over the bars, the values over the threshold.
  const std::string threshold_x = format("%.1f", x_of(kPoorSqnrDb));
  svg += "<line class=\"threshold\" x1=\"" + threshold_x + "\" y1=\"" + std::to_string(axis_h - 6) + "\" x2=\"" +
         threshold_x + "\" y2=\"" + std::to_string(height - pad) + "\"><title>poor below " +
         format("%.0f", kPoorSqnrDb) + " dB</title></line>\n";
  for (size_t i = 0; i < tensors.size(); ++i) {
    svg += "<text class=\"value\" x=\"" + format("%.1f", bar_end(tensors[i]->sqnr_db) + 4) + "\" y=\"" +
           std::to_string(row_y(i) + 13) + "\">" + sqnr_text(tensors[i]->sqnr_db) + "</text>\n";
  }
  svg += "</svg>";
  return svg;
}

const char kHtmlStyle[] = R"(
tr.poor td { background: #fdf0ef; }
.chart-box { overflow-x: auto; border: 1px solid #d8dee4; border-radius: 6px; padding: 8px; }
svg.chart { display: block; max-width: 100%; height: auto; font-family: system-ui, -apple-system, Helvetica, Arial, sans-serif; }
svg .label { font-size: 11px; text-anchor: end; fill: #1f2328; font-family: ui-monospace, Menlo, Consolas, monospace; }
svg .value { font-size: 11px; fill: #59636e; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
svg .tick { font-size: 11px; text-anchor: middle; fill: #59636e; }
svg .grid { stroke: #e6e9ed; stroke-width: 1; }
svg .threshold { stroke: #cf222e; stroke-width: 1.5; stroke-dasharray: 4 3; }
svg rect.good { fill: #2da44e; } svg rect.fair { fill: #d4a72c; } svg rect.poor { fill: #cf222e; }
svg rect.na { fill: #8c959f; }
.legend span { display: inline-block; width: 10px; height: 10px; margin: 0 4px 0 12px; border-radius: 2px; }
.legend { color: #59636e; font-size: 12px; margin: 6px 0; }
)";

std::string samples_text(int n) { return std::to_string(n) + " sample" + (n == 1 ? "" : "s"); }

std::string calibration_text(const QuantizeReport& report) {
  return report.method + ", " + samples_text(report.calibration_samples);
}

std::string evaluation_text(const QuantizeReport& report) {
  return samples_text(report.evaluation_samples) + (report.held_out ? " held out" : " (the calibration data)");
}

OrderedJson preprocessing_json(const std::vector<DataPreprocessing>& inputs) {
  OrderedJson list = OrderedJson::array();
  for (const DataPreprocessing& p : inputs) {
    OrderedJson e;
    e["input"] = p.input;
    e["samples"] = p.samples;
    e["images"] = p.images;
    if (p.images > 0) {
      e["color"] = p.color;
      e["resized_from"] = OrderedJson::array();
      for (const auto& [w, h] : p.image_sizes) e["resized_from"].push_back({w, h});
      e["resized_to"] = {p.width, p.height};
    }
    e["scale"] = OrderedJson::array();
    for (float v : p.scale) e["scale"].push_back(json_float(v));
    e["mean"] = OrderedJson::array();
    for (float v : p.mean) e["mean"].push_back(json_float(v));
    e["min"] = json_float(p.min);
    e["max"] = json_float(p.max);
    e["description"] = p.to_string();
    list.push_back(e);
  }
  return list;
}

OrderedJson distribution_json(const ErrorDistribution& d) {
  return {{"mean", json_number(d.mean)}, {"median", json_number(d.median)}, {"p90", json_number(d.p90)},
          {"max", json_number(d.max)}};
}

}  // namespace

// The metric that fits the output's task, then its SQNR.
std::string output_metric_text(const OutputQuality& o) {
  std::string text;
  if (o.task == "classification" && o.top1_agreement >= 0) {
    text = "top-1 agreement " + percent_text(o.top1_agreement);
  } else if (o.task == "reconstruction") {
    text = "reconstruction error (MSE against " + o.reconstructs + ", median over samples) float " +
           format("%.4g", o.float_reconstruction.median) + ", int8 " + format("%.4g", o.int8_reconstruction.median);
  } else {
    text = "MSE " + format("%.4g", o.mse) + ", max |error| " + format("%.4g", o.max_abs_error);
  }
  return text + ", SQNR " + sqnr_text(o.sqnr_db) + " dB";
}

std::string report_verdict(const QuantizeReport& report) {
  std::string verdict;
  if (report.tensors.empty()) {
    verdict = "no per-tensor statistics";
  } else {
    const TensorQuality& worst = *worst_first(report).front();
    const int poor = poor_count(report);
    const std::string worst_text = "worst: " + shorten(worst.name, kTextNameWidth) + ", " + sqnr_text(worst.sqnr_db) + " dB";
    if (poor > 0) {
      verdict = std::to_string(poor) + " of " + std::to_string(report.tensors.size()) + " tensors under " +
                format("%.0f", kPoorSqnrDb) + " dB SQNR (" + worst_text +
                "): try --calibration-method mse or percentile, or more representative calibration data";
    } else {
      verdict = "all " + std::to_string(report.tensors.size()) + " tensors at or above " + format("%.0f", kPoorSqnrDb) +
                " dB SQNR (" + worst_text + ")";
    }
  }
  for (const OutputQuality& o : report.outputs)
    verdict += "; output " + shorten(o.name, kTextNameWidth) + " (" + o.task + "): " + output_metric_text(o);
  return verdict;
}

std::string report_to_text(const QuantizeReport& report) { return report_to_text(report, -1); }

std::string report_to_text(const QuantizeReport& report, int max_tensor_rows) {
  std::string out = "quantization report\n";
  TextTable meta({"", ""});
  meta.add_row({"float model", report.float_model});
  meta.add_row({"quantized model", report.quantized_model});
  meta.add_row({"calibration", calibration_text(report)});
  meta.add_row({"evaluation", evaluation_text(report)});
  for (const DataPreprocessing& p : report.calibration_data) meta.add_row({"calibration data", p.to_string()});
  for (const DataPreprocessing& p : report.evaluation_data) meta.add_row({"evaluation data", p.to_string()});
  for (const std::string& w : report.warnings) meta.add_row({"warning", w});
  // Drop the empty header and rule lines of the two-column table.
  std::string meta_text = meta.to_string("  ");
  meta_text = meta_text.substr(meta_text.find('\n', meta_text.find('\n') + 1) + 1);
  out += meta_text;

  if (!report.outputs.empty()) {
    out += "\noutputs (int8 vs float)\n";
    TextTable outputs({"name", "task", "top-1 agreement", "MSE", "mean abs error", "max abs error", "SQNR dB"},
                      {Align::kLeft, Align::kLeft, Align::kRight, Align::kRight, Align::kRight, Align::kRight,
                       Align::kRight});
    for (const OutputQuality& o : report.outputs)
      outputs.add_row({shorten(o.name, kTextNameWidth), o.task + " (" + o.task_reason + ")",
                       percent_text(o.top1_agreement), format("%.4g", o.mse), format("%.4g", o.mean_abs_error),
                       format("%.4g", o.max_abs_error), sqnr_text(o.sqnr_db)});
    out += outputs.to_string("  ");
    for (const OutputQuality& o : report.outputs) {
      if (o.task != "reconstruction") continue;
      out += "  " + shorten(o.name, kTextNameWidth) + ": reconstruction error per sample (MSE against " +
             o.reconstructs + "): float mean " + format("%.4g", o.float_reconstruction.mean) + ", median " +
             format("%.4g", o.float_reconstruction.median) + ", p90 " + format("%.4g", o.float_reconstruction.p90) +
             ", max " + format("%.4g", o.float_reconstruction.max) + "; int8 mean " +
             format("%.4g", o.int8_reconstruction.mean) + ", median " + format("%.4g", o.int8_reconstruction.median) +
             ", p90 " + format("%.4g", o.int8_reconstruction.p90) + ", max " +
             format("%.4g", o.int8_reconstruction.max) + "\n";
    }
  }

  if (!report.tensors.empty()) {
    out += "\ntensors, worst SQNR first\n";
    TextTable tensors({"tensor", "name", "op", "SQNR dB", "float range", "scale", "zp", "note"},
                      {Align::kRight, Align::kLeft, Align::kLeft, Align::kRight, Align::kLeft, Align::kRight,
                       Align::kRight, Align::kLeft});
    const std::vector<const TensorQuality*> sorted = worst_first(report);
    const size_t shown = max_tensor_rows < 0 ? sorted.size() : std::min(sorted.size(), size_t(max_tensor_rows));
    for (size_t i = 0; i < shown; ++i) {
      const TensorQuality& t = *sorted[i];
      tensors.add_row({t.tensor >= 0 ? std::to_string(t.tensor) : "-", shorten(t.name, kTextNameWidth), t.producer_op,
                       sqnr_text(t.sqnr_db), range_text(t.float_min, t.float_max), format("%.6g", t.scale),
                       std::to_string(t.zero_point), is_poor(t.sqnr_db) ? "<- poor" : ""});
    }
    out += tensors.to_string("  ");
    if (shown < sorted.size())
      out += "  ... " + std::to_string(sorted.size() - shown) + " more tensors (all of them in --report FILE)\n";
  }
  out += "\nverdict: " + report_verdict(report) + "\n";
  return out;
}

std::string report_to_json(const QuantizeReport& report) {
  OrderedJson j;
  j["format"] = "mote-quantize-report/2";
  j["float_model"] = report.float_model;
  j["quantized_model"] = report.quantized_model;
  j["method"] = report.method;
  j["calibration_samples"] = report.calibration_samples;
  j["evaluation_samples"] = report.evaluation_samples;
  j["evaluation_data"] = report.held_out ? "held-out" : "calibration";
  j["preprocessing"] = {{"calibration", preprocessing_json(report.calibration_data)},
                        {"evaluation", preprocessing_json(report.evaluation_data)}};
  j["warnings"] = report.warnings;
  j["poor_sqnr_db"] = kPoorSqnrDb;
  j["poor_tensors"] = poor_count(report);
  j["verdict"] = report_verdict(report);
  j["outputs"] = OrderedJson::array();
  for (const OutputQuality& o : report.outputs) {
    OrderedJson e;
    e["name"] = o.name;
    e["task"] = o.task;
    e["task_reason"] = o.task_reason;
    e["top1_agreement"] = o.top1_agreement >= 0 ? OrderedJson(o.top1_agreement) : OrderedJson(nullptr);
    e["mse"] = json_number(o.mse);
    e["mean_abs_error"] = json_number(o.mean_abs_error);
    e["max_abs_error"] = json_number(o.max_abs_error);
    e["sqnr_db"] = json_number(o.sqnr_db);
    if (o.task == "reconstruction") {
      e["reconstruction"] = {{"against", o.reconstructs},
                             {"float", distribution_json(o.float_reconstruction)},
                             {"int8", distribution_json(o.int8_reconstruction)}};
    } else {
      e["reconstruction"] = nullptr;
    }
    j["outputs"].push_back(e);
  }
  j["tensors"] = OrderedJson::array();
  for (const TensorQuality* t : worst_first(report)) {
    OrderedJson e;
    e["name"] = t->name;
    e["tensor"] = t->tensor;
    e["producer_op"] = t->producer_op;
    e["sqnr_db"] = json_number(t->sqnr_db);
    e["poor"] = is_poor(t->sqnr_db);
    e["float_min"] = json_float(t->float_min);
    e["float_max"] = json_float(t->float_max);
    e["scale"] = json_float(t->scale);
    e["zero_point"] = t->zero_point;
    j["tensors"].push_back(e);
  }
  return j.dump(2) + "\n";
}

std::string report_to_html(const QuantizeReport& report) {
  const int poor = poor_count(report);
  const std::string title = "Quantization report: " + std::filesystem::path(report.float_model).filename().string();
  std::string h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  h += "<title>" + html_escape(title) + "</title>\n<style>" + report_base_style() + kHtmlStyle + "</style>\n</head>\n<body>\n";
  h += "<h1>" + html_escape(title) + "</h1>\n<dl class=\"meta\">\n";
  h += "<dt>float model</dt><dd>" + html_escape(report.float_model) + "</dd>\n";
  h += "<dt>quantized model</dt><dd>" + html_escape(report.quantized_model) + "</dd>\n";
  h += "<dt>calibration</dt><dd>" + html_escape(calibration_text(report)) + "</dd>\n";
  h += "<dt>evaluation</dt><dd>" + html_escape(evaluation_text(report)) + "</dd>\n";
  for (const DataPreprocessing& p : report.calibration_data)
    h += "<dt>calibration data</dt><dd>" + html_escape(p.to_string()) + "</dd>\n";
  for (const DataPreprocessing& p : report.evaluation_data)
    h += "<dt>evaluation data</dt><dd>" + html_escape(p.to_string()) + "</dd>\n";
  h += "</dl>\n";
  for (const std::string& w : report.warnings) h += "<div class=\"verdict warn\">warning: " + html_escape(w) + "</div>\n";
  h += std::string("<div class=\"verdict ") + (poor > 0 ? "warn" : "ok") + "\">" + html_escape(report_verdict(report)) +
       "</div>\n";

  if (!report.outputs.empty()) {
    h += "<h2>Outputs (int8 vs float)</h2>\n<table>\n<tr><th>name</th><th>task</th><th>metric</th>"
         "<th class=\"num\">top-1 agreement</th><th class=\"num\">MSE</th>"
         "<th class=\"num\">mean abs error</th><th class=\"num\">max abs error</th><th class=\"num\">SQNR dB</th></tr>\n";
    for (const OutputQuality& o : report.outputs) {
      h += "<tr><td class=\"name\">" + html_name(o.name) + "</td><td>" + html_escape(o.task + " (" + o.task_reason + ")") +
           "</td><td>" + html_escape(output_metric_text(o)) + "</td><td class=\"num\">" + percent_text(o.top1_agreement) +
           "</td><td class=\"num\">" + format("%.4g", o.mse) + "</td><td class=\"num\">" +
           format("%.4g", o.mean_abs_error) + "</td><td class=\"num\">" +
           format("%.4g", o.max_abs_error) + "</td><td class=\"num\">" + sqnr_text(o.sqnr_db) + "</td></tr>\n";
    }
    h += "</table>\n";
  }

  if (!report.tensors.empty()) {
    h += "<h2>SQNR by layer (model order)</h2>\n<div class=\"legend\">"
         "<span style=\"background:#2da44e\"></span>&ge; " + format("%.0f", kGoodSqnrDb) +
         " dB<span style=\"background:#d4a72c\"></span>" + format("%.0f", kPoorSqnrDb) + "&ndash;" +
         format("%.0f", kGoodSqnrDb) + " dB<span style=\"background:#cf222e\"></span>&lt; " +
         format("%.0f", kPoorSqnrDb) + " dB (poor, dashed line)</div>\n<div class=\"chart-box\">\n" +
         sqnr_chart_svg(report) + "\n</div>\n";
    h += "<h2>Tensors, worst SQNR first</h2>\n<table>\n<tr><th class=\"num\">tensor</th><th>name</th><th>op</th>"
         "<th class=\"num\">SQNR dB</th><th class=\"num\">float range</th><th class=\"num\">scale</th>"
         "<th class=\"num\">zero point</th></tr>\n";
    for (const TensorQuality* t : worst_first(report)) {
      h += std::string("<tr") + (is_poor(t->sqnr_db) ? " class=\"poor\"" : "") + "><td class=\"num\">" +
           (t->tensor >= 0 ? std::to_string(t->tensor) : "-") + "</td><td class=\"name\">" + html_name(t->name) +
           "</td><td>" + html_escape(t->producer_op) + "</td><td class=\"num\">" + sqnr_text(t->sqnr_db) +
           "</td><td class=\"num\">" + range_text(t->float_min, t->float_max) + "</td><td class=\"num\">" +
           format("%.6g", t->scale) + "</td><td class=\"num\">" + std::to_string(t->zero_point) + "</td></tr>\n";
    }
    h += "</table>\n";
  }
  h += "<p class=\"note\">SQNR = 10 &middot; log<sub>10</sub>(&Sigma; x<sup>2</sup> / &Sigma; (x &minus; x&#770;)<sup>2</sup>)"
       " of each float tensor x against its dequantized int8 counterpart x&#770;, over " +
       evaluation_text(report) +
       ". Top-1 agreement: share of samples whose largest output is the same class in both "
       "models. Written by mote quantize.</p>\n</body>\n</html>\n";
  return h;
}

void write_report(const QuantizeReport& report, const std::string& path) {
  std::string text;
  if (ends_with_ci(path, ".json"))
    text = report_to_json(report);
  else if (ends_with_ci(path, ".html") || ends_with_ci(path, ".htm"))
    text = report_to_html(report);
  else
    throw std::runtime_error(path + ": unknown report type; name the file *.json or *.html");
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error(path + ": cannot create the report file");
  out << text;
  out.close();
  if (!out) throw std::runtime_error(path + ": write error");
}

}  // namespace tools
}  // namespace mote
