// The audit trail keeps every message in its file first and sends the collector each one it has
// not received, once the collector is there: a collector that is away loses nothing.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "audit/audit_trail.h"
#include "support/test_support.h"

namespace radveil::audit {
namespace {

// A plain-TCP syslog collector on loopback that reads octet-counted frames.
class FrameCollector {
 public:
  FrameCollector() {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof a;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(listener_, 4) != 0 ||
        getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &length) != 0)
      throw std::runtime_error("cannot listen on loopback");
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~FrameCollector() {
    stop_ = true;
    thread_.join();
    ::close(listener_);
  }
  int port() const { return port_; }
  std::vector<std::string> frames() {
    std::lock_guard lock(mutex_);
    return frames_;
  }

 private:
  void serve() {
    while (!stop_) {
      pollfd p{listener_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      const int client = ::accept(listener_, nullptr, nullptr);
      if (client < 0) continue;
      std::string bytes;
      char buffer[4096];
      for (ssize_t n; (n = ::recv(client, buffer, sizeof buffer, 0)) > 0;) bytes.append(buffer, static_cast<std::size_t>(n));
      ::close(client);
      std::lock_guard lock(mutex_);
      while (!bytes.empty()) {
        const auto space = bytes.find(' ');
        const std::size_t length = std::stoul(bytes.substr(0, space));
        frames_.push_back(bytes.substr(space + 1, length));
        bytes.erase(0, space + 1 + length);
      }
    }
  }
  int listener_ = -1, port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mutex_;
  std::vector<std::string> frames_;
};

// A loopback port nothing listens on.
int closed_port() {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof a;
  ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  getsockname(s, reinterpret_cast<sockaddr*>(&a), &length);
  ::close(s);
  return ntohs(a.sin_port);
}

AuditConfig clear_text_to(const std::filesystem::path& file, int port) {
  AuditConfig c;
  c.file = file;
  c.syslog = SyslogTarget{"127.0.0.1", port, false, {}, {}, {}, {}, 2};
  return c;
}

AuditMessage alert(const std::string& what) {
  return security_alert({"radveil@t", "", "t", "1", "u"}, "file:///x", what, Outcome::MajorFailure, 0);
}

TEST(AuditTrail, TheFileIsPrivateAndHoldsOneLinePerMessage) {
  test::TempDir dir;
  AuditConfig c;
  c.file = dir / "sub" / "audit.log";
  AuditTrail trail(c, local_source("", ""));
  trail.record(alert("one"));
  trail.record(alert("two"));
  struct stat st {};
  ASSERT_EQ(::stat(c.file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const std::string text = test::read_file(c.file);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2);
  EXPECT_EQ(trail.forward().sent, 0u) << "no collector configured: nothing to send";
}

TEST(AuditTrail, EveryMessageReachesTheCollectorOnceInOrder) {
  test::TempDir dir;
  FrameCollector collector;
  AuditTrail trail(clear_text_to(dir / "audit.log", collector.port()), local_source("", ""));
  trail.record(alert("first"));
  trail.record(alert("second"));
  EXPECT_EQ(trail.forward().sent, 2u);
  trail.record(alert("third"));
  EXPECT_EQ(trail.forward().sent, 1u);
  EXPECT_EQ(trail.forward().sent, 0u);
  std::vector<std::string> frames;
  for (int i = 0; i < 100 && (frames = collector.frames()).size() < 3; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_EQ(frames.size(), 3u);
  const std::string text = test::read_file(dir / "audit.log");
  EXPECT_EQ(frames[0] + "\n" + frames[1] + "\n" + frames[2] + "\n", text) << "what arrives is the file, line by line";
}

TEST(AuditTrail, ACollectorThatIsAwayGetsEverythingLater) {
  test::TempDir dir;
  const int away = closed_port();
  {
    AuditTrail trail(clear_text_to(dir / "audit.log", away), local_source("", ""));
    trail.record(alert("while away"));
    const ForwardResult r = trail.forward();
    EXPECT_EQ(r.sent, 0u);
    EXPECT_EQ(r.pending, 1u);
    EXPECT_NE(r.error.find("127.0.0.1:" + std::to_string(away)), std::string::npos) << r.error;
  }
  FrameCollector collector;
  AuditTrail trail(clear_text_to(dir / "audit.log", collector.port()), local_source("", ""));
  trail.record(alert("back"));
  EXPECT_EQ(trail.forward().sent, 2u);
  std::vector<std::string> frames;
  for (int i = 0; i < 100 && (frames = collector.frames()).size() < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_EQ(frames.size(), 2u);
}

TEST(AuditTrail, AnAuditFileThatCannotBeWrittenStopsTheCaller) {
  AuditConfig c;
  c.file = "/proc/radveil-audit.log";
  EXPECT_THROW(AuditTrail(c, local_source("", "")), AuditError);
}

}  // namespace
}  // namespace radveil::audit
