#pragma once
// The "decide" stage of an export: may this instance leave for this purpose and this recipient?
// It asks the consent engine once per patient and study date, records each decision in the state
// store under the export's id, and answers every instance of the same patient and date alike.
#include <dcmtk/dcmdata/dctk.h>

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "consent/decision_engine.h"
#include "consent/policy.h"
#include "store/state_store.h"

namespace radveil::pipeline {

struct ExportRequest {
  std::string export_id, purpose, recipient;
  std::int64_t at = 0;  // the time the export is decided at
};

// The patient an instance is about, as consents name patients.
consent::Identifier patient_of(DcmItem& dataset);

class ReleaseGate {
 public:
  ReleaseGate(store::StateStore& store, consent::Policy policy, ExportRequest request)
      : store_(store), policy_(std::move(policy)), request_(std::move(request)) {}

  // The reason to withhold the instance ("withheld-opted-out", "withheld-no-consent"), or nullopt
  // to let it through. Throws QuarantineError "no-patient-identity" without a Patient ID: no
  // consent decision can be made for it. Thread-safe.
  std::optional<std::string> withheld(DcmItem& dataset);

  const ExportRequest& request() const { return request_; }

 private:
  store::StateStore& store_;
  const consent::Policy policy_;
  const ExportRequest request_;
  std::mutex mutex_;
  std::map<std::string, std::string> decided_;  // (patient, issuer, study date) -> reason
};

}  // namespace radveil::pipeline
