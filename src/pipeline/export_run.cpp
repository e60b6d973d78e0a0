#include "pipeline/export_run.h"

#include <openssl/rand.h>

#include <cstdio>
#include <fstream>
#include <optional>

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

}  // namespace

ExportResult run_export(DeidRunConfig config, const ExportSettings& settings, store::StateStore& store,
                        const consent::Policy& policy, const ledger::LedgerKeys& keys, const pseudonym::SecretKey& site_key,
                        const Progress& progress, const std::function<void(const std::string&)>& started) {
  if (!policy.knows(settings.purpose))
    throw ConfigError("unknown purpose " + settings.purpose + " (radveil policy show lists them)");
  const auto recipient = store.recipient(settings.recipient);
  if (!recipient)
    throw ConfigError("recipient " + settings.recipient + " is not registered (radveil recipient add)");
  validate(config);  // before anything is written into OUT
  ExportResult result;
  result.export_id = export_id_for(config.output);
  const std::string& id = result.export_id;
  if (const auto earlier = store.export_record(id);
      earlier && (earlier->recipient != settings.recipient || earlier->purpose != settings.purpose))
    throw ConfigError("this output was started as an export to " + earlier->recipient + " for " + earlier->purpose +
                      "; use those or a new output folder");
  const store::ExportRecord record{id, settings.recipient, settings.purpose, settings.at, std::nullopt,
                                   nlohmann::json::object()};
  store.begin_export(record);
  if (started) started(id);
  ReleaseGate gate(store, policy, {id, settings.purpose, settings.recipient, settings.at});
  config.gate = &gate;
  std::optional<ExportAudit> audit;
  if (settings.audit) audit.emplace(*settings.audit, id, *recipient, settings.purpose, config.output);
  config.before_publish = [&](const std::string& input_id, const Outcome& o) {
    if (!o.disclosed) return;
    const auto& d = *o.disclosed;
    store.record_exported_instance({id, input_id, {d.patient_system, d.patient_value}, d.study_uid,
                                    d.pseudonymous_study_uid, d.sop_uid, d.modality, d.method_codes, o.output.string(),
                                    d.sop_class_uid});
    if (audit) audit->began(d);  // a failure here quarantines the instance: nothing leaves unaudited
  };
  const pseudonym::Pseudonymizer pseudonymizer(pseudonym::recipient_key(site_key, settings.recipient));
  try {
    result.report = run_deid(config, pseudonymizer, progress);
    // Record: one disclosure per patient and study this run (or an interrupted earlier one) published.
    result.recorded = ledger::record_disclosures(store, keys, record, config.output,
                                                 published_outputs(state_dir(config.output) / "state.sqlite"), settings.at);
    if (audit) audit->recorded(result.recorded);
  } catch (...) {
    if (audit) {
      try {
        audit->stopped();
        audit->forward();
      } catch (const std::exception&) {  // the export's own error is the one to report
      }
    }
    throw;
  }
  // Counts by decision, never by patient: what the state records for the export as a whole.
  nlohmann::json counts = nlohmann::json::object();
  for (const auto& d : store.decisions(id)) counts[d.reason] = counts.value(d.reason, 0) + 1;
  store.finish_export(id, {{"patient_study_dates", counts}});
  if (audit) result.audit = audit->forward();
  return result;
}

}  // namespace radveil::pipeline
