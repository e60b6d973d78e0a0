#pragma once
// Helpers shared by the tests: temporary folders, running the CLI, reading files, the corpus.
#include <filesystem>
#include <optional>
#include <string>

namespace radveil::test {

// A fresh folder under the system temp dir, removed when the object goes.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& s) const { return path_ / s; }

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int exit_code;
  std::string output;  // stdout and stderr together
};
// Runs the built `radveil` with the given argument string (shell-quoted by the caller).
CommandResult run_radveil(const std::string& args);

// Starts the built `radveil` with `args` (split on spaces; no quoting) in the background, output
// discarded; returns its process id.
int spawn_radveil(const std::string& args);

std::string read_file(const std::filesystem::path& file);
// The file's bytes; for a deflated-transfer-syntax file, the inflated dataset is appended so a
// byte search sees its content too.
std::string searchable_bytes(const std::filesystem::path& file);

// ../shared/corpus beside the project, if present.
std::optional<std::filesystem::path> corpus_dir();

}  // namespace radveil::test
