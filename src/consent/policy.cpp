#include "consent/policy.h"

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
)";
}

Policy default_policy() { return parse_policy(default_policy_text(), "built-in"); }

Policy parse_policy(std::string_view text, std::string source) {
  const toml::table table = parse_toml<PolicyError>(text, "the policy file");
  Policy p;
  p.source = std::move(source);
  for (const auto& [key, node] : table) {
    if (key != "defaults" && key != "implies") throw PolicyError("unknown policy section [" + std::string(key.str()) + "]");
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
      auto& needs = p.implies[std::string(key.str())];
      for (const auto& item : *list) {
        const auto code = item.value<std::string>();
        if (!code || code->empty()) throw PolicyError("[implies] " + std::string(key.str()) + " must list purpose codes");
        needs.push_back(*code);
      }
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
  return out.str();
}

}  // namespace radveil::consent
