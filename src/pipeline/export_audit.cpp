#include "pipeline/export_audit.h"

namespace radveil::pipeline {
ExportAudit::ExportAudit(audit::AuditTrail& trail, const std::string& export_id, const consent::Recipient& recipient,
                         const std::string& purpose, const std::filesystem::path& output)
    : trail_(trail) {
  common_.export_id = export_id;
  common_.recipient_id = recipient.id;
  common_.recipient_name = recipient.name;
  common_.recipient_address = recipient.address;
  common_.purpose_code = purpose;
  common_.purpose_system = std::string(consent::kPurposeSystem);
  common_.purpose_meaning = purpose;
  for (const auto& k : consent::known_purposes())
    if (k.code == purpose) {
      common_.purpose_system = std::string(k.system);
      common_.purpose_meaning = std::string(k.meaning);
    }
  common_.destination = audit::file_uri(output);
}

audit::StudyTransfer ExportAudit::transfer(const consent::Identifier& patient, const std::string& study_uid,
                                           const std::string& pseudonymous_study_uid) const {
  audit::StudyTransfer t = common_;
  t.patient_id = patient.value;
  t.patient_issuer = patient.system;
  t.study_uid = study_uid;
  t.pseudonymous_study_uid = pseudonymous_study_uid;
  return t;
}

void ExportAudit::began(const DisclosedInstance& d) {
  std::lock_guard lock(mutex_);
  const auto [it, first] = open_.try_emplace({d.patient_value, d.patient_system, d.study_uid}, d.pseudonymous_study_uid);
  if (!first) return;
  trail_.record(audit::begin_transferring(trail_.source(),
                                          transfer({d.patient_system, d.patient_value}, d.study_uid, d.pseudonymous_study_uid),
                                          audit::now_millis()));
}

void ExportAudit::recorded(const ledger::RecordedDisclosures& records) {
  std::lock_guard lock(mutex_);
  for (const auto& s : records.studies) {
    audit::StudyTransfer t = transfer(s.patient, s.study_uid, s.pseudonymous_study_uid);
    for (const auto& [uid, count] : s.sop_classes)
      if (!uid.empty()) t.sop_classes.push_back({uid, count});
    const std::int64_t now = audit::now_millis();
    trail_.record(audit::instances_transferred(trail_.source(), t, audit::Outcome::Success, now));
    trail_.record(audit::export_message(trail_.source(), t, now));
    open_.erase({s.patient.value, s.patient.system, s.study_uid});
  }
}

void ExportAudit::stopped() { close_open("the export stopped before the study's disclosure was recorded"); }

void ExportAudit::close_open(const std::string& description) {
  std::lock_guard lock(mutex_);
  for (const auto& [key, pseudonymous] : open_) {
    audit::AuditMessage m = audit::instances_transferred(
        trail_.source(), transfer({std::get<1>(key), std::get<0>(key)}, std::get<2>(key), pseudonymous),
        audit::Outcome::SeriousFailure, audit::now_millis());
    m.outcome_description = description;
    trail_.record(m);
  }
  open_.clear();
}

}  // namespace radveil::pipeline
