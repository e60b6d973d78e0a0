#pragma once
// Counts of one run per outcome and reason, for the terminal summary and the JSON report.
// Holds no paths of input files and no patient values.
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/outcome.h"
#include "profile/options.h"

namespace radveil::pipeline {

class RunReport {
 public:
  void record(const Outcome& outcome);
  std::size_t count(OutcomeKind kind) const;
  std::size_t total() const;
  std::map<std::string, std::size_t> reasons(OutcomeKind kind) const;

  nlohmann::json to_json(const profile::OptionSet& options, double seconds, int jobs) const;
  std::string summary_text(double seconds) const;

 private:
  struct QuarantineEntry {
    std::string id, reason, detail;
  };
  mutable std::mutex mutex_;
  std::map<OutcomeKind, std::size_t> counts_;
  std::map<OutcomeKind, std::map<std::string, std::size_t>> reasons_;
  std::vector<QuarantineEntry> quarantined_;
  std::map<std::string, std::size_t> patients_;  // patient pseudonym -> instances
};

}  // namespace radveil::pipeline
