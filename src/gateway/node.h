#pragma once
// `radveil serve`: the DICOM node. The listener takes instances into the spool; a scheduler hands
// each study to every route once it has been quiet for stable_seconds (or at once after
// process_now()); the routes decide, de-identify, deliver and record. Its status (counts,
// queues, last errors; never a patient value) is written to STATE/node-status.json every second
// and served as JSON and Prometheus text on loopback when a status port is configured.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "gateway/node_config.h"

namespace radveil::gateway {

class Node {
 public:
  // Opens the state, the key, the policy, the ledger keys and the audit trail; checks that every
  // route's recipient is registered and its purpose known. NodeConfigError when one is not.
  explicit Node(NodeConfig config);
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  void run();          // until stop(); then drains: no new associations, routes finish their study in hand
  void stop();         // from any thread (SIGTERM)
  void process_now();  // every spooled study, without waiting for it to be quiet (SIGUSR1)
  nlohmann::json status() const;

 private:
  struct Parts;
  // One pass of the scheduler: retire finished studies, hand quiet ones to every route.
  void schedule(std::map<std::string, std::filesystem::file_time_type>& handed);
  void retire_finished(std::map<std::string, std::filesystem::file_time_type>& handed);
  NodeConfig config_;
  std::unique_ptr<Parts> parts_;
  std::atomic<bool> stop_{false}, process_now_{false};
  std::chrono::steady_clock::time_point retire_after_{};
};

// Prometheus text exposition of a status (gauges and counters, labelled by route).
std::string prometheus_text(const nlohmann::json& status);

}  // namespace radveil::gateway
