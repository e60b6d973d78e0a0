#include "consent/consent.h"

#include <algorithm>
#include <cctype>

namespace radveil::consent {
namespace {

constexpr std::pair<Status, std::string_view> kStatuses[] = {
    {Status::Draft, "draft"},         {Status::Proposed, "proposed"},
    {Status::Active, "active"},       {Status::Rejected, "rejected"},
    {Status::Inactive, "inactive"},   {Status::EnteredInError, "entered-in-error"},
    {Status::NotDone, "not-done"},    {Status::Unknown, "unknown"},
};

nlohmann::json period_json(const std::optional<Period>& p) {
  if (!p) return nullptr;
  nlohmann::json j = nlohmann::json::object();
  if (p->start) j["start"] = *p->start;
  if (p->end) j["end"] = *p->end;
  return j;
}

std::optional<Period> period_from(const nlohmann::json& j) {
  if (j.is_null()) return std::nullopt;
  Period p;
  if (j.contains("start")) p.start = j["start"].get<std::int64_t>();
  if (j.contains("end")) p.end = j["end"].get<std::int64_t>();
  return p;
}

nlohmann::json provision_json(const Provision& p) {
  nlohmann::json j;
  j["type"] = p.type ? nlohmann::json(decision_name(*p.type)) : nlohmann::json(nullptr);
  j["purposes"] = p.purposes;
  j["actors"] = p.actors;
  j["unidentified_recipient"] = p.unidentified_recipient;
  j["other_party_roles"] = p.other_party_roles;
  j["codes"] = p.codes;
  j["classes"] = p.classes;
  j["period"] = period_json(p.period);
  j["data_period"] = period_json(p.data_period);
  j["actions"] = p.actions;
  j["unevaluated"] = p.unevaluated;
  j["provisions"] = nlohmann::json::array();
  for (const auto& c : p.provisions) j["provisions"].push_back(provision_json(c));
  return j;
}

Provision provision_from(const nlohmann::json& j) {
  Provision p;
  if (j["type"].is_string()) p.type = decision_from(j["type"].get<std::string>());
  p.purposes = j["purposes"].get<std::vector<std::string>>();
  p.actors = j["actors"].get<std::vector<std::string>>();
  // Fields added in later versions of the storage form are read when present.
  p.unidentified_recipient = j.value("unidentified_recipient", false);
  p.other_party_roles = j.value("other_party_roles", std::vector<std::string>{});
  p.codes = j.value("codes", std::vector<std::string>{});
  p.classes = j.value("classes", std::vector<std::string>{});
  p.period = period_from(j["period"]);
  p.data_period = period_from(j["data_period"]);
  if (j.contains("actions")) {
    p.actions = j["actions"].get<std::vector<std::string>>();
  } else if (j.contains("disclosure_action") && !j["disclosure_action"].get<bool>()) {
    p.actions = {"correct"};  // the earlier storage form: a rule about actions other than disclosure
  }
  p.unevaluated = j["unevaluated"].get<std::vector<std::string>>();
  for (const auto& c : j["provisions"]) p.provisions.push_back(provision_from(c));
  return p;
}

}  // namespace

std::string_view decision_name(Decision d) { return d == Decision::Permit ? "permit" : "deny"; }

std::optional<Decision> decision_from(std::string_view text) {
  if (text == "permit") return Decision::Permit;
  if (text == "deny") return Decision::Deny;
  return std::nullopt;
}

std::string_view status_name(Status s) {
  for (const auto& [status, name] : kStatuses)
    if (status == s) return name;
  return "unknown";
}

std::optional<Status> status_from(std::string_view text) {
  for (const auto& [status, name] : kStatuses)
    if (name == text) return status;
  return std::nullopt;
}

std::vector<Identifier> patient_identifiers(const Consent& c) {
  std::vector<Identifier> out{c.patient};
  out.insert(out.end(), c.also_patient.begin(), c.also_patient.end());
  return out;
}

namespace {
bool all_digits(const std::string& s) {
  return !s.empty() && s.size() < 18 && std::all_of(s.begin(), s.end(), [](unsigned char ch) { return std::isdigit(ch); });
}
}  // namespace

std::optional<bool> is_newer(const Consent& a, const Consent& b) {
  if (a.last_updated && b.last_updated && *a.last_updated != *b.last_updated) return *a.last_updated > *b.last_updated;
  if (all_digits(a.version) && all_digits(b.version) && std::stoll(a.version) != std::stoll(b.version))
    return std::stoll(a.version) > std::stoll(b.version);
  return std::nullopt;
}

nlohmann::json to_json(const Consent& c) {
  nlohmann::json j;
  j["identity"] = c.identity;
  j["id"] = c.id;
  j["version"] = c.version;
  j["content"] = c.content;
  j["last_updated"] = c.last_updated ? nlohmann::json(*c.last_updated) : nlohmann::json(nullptr);
  j["also_patient"] = nlohmann::json::array();
  for (const auto& i : c.also_patient) j["also_patient"].push_back({{"system", i.system}, {"value", i.value}});
  j["shape"] = c.shape;
  j["status"] = status_name(c.status);
  j["patient"] = {{"system", c.patient.system}, {"value", c.patient.value}};
  j["recorded"] = c.recorded ? nlohmann::json(*c.recorded) : nlohmann::json(nullptr);
  j["period"] = period_json(c.period);
  j["provision"] = provision_json(c.root);
  return j;
}

Consent consent_from_json(const nlohmann::json& j) {
  Consent c;
  c.identity = j.value("identity", std::string());
  c.id = j["id"].get<std::string>();
  c.version = j["version"].get<std::string>();
  c.content = j.value("content", std::string());
  if (j.contains("last_updated") && j["last_updated"].is_number()) c.last_updated = j["last_updated"].get<std::int64_t>();
  if (j.contains("also_patient"))
    for (const auto& i : j["also_patient"]) c.also_patient.push_back({i["system"].get<std::string>(), i["value"].get<std::string>()});
  c.shape = j["shape"].get<std::string>();
  c.status = status_from(j["status"].get<std::string>()).value_or(Status::Unknown);
  c.patient = {j["patient"]["system"].get<std::string>(), j["patient"]["value"].get<std::string>()};
  if (j["recorded"].is_number()) c.recorded = j["recorded"].get<std::int64_t>();
  c.period = period_from(j["period"]);
  c.root = provision_from(j["provision"]);
  return c;
}

}  // namespace radveil::consent
