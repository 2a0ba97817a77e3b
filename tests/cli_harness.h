// Test-side harness for tests that work with files or run programs: a fresh
// temporary directory per test, whole-file reads and writes, and the built
// `mote` binary (MOTE_CLI_PATH) or any shell command run with stdout and
// stderr captured.
//
//   class QuantizeCli : public MoteCliTest {};
//   TEST_F(QuantizeCli, Help) {
//     const CommandResult r = mote({"quantize", "--help"});
//     EXPECT_EQ(r.exit_code, 0) << r.err;
//     EXPECT_TRUE(contains(r.out, "Examples:"));
//   }
#pragma once

#include <gtest/gtest.h>
#include <stdint.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

struct CommandResult {
  int exit_code = -1;  // 1000 + the signal number when the program was killed
  std::string out;
  std::string err;
};

// `s` as one single-quoted shell word.
std::string shell_quote(const std::string& s);

// Runs a shell command line; stdout and stderr go through two files in
// `scratch`, which are removed afterwards.
CommandResult run_command(const std::string& command_line, const std::filesystem::path& scratch);

// Runs `mote <args>` (each argument quoted) like run_command.
CommandResult run_mote(const std::vector<std::string>& args, const std::filesystem::path& scratch);

// Whole file as a string ("" when it can't be read).
std::string slurp(const std::filesystem::path& path);

// Writes a whole file, creating its parent directories.
void write_file(const std::filesystem::path& path, const std::string& text);
void write_file(const std::filesystem::path& path, const std::vector<uint8_t>& bytes);

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// A fixture with a fresh, empty directory per test (dir_), removed after the
// test, or kept for a look when keep_dir_on_failure_ is set and the test failed.
class TempDirTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  // Writes `bytes` to dir_/name and returns its path.
  std::string save(const std::string& name, const std::vector<uint8_t>& bytes);
  // The names of the entries in dir_ (to catch leftover temporary outputs).
  std::set<std::string> files() const;

  std::filesystem::path dir_;
  bool keep_dir_on_failure_ = false;
};

// TempDirTest that runs the mote CLI with dir_ as its scratch directory.
class MoteCliTest : public TempDirTest {
 protected:
  CommandResult mote(const std::vector<std::string>& args) { return run_mote(args, dir_); }
};
