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
// Runs a shell command line (quoted by the caller); stdout and stderr together.
CommandResult run_command(const std::string& command_line);
// Runs the built `radveil` with the given argument string (shell-quoted by the caller).
CommandResult run_radveil(const std::string& args);

// Runs `radveil args` under coreutils' `timeout`: a liveness bound for tests of hostile input (never
// a speed assertion; timings belong in bench/). Exit code 124 means it was still running after
// `limit_seconds` (a hang); 128+N means it died of signal N (a crash).
CommandResult run_radveil_within(const std::string& args, int limit_seconds);
constexpr int kHung = 124;

// Starts the built `radveil` with `args` (split on spaces; no quoting) in the background, output
// discarded; returns its process id.
int spawn_radveil(const std::string& args);

// Writes a fixed 256-bit key (64 hex digits derived from `seed`, mode 0600), for tests whose
// outcome depends on the key: with a random key, a shifted date or a keyed UID can equal a
// planted value by chance once in some hundred runs, a flaky test; fixed, a run reproduces.
void write_fixed_key(const std::filesystem::path& file, unsigned seed);

std::string read_file(const std::filesystem::path& file);
// The file's bytes; for a deflated-transfer-syntax file, the inflated dataset is appended so a
// byte search sees its content too.
std::string searchable_bytes(const std::filesystem::path& file);

// ../shared/corpus beside the project, if present.
std::optional<std::filesystem::path> corpus_dir();

}  // namespace radveil::test
