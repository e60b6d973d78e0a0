#pragma once
// The report of a job: the journal's totals (every run of the job so far) and this run's own
// figures, for the terminal summary and the JSON report. No input path, no patient value.
#include <nlohmann/json.hpp>
#include <string>

#include "pipeline/job_journal.h"
#include "profile/options.h"

namespace radveil::pipeline {

struct RunFigures {
  double seconds = 0;
  int jobs = 1;
  std::size_t processed = 0;     // files handled by this run
  std::size_t already_done = 0;  // files an earlier run of the job had finished
  std::size_t walk_errors = 0;   // folders that could not be read
  std::uintmax_t bytes_read = 0;
  // Face removal (clean-recognizable-visual-features), this run.
  bool face_removal = false;
  std::size_t series_defaced = 0, series_without_face = 0, series_refused = 0;
  std::size_t instances_written_uncompressed = 0;  // compressed input, pixels rewritten
  // `radveil export`: the export and whom it is for (empty for `radveil deid`).
  std::string export_id, recipient, purpose;
};

class RunReport {
 public:
  RunReport() = default;
  RunReport(JournalTotals totals, RunFigures figures) : totals_(std::move(totals)), figures_(figures) {}

  std::size_t count(OutcomeKind kind) const;
  std::size_t total() const;
  std::map<std::string, std::size_t> reasons(OutcomeKind kind) const;
  const RunFigures& figures() const { return figures_; }

  nlohmann::json to_json(const profile::OptionSet& options) const;
  std::string summary_text() const;

 private:
  JournalTotals totals_;
  RunFigures figures_;
};

}  // namespace radveil::pipeline
