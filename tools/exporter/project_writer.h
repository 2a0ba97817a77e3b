// Writes the files of a generated project so that re-running the export
// refreshes what mote generated and never overwrites what the user changed.
//
// DIR/.mote-export.json records the SHA-256 of every file as mote last wrote
// it. On the next export a file is
//   - written when it is missing, or when its hash is still the recorded one;
//   - left alone when its content differs from the recorded hash (the user
//     edited it) or when mote never wrote it; the new version then goes to
//     "<file>.mote-new" next to it;
//   - deleted when the previous export wrote it, this one no longer does, and
//     it is unchanged (edited ones are kept).
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace mote {
namespace exporter {

constexpr const char* kManifestName = ".mote-export.json";
constexpr const char* kNewVersionSuffix = ".mote-new";

struct FileAction {
  enum Kind {
    kCreated,      // did not exist
    kUpdated,      // unchanged since the last export, replaced by the new version
    kUnchanged,    // already identical to the new version
    kKeptEdited,   // edited by the user: kept, new version in new_version_path
    kKeptForeign,  // existed and was not written by mote: kept, new version in new_version_path
    kRemoved,      // no longer generated and unchanged: deleted
    kKeptRemoved,  // no longer generated but edited: kept
  };
  Kind kind;
  std::string path;  // relative to the project folder, '/' separated
  std::string new_version_path;
};

class ProjectWriter {
 public:
  // Reads the manifest of a previous export in `dir` when there is one;
  // throws std::runtime_error when it exists but can't be parsed.
  explicit ProjectWriter(std::string dir);

  // Queues a file (path relative to the project folder, '/' separated).
  void add(const std::string& path, std::string content);
  bool has(const std::string& path) const { return files_.count(path) != 0; }

  // Writes the queued files and the manifest (`info` plus the file hashes).
  // Throws std::runtime_error on I/O errors.
  std::vector<FileAction> commit(const nlohmann::json& info);

  const std::string& dir() const { return dir_; }
  bool had_manifest() const { return had_manifest_; }

 private:
  std::string dir_;
  std::map<std::string, std::string> files_;      // path -> content
  std::map<std::string, std::string> recorded_;   // path -> hash from the previous manifest
  bool had_manifest_ = false;
};

}  // namespace exporter
}  // namespace mote
