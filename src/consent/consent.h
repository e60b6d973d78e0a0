#pragma once
// A patient's consent as radveil evaluates it, whichever shape it arrived in (FHIR R4, FHIR R5, a
// CSV row): who it is about, whether it is in force, and a tree of permit/deny provisions.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "consent/fhir_time.h"

namespace radveil::consent {

enum class Decision { Permit, Deny };
std::string_view decision_name(Decision d);                   // "permit" | "deny"
std::optional<Decision> decision_from(std::string_view text);  // "permit" | "deny"
inline Decision opposite(Decision d) { return d == Decision::Permit ? Decision::Deny : Decision::Permit; }

// FHIR Consent.status, R4 and R5 values together.
enum class Status { Draft, Proposed, Active, Rejected, Inactive, EnteredInError, NotDone, Unknown };
std::string_view status_name(Status s);
std::optional<Status> status_from(std::string_view text);

// A patient identifier: the FHIR Identifier's system and value, DICOM's Issuer of Patient ID and
// Patient ID.
struct Identifier {
  std::string system, value;
};

// One rule. The root's `type` is the consent's base decision; a nested provision is an exception
// to its parent: its own type when given (R4), otherwise the opposite of its parent's (R5).
struct Provision {
  std::optional<Decision> type;
  std::vector<std::string> purposes;  // PurposeOfUse codes; empty: every purpose
  std::vector<std::string> actors;    // recipient IDs; empty: every recipient
  std::optional<Period> period;       // when the rule applies (against the time of the export)
  std::optional<Period> data_period;  // which data it covers (against the study date)
  bool disclosure_action = true;      // false when its `action` names only actions other than disclosing
  // Conditions radveil does not evaluate (class, code, data, securityLabel): such a rule is
  // applied only where it denies, never where it would permit.
  std::vector<std::string> unevaluated;
  std::vector<Provision> provisions;
};

struct Consent {
  std::string id, version;
  std::string shape;  // "FHIR R4", "FHIR R5", "CSV"
  Status status = Status::Unknown;
  Identifier patient;
  std::optional<std::int64_t> recorded;  // dateTime: when the patient decided
  std::optional<Period> period;          // when the consent is in force
  Provision root;
};

// Storage form (no loss): what the state database keeps and gives back.
nlohmann::json to_json(const Consent& c);
Consent consent_from_json(const nlohmann::json& j);

}  // namespace radveil::consent
