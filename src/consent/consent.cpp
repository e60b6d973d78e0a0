#include "consent/consent.h"

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
  j["period"] = period_json(p.period);
  j["data_period"] = period_json(p.data_period);
  j["disclosure_action"] = p.disclosure_action;
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
  p.period = period_from(j["period"]);
  p.data_period = period_from(j["data_period"]);
  p.disclosure_action = j["disclosure_action"].get<bool>();
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

nlohmann::json to_json(const Consent& c) {
  nlohmann::json j;
  j["id"] = c.id;
  j["version"] = c.version;
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
  c.id = j["id"].get<std::string>();
  c.version = j["version"].get<std::string>();
  c.shape = j["shape"].get<std::string>();
  c.status = status_from(j["status"].get<std::string>()).value_or(Status::Unknown);
  c.patient = {j["patient"]["system"].get<std::string>(), j["patient"]["value"].get<std::string>()};
  if (j["recorded"].is_number()) c.recorded = j["recorded"].get<std::int64_t>();
  c.period = period_from(j["period"]);
  c.root = provision_from(j["provision"]);
  return c;
}

}  // namespace radveil::consent
