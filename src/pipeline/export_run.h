#pragma once
// An export: the deid job with "decide" in front (consent, per patient and study) and "record"
// behind it (one disclosure per patient and study in the ledger, and its audit messages), under
// the recipient's own key. Resumable as a deid job is: the export keeps its id in OUT/.radveil.
//
// `radveil export` runs the phases back to back (run_export): what is written to OUT is
// disclosed. The gateway (`radveil serve`) delivers the written instances first and records only
// what its destination acknowledged.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "audit/audit_trail.h"
#include "consent/policy.h"
#include "ledger/disclosure_recorder.h"
#include "ledger/ledger_keys.h"
#include "pipeline/deid_run.h"
#include "pseudonym/secret_key.h"
#include "scan/study_gate.h"
#include "store/state_store.h"

namespace radveil::pipeline {

class ExportAudit;

struct ExportSettings {
  std::string purpose, recipient;
  std::int64_t at = 0;  // the time the export decides at
  audit::AuditTrail* audit = nullptr;  // where its audit messages go (the CLI always names one)
  // --scan-gate: each written study is scanned (scan/study_gate.h) before it is recorded; one with
  // findings at or above this level is held back in the quarantine.
  std::optional<scan::FailLevel> scan_gate;
};

struct ExportResult {
  std::string export_id;
  RunReport report;
  ledger::RecordedDisclosures recorded;
  audit::ForwardResult audit;  // what reached the audit collector, if one is configured
  std::vector<scan::HeldBackStudy> held_back;  // by the scan gate
};

class Export {
 public:
  // Begins (or resumes) the export into config.output. Throws ConfigError for an unregistered
  // recipient, an unknown purpose, an output folder started as another export, or the deid job's
  // own configuration errors, before anything is read.
  Export(DeidRunConfig config, const ExportSettings& settings, store::StateStore& store, const consent::Policy& policy,
         const pseudonym::SecretKey& site_key);
  ~Export();
  Export(const Export&) = delete;
  Export& operator=(const Export&) = delete;

  const std::string& id() const { return record_.id; }
  const std::filesystem::path& output() const { return config_.output; }
  const std::filesystem::path& quarantine() const { return config_.quarantine; }
  // With a scan gate: what of published() passes it (studies failing it are moved to the
  // quarantine, scan/study_gate.h); without one, all of it.
  // Studies held back end in the audit trail with a failed 110104 when record() is called.
  scan::StudyGateResult gate(const std::map<std::string, std::string>& published);

  // Decide and de-identify: instances permitted are written to OUT (and noted in the state).
  RunReport deidentify(const Progress& progress = {});
  // Input id -> output path (relative to OUT) of everything the job has published so far.
  std::map<std::string, std::string> published() const;
  // One disclosure per patient and study among `disclosed` (a subset of published()), with its
  // audit messages.
  ledger::RecordedDisclosures record(const ledger::LedgerKeys& keys, const std::map<std::string, std::string>& disclosed);
  // The export failed: studies that began end with a failure audit message.
  void stopped();
  // Counts by decision into the state; sends the audit collector what it has not received.
  audit::ForwardResult finish();

 private:
  DeidRunConfig config_;
  ExportSettings settings_;
  store::StateStore& store_;
  const consent::Policy& policy_;
  pseudonym::SecretKey recipient_key_;
  store::ExportRecord record_;
  std::unique_ptr<ExportAudit> audit_;
  std::size_t held_back_ = 0;
};

// `radveil export`: all phases; what is written is disclosed.
ExportResult run_export(DeidRunConfig config, const ExportSettings& settings, store::StateStore& store,
                        const consent::Policy& policy, const ledger::LedgerKeys& keys, const pseudonym::SecretKey& site_key,
                        const Progress& progress = {}, const std::function<void(const std::string&)>& started = {});

}  // namespace radveil::pipeline
