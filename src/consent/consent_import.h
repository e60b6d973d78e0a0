#pragma once
// Reading consents: HL7 FHIR Consent resources (R4 or R5 shape; one resource, a JSON array, or a
// Bundle) and radveil's CSV. Every resource is checked whole and either taken or refused with a
// reason; nothing is half-read.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "consent/consent.h"

namespace radveil::consent {

// A resource (or CSV row) that was not taken: its position in the file (1-based: the resource in
// an array or Bundle, the row of a CSV counting the header), its id when it has a usable one, and
// why. Reasons never quote a patient value.
struct Refusal {
  std::size_t position = 0;
  std::string id;
  std::string reason;
  bool independent = false;  // an entry of a `batch` Bundle: the others stand without it
};

// A DELETE entry of a Bundle: the consent with this identity is withdrawn.
struct Withdrawal {
  std::size_t position = 0;
  std::string identity;
  std::size_t transaction = 0;  // the transaction Bundle it came in (0: none)
};

struct ParsedConsents {
  std::vector<Consent> consents;
  std::vector<Refusal> refused;
  std::vector<Withdrawal> withdrawals;
  std::size_t other_resources = 0;  // Patients, Organizations, ... read for references, not imported
};

// Patients (and the Organizations and Practitioners consents name as actors) known beyond the
// file: literal references (`Patient/123`, `Organization/7`, a full URL) to their identifiers,
// from `consent import --patients patients.ndjson` (one resource per line).
struct PatientDirectory {
  std::map<std::string, std::vector<Identifier>> by_reference;  // "Type/id" -> identifiers
  std::vector<Identifier> find(const std::string& reference) const;
};
// Throws std::runtime_error naming the line that is not a resource with an id and an identifier.
PatientDirectory parse_patient_directory(std::string_view ndjson_text);

// Where the resources come from: the FHIR server's base URL (`--source`), so that `Consent/1`
// of one server is not another's, and the patients known beyond the file.
struct ImportContext {
  std::string source;
  const PatientDirectory* patients = nullptr;
};

// The system radveil documents for recipient identifiers in Consent.provision.actor (any system
// is accepted; this one says the value is a radveil recipient ID).
inline constexpr std::string_view kRecipientSystem = "urn:radveil:recipient";

ParsedConsents parse_fhir_consents(std::string_view json_text, const ImportContext& context = {});

// Header (any order): patient_id,issuer,purpose,recipient,decision,from,to,recorded_at. An empty
// purpose or recipient (or "*") means every purpose or recipient; from/to are FHIR dates or
// dateTimes and may be empty (open).
ParsedConsents parse_csv_consents(std::string_view csv_text);

}  // namespace radveil::consent
