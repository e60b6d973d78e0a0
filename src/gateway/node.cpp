#include "gateway/node.h"

#include <unistd.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "audit/audit_trail.h"
#include "consent/policy.h"
#include "core/event_log.h"
#include "core/json_file.h"
#include "gateway/route_worker.h"
#include "net/spool.h"
#include "ledger/ledger_keys.h"
#include "net/dicom_listener.h"
#include "net/status_http.h"
#include "pseudonym/secret_key.h"
#include "store/state_store.h"

namespace radveil::gateway {
namespace {

consent::Policy policy_of(const std::filesystem::path& state) {
  const std::filesystem::path site = state / "policy.toml";
  std::error_code ec;
  return std::filesystem::exists(site, ec) ? consent::load_policy(site) : consent::default_policy();
}

}  // namespace

struct Node::Parts {
  std::unique_ptr<store::StateStore> store;
  consent::Policy policy;
  ledger::LedgerKeys keys;
  pseudonym::SecretKey site_key;
  std::unique_ptr<audit::AuditTrail> audit;
  std::unique_ptr<net::Spool> spool;
  std::unique_ptr<NodeServices> services;
  std::vector<std::unique_ptr<RouteWorker>> routes;
  net::ListenerCounters counters;
  std::int64_t started_at = 0;
  mutable std::mutex mutex;
  std::size_t spool_studies = 0, spool_instances = 0, studies_retired = 0;
  // Per study, per route: the last arrival the route had dealt with when it finished the study.
  std::map<std::string, std::map<std::string, std::filesystem::file_time_type>> finished;
};

Node::Node(NodeConfig config) : config_(std::move(config)) {
  try {
    std::filesystem::create_directories(config_.state);
    auto store = store::open_state_store(config_.state);
    auto policy = policy_of(config_.state);
    for (const auto& r : config_.routes) {
      if (!store->recipient(r.recipient))
        throw NodeConfigError("route " + r.name + ": recipient " + r.recipient + " is not registered (radveil recipient add --state " +
                              config_.state.string() + ")");
      if (!policy.knows(r.purpose)) throw NodeConfigError("route " + r.name + ": unknown purpose " + r.purpose);
    }
    auto key = pseudonym::SecretKey::load_file(config_.key);
    auto audit_config = audit::load_audit_config({}, config_.state);
    auto source = audit::local_source(audit_config.source_id, audit_config.enterprise_site_id);
    parts_ = std::unique_ptr<Parts>(new Parts{std::move(store), std::move(policy), ledger::load_or_create_ledger_keys(config_.state),
                                              key, std::make_unique<audit::AuditTrail>(std::move(audit_config), std::move(source)),
                                              std::make_unique<net::Spool>(config_.state / "spool", key, config_.listen.min_free_mb << 20), nullptr, {}, {}, 0, {}, 0, 0, 0, {}});
  } catch (const NodeConfigError&) {
    throw;
  } catch (const std::exception& e) {
    throw NodeConfigError(e.what());
  }
  parts_->services = std::make_unique<NodeServices>(NodeServices{*parts_->store, parts_->policy, parts_->keys, parts_->site_key,
                                                                 *parts_->audit, *parts_->spool, config_.state, config_.listen.ae_title,
                                                                 [this](const std::string& route, const std::string& study,
                                                                        std::filesystem::file_time_type seen) {
                                                                   std::lock_guard lock(parts_->mutex);
                                                                   parts_->finished[study][route] = seen;
                                                                 }});
}

Node::~Node() = default;

void Node::stop() { stop_ = true; }
void Node::process_now() { process_now_ = true; }

nlohmann::json Node::status() const {
  nlohmann::json routes = nlohmann::json::array();
  for (const auto& r : parts_->routes) {
    const RouteStatus s = r->status();
    routes.push_back({{"name", s.name},
                      {"destination", s.destination},
                      {"queued_studies", s.queued},
                      {"studies_done", s.studies},
                      {"instances_delivered", s.delivered},
                      {"instances_quarantined", s.quarantined},
                      {"instances_withheld", s.withheld},
                      {"disclosures_recorded", s.disclosures},
                      {"retries", s.retries},
                      {"last_error", s.last_error},
                      {"last_error_at", s.last_error_at}});
  }
  std::lock_guard lock(parts_->mutex);
  const auto& c = parts_->counters;
  return {{"node", {{"ae_title", config_.listen.ae_title}, {"port", config_.listen.port}, {"pid", ::getpid()},
                    {"started_at", parts_->started_at}, {"at", static_cast<std::int64_t>(std::time(nullptr))},
                    {"stopping", stop_.load()}}},
          {"associations", {{"accepted", c.associations.load()}, {"rejected", c.rejected.load()}, {"active", c.active.load()}}},
          {"connections", {{"pending", c.pending.load()},
                           {"dropped", {{"closed", c.dropped_closed.load()}, {"timeout", c.dropped_timeout.load()},
                                        {"crowded", c.dropped_crowded.load()}, {"not_dicom", c.dropped_not_dicom.load()}}}}},
          {"instances", {{"stored", c.stored.load()}, {"refused", c.refused.load()}, {"out_of_resources", c.out_of_resources.load()}}},
          {"intake", {{"paused", c.intake_paused.load()}, {"free_mb", parts_->spool->free_bytes() >> 20},
                      {"min_free_mb", config_.listen.min_free_mb}}},
          {"spool", {{"studies", parts_->spool_studies}, {"instances", parts_->spool_instances},
                     {"studies_retired", parts_->studies_retired}}},
          {"routes", routes}};
}

void Node::run() {
  parts_->started_at = static_cast<std::int64_t>(std::time(nullptr));
  parts_->spool->clear_incoming();  // receptions a crash interrupted were never acknowledged
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (auto r : config_.routes) {
    if (r.jobs == 0) r.jobs = std::max(1, cores / static_cast<int>(config_.routes.size()));
    parts_->routes.push_back(std::make_unique<RouteWorker>(r, *parts_->services));
  }
  net::DicomListener listener(config_.listen, *parts_->spool, parts_->counters);
  std::string listener_error;
  std::thread listening([&] {
    try {
      listener.run();
    } catch (const std::exception& e) {
      listener_error = e.what();
      stop_ = true;
    }
  });
  std::unique_ptr<net::StatusHttp> http;
  try {
    if (config_.status_port)
      http = std::make_unique<net::StatusHttp>(*config_.status_port,
                                               net::StatusContent{[this] { return status().dump(2) + "\n"; },
                                                                  [this] { return prometheus_text(status()); }});
  } catch (const std::exception&) {
    listener.stop();
    listening.join();
    throw;
  }
  std::map<std::string, std::filesystem::file_time_type> handed;  // study -> last arrival it was handed at
  const std::filesystem::path status_file = config_.state / "node-status.json";
  auto last_status = std::chrono::steady_clock::time_point{};
  while (!stop_) {
    try {
      schedule(handed);
    } catch (const std::exception& e) {  // a file system error: the node goes on, and tries again
      log_event("scheduler-error", {{"error", e.what()}});
    }
    if (const auto t = std::chrono::steady_clock::now(); t - last_status >= std::chrono::seconds(1)) {
      last_status = t;
      try {
        write_json_file(status_file, status());
      } catch (const std::exception&) {  // the status file is a convenience; the node goes on
      }
    }
    for (int i = 0; i < 4 && !stop_ && !process_now_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  // Drain: no new associations; those in progress finish; each route finishes the study in hand.
  listener.stop();
  listening.join();
  http.reset();  // before the routes go: the endpoint reads their status from its own thread
  for (auto& r : parts_->routes) r->stop();
  parts_->routes.clear();
  try {
    write_json_file(status_file, status());
  } catch (const std::exception&) {
  }
  if (!listener_error.empty()) throw std::runtime_error(listener_error);
}

void Node::schedule(std::map<std::string, std::filesystem::file_time_type>& handed) {
  retire_finished(handed);
  {
    const bool now_all = process_now_.exchange(false);
    const auto stable = std::chrono::seconds(config_.listen.stable_seconds);
    std::size_t instances = 0;
    const auto studies = parts_->spool->studies();
    const auto now = std::filesystem::file_time_type::clock::now();
    for (const auto& s : studies) {
      instances += s.instances;
      const auto it = handed.find(s.name);
      if (it != handed.end() && it->second == s.last_arrival) continue;  // nothing new since
      if (!now_all && now - s.last_arrival < stable) continue;             // still arriving
      handed[s.name] = s.last_arrival;
      for (auto& r : parts_->routes) r->enqueue(s.name);
    }
    std::lock_guard lock(parts_->mutex);
    parts_->spool_studies = studies.size();
    parts_->spool_instances = instances;
  }
}

// A study every route has finished, with nothing new since, leaves the spool (markers stay, so a
// resent instance is not processed again) and the routes' de-identified copies of it go too;
// their quarantines stay for review.
void Node::retire_finished(std::map<std::string, std::filesystem::file_time_type>& handed) {
  std::vector<std::pair<std::string, std::filesystem::file_time_type>> ready;
  {
    std::lock_guard lock(parts_->mutex);
    for (auto it = parts_->finished.begin(); it != parts_->finished.end(); ++it) {
      const auto& by_route = it->second;
      bool all = by_route.size() == parts_->routes.size();
      for (const auto& [route, seen] : by_route) all &= seen == by_route.begin()->second;
      if (all) ready.emplace_back(it->first, by_route.begin()->second);
    }
  }
  if (std::chrono::steady_clock::now() < retire_after_) return;  // the last attempt failed (a full disk): later
  for (const auto& [study, seen] : ready) {
    bool retired = false;
    try {
      retired = parts_->spool->retire(study, seen);
    } catch (const std::exception& e) {
      log_event("retire-failed", {{"study", study}, {"error", e.what()}});
      retire_after_ = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      return;
    }
    std::lock_guard lock(parts_->mutex);
    parts_->finished.erase(study);  // retired, or something new arrived: the routes see it again
    if (!retired) continue;
    handed.erase(study);
    ++parts_->studies_retired;
    for (const auto& r : config_.routes) {
      std::error_code ec;
      std::filesystem::remove_all(config_.state / "routes" / r.name / "out" / study, ec);
    }
  }
}

std::string prometheus_text(const nlohmann::json& s) {
  std::string out;
  const auto metric = [&](const std::string& name, const char* type, const char* help) {
    out += "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
  };
  const auto value = [](const nlohmann::json& v) { return v.is_number() ? v.dump() : std::string("0"); };
  metric("radveil_associations_total", "counter", "Associations accepted or rejected.");
  out += "radveil_associations_total{result=\"accepted\"} " + value(s["associations"]["accepted"]) + "\n";
  out += "radveil_associations_total{result=\"rejected\"} " + value(s["associations"]["rejected"]) + "\n";
  metric("radveil_associations_active", "gauge", "Associations in progress.");
  out += "radveil_associations_active " + value(s["associations"]["active"]) + "\n";
  metric("radveil_connections_pending", "gauge", "Connections that have not yet sent a whole association request.");
  out += "radveil_connections_pending " + value(s["connections"]["pending"]) + "\n";
  metric("radveil_connections_dropped_total", "counter", "Connections that ended before an association request was read.");
  for (const char* reason : {"closed", "timeout", "crowded", "not_dicom"})
    out += std::string("radveil_connections_dropped_total{reason=\"") + reason + "\"} " + value(s["connections"]["dropped"][reason]) + "\n";
  metric("radveil_instances_received_total", "counter", "Instances stored into the spool, or refused.");
  out += "radveil_instances_received_total{result=\"stored\"} " + value(s["instances"]["stored"]) + "\n";
  out += "radveil_instances_received_total{result=\"refused\"} " + value(s["instances"]["refused"]) + "\n";
  metric("radveil_instances_out_of_resources_total", "counter", "Instances answered A700 (the spool's disk is low or full).");
  out += "radveil_instances_out_of_resources_total " + value(s["instances"]["out_of_resources"]) + "\n";
  metric("radveil_intake_paused", "gauge", "1 while the spool's free space is below min_free_mb.");
  out += std::string("radveil_intake_paused ") + (s["intake"]["paused"].is_boolean() && s["intake"]["paused"].get<bool>() ? "1" : "0") + "\n";
  metric("radveil_spool_studies", "gauge", "Studies in the spool.");
  out += "radveil_spool_studies " + value(s["spool"]["studies"]) + "\n";
  metric("radveil_spool_instances", "gauge", "Instances in the spool.");
  out += "radveil_spool_instances " + value(s["spool"]["instances"]) + "\n";
  metric("radveil_spool_studies_retired_total", "counter", "Studies every route finished, removed from the spool.");
  out += "radveil_spool_studies_retired_total " + value(s["spool"]["studies_retired"]) + "\n";
  const std::pair<const char*, const char*> per_route[] = {
      {"queued_studies", "gauge"},         {"studies_done", "counter"},       {"instances_delivered", "counter"},
      {"instances_quarantined", "counter"}, {"instances_withheld", "counter"}, {"disclosures_recorded", "counter"},
      {"retries", "counter"}};
  for (const auto& [field, type] : per_route) {
    const std::string name = std::string("radveil_route_") + field + (std::string(type) == "counter" ? "_total" : "");
    metric(name, type, "Per route.");
    for (const auto& r : s["routes"]) out += name + "{route=\"" + r["name"].get<std::string>() + "\"} " + value(r[field]) + "\n";
  }
  return out;
}

}  // namespace radveil::gateway
