#pragma once
// The journal of a `radveil deid` job: one row per input file with its outcome, in the output's
// state database (OUT/.radveil/state.sqlite). It makes a job resumable after any interruption and
// is the source of the job's report. Inputs are named by a keyed hash of their path, so the
// journal holds no PHI.
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "pipeline/input_signature.h"
#include "pipeline/outcome.h"
#include "store/state_db.h"

namespace radveil::pipeline {

struct JournalTotals {
  std::map<OutcomeKind, std::size_t> counts;
  std::map<OutcomeKind, std::map<std::string, std::size_t>> reasons;
  std::size_t patients = 0;
  struct Quarantined {
    std::string id, reason, detail;
  };
  std::vector<Quarantined> quarantined;
  struct PixelsCleaned {
    std::string output;  // pseudonymous path relative to OUT
    PixelFigures figures;
  };
  std::vector<PixelsCleaned> pixels_cleaned;  // instances Clean Pixel Data ran on, by output path
};

class JobJournal {
 public:
  explicit JobJournal(const std::filesystem::path& state_file);
  ~JobJournal();

  // A job is bound to one key and one option set; resuming with others would mix pseudonyms.
  // Returns an explanation when this job was started differently.
  std::optional<std::string> bind(const std::string& key_fingerprint, const std::string& options);

  // True when this input was finished by an earlier run and has not changed since.
  bool done(const std::string& input_id, const InputSignature& signature);

  // Moves a staged output to `target` (never replacing) and records the input as de-identified,
  // under one lock. If `target` exists with the same bytes and no other input claims it, it is
  // this input's own output from an interrupted run: recorded as de-identified. Otherwise the
  // returned outcome is a duplicate to quarantine (not yet recorded).
  Outcome publish(const std::filesystem::path& staged, const std::filesystem::path& target, Outcome outcome,
                  const std::string& input_id, const InputSignature& signature);

  void record(const Outcome& outcome, const std::string& input_id, const InputSignature& signature);
  void flush();  // commits what is pending
  JournalTotals totals();

 private:
  void insert_locked(const Outcome& outcome, const std::string& input_id, const InputSignature& signature);
  void maybe_commit_locked();

  std::mutex mutex_;
  store::StateDb db_;
  store::Statement insert_, lookup_, by_output_;
  std::size_t pending_ = 0;
  std::chrono::steady_clock::time_point last_commit_;
};

// Every input the journal in `state_file` has published: input id -> output path relative to OUT.
std::map<std::string, std::string> published_outputs(const std::filesystem::path& state_file);

}  // namespace radveil::pipeline
