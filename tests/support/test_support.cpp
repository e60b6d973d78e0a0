#include "support/test_support.h"

#include <fcntl.h>
#include <spawn.h>
#include <zlib.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <sys/wait.h>
#include <vector>

extern char** environ;

namespace radveil::test {

TempDir::TempDir() {
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() / ("radveil-test-" + std::to_string(rd()) + std::to_string(rd()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

CommandResult run_command(const std::string& command_line) {
  const std::string command = command_line + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return {-1, "popen failed"};
  std::string output;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) output.append(buf.data(), n);
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

CommandResult run_radveil(const std::string& args) { return run_command(std::string(RADVEIL_BINARY) + " " + args); }

CommandResult run_radveil_within(const std::string& args, int limit_seconds) {
  return run_command("timeout --kill-after=10 " + std::to_string(limit_seconds) + " " + RADVEIL_BINARY + " " + args);
}

int spawn_radveil(const std::string& args) {
  std::vector<std::string> words{RADVEIL_BINARY};
  std::istringstream in(args);
  for (std::string w; in >> w;) words.push_back(w);
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, RADVEIL_BINARY, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

void write_fixed_key(const std::filesystem::path& file, unsigned seed) {
  std::mt19937 rng(seed);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (int i = 0; i < 64; ++i) hex.push_back(kHex[rng() % 16]);
  std::ofstream(file) << hex << "\n";
  std::filesystem::permissions(file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string searchable_bytes(const std::filesystem::path& file) {
  std::string bytes = read_file(file);
  static const std::string kDeflate = "1.2.840.10008.1.2.1.99";
  const auto meta_end = std::min<std::size_t>(bytes.size(), 1024);
  if (bytes.find(kDeflate) == std::string::npos || bytes.find(kDeflate) > meta_end) return bytes;
  // The meta group ends where group 0002 stops; find its length from (0002,0000).
  if (bytes.size() < 144) return bytes;
  const auto group_len = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[140]) |
                                                    (static_cast<unsigned char>(bytes[141]) << 8) |
                                                    (static_cast<unsigned char>(bytes[142]) << 16) |
                                                    (static_cast<unsigned char>(bytes[143]) << 24));
  const std::size_t start = 144 + group_len;
  if (start >= bytes.size()) return bytes;
  z_stream zs{};
  inflateInit2(&zs, -MAX_WBITS);  // raw deflate, as PS3.5 A.5 says
  zs.next_in = reinterpret_cast<Bytef*>(bytes.data() + start);
  zs.avail_in = static_cast<uInt>(bytes.size() - start);
  std::string inflated;
  std::array<char, 65536> out{};
  int rc = Z_OK;
  while (rc == Z_OK) {
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = out.size();
    rc = inflate(&zs, Z_NO_FLUSH);
    inflated.append(out.data(), out.size() - zs.avail_out);
  }
  inflateEnd(&zs);
  return bytes + inflated;
}

std::optional<std::filesystem::path> corpus_dir() {
  const auto dir = std::filesystem::path(RADVEIL_SOURCE_DIR).parent_path() / "shared" / "corpus";
  if (std::filesystem::is_directory(dir)) return dir;
  return std::nullopt;
}

}  // namespace radveil::test
