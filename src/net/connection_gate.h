#pragma once
// Who may wait for the listener's attention. A TCP connection is "pending" from accept until its
// whole association request has been read; only then are AE titles and host checked. Pending
// connections are what an unauthenticated peer can hold, so they are bounded: each has a
// deadline, at most `max_total` wait at once and at most `max_per_host` from one address. When a
// new connection would pass a bound, the connection that has waited longest (of that address, or
// of all) is dropped: a flood of silent connections ages out and a caller that speaks at once
// always gets through. Pure bookkeeping: the listener shuts down the sockets it is told to.
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace radveil::net {

class ConnectionGate {
 public:
  using Clock = std::chrono::steady_clock;
  ConnectionGate(int max_total, int max_per_host, std::chrono::milliseconds deadline);

  // A connection accepted now from `host`, known by `id`; returns the ids to drop to make room.
  std::vector<std::uint64_t> admit(std::uint64_t id, const std::string& host, Clock::time_point now);
  // The connection is no longer pending (its request was read, or it ended). False when it was
  // not pending (already dropped).
  bool leave(std::uint64_t id);
  // Pending connections past their deadline; they are no longer counted.
  std::vector<std::uint64_t> expired(Clock::time_point now);
  // Every pending connection (at stop); none is counted afterwards.
  std::vector<std::uint64_t> all();

  std::size_t pending() const { return pending_.size(); }

 private:
  struct Pending {
    std::string host;
    Clock::time_point since;
  };
  void drop_oldest(const std::string* host, std::vector<std::uint64_t>& dropped);

  int max_total_, max_per_host_;
  std::chrono::milliseconds deadline_;
  std::map<std::uint64_t, Pending> pending_;  // ids increase with time: the first is the oldest
  std::map<std::string, int> per_host_;
};

}  // namespace radveil::net
