#include "tools/quantizer/quantize_report.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <sstream>
#include <string>

#include "cli_harness.h"
#include "tools/common/json.h"

namespace {

using namespace mote::tools;
namespace fs = std::filesystem;

TensorQuality tensor(int index, const std::string& name, const std::string& op, double sqnr) {
  TensorQuality t;
  t.tensor = index;
  t.name = name;
  t.producer_op = op;
  t.sqnr_db = sqnr;
  t.float_min = -1.5f;
  t.float_max = 6.0f;
  t.scale = 7.5f / 255.0f;
  t.zero_point = -77;
  return t;
}

// Five tensors in model order with SQNRs 25, 5, inf, NaN, 12 dB; one classifier
// output and one regression output.
QuantizeReport sample_report() {
  QuantizeReport r;
  r.float_model = "models/net_float.tflite";
  r.quantized_model = "out/net_int8.tflite";
  r.method = "minmax";
  r.calibration_samples = 200;
  r.evaluation_samples = 64;
  r.held_out = true;
  r.tensors.push_back(tensor(3, "net/conv1/Relu;net/conv1/BiasAdd", "CONV_2D", 25.0));
  r.tensors.push_back(tensor(5, "net/dw<2>&x", "DEPTHWISE_CONV_2D", 5.0));
  r.tensors.push_back(tensor(7, "net/reshape", "RESHAPE", std::numeric_limits<double>::infinity()));
  r.tensors.push_back(tensor(8, "net/empty", "FULLY_CONNECTED", std::numeric_limits<double>::quiet_NaN()));
  r.tensors.push_back(tensor(9, "net/logits", "FULLY_CONNECTED", 12.0));
  OutputQuality cls;
  cls.name = "probabilities";
  cls.mean_abs_error = 0.0125;
  cls.max_abs_error = 0.25;
  cls.sqnr_db = 21.5;
  cls.top1_agreement = 0.875;
  cls.task = "classification";
  cls.task_reason = "SOFTMAX output";
  OutputQuality reg;
  reg.name = "value";
  reg.mean_abs_error = 0.5;
  reg.max_abs_error = 2;
  reg.sqnr_db = 14.3;
  reg.mse = 0.75;
  reg.task_reason = "not SOFTMAX, not the size of an input";
  r.outputs = {cls, reg};
  return r;
}

// Positions of each name in `text`, checking they appear in `order`.
void expect_in_order(const std::string& text, const std::vector<std::string>& order) {
  size_t last = 0;
  for (const std::string& name : order) {
    const size_t at = text.find(name, last);
    ASSERT_NE(at, std::string::npos) << name << " missing or out of order in:\n" << text;
    last = at + name.size();
  }
}

TEST(QuantizeReport, TextListsTensorsWorstFirst) {
  const std::string text = report_to_text(sample_report());
  EXPECT_TRUE(contains(text, "models/net_float.tflite")) << text;
  EXPECT_TRUE(contains(text, "out/net_int8.tflite")) << text;
  EXPECT_TRUE(contains(text, "minmax, 200 samples")) << text;
  EXPECT_TRUE(contains(text, "64 samples held out")) << text;

  const size_t table = text.find("worst SQNR first");
  const std::string tensors = text.substr(table, text.find("verdict:") - table);
  expect_in_order(tensors, {"net/dw<2>&x", "net/logits", "net/conv1/Relu", "net/reshape", "net/empty"});
  // Each row: index, op, SQNR, range, scale, zero point; only the 5 dB one flagged.
  std::istringstream lines(tensors);
  std::string line;
  int flagged = 0;
  while (std::getline(lines, line)) {
    if (contains(line, "<- poor")) {
      ++flagged;
      EXPECT_TRUE(contains(line, "net/dw<2>&x")) << line;
    }
    if (contains(line, "net/dw<2>&x")) {
      EXPECT_TRUE(contains(line, " 5 ")) << line;
      EXPECT_TRUE(contains(line, "DEPTHWISE_CONV_2D")) << line;
      EXPECT_TRUE(contains(line, "5.0")) << line;
      EXPECT_TRUE(contains(line, "[-1.5, 6]")) << line;
      EXPECT_TRUE(contains(line, "0.0294118")) << line;
      EXPECT_TRUE(contains(line, "-77")) << line;
    }
    if (contains(line, "net/reshape")) EXPECT_TRUE(contains(line, "inf")) << line;
    if (contains(line, "net/empty")) EXPECT_TRUE(contains(line, "n/a")) << line;
  }
  EXPECT_EQ(flagged, 1);

  // Outputs: top-1 as a percentage, '-' for non-classifiers.
  const std::string outputs = text.substr(text.find("outputs"), text.find("worst SQNR first") - text.find("outputs"));
  expect_in_order(outputs, {"probabilities", "87.5%", "0.0125", "0.25", "21.5", "value", "-", "0.5", "2", "14.3"});

  const std::string verdict = text.substr(text.find("verdict:"));
  EXPECT_TRUE(contains(verdict, "1 of 5 tensors under 10 dB SQNR (worst: net/dw<2>&x, 5.0 dB)")) << verdict;
  EXPECT_TRUE(contains(verdict, "top-1 agreement 87.5%")) << verdict;
  EXPECT_EQ(std::count(verdict.begin(), verdict.end(), '\n'), 1) << "the verdict is one line";
}

TEST(QuantizeReport, TextRowLimitAndCleanVerdict) {
  QuantizeReport r = sample_report();
  const std::string limited = report_to_text(r, 2);
  EXPECT_TRUE(contains(limited, "net/logits"));
  EXPECT_FALSE(contains(limited.substr(limited.find("worst SQNR first"), limited.find("... 3 more") -
                                                                             limited.find("worst SQNR first")),
                        "net/reshape"));
  EXPECT_TRUE(contains(limited, "... 3 more tensors")) << limited;

  r.tensors.erase(r.tensors.begin() + 1);  // drop the 5 dB tensor
  const std::string verdict = report_verdict(r);
  EXPECT_TRUE(contains(verdict, "all 4 tensors at or above 10 dB SQNR (worst: net/logits, 12.0 dB)")) << verdict;
  EXPECT_FALSE(contains(report_to_text(r), "<- poor"));
}

TEST(QuantizeReport, JsonHasStableKeys) {
  const QuantizeReport r = sample_report();
  const Json j = Json::parse(report_to_json(r));
  EXPECT_EQ(j.at("format"), "mote-quantize-report/2");
  EXPECT_EQ(j.at("float_model"), "models/net_float.tflite");
  EXPECT_EQ(j.at("quantized_model"), "out/net_int8.tflite");
  EXPECT_EQ(j.at("method"), "minmax");
  EXPECT_EQ(j.at("calibration_samples"), 200);
  EXPECT_EQ(j.at("evaluation_samples"), 64);
  EXPECT_EQ(j.at("evaluation_data"), "held-out");
  EXPECT_EQ(j.at("poor_sqnr_db"), 10.0);
  EXPECT_EQ(j.at("poor_tensors"), 1);
  EXPECT_TRUE(contains(j.at("verdict").get<std::string>(), "1 of 5 tensors under 10 dB"));

  const Json& outputs = j.at("outputs");
  ASSERT_EQ(outputs.size(), 2u);
  EXPECT_EQ(outputs[0].at("name"), "probabilities");
  EXPECT_DOUBLE_EQ(outputs[0].at("top1_agreement").get<double>(), 0.875);
  EXPECT_DOUBLE_EQ(outputs[0].at("mean_abs_error").get<double>(), 0.0125);
  EXPECT_DOUBLE_EQ(outputs[0].at("max_abs_error").get<double>(), 0.25);
  EXPECT_DOUBLE_EQ(outputs[0].at("sqnr_db").get<double>(), 21.5);
  EXPECT_TRUE(outputs[1].at("top1_agreement").is_null()) << "not a classifier";

  const Json& tensors = j.at("tensors");
  ASSERT_EQ(tensors.size(), 5u);
  const std::vector<int> worst_first = {5, 9, 3, 7, 8};
  for (size_t i = 0; i < tensors.size(); ++i) {
    const Json& t = tensors[i];
    for (const char* key :
         {"name", "tensor", "producer_op", "sqnr_db", "poor", "float_min", "float_max", "scale", "zero_point"})
      EXPECT_TRUE(t.contains(key)) << key;
    EXPECT_EQ(t.at("tensor"), worst_first[i]);
    EXPECT_EQ(t.at("zero_point"), -77);
    EXPECT_EQ(t.at("float_min").get<float>(), -1.5f);
    EXPECT_EQ(t.at("scale").get<float>(), 7.5f / 255.0f) << "float values round-trip";
  }
  EXPECT_EQ(tensors[0].at("name"), "net/dw<2>&x");
  EXPECT_EQ(tensors[0].at("producer_op"), "DEPTHWISE_CONV_2D");
  EXPECT_EQ(tensors[0].at("poor"), true);
  EXPECT_EQ(tensors[1].at("poor"), false);
  EXPECT_TRUE(tensors[3].at("sqnr_db").is_null()) << "infinite SQNR";
  EXPECT_TRUE(tensors[4].at("sqnr_db").is_null()) << "undefined SQNR";
}

class ReportFiles : public TempDirTest {};

TEST_F(ReportFiles, HtmlIsSelfContainedWithChartAndEveryLayer) {
  const QuantizeReport r = sample_report();
  write_report(r, path("report.html"));
  const std::string html = slurp(path("report.html"));
  ASSERT_FALSE(html.empty());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_TRUE(contains(html, "</html>"));
  const size_t svg = html.find("<svg");
  ASSERT_NE(svg, std::string::npos);
  const std::string chart = html.substr(svg, html.find("</svg>", svg) - svg);
  size_t bars = 0;
  for (size_t at = chart.find("<rect"); at != std::string::npos; at = chart.find("<rect", at + 1)) ++bars;
  EXPECT_EQ(bars, r.tensors.size());
  // Every layer, with its name escaped; the chart lists them in model order.
  EXPECT_TRUE(contains(html, "net/dw&lt;2&gt;&amp;x"));
  EXPECT_FALSE(contains(html, "net/dw<2>"));
  for (const TensorQuality& t : r.tensors) {
    if (t.name.find('<') == std::string::npos) EXPECT_TRUE(contains(chart, t.name)) << t.name;
  }
  expect_in_order(chart, {"net/conv1/Relu", "net/dw&lt;2", "net/reshape", "net/empty", "net/logits"});
  for (const OutputQuality& o : r.outputs) EXPECT_TRUE(contains(html, o.name));
  EXPECT_TRUE(contains(html, "87.5%"));
  // Nothing fetched from elsewhere.
  for (const char* external : {"<script", "<link", "src=", "@import", "url("})
    EXPECT_FALSE(contains(html, external)) << external;
}

TEST_F(ReportFiles, JsonByExtensionAndUnknownExtension) {
  const QuantizeReport r = sample_report();
  write_report(r, path("r.JSON"));
  EXPECT_EQ(Json::parse(slurp(path("r.JSON"))).at("evaluation_samples"), 64);
  write_report(r, path("r.htm"));
  EXPECT_TRUE(contains(slurp(path("r.htm")), "<svg"));

  try {
    write_report(r, path("report.txt"));
    ADD_FAILURE() << "no error for .txt";
  } catch (const std::runtime_error& e) {
    EXPECT_TRUE(contains(e.what(), "report.txt: unknown report type; name the file *.json or *.html")) << e.what();
  }
  EXPECT_FALSE(fs::exists(path("report.txt")));

  try {
    write_report(r, path("no/such/dir/r.json"));
    ADD_FAILURE() << "no error for a missing directory";
  } catch (const std::runtime_error& e) {
    EXPECT_TRUE(contains(e.what(), "cannot create the report file")) << e.what();
  }
}

}  // namespace

TEST(QuantizeReport, EachOutputIsJudgedByTheMetricOfItsTask) {
  QuantizeReport r = sample_report();
  OutputQuality ae;
  ae.name = "decoded";
  ae.task = "reconstruction";
  ae.task_reason = "as many values as input 'features'";
  ae.reconstructs = "input 'features'";
  ae.top1_agreement = 0.5;  // not shown for a non-classifier
  ae.float_reconstruction = {2.0, 1.5, 3.0, 8.0, 9.0};  // mean, median, p90, p99, max
  ae.int8_reconstruction = {2.5, 1.75, 3.5, 9.5, 10.0};
  r.outputs.push_back(ae);
  const std::string verdict = report_verdict(r);
  EXPECT_TRUE(contains(verdict, "output probabilities (classification): top-1 agreement 87.5%")) << verdict;
  EXPECT_TRUE(contains(verdict, "output value (regression): MSE 0.75, max |error| 2, SQNR 14.3 dB")) << verdict;
  EXPECT_TRUE(contains(verdict,
                       "output decoded (reconstruction): reconstruction error (MSE against input 'features', median "
                       "over samples) float 1.5, int8 1.75"))
      << verdict;
  EXPECT_FALSE(contains(verdict, "50.0%")) << verdict;
  const std::string text = report_to_text(r);
  EXPECT_TRUE(contains(text, "float mean 2, median 1.5, p90 3, max 9; int8 mean 2.5, median 1.75, p90 3.5, max 10"))
      << text;
  const Json j = Json::parse(report_to_json(r));
  EXPECT_EQ(j.at("outputs")[0].at("task"), "classification");
  EXPECT_EQ(j.at("outputs")[1].at("task"), "regression");
  EXPECT_EQ(j.at("outputs")[1].at("mse"), 0.75);
  EXPECT_TRUE(j.at("outputs")[1].at("reconstruction").is_null());
  EXPECT_EQ(j.at("outputs")[2].at("reconstruction").at("int8").at("median"), 1.75);
  EXPECT_EQ(j.at("outputs")[2].at("reconstruction").at("against"), "input 'features'");
  EXPECT_TRUE(contains(report_to_html(r), "reconstruction error (MSE against input &#39;features&#39;"));
}
