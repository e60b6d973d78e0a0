#pragma once
// The consent decision: may this patient's study be disclosed for this purpose to this
// recipient? Pure: the patient's consents, the policy and the question in (the time included), a
// decision and its explanation out. No I/O, no clock.
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "consent/consent.h"
#include "consent/policy.h"

namespace radveil::consent {

struct Query {
  Identifier patient;  // DICOM Patient ID (value) and Issuer of Patient ID (system, may be empty)
  std::string purpose, recipient;
  std::int64_t at = 0;                   // the time of the export
  std::optional<TimeRange> study_date;   // the study's date, when the instance has one
};

// The decision for one purpose of the export's closure (the purpose and what it implies).
struct PurposeVerdict {
  std::string purpose;
  Decision decision = Decision::Deny;
  bool by_consent = false;  // false: the policy's default, as no consent applied
  std::string consent_id, consent_version, consent_shape, provision;  // the deciding rule, by_consent only
  std::optional<std::int64_t> recorded;
};

// A consent on file for the patient that did not count, and why.
struct SetAside {
  std::string consent_id, purpose, why;
};

struct Verdict {
  Decision decision = Decision::Deny;
  std::string reason;  // "permitted", "withheld-opted-out", "withheld-no-consent"
  std::vector<PurposeVerdict> purposes;
  std::vector<SetAside> set_aside;

  nlohmann::json to_json() const;
  std::string explanation() const;  // lines for people; consent ids and codes, no patient value
};

// The consent's patient is the instance's: the same value and, when both name an issuer, the same
// issuer ("urn:oid:" aside).
bool same_patient(const Identifier& consent_patient, const Identifier& instance_patient);

// How a consent's patient relates to the study's: the same patient; the same ID value under an
// identifier system that cannot be reconciled with the study's issuer (the policy's [issuers]),
// whose denies count and permits do not; or another patient.
enum class PatientMatch { Same, Unreconciled, Other };
PatientMatch match_patient(const Consent& c, const Identifier& instance_patient, const Policy& policy);

// `consents`: everything on file that may concern the patient (the engine checks each).
Verdict decide(const std::vector<Consent>& consents, const Policy& policy, const Query& query);

}  // namespace radveil::consent
