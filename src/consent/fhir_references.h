#pragma once
// Literal FHIR references inside a file of consents: `#p1` (a contained resource), `Patient/123`,
// `urn:uuid:...` or a full URL (a resource elsewhere in the same Bundle, or in the patient map
// the user imported). What a Consent names by reference, radveil reads by its identifiers.
#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

#include "consent/consent_import.h"

namespace radveil::consent {

class ResourceIndex {
 public:
  // Every resource of the document, by its entry's fullUrl and by `Type/id`.
  void add(const nlohmann::json& resource, const std::string& full_url);

  // The resource `reference` names, seen from `holder` (whose `contained` resources count first);
  // nullptr when it is not in the file.
  const nlohmann::json* find(const std::string& reference, const nlohmann::json& holder) const;

 private:
  std::map<std::string, const nlohmann::json*> by_key_;
};

// "Patient/123" from "http://server/fhir/Patient/123/_history/2"; empty when it names no resource.
std::string relative_reference(const std::string& reference);

// A resource's identifiers with a value (system may be empty).
std::vector<Identifier> identifiers_of(const nlohmann::json& resource);

// The patient a Reference names: its identifier, else the identifiers of the Patient it points
// to (in the file, contained, or in `patients`). Empty when radveil cannot tell who it is.
std::vector<Identifier> patient_identifiers_of(const nlohmann::json& reference, const nlohmann::json& holder,
                                               const ResourceIndex& index, const PatientDirectory* patients);

}  // namespace radveil::consent
