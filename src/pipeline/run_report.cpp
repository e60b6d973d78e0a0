#include "pipeline/run_report.h"

#include <algorithm>
#include <sstream>

#include "core/version.h"

namespace radveil::pipeline {

void RunReport::record(const Outcome& outcome) {
  std::lock_guard lock(mutex_);
  ++counts_[outcome.kind];
  if (!outcome.reason.empty()) ++reasons_[outcome.kind][outcome.reason];
  if (outcome.kind == OutcomeKind::Quarantined)
    quarantined_.push_back({outcome.quarantine_id, outcome.reason, outcome.detail});
  if (outcome.kind == OutcomeKind::Deidentified && !outcome.output.empty())
    ++patients_[outcome.output.begin()->string()];
}

std::size_t RunReport::count(OutcomeKind kind) const {
  std::lock_guard lock(mutex_);
  auto it = counts_.find(kind);
  return it == counts_.end() ? 0 : it->second;
}

std::size_t RunReport::total() const {
  return count(OutcomeKind::Deidentified) + count(OutcomeKind::Quarantined) + count(OutcomeKind::Skipped);
}

std::map<std::string, std::size_t> RunReport::reasons(OutcomeKind kind) const {
  std::lock_guard lock(mutex_);
  auto it = reasons_.find(kind);
  return it == reasons_.end() ? std::map<std::string, std::size_t>{} : it->second;
}

nlohmann::json RunReport::to_json(const profile::OptionSet& options, double seconds, int jobs) const {
  nlohmann::json j;
  j["tool"] = {{"name", "radveil"}, {"version", kVersion}};
  j["profile"] = "PS3.15 Basic Application Level Confidentiality Profile";
  j["options"] = nlohmann::json::array();
  for (auto o : options.list()) j["options"].push_back(std::string(profile::option_info(o).cli_name));
  j["files"] = total();
  for (auto kind : {OutcomeKind::Deidentified, OutcomeKind::Quarantined, OutcomeKind::Skipped}) {
    j["counts"][std::string(outcome_name(kind))] = count(kind);
    j["reasons"][std::string(outcome_name(kind))] = reasons(kind);
  }
  std::lock_guard lock(mutex_);
  std::vector<QuarantineEntry> sorted = quarantined_;
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  j["quarantined"] = nlohmann::json::array();
  for (const auto& q : sorted) j["quarantined"].push_back({{"id", q.id}, {"reason", q.reason}, {"detail", q.detail}});
  j["patients"] = patients_.size();
  j["seconds"] = seconds;
  j["jobs"] = jobs;
  return j;
}

std::string RunReport::summary_text(double seconds) const {
  std::ostringstream out;
  const std::size_t n = total();
  out << "radveil deid: " << n << " file" << (n == 1 ? "" : "s") << " in " << std::fixed;
  out.precision(1);
  out << seconds << " s";
  if (seconds > 0) out << " (" << static_cast<long>(static_cast<double>(n) / seconds) << " files/s)";
  out << "\n";
  for (auto kind : {OutcomeKind::Deidentified, OutcomeKind::Quarantined, OutcomeKind::Skipped}) {
    out << "  " << outcome_name(kind) << ": " << count(kind) << "\n";
    for (const auto& [reason, c] : reasons(kind)) out << "      " << reason << ": " << c << "\n";
  }
  {
    std::lock_guard lock(mutex_);
    out << "  patients in output: " << patients_.size() << "\n";
  }
  return out.str();
}

}  // namespace radveil::pipeline
