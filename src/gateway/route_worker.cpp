#include "gateway/route_worker.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <mutex>
#include <thread>
#include <vector>

#include "core/event_log.h"
#include "pipeline/export_run.h"

namespace radveil::gateway {
namespace {

std::int64_t now_seconds() { return static_cast<std::int64_t>(std::time(nullptr)); }

}  // namespace

RouteWorker::RouteWorker(Route route, NodeServices& services)
    : route_(std::move(route)), services_(services), destination_(make_destination(route_.destination, services.ae_title)) {
  status_.name = route_.name;
  status_.destination = route_.destination.describe();
  thread_ = std::thread([this] { loop(); });
}

RouteWorker::~RouteWorker() {
  stop();
  if (thread_.joinable()) thread_.join();
}

void RouteWorker::enqueue(const std::string& study) {
  std::lock_guard lock(mutex_);
  if (std::find(queue_.begin(), queue_.end(), study) == queue_.end()) queue_.push_back(study);
  wake_.notify_one();
}

void RouteWorker::stop() {
  std::lock_guard lock(mutex_);
  stop_ = true;
  wake_.notify_one();
}

bool RouteWorker::idle() const {
  std::lock_guard lock(mutex_);
  return queue_.empty() && !busy_;
}

RouteStatus RouteWorker::status() const {
  std::lock_guard lock(mutex_);
  RouteStatus s = status_;
  s.queued = queue_.size();
  return s;
}

void RouteWorker::loop() {
  int backoff = route_.retry_initial_seconds;
  std::unique_lock lock(mutex_);
  while (!stop_) {
    if (queue_.empty()) {
      wake_.wait_for(lock, std::chrono::milliseconds(500));
      continue;
    }
    const std::string study = queue_.front();
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    std::string error;
    try {
      process(study);
    } catch (const DeliveryError& e) {
      error = e.what();
    } catch (const pipeline::ConfigError& e) {
      error = std::string("route cannot run: ") + e.what();
    } catch (const std::filesystem::filesystem_error& e) {
      error = "a file system error: " + e.code().message();  // its paths could name a study folder only, but say less
    } catch (const std::exception& e) {
      error = e.what();
    } catch (...) {
      error = "an unexpected failure";
    }
    lock.lock();
    busy_ = false;
    if (error.empty()) {
      backoff = route_.retry_initial_seconds;
      continue;
    }
    log_event("delivery-failed", {{"route", route_.name}, {"study", study}, {"error", error}, {"retry_in_seconds", backoff}});
    // The study goes back to the end of the queue; the route waits before trying again.
    queue_.push_back(study);
    ++status_.retries;
    status_.last_error = error;
    status_.last_error_at = now_seconds();
    wake_.wait_for(lock, std::chrono::seconds(backoff), [this] { return stop_; });
    backoff = std::min(backoff * 2, route_.retry_max_seconds);
  }
}

void RouteWorker::process(const std::string& study) {
  const auto started = std::chrono::steady_clock::now();
  // Read before the study is walked: an instance that arrives later changes it, and the study is
  // then not retired on this route's word.
  const auto seen = services_.spool.last_arrival(study);
  pipeline::DeidRunConfig config;
  const std::filesystem::path route_dir = services_.state / "routes" / route_.name;
  config.input = services_.spool.study_folder(study);
  config.output = route_dir / "out" / study;
  config.quarantine = route_dir / "quarantine" / study;
  config.options = route_.options.header;
  config.clean_recognizable_visual_features = route_.options.clean_recognizable_visual_features;
  config.pixels.enabled = route_.options.clean_pixel_data;
  config.jobs = std::max(1, route_.jobs);  // the node shares the cores among its routes
  pipeline::Export job(config, {route_.purpose, route_.recipient, now_seconds(), &services_.audit, route_.scan_gate},
                       services_.store, services_.policy, services_.site_key);
  const pipeline::RunReport report = job.deidentify();
  const auto deidentified = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    refused_[study] = {report.count(pipeline::OutcomeKind::Quarantined), report.count(pipeline::OutcomeKind::Withheld)};
    status_.quarantined = status_.withheld = 0;
    for (const auto& [name, counts] : refused_) {
      status_.quarantined += counts.first;
      status_.withheld += counts.second;
    }
  }
  // Deliver what was written, passed the scan gate and was not yet acknowledged; record only what was.
  const scan::StudyGateResult gated = job.gate(job.published());
  const auto& published = gated.passed;
  std::map<std::string, std::string> disclosed;
  std::vector<Delivery> pending;
  for (const auto& i : services_.store.unrecorded_instances(job.id())) {
    const auto it = published.find(i.input_id);
    if (it == published.end() || it->second != i.output_path) continue;
    if (i.delivered) disclosed[i.input_id] = i.output_path;
    else pending.push_back({i.input_id, config.output / i.output_path, i.output_path, i.sop_uid});
  }
  // Up to `connections` deliveries at once, each with its share of the instances (measured:
  // fewer, larger shares were slower into Orthanc, which stores associations in parallel).
  const std::size_t lanes = std::min<std::size_t>(static_cast<std::size_t>(route_.destination.connections), pending.size());
  std::vector<std::vector<Delivery>> shares(lanes);
  for (std::size_t i = 0; i < pending.size(); ++i) shares[i % lanes].push_back(std::move(pending[i]));
  std::mutex acknowledged;
  std::vector<std::string> errors(lanes);
  std::vector<std::thread> threads;
  for (std::size_t lane = 0; lane < lanes; ++lane)
    threads.emplace_back([&, lane] {
      try {
        destination_->deliver(shares[lane], [&](const Delivery& d) {
          services_.store.mark_delivered(job.id(), d.input_id);
          std::lock_guard lock(acknowledged);
          disclosed[d.input_id] = d.relative.string();
          std::lock_guard status_lock(mutex_);
          ++status_.delivered;
        });
      } catch (const std::exception& e) {
        errors[lane] = e.what();
      } catch (...) {
        errors[lane] = "an unexpected failure while delivering";
      }
    });
  for (auto& t : threads) t.join();
  for (const auto& e : errors)
    if (!e.empty()) {
      job.finish();  // what was decided is counted; the study's record waits for its last instance
      throw DeliveryError(e);
    }
  const auto delivered = std::chrono::steady_clock::now();
  const auto recorded = job.record(services_.keys, disclosed);
  job.finish();
  const auto ms = [](auto from, auto to) { return std::chrono::duration_cast<std::chrono::milliseconds>(to - from).count(); };
  log_event("study-done", {{"route", route_.name},
                           {"study", study},
                           {"export", job.id()},
                           {"delivered", disclosed.size()},
                           {"quarantined", report.count(pipeline::OutcomeKind::Quarantined)},
                           {"withheld", report.count(pipeline::OutcomeKind::Withheld)},
                           {"held_back_by_scan", gated.held_back.size()},
                           {"disclosures", recorded.positions.size()},
                           {"ms", {{"deidentify", ms(started, deidentified)},
                                   {"deliver", ms(deidentified, delivered)},
                                   {"record", ms(delivered, std::chrono::steady_clock::now())}}}});
  {
    std::lock_guard lock(mutex_);
    ++status_.studies;
    status_.disclosures += recorded.positions.size();
  }
  if (seen && services_.finished) services_.finished(route_.name, study, *seen);
}

}  // namespace radveil::gateway
