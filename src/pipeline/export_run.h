#pragma once
// A whole `radveil export`: the deid job with "decide" in front (consent, per patient and study)
// and "record" behind it (one disclosure per patient and study in the ledger), under the
// recipient's own key. Resumable as a deid job is: the export keeps its id in OUT/.radveil.
#include <functional>
#include <stdexcept>
#include <string>

#include "audit/audit_trail.h"
#include "consent/policy.h"
#include "ledger/disclosure_recorder.h"
#include "ledger/ledger_keys.h"
#include "pipeline/deid_run.h"
#include "pseudonym/secret_key.h"
#include "store/state_store.h"

namespace radveil::pipeline {

struct ExportSettings {
  std::string purpose, recipient;
  std::int64_t at = 0;  // the time the export decides at
  audit::AuditTrail* audit = nullptr;  // where its audit messages go (the CLI always names one)
};

struct ExportResult {
  std::string export_id;
  RunReport report;
  ledger::RecordedDisclosures recorded;
  audit::ForwardResult audit;  // what reached the audit collector, if one is configured
};

// Throws ConfigError for an unregistered recipient, an unknown purpose, an output folder started
// as another export, or the deid job's own configuration errors. `config` is the deid job's
// configuration (its gate and before_publish are set here).
ExportResult run_export(DeidRunConfig config, const ExportSettings& settings, store::StateStore& store,
                        const consent::Policy& policy, const ledger::LedgerKeys& keys, const pseudonym::SecretKey& site_key,
                        const Progress& progress = {}, const std::function<void(const std::string&)>& started = {});

}  // namespace radveil::pipeline
