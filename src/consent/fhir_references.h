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

// Where a reference is read from: the resource that holds it (for `#id`) and the server base it
// came from (its entry's fullUrl, else `--source`), against which `Patient/123` resolves first.
struct Holder {
  const nlohmann::json& resource;
  std::string base;
};

class ResourceIndex {
 public:
  // Every resource of the document, by its entry's fullUrl and by `Type/id` (a `Type/id` that two
  // entries share is ambiguous and resolves to nothing).
  void add(const nlohmann::json& resource, const std::string& full_url);

  // The resource `reference` names, seen from `holder`; nullptr when it is not in the file. An
  // absolute URL resolves only to the entry with that fullUrl, never to another server's.
  const nlohmann::json* find(const std::string& reference, const Holder& holder) const;

 private:
  std::map<std::string, const nlohmann::json*> by_key_;  // nullptr: ambiguous
};

// The server base of a full URL ("https://s/fhir" from "https://s/fhir/Consent/1"); empty when
// it is not an http(s) URL of a resource.
std::string server_base(const std::string& full_url);

// An http(s) URL; the URL without its `/_history/<version>`; a server base without trailing '/'.
bool is_absolute_url(const std::string& reference);
std::string without_history(std::string url);
std::string without_trailing_slashes(std::string base);

// "Patient/123" from "http://server/fhir/Patient/123/_history/2"; empty when it names no resource.
std::string relative_reference(const std::string& reference);

// A resource's identifiers with a value (system may be empty).
std::vector<Identifier> identifiers_of(const nlohmann::json& resource);

// The patient a Reference names: its identifier, else the identifiers of the Patient it points
// to (in the file, contained, or in `patients`). Empty when radveil cannot tell who it is.
std::vector<Identifier> patient_identifiers_of(const nlohmann::json& reference, const Holder& holder,
                                               const ResourceIndex& index, const PatientDirectory* patients);

// The identifiers of a resource a reference names outside the file: in `known` (keyed `Type/id`),
// for a relative reference or an absolute one on the holder's own server.
std::vector<Identifier> known_identifiers(const std::string& reference, const Holder& holder, const PatientDirectory* known);

}  // namespace radveil::consent
