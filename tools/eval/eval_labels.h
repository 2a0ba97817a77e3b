// The labels of `mote eval`: where each sample's label comes from, and what
// it means for the judged output.
//
// Sample order is the data loader's (tools/quantizer/calibration_data.h):
// files sorted by path, then the samples inside a file (.npy batch entries,
// .csv rows). A labels file holds one label per line in that order (blank
// lines and lines starting with '#' skipped); with labels from folders a
// sample's label is the name of the sub-folder of the --data folder it is in
// (data/cat/001.png -> "cat").
//
// Classification: a label is a class name or a class index. With class names
// given (--classes) every label must be one of them; otherwise labels that are
// all whole numbers are indices into the output, and names are sorted
// (Keras's image_dataset_from_directory order) and must be as many as the
// output has classes. Regression: a label is the target values of the output,
// comma-separated, as many as it has.
//
// Every problem throws UserError naming the sample (file, and the row inside
// it) and saying what to do.
#pragma once

#include <stdint.h>

#include <string>
#include <utility>
#include <vector>

namespace mote {
namespace tools {
namespace eval {

// "data/cat/1.png", or "data/x.npy, sample 3" for files holding several.
std::vector<std::string> sample_names(const std::vector<std::pair<std::string, int>>& files);

// One label per non-blank, non-comment line, surrounding spaces removed.
std::vector<std::string> read_labels_file(const std::string& path);

// The label of each sample of `files` (path, samples) read from `data_paths`
// (the folders or files given as --data): its sub-folder's name.
std::vector<std::string> labels_from_folders(const std::vector<std::pair<std::string, int>>& files,
                                             const std::vector<std::string>& data_paths);

// Fails unless there is one label per sample.
void check_label_count(size_t labels, size_t samples, const std::string& labels_source,
                       const std::vector<std::pair<std::string, int>>& files);

struct ClassLabels {
  std::vector<std::string> class_names;  // one per output value, in output order
  std::vector<int> sample_class;         // per sample, an index into class_names
};

// `given_names` may be empty (see above). `classes` is the output's value count.
ClassLabels class_labels(const std::vector<std::string>& labels, const std::vector<std::string>& given_names,
                         int classes, const std::string& output, const std::vector<std::string>& sample_names);

// --classes: "cat,dog,bird", or a file with one name per line.
std::vector<std::string> parse_class_names(const std::string& text);

// Each label as `values` comma-separated numbers.
std::vector<std::vector<float>> regression_targets(const std::vector<std::string>& labels, int64_t values,
                                                   const std::string& output,
                                                   const std::vector<std::string>& sample_names);

}  // namespace eval
}  // namespace tools
}  // namespace mote
