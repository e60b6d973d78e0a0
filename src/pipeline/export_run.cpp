#include "pipeline/export_run.h"

#include <openssl/rand.h>

#include <cstdio>
#include <fstream>

#include "pipeline/export_audit.h"
#include "pipeline/job_journal.h"
#include "pipeline/release_gate.h"
#include "pseudonym/pseudonymizer.h"
#include "pseudonym/recipient_key.h"

namespace radveil::pipeline {
namespace {

// An export keeps its id across resumed runs into the same OUT: kept beside the job's journal.
std::string export_id_for(const std::filesystem::path& output) {
  const std::filesystem::path file = state_dir(output) / "export-id";
  if (std::ifstream in(file); in) {
    std::string id;
    std::getline(in, id);
    if (!id.empty()) return id;
  }
  unsigned char bytes[8];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("no randomness for an export id");
  char id[32];
  std::snprintf(id, sizeof id, "exp-%02x%02x%02x%02x%02x%02x%02x%02x", bytes[0], bytes[1], bytes[2], bytes[3], bytes[4],
                bytes[5], bytes[6], bytes[7]);
  std::filesystem::create_directories(file.parent_path());
  const std::filesystem::path temporary = file.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << id << "\n";
    if (!out) throw std::runtime_error("cannot write the export id into the output folder");
  }
  std::filesystem::rename(temporary, file);
  return id;
}

const consent::Recipient& registered(store::StateStore& store, const consent::Policy& policy, const ExportSettings& s,
                                     std::optional<consent::Recipient>& holder) {
  if (!policy.knows(s.purpose)) throw ConfigError("unknown purpose " + s.purpose + " (radveil policy show lists them)");
  holder = store.recipient(s.recipient);
  if (!holder) throw ConfigError("recipient " + s.recipient + " is not registered (radveil recipient add)");
  return *holder;
}

}  // namespace

Export::Export(DeidRunConfig config, const ExportSettings& settings, store::StateStore& store, const consent::Policy& policy,
               const pseudonym::SecretKey& site_key)
    : config_(std::move(config)),
      settings_(settings),
      store_(store),
      policy_(policy),
      recipient_key_(pseudonym::recipient_key(site_key, settings.recipient)) {
  std::optional<consent::Recipient> recipient;
  registered(store_, policy_, settings_, recipient);
  validate(config_);  // before anything is written into OUT
  const std::string id = export_id_for(config_.output);
  if (const auto earlier = store_.export_record(id);
      earlier && (earlier->recipient != settings_.recipient || earlier->purpose != settings_.purpose))
    throw ConfigError("this output was started as an export to " + earlier->recipient + " for " + earlier->purpose +
                      "; use those or a new output folder");
  record_ = {id, settings_.recipient, settings_.purpose, settings_.at, std::nullopt, nlohmann::json::object()};
  store_.begin_export(record_);
  if (settings_.audit) audit_ = std::make_unique<ExportAudit>(*settings_.audit, id, *recipient, settings_.purpose, config_.output);
}

Export::~Export() = default;

RunReport Export::deidentify(const Progress& progress) {
  ReleaseGate gate(store_, policy_, {record_.id, settings_.purpose, settings_.recipient, settings_.at});
  DeidRunConfig config = config_;
  config.gate = &gate;
  config.before_publish = [this](const std::string& input_id, const Outcome& o) {
    if (!o.disclosed) return;
    const auto& d = *o.disclosed;
    store_.record_exported_instance({record_.id, input_id, {d.patient_system, d.patient_value}, d.study_uid,
                                     d.pseudonymous_study_uid, d.sop_uid, d.modality, d.method_codes, o.output.string(),
                                     d.sop_class_uid});
    if (audit_) audit_->began(d);  // a failure here quarantines the instance: nothing leaves unaudited
  };
  return run_deid(config, pseudonym::Pseudonymizer(recipient_key_), progress);
}

std::map<std::string, std::string> Export::published() const {
  return published_outputs(state_dir(config_.output) / "state.sqlite");
}

ledger::RecordedDisclosures Export::record(const ledger::LedgerKeys& keys, const std::map<std::string, std::string>& disclosed) {
  auto recorded = ledger::record_disclosures(store_, keys, record_, config_.output, disclosed, settings_.at);
  if (audit_) {
    audit_->recorded(recorded);
    // What began and is still open now was held back by the scan gate: its transfer failed.
    if (held_back_ > 0) audit_->close_open("the scan gate held the study back: findings at or above its level");
  }
  return recorded;
}

void Export::stopped() {
  if (!audit_) return;
  try {
    audit_->stopped();
    audit_->forward();
  } catch (const std::exception&) {  // the export's own error is the one to report
  }
}

audit::ForwardResult Export::finish() {
  // Counts by decision, never by patient: what the state records for the export as a whole.
  nlohmann::json counts = nlohmann::json::object();
  for (const auto& d : store_.decisions(record_.id)) counts[d.reason] = counts.value(d.reason, 0) + 1;
  store_.finish_export(record_.id, {{"patient_study_dates", counts}});
  return audit_ ? audit_->forward() : audit::ForwardResult{};
}

scan::StudyGateResult Export::gate(const std::map<std::string, std::string>& published) {
  if (!settings_.scan_gate) return {published, {}};
  scan::StudyGateResult result = scan::gate_studies(config_.output, config_.quarantine, published, *settings_.scan_gate,
                                                    static_cast<unsigned>(std::max(0, config_.jobs)));
  held_back_ += result.held_back.size();
  return result;
}

ExportResult run_export(DeidRunConfig config, const ExportSettings& settings, store::StateStore& store,
                        const consent::Policy& policy, const ledger::LedgerKeys& keys, const pseudonym::SecretKey& site_key,
                        const Progress& progress, const std::function<void(const std::string&)>& started) {
  Export job(std::move(config), settings, store, policy, site_key);
  ExportResult result;
  result.export_id = job.id();
  if (started) started(job.id());
  try {
    result.report = job.deidentify(progress);
    // Verify what was written (--scan-gate), then record: one disclosure per patient and study this
    // run (or an interrupted earlier one) published and the gate let through.
    scan::StudyGateResult gated = job.gate(job.published());
    result.held_back = std::move(gated.held_back);
    result.recorded = job.record(keys, gated.passed);
  } catch (...) {
    job.stopped();
    throw;
  }
  result.audit = job.finish();
  return result;
}

}  // namespace radveil::pipeline
