#pragma once
// A recipient of exports: a research group, a company, a registry. Its ID names it in consents
// (Consent.provision.actor) and derives its pseudonymisation key; its name and address are what
// an accounting of disclosures prints.
#include <string>

namespace radveil::consent {

struct Recipient {
  std::string id, name, address, contact, agreement;
  bool operator==(const Recipient&) const = default;
};

// Letters, digits, '.', '-' and '_', 1-64 characters, starting with a letter or digit: usable in
// a FHIR identifier, a file name and a key derivation alike.
bool valid_recipient_id(const std::string& id);

}  // namespace radveil::consent
