#pragma once
// The site's consent policy: what is decided for a purpose when no consent of the patient speaks
// to it, and which purposes an export for a purpose also needs. A TOML file; radveil ships a
// default (see default_policy_text()).
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "consent/consent.h"

namespace radveil::consent {

class PolicyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// radveil's own PurposeOfUse codes (system kPurposeSystem), beside HL7 v3 PurposeOfUse codes.
inline constexpr std::string_view kPurposeSystem = "urn:radveil:purpose";
inline constexpr std::string_view kAiTraining = "AITRAIN";        // AI model training
inline constexpr std::string_view kCommercial = "COMMDEV";        // commercial product development
inline constexpr std::string_view kCommercialAi = "COMMAI";       // commercial AI model training

struct PurposeInfo {
  std::string_view code, meaning, system;
};
// The purposes radveil knows by name: v3 PurposeOfUse codes used for secondary use, and its own.
const std::vector<PurposeInfo>& known_purposes();

struct Policy {
  std::map<std::string, Decision> defaults;  // when no consent applies, per purpose
  Decision otherwise = Decision::Deny;        // a purpose not listed in defaults
  std::map<std::string, std::vector<std::string>> implies;  // export purpose -> purposes it also needs
  // [issuers]: a patient identifier system (URI or OID) in consents -> the DICOM Issuer of Patient
  // ID the site's images carry for it.
  std::map<std::string, std::string> issuers;
  // [codes]: a consent code (provision.code: MII module codes, local codes; "system|code" or the
  // code alone) -> the purposes it governs. A purpose several codes govern is permitted by a
  // consent only where the consent permits every one of them.
  std::map<std::string, std::vector<std::string>> codes;
  std::string source;                          // "built-in" or the file it was read from

  // The purpose and every purpose it needs, transitively, each once, the purpose first.
  std::vector<std::string> closure(const std::string& purpose) const;
  Decision default_for(const std::string& purpose) const;
  // A purpose radveil can decide: a known one or one the policy names.
  bool knows(const std::string& purpose) const;
  std::string to_toml() const;

  // The purposes a code stored as "system|code" (or "code") governs; empty when unmapped.
  std::vector<std::string> purposes_of_code(const std::string& stored) const;
  // The policy keys of every code that governs the purpose.
  std::vector<std::string> codes_for(const std::string& purpose) const;
  // Whether a code stored as "system|code" (or "code") is the one a policy key names.
  static bool code_matches(const std::string& stored, const std::string& key);
  // The DICOM issuer a consent's identifier system stands for: the [issuers] entry, else the
  // system itself ("urn:oid:" aside).
  std::string issuer_for(const std::string& system) const;
};

// An OID system with its "urn:oid:" prefix or without it is the same system.
std::string_view without_oid_prefix(std::string_view system);

std::string_view default_policy_text();
Policy default_policy();
Policy parse_policy(std::string_view toml_text, std::string source);
Policy load_policy(const std::filesystem::path& file);

}  // namespace radveil::consent
