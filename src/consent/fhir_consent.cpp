// HL7 FHIR Consent (STU3, R4 and R5) into radveil's Consent: one resource at a time, with the
// file's other resources (Patients, Organizations) at hand to resolve literal references.
#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <set>

#include "consent/consent_import.h"
#include "consent/fhir_references.h"
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

// The codings of a list of Codings or CodeableConcepts (R4 purpose and class are Codings; code,
// action and role are CodeableConcepts), as (system, code).
std::vector<std::pair<std::string, std::string>> codings_of(const json& list_or_one, const char* what) {
  std::vector<std::pair<std::string, std::string>> out;
  std::vector<const json*> items;
  if (list_or_one.is_array()) {
    for (const json& x : list_or_one) items.push_back(&x);
  } else {
    items.push_back(&list_or_one);
  }
  for (const json* item : items) {
    std::vector<const json*> codings;
    if (item->is_object() && member(*item, "coding")) {
      const json& c = (*item)["coding"];
      if (!c.is_array()) throw Refused{std::string(what) + ".coding is not a list"};
      for (const json& x : c) codings.push_back(&x);
    } else if (item->is_object() && member(*item, "code")) {
      codings.push_back(item);
    } else if (item->is_object()) {
      continue;  // a CodeableConcept with text only (or nothing): nothing radveil can match
    } else {
      throw Refused{std::string(what) + " holds something that is not a Coding"};
    }
    for (const json* coding : codings) {
      if (!coding->is_object()) throw Refused{std::string(what) + " holds something that is not a Coding"};
      const std::string code = text_of(*coding, "code", what);
      if (code.empty()) throw Refused{std::string(what) + " holds a Coding without a code"};
      out.emplace_back(text_of(*coding, "system", what), code);
    }
  }
  return out;
}

std::vector<std::string> codes_of(const json& p, const char* name, const char* what) {
  std::vector<std::string> codes;
  if (const json* list = member(p, name))
    for (auto& [system, code] : codings_of(*list, what)) codes.push_back(code);
  return codes;
}

// Roles of parties that are not recipients of a disclosure (v3 ParticipationType and the R5
// Consent roles): naming them does not narrow a rule to a recipient.
bool is_other_party_role(const std::string& role) {
  static const std::set<std::string> kOther = {
      "AUT", "AUTHEN", "CST", "ENT", "INF", "LA", "PRF", "PPRF", "SPRF", "VRF", "WIT", "RESP", "ATND", "ADM",
      "DIS", "CON", "REF", "REFB", "REFT", "DIR", "TRANS", "grantor", "manager", "controller", "custodian",
      "author", "performer", "verifier", "legal-authenticator"};
  return kOther.count(role) > 0;
}

struct Reader {
  const Holder& holder;
  const ResourceIndex& index;
  const PatientDirectory* known;

  // Actors: those in a recipient role are matched to radveil recipients by every identifier value
  // of the party (its reference's identifier, or the identifiers of the resource it points to);
  // those in other roles are kept by role.
  void actors_into(const json& list, Provision& out) const {
    if (!list.is_array()) throw Refused{"provision.actor is not a list"};
    for (const json& a : list) {
      if (!a.is_object()) throw Refused{"a provision actor is not an object"};
      std::vector<std::string> roles;
      if (const json* role = member(a, "role"))
        for (auto& [system, code] : codings_of(*role, "provision.actor.role")) roles.push_back(code);
      if (!roles.empty() && std::all_of(roles.begin(), roles.end(), is_other_party_role)) {
        out.other_party_roles.insert(out.other_party_roles.end(), roles.begin(), roles.end());
        continue;
      }
      std::vector<Identifier> ids;
      if (const json* ref = member(a, "reference"); ref && ref->is_object()) {
        if (const json* id = member(*ref, "identifier"); id && id->is_object()) {
          if (const std::string v = text_of(*id, "value", "provision.actor identifier"); !v.empty())
            ids.push_back({text_of(*id, "system", "provision.actor identifier system"), v});
        } else {
          const std::string reference = text_of(*ref, "reference", "provision.actor reference");
          if (const json* target = index.find(reference, holder)) ids = identifiers_of(*target);
          else ids = known_identifiers(reference, holder, known);
        }
      }
      if (ids.empty()) out.unidentified_recipient = true;
      // A recipient ID is a value in radveil's system (or in none); a value in another system
      // (an NPI, a national organisation number) is kept with its system: it may be the
      // recipient, so a deny naming it applies, but it permits no radveil recipient.
      for (const auto& i : ids)
        out.actors.push_back(i.system.empty() || i.system == kRecipientSystem ? i.value : i.system + "|" + i.value);
    }
  }

  // Resource types radveil can compare with what it exports; anything else (a MIME type, a
  // document class) it cannot.
  void classes_into(const json& p, Provision& out, const char* name) const {
    const json* classes = member(p, name);
    if (!classes) return;
    for (auto& [system, code] : codings_of(*classes, "provision.class")) {
      if (system.empty() || system == "http://hl7.org/fhir/resource-types" || system == "http://hl7.org/fhir/fhir-types")
        out.classes.push_back(code);
      else if (std::find(out.unevaluated.begin(), out.unevaluated.end(), "class") == out.unevaluated.end())
        out.unevaluated.push_back("class");
    }
  }

  // The conditions every provision shape shares (R4 provision, R5 provision, STU3 root and except).
  void conditions_into(const json& p, Provision& out, const char* class_member) const {
    out.purposes = codes_of(p, "purpose", "provision.purpose");
    if (const json* actors = member(p, "actor")) actors_into(*actors, out);
    out.data_period = period_of(p, "dataPeriod", "provision.dataPeriod");
    out.actions = codes_of(p, "action", "provision.action");
    if (const json* codes = member(p, "code"))
      for (auto& [system, code] : codings_of(*codes, "provision.code"))
        out.codes.push_back(system.empty() ? code : system + "|" + code);
    classes_into(p, out, class_member);
    for (const char* condition : {"data", "securityLabel", "documentType", "expression"})
      if (member(p, condition)) out.unevaluated.push_back(condition);
  }

  Provision provision_of(const json& p, bool root, bool r5, std::size_t depth) const {
    if (depth > 32) throw Refused{"provisions are nested more than 32 deep"};
    if (!p.is_object()) throw Refused{"a provision is not an object"};
    Provision out;
    if (!r5) {
      const std::string type = text_of(p, "type", "provision.type");
      if (!type.empty()) {
        out.type = decision_from(type);
        if (!out.type) throw Refused{"provision.type is neither permit nor deny"};
      }
    }
    conditions_into(p, out, r5 ? "resourceType" : "class");
    if (r5) classes_into(p, out, "class");  // R4's name, as LEAP's R5 fixtures use it
    if (!root) out.period = period_of(p, "period", "provision.period");
    if (const json* nested = member(p, "provision")) {
      if (!nested->is_array()) throw Refused{"provision.provision is not a list"};
      for (const json& c : *nested) out.provisions.push_back(provision_of(c, false, r5, depth + 1));
    }
    return out;
  }
};

bool has_code(const json& r, const char* name, std::string_view code) {
  const json* codeable = member(r, name);
  if (!codeable) return false;
  for (auto& [system, c] : codings_of(*codeable, name))
    if (c == code) return true;
  return false;
}

// The base decision an R4 policyRule (or STU3 policyRule URI) states. v3 ActCode OPTIN/OPTINR:
// everything is permitted but the exceptions. OPTOUT/OPTOUTE deny. The HL7 consent policy codes
// are authorisations and restrictions under a law or a form (HIPAA, the Common Rule, NIH, VA,
// SSA...): nothing is permitted but what the provisions grant, so their base is deny.
std::optional<Decision> base_of_policy_rule(const json& r) {
  const json* rule = member(r, "policyRule");
  if (!rule) return std::nullopt;
  static const std::set<std::string> kPermit = {"OPTIN", "OPTINR"};
  static const std::set<std::string> kDeny = {
      "OPTOUT",     "OPTOUTE",    "hipaa-auth", "hipaa-npp",   "hipaa-restrictions", "hipaa-research", "hipaa-self-pay",
      "cric",       "nih-hipaa",  "nci",        "nih-grdr",    "nih-527",            "ga4gh",          "va-10-0484",
      "va-10-0485", "va-10-5345", "va-10-5345a", "va-10-5345a-mhv", "va-10-10116",     "va-21-4142",     "ssa-827",
      "dch-3927",   "squaxin",    "nl-lsp",     "at-elga",     "illinois-minor-procedure", "mdhhs-5515",   "nyssipp"};
  if (rule->is_string()) {  // STU3: a URI
    std::string uri = rule->get<std::string>();
    std::transform(uri.begin(), uri.end(), uri.begin(), [](unsigned char c) { return std::tolower(c); });
    if (uri.find("opt-out") != std::string::npos || uri.find("optout") != std::string::npos) return Decision::Deny;
    if (uri.find("opt-in") != std::string::npos || uri.find("optin") != std::string::npos) return Decision::Permit;
    return std::nullopt;
  }
  std::optional<Decision> base;
  for (auto& [system, code] : codings_of(*rule, "policyRule")) {
    if (kDeny.count(code)) return Decision::Deny;  // codings that disagree: the deny stands
    if (kPermit.count(code)) base = Decision::Permit;
  }
  return base;
}

// The UK National Data Opt-out: an active STU3 Consent with purpose 370856009 withholds the
// patient's data from research and planning.
constexpr std::string_view kNationalDataOptOutPurpose = "370856009";

// What identifies the resource across imports, and a label for people.
std::string identity_of(const json& r, const std::string& full_url, const ImportContext& context, std::string& label) {
  const std::string id = text_of(r, "id", "id");
  if (!id.empty() && !valid_id(id)) throw Refused{"the id is not a FHIR id"};
  label = id;
  if (is_absolute_url(full_url)) return without_history(full_url);
  std::string source = context.source;
  if (source.empty()) {
    if (const json* meta = member(r, "meta"); meta && meta->is_object()) source = text_of(*meta, "source", "meta.source");
  }
  source = without_trailing_slashes(source);
  if (!source.empty() && !id.empty()) return source + "/Consent/" + id;
  for (const Identifier& i : identifiers_of(r)) {
    if (label.empty()) label = i.value;
    if (!i.system.empty()) return "identifier:" + i.system + "|" + i.value;
    if (!source.empty()) return "identifier:" + source + "|" + i.value;
  }
  throw Refused{"no identity: neither a Bundle fullUrl, nor an id with the server it came from (--source), nor an "
                "identifier with a system; by its id alone another server's Consent/" + (id.empty() ? std::string("<id>") : id) +
                " would replace it"};
}

// Whether a provision says what it is about beyond its period (purpose, actor, data, ...).
bool has_conditions(const Provision& p) {
  return !p.purposes.empty() || !p.actors.empty() || p.unidentified_recipient || !p.other_party_roles.empty() ||
         !p.codes.empty() || !p.classes.empty() || p.data_period || !p.actions.empty() || !p.unevaluated.empty();
}

enum class Shape { Stu3, R4, R5 };

Shape shape_of(const json& r) {
  for (const char* r5 : {"decision", "subject", "controller", "grantor", "grantee", "manager", "regulatoryBasis", "policyBasis", "date"})
    if (member(r, r5)) return Shape::R5;
  if (member(r, "scope")) return Shape::R4;  // R4's required scope; STU3 and R5 have none
  for (const char* stu3 : {"except", "consentingParty", "purpose", "actor", "action", "securityLabel", "data", "dataPeriod"})
    if (member(r, stu3)) return Shape::Stu3;
  if (const json* rule = member(r, "policyRule"); rule && rule->is_string()) return Shape::Stu3;
  return Shape::R4;
}

Consent consent_of(const json& r, const std::string& full_url, const ResourceIndex& index, const ImportContext& context,
                   std::string& label) {
  const std::string source = without_trailing_slashes(context.source);
  const std::string entry_base = server_base(full_url);
  const Holder holder{r, entry_base.empty() ? source : entry_base};
  Consent c;
  std::optional<Refused> no_identity;
  try {
    c.identity = identity_of(r, full_url, context, label);
  } catch (const Refused& refused) {
    no_identity = refused;  // unless it is a National Data Opt-out, below
  }
  c.id = label;
  const Shape shape = shape_of(r);
  c.shape = shape == Shape::R5 ? "FHIR R5" : shape == Shape::Stu3 ? "FHIR STU3" : "FHIR R4";
  const std::string status = text_of(r, "status", "status");
  if (status.empty()) throw Refused{"no status"};
  const auto s = status_from(status);
  if (!s) throw Refused{"unknown status"};
  c.status = *s;

  // Scope (R4): a consent to treatment or an advance directive says nothing about disclosure.
  if (shape == Shape::R4 && !has_code(r, "scope", "patient-privacy") && !has_code(r, "scope", "research") &&
      (has_code(r, "scope", "treatment") || has_code(r, "scope", "adr")))
    throw Refused{"its scope is treatment or an advance directive: it decides no disclosure of records"};

  const char* patient_member = shape == Shape::R5 ? "subject" : "patient";
  const json* patient = member(r, patient_member);
  if (!patient) throw Refused{shape == Shape::R4 && has_code(r, "scope", "research") ? "ppc-3: a research consent must name the patient"
                                                                                    : "no patient"};
  if (!patient->is_object()) throw Refused{std::string(patient_member) + " is not a Reference"};
  const std::vector<Identifier> ids = patient_identifiers_of(*patient, holder, index, context.patients);
  if (ids.empty())
    throw Refused{std::string(patient_member) +
                  " cannot be resolved to a patient identifier (no identifier, and the Patient it references is "
                  "neither in the file nor in the patients map given with --patients)"};
  c.patient = ids.front();
  c.also_patient.assign(ids.begin() + 1, ids.end());
  if (no_identity) {
    // The National Data Opt-out is one per NHS number, and its resources carry no id: the
    // patient and the purpose are its identity.
    const bool national = shape == Shape::Stu3 && c.patient.system == "https://fhir.nhs.uk/Id/nhs-number" &&
                          member(r, "purpose") && has_code(r, "purpose", kNationalDataOptOutPurpose);
    if (!national) throw *no_identity;
    c.identity = "urn:radveil:national-data-opt-out:" + c.patient.value;
    c.id = "national-data-opt-out";
  }
  // ppc-1 (R4: policy or policyRule) is refused only where the base decision hangs on it: a root
  // provision with a type decides without it.
  const json* root_provision = member(r, "provision");
  if (shape == Shape::R4 && !member(r, "policy") && !member(r, "policyRule") &&
      !(root_provision && root_provision->is_object() && member(*root_provision, "type")))
    throw Refused{"ppc-1: neither policy nor policyRule is given"};

  // When the patient decided: R4 and STU3 dateTime, R5 date.
  const std::string recorded = text_of(r, shape == Shape::R5 ? "date" : "dateTime", shape == Shape::R5 ? "date" : "dateTime");
  if (!recorded.empty()) {
    const auto t = parse_fhir_time(recorded);
    if (!t) throw Refused{std::string(shape == Shape::R5 ? "date" : "dateTime") + " is not a FHIR date or dateTime"};
    c.recorded = t->first;
  }

  const Reader reader{holder, index, context.patients};
  const json* provision = member(r, "provision");
  if (shape == Shape::R5) {
    const std::string decision = text_of(r, "decision", "decision");
    // R5's decision is optional and defines no default: without it the base is unknown.
    if (decision.empty()) throw Refused{"no decision (the base decision of an R5 Consent; R5 defines no default)"};
    const auto d = decision_from(decision);
    if (!d) throw Refused{"decision is neither permit nor deny"};
    c.period = period_of(r, "period", "period");
    c.root.type = *d;
    if (provision) {
      if (!provision->is_array()) throw Refused{"provision is not a list"};
      for (const json& p : *provision) c.root.provisions.push_back(reader.provision_of(p, false, true, 1));
    }
  } else if (shape == Shape::Stu3) {
    // STU3: the root's conditions sit on the Consent itself; `except` holds the exceptions.
    c.period = period_of(r, "period", "period");
    reader.conditions_into(r, c.root, "class");
    const bool national_opt_out = std::find(c.root.purposes.begin(), c.root.purposes.end(),
                                            kNationalDataOptOutPurpose) != c.root.purposes.end();
    if (national_opt_out) {
      c.root.type = Decision::Deny;
      c.root.purposes.clear();  // research and planning alike: every secondary use radveil serves
    } else {
      c.root.type = base_of_policy_rule(r);
      if (!c.root.type) throw Refused{"its policyRule does not say whether it permits or denies (opt-in or opt-out)"};
    }
    if (const json* except = member(r, "except")) {
      if (!except->is_array()) throw Refused{"except is not a list"};
      for (const json& e : *except) {
        Provision p = reader.provision_of(e, false, false, 1);
        if (!p.type) throw Refused{"an except has no type"};
        c.root.provisions.push_back(std::move(p));
      }
    }
  } else {
    // R4: "provision.type: not permitted in root rule"; the base is the policyRule, and the root
    // provision is "an exception to the base policy of this consent". So a root with conditions
    // (or, against the definition, a type) is an exception to the policyRule's base; a root with
    // only a period states the consent's term. Where no policyRule base can be read, a typed root
    // is the base itself (LEAP's fixtures, radveil's own).
    Provision root = provision ? reader.provision_of(*provision, true, false, 0) : Provision{};
    if (provision) c.period = period_of(*provision, "period", "provision.period");
    const auto base = base_of_policy_rule(r);
    if (!base) {
      if (!root.type)
        throw Refused{"the root provision has no type and the policyRule is not one radveil reads as permit or deny "
                      "(OPTIN, OPTOUT, an HL7 consent policy code)"};
      c.root = std::move(root);
    } else {
      c.root.type = *base;
      if (root.type || has_conditions(root)) {
        root.type = root.type.value_or(opposite(*base));
        c.root.provisions.push_back(std::move(root));
      } else {
        c.root.provisions = std::move(root.provisions);
      }
    }
  }

  const json* meta = member(r, "meta");
  c.content = sha256_hex(r.dump(), 16);
  c.version = meta && meta->is_object() ? text_of(*meta, "versionId", "meta.versionId") : std::string();
  if (c.version.empty()) c.version = "sha256:" + c.content.substr(0, 16);
  if (meta && meta->is_object()) {
    const std::string updated = text_of(*meta, "lastUpdated", "meta.lastUpdated");
    if (!updated.empty()) {
      const auto t = parse_fhir_time(updated);
      if (!t) throw Refused{"meta.lastUpdated is not a FHIR instant"};
      c.last_updated = t->first;
    }
  }
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

// One entry of the file, flattened out of its Bundles.
struct Entry {
  const json* resource = nullptr;
  std::string full_url, method, url;
  std::size_t group = 0;  // the transaction Bundle it belongs to (0: none)
  bool batch = false;     // an entry of a batch Bundle
};

struct Walker {
  std::vector<Entry> entries;
  ResourceIndex index;
  std::size_t transactions = 0;
  std::string error;

  void walk(const json& doc, std::size_t group, bool batch, std::size_t depth) {
    if (depth > 8) {
      error = "Bundles nested more than 8 deep";
      return;
    }
    static const json kMissing = nullptr;
    if (doc.is_array()) {
      for (const json& r : doc) take(r, "", "", "", group, batch, depth);
      return;
    }
    if (!(doc.is_object() && doc.contains("resourceType") && doc["resourceType"] == "Bundle")) {
      take(doc, "", "", "", group, batch, depth);
      return;
    }
    const json* list = member(doc, "entry");
    if (list && !list->is_array()) {
      error = "Bundle.entry is not a list";
      return;
    }
    const std::string type = doc.contains("type") && doc["type"].is_string() ? doc["type"].get<std::string>() : "";
    if (type == "transaction") group = ++transactions;
    if (type == "batch") batch = true;
    if (!list) return;
    for (const json& e : *list) {
      if (!e.is_object()) {
        take(kMissing, "", "", "", group, batch, depth);
        continue;
      }
      std::string method, url;
      if (const json* request = member(e, "request"); request && request->is_object()) {
        if (const json* m = member(*request, "method"); m && m->is_string()) method = m->get<std::string>();
        if (const json* u = member(*request, "url"); u && u->is_string()) url = u->get<std::string>();
      }
      const std::string full_url = e.contains("fullUrl") && e["fullUrl"].is_string() ? e["fullUrl"].get<std::string>() : "";
      take(e.contains("resource") ? e["resource"] : kMissing, full_url, method, url, group, batch, depth);
    }
  }

  void take(const json& r, const std::string& full_url, const std::string& method, const std::string& url, std::size_t group,
            bool batch, std::size_t depth) {
    if (r.is_object() && r.contains("resourceType") && r["resourceType"] == "Bundle") {
      walk(r, group, batch, depth + 1);  // a Bundle inside a Bundle (gICS, search results)
      return;
    }
    index.add(r, full_url);
    entries.push_back({&r, full_url, method, url, group, batch});
  }
};

// The identity a DELETE entry names: `Consent/1` on the source server, a full URL, or a search
// by identifier (`Consent?identifier=system|value`).
std::string deleted_identity(std::string url, const ImportContext& context) {
  url = without_history(url);
  if (is_absolute_url(url)) return url;
  const std::string by_identifier = "Consent?identifier=";
  if (url.rfind(by_identifier, 0) == 0) {
    const std::string token = url.substr(by_identifier.size());
    if (token.find('|') == std::string::npos || token.front() == '|') return {};
    return "identifier:" + token;
  }
  const std::string source = without_trailing_slashes(context.source);
  if (url.rfind("Consent/", 0) == 0 && !source.empty()) return source + "/" + url;
  return {};
}

}  // namespace

ParsedConsents parse_fhir_consents(std::string_view text, const ImportContext& context) {
  ParsedConsents out;
  if (nesting_depth(text) > kMaxJsonDepth) {
    out.refused.push_back({0, "", "JSON nested more than 100 deep"});
    return out;
  }
  const json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded()) {
    out.refused.push_back({0, "", "the file is not valid JSON"});
    return out;
  }
  Walker walker;
  walker.walk(doc, 0, false, 0);
  if (!walker.error.empty()) {
    out.refused.push_back({0, "", walker.error});
    return out;
  }
  const bool top_is_bundle = doc.is_object() && doc.contains("resourceType") && doc["resourceType"] == "Bundle";
  std::vector<std::size_t> group_of_consent;
  std::set<std::size_t> failed_groups;
  for (std::size_t i = 0; i < walker.entries.size(); ++i) {
    const Entry& e = walker.entries[i];
    const json& r = *e.resource;
    const std::size_t position = i + 1;
    std::string label;
    try {
      if (e.method == "DELETE") {
        const std::string identity = deleted_identity(e.url, context);
        if (identity.empty())
          throw Refused{"a DELETE entry that names no consent radveil can identify (Consent/<id> with --source, a full "
                        "URL, or Consent?identifier=system|value)"};
        out.withdrawals.push_back({position, identity, e.group});
        continue;
      }
      if (e.method == "PATCH")
        throw Refused{"a PATCH entry: radveil imports whole resources only"};
      if (!r.is_object()) throw Refused{"not a JSON object"};
      const bool is_consent = r.contains("resourceType") && r["resourceType"] == "Consent";
      if (!is_consent && r.contains("resourceType") && r["resourceType"].is_string()) {
        std::string type = r["resourceType"].get<std::string>();
        std::transform(type.begin(), type.end(), type.begin(), [](unsigned char ch) { return std::tolower(ch); });
        if (type == "consent") throw Refused{"resourceType is not spelt Consent"};
        if (e.url.rfind("Consent", 0) == 0) throw Refused{"the entry's request names a Consent but its resource is not one"};
      }
      if (!is_consent) {
        // Inside a Bundle the Patients and Organizations a Consent references are expected company.
        if (top_is_bundle && r.contains("resourceType") && r["resourceType"].is_string()) {
          ++out.other_resources;
          continue;
        }
        throw Refused{"resourceType is not Consent"};
      }
      out.consents.push_back(consent_of(r, e.full_url, walker.index, context, label));
      group_of_consent.push_back(e.group);
    } catch (const Refused& refused) {
      out.refused.push_back({position, label, refused.reason, e.batch && e.group == 0});
      if (e.group) failed_groups.insert(e.group);
    } catch (const json::exception&) {
      out.refused.push_back({position, label, "malformed", e.batch && e.group == 0});
      if (e.group) failed_groups.insert(e.group);
    }
  }
  // A transaction Bundle is all or nothing: one refused entry refuses the others with it.
  if (!failed_groups.empty()) {
    std::vector<Consent> kept;
    for (std::size_t i = 0; i < out.consents.size(); ++i) {
      if (failed_groups.count(group_of_consent[i]))
        out.refused.push_back({0, out.consents[i].id, "its transaction Bundle has a refused entry (all or nothing)"});
      else kept.push_back(std::move(out.consents[i]));
    }
    out.consents = std::move(kept);
    std::erase_if(out.withdrawals, [&](const Withdrawal& w) { return failed_groups.count(w.transaction) > 0; });
  }
  return out;
}

}  // namespace radveil::consent
