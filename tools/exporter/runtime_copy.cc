#include "tools/exporter/runtime_copy.h"

#include <string.h>

#include <filesystem>

#include "tools/exporter/runtime_bundle.h"

namespace mote {
namespace exporter {
namespace {

namespace fs = std::filesystem;

// Where an Arduino sketch keeps a runtime file: src/mote is an Arduino
// library (library.properties + src/), and its src/ has the include roots
// (mote/, kernels/, ops/) so `#include "mote/interpreter.h"` works once it
// is installed as a library. Build files of other systems are left out.
std::string arduino_target(const std::string& source, const std::string& root) {
  auto starts = [&](const char* prefix) { return source.compare(0, strlen(prefix), prefix) == 0; };
  std::string path;
  if (source == "library.properties") return root + "/library.properties";
  if (starts("include/")) {
    path = root + "/src/" + source.substr(strlen("include/"));
  } else if (starts("src/")) {
    path = root + "/src/core/" + source.substr(strlen("src/"));
  } else if (starts("ops/") || starts("kernels/")) {
    path = root + "/src/" + source;
  } else {
    return std::string();
  }
  // Arduino builds compile .cpp, not .cc.
  if (path.size() > 3 && path.compare(path.size() - 3, 3, ".cc") == 0) path = path.substr(0, path.size() - 3) + ".cpp";
  return path;
}

// Calls `rewrite` with each quoted include of `text` (`#include "x"`: x, and
// the whole line); the line becomes what it returns, unless that is empty.
using IncludeLineRewriter = std::function<std::string(const std::string& include, const std::string& line)>;
std::string replace_include_lines(const std::string& text, const IncludeLineRewriter& rewrite) {
  std::string out;
  out.reserve(text.size() + 256);
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    size_t k = line.find_first_not_of(" \t");
    if (k != std::string::npos && line[k] == '#') {
      size_t directive = line.find_first_not_of(" \t", k + 1);
      if (directive != std::string::npos && line.compare(directive, 7, "include") == 0) {
        const size_t open = line.find('"', directive + 7);
        const size_t close = open == std::string::npos ? open : line.find('"', open + 1);
        if (close != std::string::npos) {
          const std::string replacement = rewrite(line.substr(open + 1, close - open - 1), line);
          if (!replacement.empty()) line = replacement;
        }
      }
    }
    out += line;
    if (end < text.size()) out += '\n';
    pos = end + 1;
  }
  return out;
}

}  // namespace

std::string rewrite_includes(const std::string& text, const std::string& file_target, const IncludeResolver& resolve) {
  const fs::path from_dir = fs::path(file_target).parent_path();
  return replace_include_lines(text, [&](const std::string& include, const std::string& line) {
    const std::string target = resolve(include);
    if (target.empty()) return std::string();
    const std::string relative = fs::path(target).lexically_relative(from_dir).generic_string();
    const size_t open = line.find('"');
    return line.substr(0, open + 1) + relative + line.substr(line.find('"', open + 1));
  });
}

std::vector<RuntimeFile> runtime_copy(const Layout& layout) {
  size_t count = 0;
  const BundledFile* files = runtime_files(&count);
  std::vector<RuntimeFile> copy;
  if (!layout.arduino_sketch) {
    for (size_t i = 0; i < count; ++i)
      copy.push_back({files[i].path, layout.runtime_dir + "/" + files[i].path, std::string(files[i].text, files[i].size)});
    return copy;
  }

  std::map<std::string, std::string> target_of;  // runtime path -> sketch path
  for (size_t i = 0; i < count; ++i) {
    const std::string target = arduino_target(files[i].path, layout.runtime_dir);
    if (!target.empty()) target_of[files[i].path] = target;
  }
  for (size_t i = 0; i < count; ++i) {
    const std::string source = files[i].path;
    const auto target = target_of.find(source);
    if (target == target_of.end()) continue;
    // The runtime's include search order: the file's folder, include/, runtime/.
    const std::string source_dir = fs::path(source).parent_path().generic_string();
    auto resolve = [&](const std::string& include) {
      for (const std::string& candidate :
           {(source_dir.empty() ? include : source_dir + "/" + include), "include/" + include, include}) {
        const auto hit = target_of.find(fs::path(candidate).lexically_normal().generic_string());
        if (hit != target_of.end()) return hit->second;
      }
      return std::string();
    };
    copy.push_back({source, target->second,
                    rewrite_includes(std::string(files[i].text, files[i].size), target->second, resolve)});
  }
  return copy;
}

void include_runtime_from_sketch(const Layout& layout, const std::vector<RuntimeFile>& runtime,
                                 std::map<std::string, std::string>* app) {
  std::map<std::string, std::string> public_headers;
  for (const RuntimeFile& f : runtime) {
    if (f.source.compare(0, 8, "include/") == 0) public_headers[f.source.substr(8)] = f.target;
  }
  for (auto& [file, text] : *app) {
    const fs::path from_dir = fs::path(layout.app_dir + "/" + file).parent_path();
    text = replace_include_lines(text, [&](const std::string& include, const std::string&) {
      const auto hit = public_headers.find(include);
      if (hit == public_headers.end()) return std::string();
      const std::string local = fs::path(hit->second).lexically_relative(from_dir).generic_string();
      return "#if __has_include(\"" + local + "\")  // the mote library inside this sketch\n#include \"" + local +
             "\"\n#else  // the mote library moved to the Arduino libraries folder\n#include <mote.h>\n#endif";
    });
  }
}

}  // namespace exporter
}  // namespace mote
