#include "cli_harness.h"

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iterator>

namespace fs = std::filesystem;

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

CommandResult run_command(const std::string& command_line, const fs::path& scratch) {
  const fs::path out = scratch / "cmd_stdout.txt", err = scratch / "cmd_stderr.txt";
  const std::string cmd = command_line + " >" + shell_quote(out.string()) + " 2>" + shell_quote(err.string());
  CommandResult r;
  const int status = system(cmd.c_str());
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 1000 + WTERMSIG(status);
  r.out = slurp(out);
  r.err = slurp(err);
  fs::remove(out);
  fs::remove(err);
  return r;
}

CommandResult run_mote(const std::vector<std::string>& args, const fs::path& scratch) {
  std::string cmd = shell_quote(MOTE_CLI_PATH);
  for (const auto& a : args) cmd += " " + shell_quote(a);
  return run_command(cmd, scratch);
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_file(const fs::path& path, const std::string& text) {
  if (path.has_parent_path()) fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
}

void write_file(const fs::path& path, const std::vector<uint8_t>& bytes) {
  write_file(path, std::string(bytes.begin(), bytes.end()));
}

void TempDirTest::SetUp() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  // Parameterized tests have '/' in their names.
  std::string name = std::string(info->test_suite_name()) + "_" + info->name();
  std::replace(name.begin(), name.end(), '/', '_');
  dir_ = fs::temp_directory_path() / ("mote_test_" + std::to_string(getpid()) + "_" + name);
  fs::remove_all(dir_);
  fs::create_directories(dir_);
}

void TempDirTest::TearDown() {
  if (keep_dir_on_failure_ && HasFailure()) return;
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::string TempDirTest::save(const std::string& name, const std::vector<uint8_t>& bytes) {
  write_file(dir_ / name, bytes);
  return path(name);
}

std::set<std::string> TempDirTest::files() const {
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir_)) names.insert(e.path().filename().string());
  return names;
}
