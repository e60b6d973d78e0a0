#pragma once
// A small HTTP/1.1 endpoint on loopback for operations: GET /status (JSON) and GET /metrics
// (Prometheus text). One request per connection; anything else is 404 or 405. It serves what
// `content` returns at the time of the request. Each connection has a thread of its own and two
// seconds to send its request and take the answer, so a slow client stalls no other; at most
// kMaxClients are served at once (more are closed at once).
#include <atomic>
#include <functional>
#include <string>
#include <thread>

namespace radveil::net {

struct StatusContent {
  std::function<std::string()> json, metrics;
};

class StatusHttp {
 public:
  StatusHttp(int port, StatusContent content);  // std::runtime_error when the port cannot be bound
  ~StatusHttp();
  StatusHttp(const StatusHttp&) = delete;
  StatusHttp& operator=(const StatusHttp&) = delete;

 private:
  void serve();
  void answer(int client);
  int listener_ = -1;
  StatusContent content_;
  std::atomic<bool> stop_{false};
  std::atomic<int> clients_{0};
  std::thread thread_;
};

}  // namespace radveil::net
