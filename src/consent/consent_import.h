#pragma once
// Reading consents: HL7 FHIR Consent resources (R4 or R5 shape; one resource, a JSON array, or a
// Bundle) and radveil's CSV. Every resource is checked whole and either taken or refused with a
// reason; nothing is half-read.
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
};

struct ParsedConsents {
  std::vector<Consent> consents;
  std::vector<Refusal> refused;
};

// The system radveil documents for recipient identifiers in Consent.provision.actor (any system
// is accepted; this one says the value is a radveil recipient ID).
inline constexpr std::string_view kRecipientSystem = "urn:radveil:recipient";

ParsedConsents parse_fhir_consents(std::string_view json_text);

// Header (any order): patient_id,issuer,purpose,recipient,decision,from,to,recorded_at. An empty
// purpose or recipient (or "*") means every purpose or recipient; from/to are FHIR dates or
// dateTimes and may be empty (open).
ParsedConsents parse_csv_consents(std::string_view csv_text);

}  // namespace radveil::consent
