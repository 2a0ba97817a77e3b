// The labels of `mote eval` (tools/eval/eval_labels.h) and the histogram of
// its report, without running a model.
#include <gtest/gtest.h>
#include <math.h>

#include <string>
#include <vector>

#include "tools/common/user_error.h"
#include "tools/eval/eval_labels.h"
#include "tools/eval/eval_report.h"

namespace ev = mote::tools::eval;
using mote::tools::UserError;

namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const UserError& e) {
    return std::string(e.what()) + " | " + e.hint();
  }
  return "";
}

TEST(EvalLabels, SampleNamesFollowTheFilesAndTheSamplesInside) {
  EXPECT_EQ(ev::sample_names({{"d/a.png", 1}, {"d/b.npy", 2}}),
            (std::vector<std::string>{"d/a.png", "d/b.npy, sample 0", "d/b.npy, sample 1"}));
}

TEST(EvalLabels, FoldersGiveTheFirstSubFolderUnderTheDataPath) {
  const std::vector<std::pair<std::string, int>> files = {{"data/cat/1.png", 1}, {"data/dog/x/2.png", 1},
                                                          {"data/owl/3.npy", 2}};
  EXPECT_EQ(ev::labels_from_folders(files, {"data"}),
            (std::vector<std::string>{"cat", "dog", "owl", "owl"}));
  EXPECT_EQ(ev::labels_from_folders(files, {"data/"}), (std::vector<std::string>{"cat", "dog", "owl", "owl"}));
  EXPECT_EQ(ev::labels_from_folders(files, {"0=data"}), (std::vector<std::string>{"cat", "dog", "owl", "owl"}))
      << "a multi-input model's NAME=PATH / INDEX=PATH";
}

TEST(EvalLabels, IndicesNamesAndGivenClasses) {
  const std::vector<std::string> names = {"s0", "s1", "s2"};
  ev::ClassLabels by_index = ev::class_labels({"2", "0", "2"}, {}, 3, "y", names);
  EXPECT_EQ(by_index.sample_class, (std::vector<int>{2, 0, 2}));
  EXPECT_EQ(by_index.class_names, (std::vector<std::string>{"0", "1", "2"}));
  ev::ClassLabels sorted = ev::class_labels({"owl", "cat", "dog"}, {}, 3, "y", names);
  EXPECT_EQ(sorted.sample_class, (std::vector<int>{2, 0, 1}));
  ev::ClassLabels given = ev::class_labels({"owl", "cat", "dog"}, {"owl", "dog", "cat"}, 3, "y", names);
  EXPECT_EQ(given.sample_class, (std::vector<int>{0, 2, 1}));
  EXPECT_NE(error_of([&] { ev::class_labels({"owl", "cat", "dog"}, {"owl", "dog"}, 3, "y", names); })
                .find("--classes names 2 classes but output 'y' has 3 classes"),
            std::string::npos);
  EXPECT_EQ(ev::parse_class_names(" a, b ,c"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_NE(error_of([] { ev::parse_class_names("a,b,a"); }).find("names 'a' twice"), std::string::npos);
}

TEST(EvalLabels, RegressionTargetsAreCommaSeparatedNumbers) {
  EXPECT_EQ(ev::regression_targets({"1, 2.5", "-3,4e-1"}, 2, "y", {"a", "b"}),
            (std::vector<std::vector<float>>{{1.0f, 2.5f}, {-3.0f, 0.4f}}));
  EXPECT_NE(error_of([] { ev::regression_targets({"1,nan"}, 2, "y", {"a"}); }).find("label '1,nan' of a is not a number"),
            std::string::npos);
}

TEST(EvalLabels, CountMismatchSaysTheSampleOrder) {
  const std::string e = error_of([] { ev::check_label_count(2, 3, "the labels file 'l.txt'", {{"x.npy", 3}}); });
  EXPECT_NE(e.find("the labels file 'l.txt' has 2 labels but the data holds 3 samples in 1 file"), std::string::npos)
      << e;
  EXPECT_NE(e.find("files sorted by path, then the samples inside a file"), std::string::npos) << e;
  EXPECT_EQ(error_of([] { ev::check_label_count(3, 3, "l", {}); }), "");
}

TEST(EvalReport, HistogramBinsShareTheLargestErrorAcrossModels) {
  ev::ModelEvaluation a, b;
  a.sample_mse = {0.0, 0.5, 1.0};
  b.sample_mse = {2.0};
  const ev::ErrorHistogram h = ev::error_histogram({a, b}, 4);
  EXPECT_DOUBLE_EQ(h.bin_width, 0.5);
  EXPECT_EQ(h.counts[0], (std::vector<int64_t>{1, 1, 1, 0}));
  EXPECT_EQ(h.counts[1], (std::vector<int64_t>{0, 0, 0, 1}));  // the largest goes in the last bin
  // A model that gave inf or NaN: counted in the last bin, the bins still span the finite errors.
  b.sample_mse = {HUGE_VAL, NAN, 1.0};
  const ev::ErrorHistogram odd = ev::error_histogram({a, b}, 4);
  EXPECT_DOUBLE_EQ(odd.bin_width, 0.25);
  EXPECT_EQ(odd.counts[1], (std::vector<int64_t>{0, 0, 0, 3}));
}

TEST(EvalReport, ConfusionMatrixSvgHasACellPerPair) {
  const std::string svg = ev::confusion_matrix_svg({"a", "b"}, {{3, 1}, {0, 2}});
  size_t cells = 0;
  for (size_t at = svg.find("class=\"cell\""); at != std::string::npos; at = svg.find("class=\"cell\"", at + 1)) ++cells;
  EXPECT_EQ(cells, 4u);
  EXPECT_NE(svg.find("true a, predicted b: 1 (25.0% of the class)"), std::string::npos) << svg;
  EXPECT_NE(svg.find("true b, predicted a: 0 (0.0% of the class)"), std::string::npos) << svg;
}

}  // namespace
