#include "audit/syslog_client.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <string>

namespace radveil::audit {
namespace {

std::string openssl_reason() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "no detail from OpenSSL";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

// A write to a socket whose peer went away raises SIGPIPE, which would end the whole process.
// While a guard lives, SIGPIPE is blocked for this thread, and one raised is taken back.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    blocked_ = pthread_sigmask(SIG_BLOCK, &pipe_, &old_) == 0;
  }
  ~SigpipeGuard() {
    if (!blocked_) return;
    sigset_t pending;
    sigpending(&pending);
    if (!was_pending_ && sigismember(&pending, SIGPIPE) == 1) {
      const timespec none{0, 0};
      sigtimedwait(&pipe_, nullptr, &none);
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;

 private:
  sigset_t pipe_{}, old_{};
  bool was_pending_ = false, blocked_ = false;
};

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

bool is_ip_address(const std::string& name) {
  unsigned char buffer[16];
  return inet_pton(AF_INET, name.c_str(), buffer) == 1 || inet_pton(AF_INET6, name.c_str(), buffer) == 1;
}

}  // namespace

struct SyslogClient::Connection {
  std::string where;
  Fd socket;
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> context{nullptr, &SSL_CTX_free};
  std::unique_ptr<SSL, decltype(&SSL_free)> tls{nullptr, &SSL_free};
  int timeout_ms = 10000;

  [[noreturn]] void fail(const std::string& what) const { throw SyslogError("audit collector " + where + ": " + what); }

  void connect_tcp(const SyslogTarget& t) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (const int rc = getaddrinfo(t.host.c_str(), std::to_string(t.port).c_str(), &hints, &found); rc != 0)
      fail(std::string("cannot resolve the name (") + gai_strerror(rc) + ")");
    std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> list(found, &freeaddrinfo);
    std::string last = "no address";
    for (const addrinfo* a = found; a; a = a->ai_next) {
      Fd s{::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol)};
      if (s.fd < 0) {
        last = std::strerror(errno);
        continue;
      }
      if (::connect(s.fd, a->ai_addr, a->ai_addrlen) != 0 && errno != EINPROGRESS) {
        last = std::strerror(errno);
        continue;
      }
      pollfd p{s.fd, POLLOUT, 0};
      const int ready = ::poll(&p, 1, timeout_ms);
      int error = 0;
      socklen_t length = sizeof error;
      if (ready <= 0) {
        last = ready == 0 ? "timed out connecting" : std::strerror(errno);
        continue;
      }
      if (getsockopt(s.fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0 || error != 0) {
        last = std::strerror(error ? error : errno);
        continue;
      }
      // Blocking from here on, with the timeout on every read and write.
      fcntl(s.fd, F_SETFL, fcntl(s.fd, F_GETFL) & ~O_NONBLOCK);
      timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
      setsockopt(s.fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
      setsockopt(s.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      socket.fd = s.fd;
      s.fd = -1;
      return;
    }
    fail("cannot connect (" + last + ")");
  }

  void start_tls(const SyslogTarget& t) {
    context.reset(SSL_CTX_new(TLS_client_method()));
    if (!context) fail("TLS is unavailable (" + openssl_reason() + ")");
    SSL_CTX_set_min_proto_version(context.get(), TLS1_2_VERSION);
    SSL_CTX_set_verify(context.get(), SSL_VERIFY_PEER, nullptr);
    const bool trusted = t.ca_file.empty() ? SSL_CTX_set_default_verify_paths(context.get()) == 1
                                           : SSL_CTX_load_verify_locations(context.get(), t.ca_file.c_str(), nullptr) == 1;
    if (!trusted) fail("cannot load the CA certificates " + t.ca_file.string() + " (" + openssl_reason() + ")");
    if (!t.cert_file.empty()) {
      if (SSL_CTX_use_certificate_chain_file(context.get(), t.cert_file.c_str()) != 1)
        fail("cannot load this node's certificate " + t.cert_file.string() + " (" + openssl_reason() + ")");
      if (SSL_CTX_use_PrivateKey_file(context.get(), t.key_file.c_str(), SSL_FILETYPE_PEM) != 1 ||
          SSL_CTX_check_private_key(context.get()) != 1)
        fail("cannot use this node's key " + t.key_file.string() + " (" + openssl_reason() + ")");
    }
    tls.reset(SSL_new(context.get()));
    if (!tls || SSL_set_fd(tls.get(), socket.fd) != 1) fail("TLS is unavailable (" + openssl_reason() + ")");
    const std::string name = t.server_name.empty() ? t.host : t.server_name;
    if (is_ip_address(name)) {
      if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(tls.get()), name.c_str()) != 1) fail("bad server address " + name);
    } else {
      SSL_set_tlsext_host_name(tls.get(), name.c_str());
      if (SSL_set1_host(tls.get(), name.c_str()) != 1) fail("bad server name " + name);
    }
    SigpipeGuard guard;
    if (SSL_connect(tls.get()) != 1) {
      const long verdict = SSL_get_verify_result(tls.get());
      if (verdict != X509_V_OK)
        fail("the collector's certificate is not trusted for " + name + " (" + X509_verify_cert_error_string(verdict) + ")");
      fail("the TLS handshake failed (" + openssl_reason() + ")");
    }
  }
};

SyslogClient::SyslogClient(const SyslogTarget& target) : connection_(std::make_unique<Connection>()) {
  connection_->where = target.host + ":" + std::to_string(target.port) + (target.tls ? " (TLS)" : " (TCP, clear text)");
  connection_->timeout_ms = target.timeout_seconds * 1000;
  connection_->connect_tcp(target);
  if (target.tls) connection_->start_tls(target);
}

SyslogClient::~SyslogClient() = default;

void SyslogClient::send(std::string_view bytes) {
  SigpipeGuard guard;
  Connection& c = *connection_;
  while (!bytes.empty()) {
    const int chunk = static_cast<int>(std::min<std::size_t>(bytes.size(), 1 << 20));
    long written = 0;
    if (c.tls) {
      written = SSL_write(c.tls.get(), bytes.data(), chunk);
      if (written <= 0) c.fail("sending failed (" + openssl_reason() + ")");
    } else {
      written = ::send(c.socket.fd, bytes.data(), static_cast<std::size_t>(chunk), MSG_NOSIGNAL);
      if (written < 0 && errno == EINTR) continue;
      if (written <= 0) c.fail(std::string("sending failed (") + std::strerror(errno) + ")");
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
}

void SyslogClient::close() {
  SigpipeGuard guard;
  Connection& c = *connection_;
  if (c.tls) {
    if (SSL_shutdown(c.tls.get()) < 0) c.fail("the TLS close failed (" + openssl_reason() + ")");
    c.tls.reset();
  }
  if (c.socket.fd >= 0) {
    ::shutdown(c.socket.fd, SHUT_WR);
    // Wait briefly for the collector to close its side, so what was sent is read before we go.
    char sink[256];
    pollfd p{c.socket.fd, POLLIN, 0};
    for (int i = 0; i < 20 && ::poll(&p, 1, 100) > 0; ++i)
      if (::recv(c.socket.fd, sink, sizeof sink, 0) <= 0) break;
    ::close(c.socket.fd);
    c.socket.fd = -1;
  }
}

}  // namespace radveil::audit
