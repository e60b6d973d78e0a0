// HL7 FHIR Consent (R4 and R5) into radveil's Consent.
#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "consent/consent_import.h"
#include "core/sha256_hex.h"

namespace radveil::consent {
namespace {

using nlohmann::json;

// A refusal reason, thrown while reading one resource.
struct Refused {
  std::string reason;
};


// FHIR's id type: letters, digits, '-' and '.', at most 64.
bool valid_id(const std::string& id) {
  return !id.empty() && id.size() <= 64 &&
         std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '.'; });
}

const json* member(const json& j, const char* name) {
  const auto it = j.find(name);
  return it == j.end() || it->is_null() ? nullptr : &*it;
}

std::string text_of(const json& j, const char* name, const char* what) {
  const json* v = member(j, name);
  if (!v) return {};
  if (!v->is_string()) throw Refused{std::string(what) + " is not a string"};
  return v->get<std::string>();
}

std::optional<Period> period_of(const json& j, const char* name, const char* what) {
  const json* p = member(j, name);
  if (!p) return std::nullopt;
  if (!p->is_object()) throw Refused{std::string(what) + " is not a Period"};
  Period out;
  for (const char* end : {"start", "end"}) {
    const std::string text = text_of(*p, end, what);
    if (text.empty()) continue;
    const auto range = parse_fhir_time(text);
    if (!range) throw Refused{std::string(what) + "." + end + " is not a FHIR date or dateTime"};
    if (std::string_view(end) == "start") out.start = range->first;  // "2024": from its first second
    else out.end = range->last;                                       // to its last
  }
  if (out.start && out.end && *out.end < *out.start) throw Refused{std::string(what) + " ends before it starts"};
  return out;
}

// A Reference to the patient: radveil matches on its identifier (Patient ID and issuer), not on
// a literal reference it cannot resolve.
Identifier patient_of(const json& ref, const char* what) {
  if (!ref.is_object()) throw Refused{std::string(what) + " is not a Reference"};
  const json* id = member(ref, "identifier");
  if (!id || !id->is_object()) throw Refused{std::string(what) + " has no identifier (a literal reference cannot be matched to a Patient ID)"};
  Identifier out{text_of(*id, "system", "the patient identifier's system"), text_of(*id, "value", "the patient identifier's value")};
  if (out.value.empty()) throw Refused{std::string(what) + "'s identifier has no value"};
  return out;
}

std::vector<std::string> codes_of(const json& p, const char* name, const char* what) {
  std::vector<std::string> codes;
  const json* list = member(p, name);
  if (!list) return codes;
  if (!list->is_array()) throw Refused{std::string(what) + " is not a list"};
  for (const json& item : *list) {
    // R4: Coding; R5 purpose: Coding as well; R5 action: CodeableConcept (codings inside).
    std::vector<const json*> codings;
    if (item.is_object() && member(item, "coding")) {
      const json& c = item["coding"];
      if (!c.is_array()) throw Refused{std::string(what) + ".coding is not a list"};
      for (const json& x : c) codings.push_back(&x);
    } else {
      codings.push_back(&item);
    }
    for (const json* coding : codings) {
      if (!coding->is_object()) throw Refused{std::string(what) + " holds something that is not a Coding"};
      const std::string code = text_of(*coding, "code", what);
      if (code.empty()) throw Refused{std::string(what) + " holds a Coding without a code"};
      codes.push_back(code);
    }
  }
  return codes;
}

// Actors are matched to recipients by reference.identifier.value; an actor radveil cannot match
// would silently widen or narrow the rule, so the resource is refused instead.
std::vector<std::string> actors_of(const json& p) {
  std::vector<std::string> actors;
  const json* list = member(p, "actor");
  if (!list) return actors;
  if (!list->is_array()) throw Refused{"provision.actor is not a list"};
  for (const json& a : *list) {
    const json* ref = a.is_object() ? member(a, "reference") : nullptr;
    const json* id = ref && ref->is_object() ? member(*ref, "identifier") : nullptr;
    const std::string value = id && id->is_object() ? text_of(*id, "value", "provision.actor identifier") : std::string();
    if (value.empty()) throw Refused{"a provision actor has no reference.identifier.value to match a recipient ID"};
    actors.push_back(value);
  }
  return actors;
}

Provision provision_of(const json& p, bool root, bool r5, std::size_t depth) {
  if (depth > 32) throw Refused{"provisions are nested more than 32 deep"};
  if (!p.is_object()) throw Refused{"a provision is not an object"};
  Provision out;
  if (!r5) {
    const std::string type = text_of(p, "type", "provision.type");
    if (!type.empty()) {
      out.type = decision_from(type);
      if (!out.type) throw Refused{"provision.type is neither permit nor deny"};
    } else if (root) {
      throw Refused{"the root provision has no type (no base decision)"};
    }
  }
  out.purposes = codes_of(p, "purpose", "provision.purpose");
  out.actors = actors_of(p);
  if (!root) out.period = period_of(p, "period", "provision.period");
  out.data_period = period_of(p, "dataPeriod", "provision.dataPeriod");
  const std::vector<std::string> actions = codes_of(p, "action", "provision.action");
  out.disclosure_action = actions.empty() || std::any_of(actions.begin(), actions.end(), [](const std::string& a) {
                            return a == "disclose" || a == "use" || a == "access";
                          });
  for (const char* condition : {"class", "code", "data", "securityLabel", "documentType", "resourceType", "expression"})
    if (member(p, condition)) out.unevaluated.push_back(condition);
  if (const json* nested = member(p, "provision")) {
    if (!nested->is_array()) throw Refused{"provision.provision is not a list"};
    for (const json& c : *nested) out.provisions.push_back(provision_of(c, false, r5, depth + 1));
  }
  return out;
}

bool has_scope(const json& r, std::string_view code) {
  const json* scope = member(r, "scope");
  if (!scope || !scope->is_object()) return false;
  const json* codings = member(*scope, "coding");
  if (!codings || !codings->is_array()) return false;
  return std::any_of(codings->begin(), codings->end(), [&](const json& c) {
    return c.is_object() && c.contains("code") && c["code"].is_string() && c["code"].get<std::string>() == code;
  });
}

Consent consent_of(const json& r, std::string& id_out) {
  if (!r.is_object()) throw Refused{"not a JSON object"};
  if (!r.contains("resourceType") || r["resourceType"] != "Consent") throw Refused{"resourceType is not Consent"};
  Consent c;
  c.id = text_of(r, "id", "id");
  if (!valid_id(c.id)) throw Refused{"no valid id (needed to import it again without duplicating it)"};
  id_out = c.id;
  // R5 puts the base decision at the root and names the patient `subject`; R4 has `patient` and
  // `provision.type`.
  const bool r5 = member(r, "decision") || member(r, "subject") || member(r, "controller") || member(r, "grantor");
  c.shape = r5 ? "FHIR R5" : "FHIR R4";
  const std::string status = text_of(r, "status", "status");
  if (status.empty()) throw Refused{"no status"};
  const auto s = status_from(status);
  if (!s) throw Refused{"unknown status"};
  c.status = *s;
  const json* patient = member(r, r5 ? "subject" : "patient");
  if (!patient) throw Refused{!r5 && has_scope(r, "research") ? "ppc-3: a research consent must name the patient"
                                                              : "no patient"};
  c.patient = patient_of(*patient, r5 ? "subject" : "patient");
  if (!r5 && !member(r, "policy") && !member(r, "policyRule"))
    throw Refused{"ppc-1: neither policy nor policyRule is given"};
  const std::string recorded = text_of(r, "dateTime", "dateTime");
  if (!recorded.empty()) {
    const auto t = parse_fhir_time(recorded);
    if (!t) throw Refused{"dateTime is not a FHIR dateTime"};
    c.recorded = t->first;
  }
  const json* provision = member(r, "provision");
  if (r5) {
    const std::string decision = text_of(r, "decision", "decision");
    if (decision.empty()) throw Refused{"no decision (the base decision of an R5 Consent)"};
    const auto d = decision_from(decision);
    if (!d) throw Refused{"decision is neither permit nor deny"};
    c.period = period_of(r, "period", "period");
    // R5: `provision` is a list of exceptions to the base decision.
    c.root.type = *d;
    if (provision) {
      if (!provision->is_array()) throw Refused{"provision is not a list"};
      for (const json& p : *provision) c.root.provisions.push_back(provision_of(p, false, true, 1));
    }
  } else {
    if (!provision) throw Refused{"no provision (no base decision)"};
    c.root = provision_of(*provision, true, false, 0);
    c.period = period_of(*provision, "period", "provision.period");
  }
  const json* meta = member(r, "meta");
  c.version = meta && meta->is_object() ? text_of(*meta, "versionId", "meta.versionId") : std::string();
  if (c.version.empty()) c.version = "sha256:" + sha256_hex(r.dump(), 8);
  return c;
}

// How deeply arrays and objects nest in JSON text, strings skipped. Checked before parsing:
// serialising or walking a value nested 100,000 deep would exhaust the stack.
std::size_t nesting_depth(std::string_view text) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

constexpr std::size_t kMaxJsonDepth = 100;  // a Bundle of Consents with 32 levels of provisions fits

}  // namespace

ParsedConsents parse_fhir_consents(std::string_view text) {
  ParsedConsents out;
  if (nesting_depth(text) > kMaxJsonDepth) {
    out.refused.push_back({0, "", "JSON nested more than 100 deep"});
    return out;
  }
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded()) {
    out.refused.push_back({0, "", "the file is not valid JSON"});
    return out;
  }
  std::vector<const json*> resources;
  if (doc.is_array()) {
    for (const json& r : doc) resources.push_back(&r);
  } else if (doc.is_object() && doc.contains("resourceType") && doc["resourceType"] == "Bundle") {
    const json* entries = member(doc, "entry");
    if (entries && !entries->is_array()) {
      out.refused.push_back({0, "", "Bundle.entry is not a list"});
      return out;
    }
    static const json kMissing = nullptr;
    if (entries)
      for (const json& e : *entries) resources.push_back(e.is_object() && e.contains("resource") ? &e["resource"] : &kMissing);
  } else {
    resources.push_back(&doc);
  }
  for (std::size_t i = 0; i < resources.size(); ++i) {
    std::string id;
    try {
      out.consents.push_back(consent_of(*resources[i], id));
    } catch (const Refused& r) {
      out.refused.push_back({i + 1, id, r.reason});
    } catch (const json::exception&) {
      out.refused.push_back({i + 1, id, "malformed"});
    }
  }
  return out;
}

}  // namespace radveil::consent
