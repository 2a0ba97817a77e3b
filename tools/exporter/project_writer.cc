#include "tools/exporter/project_writer.h"

#include <errno.h>
#include <string.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "tools/common/file_reading.h"
#include "tools/exporter/sha256.h"

namespace mote {
namespace exporter {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

bool read_file(const fs::path& path, std::string* content) {
  return tools::read_whole_file(path.string(), content) == tools::FileRead::kOk;
}

// Writes through a temporary file and a rename, so an interrupted export never
// leaves a half-written file behind.
void write_file(const fs::path& path, const std::string& content) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) throw std::runtime_error("cannot create folder '" + path.parent_path().string() + "': " + ec.message());
  const fs::path temporary = path.string() + ".mote-tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write '" + temporary.string() + "': " + strerror(errno));
    out.write(content.data(), std::streamsize(content.size()));
    out.close();
    if (!out) throw std::runtime_error("cannot write '" + temporary.string() + "': " + strerror(errno));
  }
  fs::rename(temporary, path, ec);
  if (ec) throw std::runtime_error("cannot write '" + path.string() + "': " + ec.message());
}

// A manifest entry must stay inside the project folder.
bool safe_relative_path(const std::string& path) {
  if (path.empty() || path[0] == '/' || path.find('\\') != std::string::npos) return false;
  for (const auto& part : fs::path(path)) {
    if (part == ".." || part == ".") return false;
  }
  return true;
}

void remove_if_present(const fs::path& path) {
  std::error_code ec;
  fs::remove(path, ec);
}

// Removes the now-empty folders between `file`'s folder and `root`.
void prune_empty_folders(const fs::path& root, fs::path folder) {
  std::error_code ec;
  while (!folder.empty() && folder != root && fs::is_directory(folder, ec) && fs::is_empty(folder, ec)) {
    fs::remove(folder, ec);
    folder = folder.parent_path();
  }
}

}  // namespace

ProjectWriter::ProjectWriter(std::string dir) : dir_(std::move(dir)) {
  const fs::path manifest = fs::path(dir_) / kManifestName;
  std::string text;
  if (!read_file(manifest, &text)) return;
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) {
    throw std::runtime_error(manifest.string() + " is not valid JSON (" + e.what() +
                             "); delete it to export again (files you edited would then be kept as unknown files)");
  }
  had_manifest_ = true;
  if (!doc.contains("files") || !doc["files"].is_object()) return;
  for (const auto& [path, hash] : doc["files"].items()) {
    if (hash.is_string() && safe_relative_path(path)) recorded_[path] = hash.get<std::string>();
  }
}

void ProjectWriter::add(const std::string& path, std::string content) {
  if (!safe_relative_path(path)) throw std::logic_error("generated path '" + path + "' leaves the project folder");
  files_[path] = std::move(content);
}

std::vector<FileAction> ProjectWriter::commit(const json& info) {
  const fs::path root(dir_);
  std::vector<FileAction> actions;
  json hashes = json::object();

  for (const auto& [path, content] : files_) {
    const fs::path target = root / path;
    const fs::path new_version = target.string() + kNewVersionSuffix;
    const std::string new_hash = sha256_hex(content);
    hashes[path] = new_hash;
    FileAction action{FileAction::kCreated, path, std::string()};

    std::error_code ec;
    if (fs::is_directory(target, ec))
      throw std::runtime_error("'" + target.string() + "' is a folder, but mote export needs to write a file there");
    std::string current;
    if (!fs::exists(target, ec)) {
      write_file(target, content);
    } else if (!read_file(target, &current)) {
      throw std::runtime_error("cannot read '" + target.string() + "': " + strerror(errno));
    } else {
      const std::string current_hash = sha256_hex(current);
      const auto recorded = recorded_.find(path);
      if (current_hash == new_hash) {
        action.kind = FileAction::kUnchanged;
      } else if (recorded != recorded_.end() && recorded->second == current_hash) {
        action.kind = FileAction::kUpdated;
        write_file(target, content);
      } else {
        action.kind = recorded != recorded_.end() ? FileAction::kKeptEdited : FileAction::kKeptForeign;
        action.new_version_path = path + kNewVersionSuffix;
        write_file(new_version, content);
      }
    }
    // A ".mote-new" left by an earlier export is obsolete once the file itself
    // is the generated version.
    if (action.new_version_path.empty()) remove_if_present(new_version);
    actions.push_back(action);
  }

  for (const auto& [path, hash] : recorded_) {
    if (files_.count(path)) continue;
    const fs::path target = root / path;
    std::string current;
    std::error_code ec;
    if (!fs::exists(target, ec) || !read_file(target, &current)) continue;
    if (sha256_hex(current) == hash) {
      fs::remove(target, ec);
      remove_if_present(target.string() + kNewVersionSuffix);
      prune_empty_folders(root, target.parent_path());
      actions.push_back({FileAction::kRemoved, path, std::string()});
    } else {
      actions.push_back({FileAction::kKeptRemoved, path, std::string()});
    }
  }

  json manifest = info;
  manifest["files"] = hashes;
  write_file(root / kManifestName, manifest.dump(2) + "\n");
  return actions;
}

}  // namespace exporter
}  // namespace mote
