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
  std::vector<std::string> actors;    // recipient IDs (every identifier value of a recipient-role actor)
  // An actor in a recipient role that radveil could not identify: the rule denies every recipient
  // and permits none (unsure, the study stays).
  bool unidentified_recipient = false;
  // Roles of the parties named that are not recipients (custodian, author, ...): they do not
  // narrow a deny, and a permit that names only them permits no recipient.
  std::vector<std::string> other_party_roles;
  // Codes (provision.code, MII module codes, ...) and data classes (resource types), matched
  // against the policy's code map and the kind of data radveil exports.
  std::vector<std::string> codes;
  std::vector<std::string> classes;
  std::optional<Period> period;       // when the rule applies (against the time of the export)
  std::optional<Period> data_period;  // which data it covers (against the study date)
  // Consent actions (collect, access, use, disclose, correct); empty: every action. A permit
  // counts for an export only where it names `disclose`; a deny wherever it names any way of
  // getting at the data (collect, access, use, disclose).
  std::vector<std::string> actions;
  // Conditions radveil does not evaluate (data, securityLabel, an unmapped code...): such a rule is
  // applied only where it denies, never where it would permit.
  std::vector<std::string> unevaluated;
  std::vector<Provision> provisions;
};

struct Consent {
  // Who the consent is, across imports and sources: a fullUrl, a server base with the id, or an
  // identifier's system and value (never an id alone: two servers' Consent/1 are two consents).
  std::string identity;
  std::string id;                           // a short label for people: the resource id or identifier value
  std::string version;                      // meta.versionId, else a hash of the content
  std::string content;                      // a hash of what radveil read: equal content, same consent
  std::optional<std::int64_t> last_updated; // meta.lastUpdated
  std::string shape;  // "FHIR R4", "FHIR R5", "FHIR STU3", "CSV"
  Status status = Status::Unknown;
  Identifier patient;
  std::vector<Identifier> also_patient;     // the patient's other identifiers (from the Patient resource)
  std::optional<std::int64_t> recorded;  // dateTime (R4) or date (R5): when the patient decided
  std::optional<Period> period;          // when the consent is in force
  Provision root;
};

// Every identifier of the consent's patient: `patient` first, then `also_patient`.
std::vector<Identifier> patient_identifiers(const Consent& c);

// Which of two versions of one consent is newer: by meta.lastUpdated when both have it, else by
// meta.versionId when both are numbers; nullopt when they cannot be ordered.
std::optional<bool> is_newer(const Consent& a, const Consent& b);

// Storage form (no loss): what the state database keeps and gives back.
nlohmann::json to_json(const Consent& c);
Consent consent_from_json(const nlohmann::json& j);

}  // namespace radveil::consent
