#include "audit/audit_trail.h"

#include "core/out_of_space.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <vector>

#include "audit/syslog_client.h"
#include "audit/syslog_message.h"

namespace radveil::audit {
namespace {

std::filesystem::path sent_marker(const std::filesystem::path& file) { return file.string() + ".sent"; }

std::uint64_t sent_offset(const std::filesystem::path& file) {
  std::ifstream in(sent_marker(file));
  std::uint64_t offset = 0;
  if (in >> offset) return offset;
  return 0;
}

void save_sent_offset(const std::filesystem::path& file, std::uint64_t offset) {
  const std::filesystem::path marker = sent_marker(file), temporary = marker.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << offset << "\n";
    out.flush();
    if (!out) throw AuditError("cannot note how far the audit collector got in " + marker.string());
  }
  std::filesystem::rename(temporary, marker);
}

// An exclusive lock on the audit file for one forward at a time, across processes.
class FileLock {
 public:
  explicit FileLock(int fd) : fd_(fd) {
    while (flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
    }
  }
  ~FileLock() { flock(fd_, LOCK_UN); }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_;
};

}  // namespace

std::int64_t now_millis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

AuditTrail::AuditTrail(AuditConfig config, AuditSource source) : config_(std::move(config)), source_(std::move(source)) {
  std::error_code ec;
  if (config_.file.has_parent_path()) std::filesystem::create_directories(config_.file.parent_path(), ec);
  fd_ = ::open(config_.file.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) throw AuditError("cannot open the audit file " + config_.file.string() + " (" + std::strerror(errno) + ")");
}

AuditTrail::~AuditTrail() {
  if (fd_ >= 0) ::close(fd_);
}

void AuditTrail::record(const AuditMessage& message) {
  const std::string line = syslog_message(message, source_.host, source_.process_id, now_millis()) + "\n";
  std::lock_guard lock(mutex_);
  // One write per line: O_APPEND keeps lines of concurrent processes whole.
  std::size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && is_out_of_space(errno)) throw OutOfSpace("the audit file cannot be written");
    if (n <= 0) throw AuditError("cannot write the audit file " + config_.file.string() + " (" + std::strerror(errno) + ")");
    done += static_cast<std::size_t>(n);
  }
  if (::fdatasync(fd_) != 0) {
    if (is_out_of_space(errno)) throw OutOfSpace("the audit file cannot be flushed");
    throw AuditError("cannot flush the audit file " + config_.file.string());
  }
}

ForwardResult AuditTrail::forward() {
  ForwardResult result;
  if (!config_.syslog) return result;
  // Not the append lock: a slow collector must not hold up the instances being recorded. Lines
  // appended meanwhile are complete or left for the next forward (no newline yet).
  std::lock_guard lock(forward_mutex_);
  FileLock file_lock(fd_);
  std::uint64_t offset = sent_offset(config_.file);
  std::ifstream in(config_.file, std::ios::binary);
  if (!in) throw AuditError("cannot read the audit file " + config_.file.string());
  in.seekg(0, std::ios::end);
  const auto size = static_cast<std::uint64_t>(in.tellg());
  if (offset > size) offset = 0;  // the file was rotated or truncated: start it again
  in.seekg(static_cast<std::streamoff>(offset));
  std::vector<std::string> lines;
  std::uint64_t end = offset;
  for (std::string line; std::getline(in, line);) {
    if (in.eof()) break;  // a line still being written has no newline yet
    end += line.size() + 1;
    if (!line.empty()) lines.push_back(std::move(line));
  }
  if (lines.empty()) return result;
  try {
    SyslogClient client(*config_.syslog);
    for (const auto& line : lines) client.send(octet_counted(line));
    client.close();
  } catch (const SyslogError& e) {
    result.pending = lines.size();
    result.error = e.what();
    return result;
  }
  save_sent_offset(config_.file, end);
  result.sent = lines.size();
  return result;
}

}  // namespace radveil::audit
