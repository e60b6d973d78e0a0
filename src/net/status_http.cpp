#include "net/status_http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>

namespace radveil::net {
namespace {

constexpr int kMaxClients = 16;
constexpr auto kClientDeadline = std::chrono::seconds(2);

void send_all(int fd, const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

std::string response(int code, const char* reason, const char* type, const std::string& body) {
  return "HTTP/1.1 " + std::to_string(code) + " " + reason + "\r\nContent-Type: " + type +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

}  // namespace

StatusHttp::StatusHttp(int port, StatusContent content) : content_(std::move(content)) {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int yes = 1;
  setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // operations only: never on a public interface
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(listener_, 8) != 0) {
    const std::string why = std::strerror(errno);
    if (listener_ >= 0) ::close(listener_);
    throw std::runtime_error("cannot serve status on 127.0.0.1:" + std::to_string(port) + " (" + why + ")");
  }
  thread_ = std::thread([this] { serve(); });
}

StatusHttp::~StatusHttp() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  ::close(listener_);
  while (clients_ > 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));  // each ends within its deadline
}

void StatusHttp::serve() {
  while (!stop_) {
    pollfd p{listener_, POLLIN, 0};
    if (::poll(&p, 1, 200) <= 0) continue;
    const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    if (clients_ >= kMaxClients) {
      ::close(client);
      continue;
    }
    ++clients_;
    std::thread([this, client] {
      answer(client);
      ::close(client);
      --clients_;
    }).detach();
  }
}

void StatusHttp::answer(int client) {
  const auto deadline = std::chrono::steady_clock::now() + kClientDeadline;
  const timeval send_limit{static_cast<time_t>(kClientDeadline.count()), 0};
  ::setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &send_limit, sizeof send_limit);
  std::string request;
  char buffer[1024];
  while (request.find("\r\n\r\n") == std::string::npos && request.size() < 8192) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) return;  // a client that does not finish its request in time is let go
    pollfd c{client, POLLIN, 0};
    if (::poll(&c, 1, static_cast<int>(left)) <= 0) return;
    const ssize_t n = ::recv(client, buffer, sizeof buffer, 0);
    if (n <= 0) return;
    request.append(buffer, static_cast<std::size_t>(n));
  }
  const std::string line = request.substr(0, request.find("\r\n"));
  if (line.rfind("GET /status ", 0) == 0 || line == "GET /status")
    send_all(client, response(200, "OK", "application/json", content_.json()));
  else if (line.rfind("GET /metrics ", 0) == 0 || line == "GET /metrics")
    send_all(client, response(200, "OK", "text/plain; version=0.0.4", content_.metrics()));
  else if (line.rfind("GET ", 0) == 0)
    send_all(client, response(404, "Not Found", "text/plain", "GET /status or /metrics\n"));
  else
    send_all(client, response(405, "Method Not Allowed", "text/plain", "GET only\n"));
}

}  // namespace radveil::net
