#include "pipeline/release_gate.h"

#include "core/quarantine_error.h"
#include "dicom/values.h"

namespace radveil::pipeline {

consent::Identifier patient_of(DcmItem& dataset) {
  return {dicom::get_string(dataset, DCM_IssuerOfPatientID), dicom::get_string(dataset, DCM_PatientID)};
}

std::optional<std::string> ReleaseGate::withheld(DcmItem& dataset) {
  const consent::Identifier patient = patient_of(dataset);
  if (patient.value.empty())
    throw QuarantineError("no-patient-identity", "the instance has no Patient ID, so no consent decision can be made");
  const std::string study_date = dicom::get_string(dataset, DCM_StudyDate);
  const std::string key = patient.value + '\x1f' + patient.system + '\x1f' + study_date;
  std::lock_guard lock(mutex_);
  if (const auto it = decided_.find(key); it != decided_.end())
    return it->second == "permitted" ? std::nullopt : std::optional<std::string>(it->second);
  consent::Query query{patient, request_.purpose, request_.recipient, request_.at, consent::parse_dicom_date(study_date)};
  const consent::Verdict verdict = consent::decide(store_.consents_for(patient.value), policy_, query);
  store_.record_decision({request_.export_id, patient, query.study_date ? study_date : std::string(),
                          std::string(consent::decision_name(verdict.decision)), verdict.reason, verdict.to_json()});
  decided_[key] = verdict.reason;
  return verdict.decision == consent::Decision::Permit ? std::nullopt : std::optional<std::string>(verdict.reason);
}

}  // namespace radveil::pipeline
