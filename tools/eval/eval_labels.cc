#include "tools/eval/eval_labels.h"

#include <stdlib.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include "tools/common/file_reading.h"
#include "tools/common/user_error.h"

namespace mote {
namespace tools {
namespace eval {
namespace {

namespace fs = std::filesystem;

const char kSampleOrder[] =
    "one label per line, in sample order: files sorted by path, then the samples inside a file (.npy batch "
    "entries, .csv rows)";

std::string trimmed(const std::string& s) {
  const size_t first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t end = text.find(separator, start);
    parts.push_back(trimmed(text.substr(start, end == std::string::npos ? std::string::npos : end - start)));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

bool is_index(const std::string& s) {
  return !s.empty() && s.size() < 10 && s.find_first_not_of("0123456789") == std::string::npos;
}

// "'a', 'b', 'c', ... (12 classes)"
std::string name_list(const std::vector<std::string>& names) {
  std::string list;
  for (size_t i = 0; i < names.size() && i < 8; ++i) list += (i ? ", '" : "'") + names[i] + "'";
  if (names.size() > 8) list += ", ... (" + std::to_string(names.size()) + " classes)";
  return list;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  for (const std::string& line : split(text, '\n'))
    if (!line.empty() && line[0] != '#') lines.push_back(line);
  return lines;
}

}  // namespace

std::vector<std::string> sample_names(const std::vector<std::pair<std::string, int>>& files) {
  std::vector<std::string> names;
  for (const auto& [path, count] : files)
    for (int k = 0; k < count; ++k) names.push_back(count == 1 ? path : path + ", sample " + std::to_string(k));
  return names;
}

std::vector<std::string> read_labels_file(const std::string& path) {
  std::string text;
  if (read_whole_file(path, &text) != FileRead::kOk)
    throw UserError("cannot read '" + path + "'", "check that the file exists and is readable");
  return lines_of(text);
}

std::vector<std::string> labels_from_folders(const std::vector<std::pair<std::string, int>>& files,
                                             const std::vector<std::string>& data_paths) {
  std::vector<std::string> labels;
  for (const auto& [file, count] : files) {
    std::string label;
    for (const std::string& given : data_paths) {
      // A multi-input model's paths carry their input as NAME=PATH.
      const std::string data = fs::exists(given) ? given : given.substr(given.find('=') + 1);
      const fs::path relative = fs::path(file).lexically_relative(data);
      if (relative.empty() || *relative.begin() == ".." || relative == ".") continue;  // not under `data`
      if (std::distance(relative.begin(), relative.end()) < 2)
        throw UserError("--labels-from-folders: '" + file + "' is directly in '" + data +
                            "', not in a class sub-folder",
                        "put each sample in a folder named after its class (" + data + "/CLASS/" +
                            relative.string() + "), or give --labels FILE");
      label = relative.begin()->string();
      break;
    }
    if (label.empty()) label = fs::path(file).parent_path().filename().string();
    if (label.empty())
      throw UserError("--labels-from-folders: '" + file + "' is not in a class folder",
                      "give --data the folder whose sub-folders are the classes");
    labels.insert(labels.end(), size_t(count), label);
  }
  return labels;
}

void check_label_count(size_t labels, size_t samples, const std::string& labels_source,
                       const std::vector<std::pair<std::string, int>>& files) {
  if (labels == samples) return;
  std::string data = std::to_string(samples) + " sample" + (samples == 1 ? "" : "s") + " in " +
                     std::to_string(files.size()) + " file" + (files.size() == 1 ? "" : "s");
  if (!files.empty()) data += " (first '" + files.front().first + "', last '" + files.back().first + "')";
  throw UserError(labels_source + " has " + std::to_string(labels) + " label" + (labels == 1 ? "" : "s") +
                      " but the data holds " + data,
                  std::string("give ") + kSampleOrder);
}

std::vector<std::string> parse_class_names(const std::string& text) {
  std::error_code ec;
  std::vector<std::string> names;
  if (fs::is_regular_file(text, ec)) {
    names = read_labels_file(text);
  } else {
    names = split(text, ',');
  }
  std::set<std::string> seen;
  for (const std::string& n : names) {
    if (n.empty()) throw UserError("--classes has an empty class name", "write --classes cat,dog,bird or a file");
    if (!seen.insert(n).second)
      throw UserError("--classes names '" + n + "' twice", "give each class once, in the model's output order");
  }
  if (names.empty()) throw UserError("--classes names no class", "write --classes cat,dog,bird or a file");
  return names;
}

ClassLabels class_labels(const std::vector<std::string>& labels, const std::vector<std::string>& given_names,
                         int classes, const std::string& output, const std::vector<std::string>& names) {
  ClassLabels result;
  const std::string output_text = "output '" + output + "' has " + std::to_string(classes) + " classes";
  if (!given_names.empty()) {
    if (int(given_names.size()) != classes)
      throw UserError("--classes names " + std::to_string(given_names.size()) + " classes but " + output_text,
                      "name every class of the output once, in output order");
    result.class_names = given_names;
    for (size_t k = 0; k < labels.size(); ++k) {
      const auto it = std::find(given_names.begin(), given_names.end(), labels[k]);
      if (it == given_names.end())
        throw UserError("unknown label '" + labels[k] + "' for " + names[k] + ": --classes has " +
                            name_list(given_names),
                        "correct the label, or add the class to --classes");
      result.sample_class.push_back(int(it - given_names.begin()));
    }
    return result;
  }
  if (std::all_of(labels.begin(), labels.end(), is_index)) {
    for (int c = 0; c < classes; ++c) result.class_names.push_back(std::to_string(c));
    for (size_t k = 0; k < labels.size(); ++k) {
      const int index = atoi(labels[k].c_str());
      if (index >= classes)
        throw UserError("label " + labels[k] + " of " + names[k] + " is not a class: " + output_text + " (0.." +
                            std::to_string(classes - 1) + ")",
                        "labels are class indices into the model's output (or names, with --classes)");
      result.sample_class.push_back(index);
    }
    return result;
  }
  std::set<std::string> distinct(labels.begin(), labels.end());
  result.class_names.assign(distinct.begin(), distinct.end());
  if (int(result.class_names.size()) != classes)
    throw UserError("the labels name " + std::to_string(result.class_names.size()) + " classes (" +
                        name_list(result.class_names) + ") but " + output_text,
                    "give --classes NAME,... (or a file, one per line) with the model's classes in output order");
  for (const std::string& label : labels)
    result.sample_class.push_back(
        int(std::lower_bound(result.class_names.begin(), result.class_names.end(), label) -
            result.class_names.begin()));
  return result;
}

std::vector<std::vector<float>> regression_targets(const std::vector<std::string>& labels, int64_t values,
                                                   const std::string& output,
                                                   const std::vector<std::string>& names) {
  std::vector<std::vector<float>> targets;
  for (size_t k = 0; k < labels.size(); ++k) {
    std::vector<float> target;
    for (const std::string& field : split(labels[k], ',')) {
      char* end = nullptr;
      const double v = strtod(field.c_str(), &end);
      if (field.empty() || end != field.c_str() + field.size() || !std::isfinite(v))
        throw UserError("label '" + labels[k] + "' of " + names[k] + " is not a number",
                        "a regression label is the output's target value(s), comma-separated (--task classification "
                        "for class labels)");
      target.push_back(float(v));
    }
    if (int64_t(target.size()) != values)
      throw UserError("label '" + labels[k] + "' of " + names[k] + " has " + std::to_string(target.size()) +
                          " value" + (target.size() == 1 ? "" : "s") + " but output '" + output + "' has " +
                          std::to_string(values),
                      "give the output's " + std::to_string(values) + " target values per label, comma-separated");
    targets.push_back(std::move(target));
  }
  return targets;
}

}  // namespace eval
}  // namespace tools
}  // namespace mote
