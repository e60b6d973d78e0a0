// `radveil serve --config FILE [--check-config]` and `radveil status`: the DICOM node and what it
// is doing.
#include <curl/curl.h>
#include <signal.h>

#include <cstdio>
#include <fstream>
#include <thread>

#include "cli/commands.h"
#include "gateway/node.h"
#include "core/event_log.h"

namespace radveil::cli {
namespace {

gateway::NodeConfig config_from(const std::string& file) {
  try {
    return gateway::load_node_config(file);
  } catch (const gateway::NodeConfigError& e) {
    throw CommandFailure{2, e.what()};
  }
}

void print_check(const gateway::NodeConfig& c) {
  std::printf("configuration is valid: %s listens on port %d for", c.listen.ae_title.c_str(), c.listen.port);
  for (const auto& a : c.listen.allow) std::printf(" %s%s%s", a.ae_title.c_str(), a.host.empty() ? "" : "@", a.host.c_str());
  std::printf("; studies quiet for %d s are processed\n", c.listen.stable_seconds);
  for (const auto& r : c.routes)
    std::printf("  route %s: %s for %s to %s\n", r.name.c_str(), r.recipient.c_str(), r.purpose.c_str(),
                r.destination.describe().c_str());
  std::printf("  state: %s; key: %s%s\n", c.state.c_str(), c.key.c_str(),
              c.status_port ? ("; status: http://127.0.0.1:" + std::to_string(*c.status_port) + "/status").c_str() : "");
}

}  // namespace

void serve(const std::string& config_file, bool check_only) {
  const gateway::NodeConfig config = config_from(config_file);
  if (check_only) {
    print_check(config);
    return;
  }
  // Signals are taken by one thread: SIGTERM/SIGINT drain and stop, SIGUSR1 processes every
  // spooled study now. Blocked before any other thread starts, so they all inherit the mask.
  sigset_t signals;
  sigemptyset(&signals);
  for (const int s : {SIGTERM, SIGINT, SIGUSR1, SIGHUP}) sigaddset(&signals, s);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  curl_global_init(CURL_GLOBAL_DEFAULT);
  std::unique_ptr<gateway::Node> node;
  try {
    node = std::make_unique<gateway::Node>(config);
  } catch (const gateway::NodeConfigError& e) {
    throw CommandFailure{2, e.what()};
  }
  std::thread signal_taker([&] {
    for (;;) {
      int s = 0;
      if (sigwait(&signals, &s) != 0) continue;
      if (s == SIGUSR1) {
        node->process_now();
        continue;
      }
      if (s == SIGHUP) continue;  // the configuration is read at start; restart to change it
      node->stop();
      return;
    }
  });
  log_event("node-started", {{"ae_title", config.listen.ae_title},
                                     {"port", config.listen.port},
                                     {"tls", config.listen.tls.has_value()},
                                     {"routes", config.routes.size()},
                                     {"state", config.state.string()}});
  std::string failure;
  try {
    node->run();
  } catch (const std::exception& e) {
    failure = e.what();
  }
  if (signal_taker.joinable()) {
    pthread_kill(signal_taker.native_handle(), SIGTERM);  // lets it return if the node stopped by itself
    signal_taker.join();
  }
  curl_global_cleanup();
  log_event("node-stopped", {{"error", failure}});
  if (!failure.empty()) throw CommandFailure{1, failure};
}

void status(const std::string& config_file, const std::string& state, bool json) {
  const std::filesystem::path dir = config_file.empty() ? std::filesystem::path(state) : config_from(config_file).state;
  if (dir.empty()) throw CommandFailure{2, "status needs --config FILE or --state DIR"};
  std::ifstream in(dir / "node-status.json");
  if (!in) throw CommandFailure{3, "no node status in " + dir.string() + " (has radveil serve run there?)"};
  const auto s = nlohmann::json::parse(in, nullptr, false);
  if (s.is_discarded()) throw CommandFailure{3, "the node status file is damaged"};
  if (json) {
    std::printf("%s\n", s.dump(2).c_str());
    return;
  }
  const auto n = [](const nlohmann::json& v) { return v.is_number() ? v.get<long long>() : 0LL; };
  const long long age = n(s["node"]["at"]) > 0 ? static_cast<long long>(std::time(nullptr)) - n(s["node"]["at"]) : -1;
  std::printf("node %s, port %lld, pid %lld: status %lld s old%s\n", s["node"]["ae_title"].get<std::string>().c_str(),
              n(s["node"]["port"]), n(s["node"]["pid"]), age, age > 5 ? " (is it running?)" : "");
  std::printf("  associations: %lld accepted, %lld rejected, %lld active\n", n(s["associations"]["accepted"]),
              n(s["associations"]["rejected"]), n(s["associations"]["active"]));
  const auto& dropped = s["connections"]["dropped"];
  std::printf("  connections: %lld pending; dropped before a request: %lld closed, %lld timed out, %lld crowded out, %lld not DICOM\n",
              n(s["connections"]["pending"]), n(dropped["closed"]), n(dropped["timeout"]), n(dropped["crowded"]),
              n(dropped["not_dicom"]));
  std::printf("  instances: %lld stored, %lld refused (%lld out of resources); spool: %lld studies, %lld instances, %lld retired\n",
              n(s["instances"]["stored"]), n(s["instances"]["refused"]), n(s["instances"]["out_of_resources"]),
              n(s["spool"]["studies"]), n(s["spool"]["instances"]), n(s["spool"]["studies_retired"]));
  if (s["intake"]["paused"].is_boolean() && s["intake"]["paused"].get<bool>())
    std::printf("  intake PAUSED: %lld MB free, below min_free_mb %lld (senders are answered A700)\n", n(s["intake"]["free_mb"]),
                n(s["intake"]["min_free_mb"]));
  for (const auto& r : s["routes"]) {
    std::printf("  route %s (%s): %lld queued, %lld done, %lld delivered, %lld quarantined, %lld withheld, %lld "
                "disclosures, %lld retries\n",
                r["name"].get<std::string>().c_str(), r["destination"].get<std::string>().c_str(), n(r["queued_studies"]),
                n(r["studies_done"]), n(r["instances_delivered"]), n(r["instances_quarantined"]), n(r["instances_withheld"]),
                n(r["disclosures_recorded"]), n(r["retries"]));
    if (!r["last_error"].get<std::string>().empty())
      std::printf("    last error: %s\n", r["last_error"].get<std::string>().c_str());
  }
}

}  // namespace radveil::cli
