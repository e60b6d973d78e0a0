#include "net/connection_gate.h"

namespace radveil::net {

ConnectionGate::ConnectionGate(int max_total, int max_per_host, std::chrono::milliseconds deadline)
    : max_total_(max_total < 1 ? 1 : max_total), max_per_host_(max_per_host < 1 ? 1 : max_per_host), deadline_(deadline) {}

void ConnectionGate::drop_oldest(const std::string* host, std::vector<std::uint64_t>& dropped) {
  for (auto it = pending_.begin(); it != pending_.end(); ++it) {
    if (host && it->second.host != *host) continue;
    dropped.push_back(it->first);
    if (--per_host_[it->second.host] == 0) per_host_.erase(it->second.host);
    pending_.erase(it);
    return;
  }
}

std::vector<std::uint64_t> ConnectionGate::admit(std::uint64_t id, const std::string& host, Clock::time_point now) {
  std::vector<std::uint64_t> dropped;
  while (per_host_.count(host) && per_host_[host] >= max_per_host_) drop_oldest(&host, dropped);
  while (static_cast<int>(pending_.size()) >= max_total_) drop_oldest(nullptr, dropped);
  pending_[id] = {host, now};
  ++per_host_[host];
  return dropped;
}

bool ConnectionGate::leave(std::uint64_t id) {
  const auto it = pending_.find(id);
  if (it == pending_.end()) return false;
  if (--per_host_[it->second.host] == 0) per_host_.erase(it->second.host);
  pending_.erase(it);
  return true;
}

std::vector<std::uint64_t> ConnectionGate::expired(Clock::time_point now) {
  std::vector<std::uint64_t> out;
  for (const auto& [id, p] : pending_)
    if (now - p.since >= deadline_) out.push_back(id);
  for (const auto id : out) leave(id);
  return out;
}

std::vector<std::uint64_t> ConnectionGate::all() {
  std::vector<std::uint64_t> out;
  for (const auto& [id, p] : pending_) out.push_back(id);
  pending_.clear();
  per_host_.clear();
  return out;
}

}  // namespace radveil::net
