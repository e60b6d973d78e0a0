#include "consent/policy.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "core/toml_text.h"

namespace radveil::consent {
namespace {

constexpr std::string_view kV3 = "http://terminology.hl7.org/CodeSystem/v3-ActReason";

}  // namespace

const std::vector<PurposeInfo>& known_purposes() {
  static const std::vector<PurposeInfo> purposes = {
      {"HRESCH", "healthcare research", kV3},
      {"CLINTRCH", "clinical trial research", kV3},
      {"HMARKT", "healthcare marketing", kV3},
      {"HOPERAT", "healthcare operations", kV3},
      {"HQUALIMP", "healthcare quality improvement", kV3},
      {"PUBHLTH", "public health", kV3},
      {"TREAT", "treatment", kV3},
      {"HTEST", "test health data", kV3},
      {"TRAIN", "training of staff", kV3},
      {kAiTraining, "AI model training", kPurposeSystem},
      {kCommercial, "commercial product development", kPurposeSystem},
      {kCommercialAi, "commercial AI model training", kPurposeSystem},
  };
  return purposes;
}

std::string_view default_policy_text() {
  return R"(# radveil consent policy (the built-in default).
#
# [defaults]: the decision for a purpose when no consent of the patient applies to it.
# `otherwise` decides every purpose not listed.
[defaults]
HRESCH = "permit"   # healthcare research
AITRAIN = "deny"    # AI model training
COMMDEV = "deny"    # commercial product development
otherwise = "deny"

# [implies]: an export for the purpose on the left also needs every purpose on the right
# permitted (transitively). An opt-out of research also denies AI training; commercial AI
# training needs AI training and commercial use both allowed.
[implies]
AITRAIN = ["HRESCH"]
COMMAI = ["AITRAIN", "COMMDEV"]

# [codes]: consent codes (Consent.provision.code) and the purposes they govern. A purpose that
# several codes govern is permitted by a consent only when the consent permits all of them.
# The German Medical Informatics Initiative broad consent (policy modules, system
# urn:oid:2.16.840.1.113883.3.1937.777.24.5.3): medical data (MDAT) may be collected, stored and
# processed, and used scientifically; images are MDAT, so research needs all three.
[codes]
"2.16.840.1.113883.3.1937.777.24.5.3.6" = ["HRESCH"]   # MDAT erheben (collect)
"2.16.840.1.113883.3.1937.777.24.5.3.7" = ["HRESCH"]   # MDAT speichern, verarbeiten (store, process)
"2.16.840.1.113883.3.1937.777.24.5.3.8" = ["HRESCH"]   # MDAT wissenschaftlich nutzen EU DSGVO NIVEAU

# [issuers]: which DICOM Issuer of Patient ID (0010,0021) a consent's patient identifier system
# stands for, e.g. "http://hospital.example.org/fhir/mrn" = "HOSP_MRN". A consent whose system
# cannot be reconciled with the study's issuer still denies; it never permits.
[issuers]
)";
}

Policy default_policy() { return parse_policy(default_policy_text(), "built-in"); }

namespace {

// A TOML list of purpose codes, each a non-empty string.
std::vector<std::string> purpose_codes(const toml::array& list, const std::string& where) {
  std::vector<std::string> out;
  for (const auto& item : list) {
    const auto code = item.value<std::string>();
    if (!code || code->empty()) throw PolicyError(where + " must list purpose codes");
    out.push_back(*code);
  }
  return out;
}

}  // namespace

Policy parse_policy(std::string_view text, std::string source) {
  const toml::table table = parse_toml<PolicyError>(text, "the policy file");
  Policy p;
  p.source = std::move(source);
  for (const auto& [key, node] : table) {
    if (key != "defaults" && key != "implies" && key != "codes" && key != "issuers") throw PolicyError("unknown policy section [" + std::string(key.str()) + "]");
  }
  if (const auto* defaults = table["defaults"].as_table()) {
    for (const auto& [key, node] : *defaults) {
      const auto value = node.value<std::string>();
      const auto d = value ? decision_from(*value) : std::nullopt;
      if (!d) throw PolicyError("[defaults] " + std::string(key.str()) + " must be \"permit\" or \"deny\"");
      if (key == "otherwise") p.otherwise = *d;
      else p.defaults[std::string(key.str())] = *d;
    }
  }
  if (const auto* implies = table["implies"].as_table()) {
    for (const auto& [key, node] : *implies) {
      const auto* list = node.as_array();
      if (!list) throw PolicyError("[implies] " + std::string(key.str()) + " must be a list of purposes");
      p.implies[std::string(key.str())] = purpose_codes(*list, "[implies] " + std::string(key.str()));
    }
  }
  if (const auto* codes = table["codes"].as_table()) {
    for (const auto& [key, node] : *codes) {
      const std::string where = "[codes] " + std::string(key.str());
      if (const auto one = node.value<std::string>(); one && !one->empty()) {
        p.codes[std::string(key.str())] = {*one};
        continue;
      }
      const auto* list = node.as_array();
      if (!list) throw PolicyError(where + " must be a purpose or a list of purposes");
      p.codes[std::string(key.str())] = purpose_codes(*list, where);
    }
  }
  if (const auto* issuers = table["issuers"].as_table()) {
    for (const auto& [key, node] : *issuers) {
      const auto value = node.value<std::string>();
      if (!value) throw PolicyError("[issuers] " + std::string(key.str()) + " must be a DICOM Issuer of Patient ID");
      p.issuers[std::string(key.str())] = *value;
    }
  }
  return p;
}

Policy load_policy(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw PolicyError("cannot read the policy file " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  return parse_policy(text.str(), file.string());
}

std::vector<std::string> Policy::closure(const std::string& purpose) const {
  std::vector<std::string> out{purpose};
  for (std::size_t i = 0; i < out.size(); ++i) {  // breadth first; cycles end as every code is taken once
    const auto it = implies.find(out[i]);
    if (it == implies.end()) continue;
    for (const auto& need : it->second)
      if (std::find(out.begin(), out.end(), need) == out.end()) out.push_back(need);
  }
  return out;
}

Decision Policy::default_for(const std::string& purpose) const {
  const auto it = defaults.find(purpose);
  return it == defaults.end() ? otherwise : it->second;
}

bool Policy::knows(const std::string& purpose) const {
  for (const auto& k : known_purposes())
    if (k.code == purpose) return true;
  if (defaults.count(purpose) || implies.count(purpose)) return true;
  for (const auto& [p, needs] : implies)
    if (std::find(needs.begin(), needs.end(), purpose) != needs.end()) return true;
  return false;
}

std::string_view without_oid_prefix(std::string_view s) {
  constexpr std::string_view prefix = "urn:oid:";
  return s.substr(0, prefix.size()) == prefix ? s.substr(prefix.size()) : s;
}

bool Policy::code_matches(const std::string& stored, const std::string& key) {
  if (stored == key) return true;
  const auto bar = stored.rfind('|');
  if (bar == std::string::npos) {  // a code without its system: the code decides
    const auto kbar = key.rfind('|');
    return kbar != std::string::npos && stored == key.substr(kbar + 1);
  }
  if (key.find('|') != std::string::npos) {  // both with systems: "urn:oid:" aside
    const auto kbar = key.rfind('|');
    return stored.substr(bar + 1) == key.substr(kbar + 1) &&
           without_oid_prefix(stored.substr(0, bar)) == without_oid_prefix(key.substr(0, kbar));
  }
  return stored.substr(bar + 1) == key;
}

std::vector<std::string> Policy::purposes_of_code(const std::string& stored) const {
  std::vector<std::string> out;
  for (const auto& [key, purposes] : codes)
    if (code_matches(stored, key))
      for (const auto& p : purposes)
        if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
  return out;
}

std::vector<std::string> Policy::codes_for(const std::string& purpose) const {
  std::vector<std::string> out;
  for (const auto& [key, purposes] : codes)
    if (std::find(purposes.begin(), purposes.end(), purpose) != purposes.end()) out.push_back(key);
  return out;
}

std::string Policy::issuer_for(const std::string& system) const {
  if (const auto it = issuers.find(system); it != issuers.end()) return it->second;
  for (const auto& [key, issuer] : issuers)
    if (without_oid_prefix(key) == without_oid_prefix(system)) return issuer;
  return std::string(without_oid_prefix(system));
}

std::string Policy::to_toml() const {
  std::ostringstream out;
  out << "# policy in force: " << source << "\n[defaults]\n";
  for (const auto& [purpose, d] : defaults) out << purpose << " = \"" << decision_name(d) << "\"\n";
  out << "otherwise = \"" << decision_name(otherwise) << "\"\n\n[implies]\n";
  for (const auto& [purpose, needs] : implies) {
    out << purpose << " = [";
    for (std::size_t i = 0; i < needs.size(); ++i) out << (i ? ", " : "") << '"' << needs[i] << '"';
    out << "]\n";
  }
  out << "\n[codes]\n";
  for (const auto& [code, purposes] : codes) {
    out << '"' << code << "\" = [";
    for (std::size_t i = 0; i < purposes.size(); ++i) out << (i ? ", " : "") << '"' << purposes[i] << '"';
    out << "]\n";
  }
  out << "\n[issuers]\n";
  for (const auto& [system, issuer] : issuers) out << '"' << system << "\" = \"" << issuer << "\"\n";
  return out.str();
}

}  // namespace radveil::consent
