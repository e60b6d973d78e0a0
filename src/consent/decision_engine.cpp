#include "consent/decision_engine.h"

#include <algorithm>
#include <sstream>

namespace radveil::consent {
namespace {

bool contains(const std::vector<std::string>& list, const std::string& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

bool is_imaging_class(const std::string& resource_type) {
  return resource_type == "ImagingStudy" || resource_type == "ImagingSelection" || resource_type == "Media" ||
         resource_type == "Binary";
}

// What the question asks beyond purpose and recipient: a code the policy maps to the purpose,
// when the consent is read module by module (MII), or none.
struct Asked {
  const std::string& purpose;
  const std::string* code = nullptr;
};

// Why a provision does not apply to the question (for a rule whose effect is `effect`), or empty
// when it does. A condition radveil cannot check counts where the rule denies and not where it
// would permit: unsure, the study stays.
std::string mismatch(const Provision& p, Decision effect, const Asked& asked, const Query& q, const Policy& policy,
                     bool root) {
  const std::string& purpose = asked.purpose;
  if (!p.purposes.empty() && !contains(p.purposes, purpose)) return "it speaks of other purposes";
  if (!p.codes.empty()) {
    // A code the policy does not map may govern this purpose: a deny under it applies.
    std::vector<std::string> governed;
    bool unmapped = false, asked_for = false;
    for (const auto& c : p.codes) {
      const auto g = policy.purposes_of_code(c);
      unmapped = unmapped || g.empty();
      governed.insert(governed.end(), g.begin(), g.end());
      asked_for = asked_for || (asked.code && Policy::code_matches(c, *asked.code));
    }
    const bool unsure_deny = unmapped && effect == Decision::Deny;
    if (asked.code) {
      if (!asked_for && !unsure_deny) return "it speaks of other codes";
    } else if (!contains(governed, purpose) && !unsure_deny) {
      return governed.empty() ? "it permits under codes the policy does not map to a purpose" : "its codes govern other purposes";
    }
  }
  const bool names_recipients = !p.actors.empty() || p.unidentified_recipient;
  if (names_recipients && !contains(p.actors, q.recipient)) {
    // An actor radveil cannot identify, or one named in another identifier system with this
    // recipient's ID as its value, may be this recipient: a deny applies, a permit does not.
    const bool maybe = p.unidentified_recipient || std::any_of(p.actors.begin(), p.actors.end(), [&](const std::string& a) {
                         const auto bar = a.rfind('|');
                         return bar != std::string::npos && a.substr(bar + 1) == q.recipient;
                       });
    if (!maybe || effect == Decision::Permit) return "it speaks of other recipients";
  }
  if (!names_recipients && !p.other_party_roles.empty() && effect == Decision::Permit)
    return "it permits only parties that are not recipients (custodian, author...)";
  if (!p.classes.empty() && std::none_of(p.classes.begin(), p.classes.end(), is_imaging_class) &&
      !(effect == Decision::Deny && contains(p.unevaluated, "class")))
    return "it speaks of other kinds of data than images";
  if (!root && p.period && !p.period->covers(q.at)) return "its rule is not in force at the time of the export";
  if (p.data_period) {
    if (!q.study_date) {
      if (effect == Decision::Permit) return "it covers studies of some dates and the study date is unknown";
    } else if (!p.data_period->overlaps(*q.study_date)) {
      return "it covers studies of other dates";
    }
  }
  if (!p.actions.empty()) {
    const auto names = [&](std::initializer_list<const char*> wanted) {
      return std::any_of(p.actions.begin(), p.actions.end(), [&](const std::string& a) {
        return std::any_of(wanted.begin(), wanted.end(), [&](const char* w) { return a == w; });
      });
    };
    if (effect == Decision::Permit && !names({"disclose"})) return "it permits actions other than disclosure";
    if (effect == Decision::Deny && !names({"disclose", "use", "access", "collect"}))
      return "it denies actions other than getting at the data";
  }
  if (!p.unevaluated.empty() && effect == Decision::Permit) return "it permits under conditions radveil does not evaluate";
  return {};
}

std::string child_path(const std::string& parent, std::size_t i) {
  const std::string me = "provision[" + std::to_string(i) + "]";
  return parent == "decision" ? me : parent + "." + me;
}

// Walks the exceptions: the deepest matching provision decides; among siblings that match, a
// deny wins over a permit.
void apply_exceptions(const Provision& node, const Asked& asked, const Query& q, const Policy& policy, Decision& decision,
                      std::string& path) {
  const Provision* chosen = nullptr;
  Decision chosen_effect = decision;
  std::size_t chosen_index = 0;
  for (std::size_t i = 0; i < node.provisions.size(); ++i) {
    const Provision& child = node.provisions[i];
    const Decision effect = child.type.value_or(opposite(decision));
    if (!mismatch(child, effect, asked, q, policy, false).empty()) continue;
    if (!chosen || (effect == Decision::Deny && chosen_effect == Decision::Permit)) {
      chosen = &child;
      chosen_effect = effect;
      chosen_index = i;
    }
  }
  if (!chosen) return;
  decision = chosen_effect;
  path = child_path(path, chosen_index);
  apply_exceptions(*chosen, asked, q, policy, decision, path);
}

std::string root_path(const Consent& c) {
  if (c.shape == "FHIR R5") return "decision";
  if (c.shape == "CSV") return "row";
  return "provision";
}

// A consent on file for the patient, and whether only its denies count (its patient identifier
// system could not be reconciled with the study's issuer).
struct Candidate {
  const Consent* consent;
  bool deny_only = false;
  std::string why_deny_only;  // why its permit would not count
};

bool mentions_code(const Provision& p, const std::string& key) {
  if (std::any_of(p.codes.begin(), p.codes.end(), [&](const std::string& c) { return Policy::code_matches(c, key); }))
    return true;
  return std::any_of(p.provisions.begin(), p.provisions.end(), [&](const Provision& c) { return mentions_code(c, key); });
}

// The consent's decision for the purpose: the deepest matching provision decides. A consent
// read module by module (its codes govern the purpose in the policy) permits only when it
// permits every code that governs the purpose.
std::pair<Decision, std::string> evaluate(const Consent& c, const std::string& purpose, const Query& q, const Policy& policy) {
  std::vector<std::string> keys = policy.codes_for(purpose);
  if (std::none_of(keys.begin(), keys.end(), [&](const std::string& key) { return mentions_code(c.root, key); })) keys.clear();
  const auto one = [&](const std::string* code) {
    Decision d = c.root.type.value_or(Decision::Deny);
    std::string path = root_path(c);
    apply_exceptions(c.root, Asked{purpose, code}, q, policy, d, path);
    return std::make_pair(d, path);
  };
  if (keys.empty()) return one(nullptr);
  std::pair<Decision, std::string> result{Decision::Permit, ""};
  for (const auto& key : keys) {
    auto r = one(&key);
    if (!result.second.empty()) result.second += "; ";
    result.second += key + ": " + r.second;
    if (r.first == Decision::Deny) result.first = Decision::Deny;
  }
  return result;
}

PurposeVerdict decide_purpose(const std::vector<Candidate>& candidates, const Policy& policy, const std::string& purpose,
                              const Query& q, std::vector<SetAside>& set_aside) {
  std::vector<Candidate> applicable;
  for (const Candidate& c : candidates) {
    const Decision base = c.consent->root.type.value_or(Decision::Deny);
    const std::string why = mismatch(c.consent->root, base, Asked{purpose}, q, policy, true);
    if (why.empty()) {
      applicable.push_back(c);
    } else if (base == Decision::Permit && mismatch(c.consent->root, Decision::Deny, Asked{purpose}, q, policy, true).empty()) {
      // The root's permit cannot be checked here (a condition radveil cannot evaluate), but its
      // exceptions may still deny: they count, its permit does not.
      applicable.push_back({c.consent, true, why});
    } else {
      set_aside.push_back({c.consent->id, purpose, why});
    }
  }
  PurposeVerdict v;
  v.purpose = purpose;
  std::vector<std::pair<const Consent*, std::pair<Decision, std::string>>> outcomes;
  for (const Candidate& c : applicable) {
    auto result = evaluate(*c.consent, purpose, q, policy);
    if (c.deny_only && result.first == Decision::Permit) {
      set_aside.push_back({c.consent->id, purpose, c.why_deny_only});
      continue;
    }
    outcomes.push_back({c.consent, std::move(result)});
  }
  if (outcomes.empty()) {
    v.decision = policy.default_for(purpose);
    return v;
  }
  // The patient's latest word counts; at the same moment, a deny outranks a permit. A consent
  // without a date cannot be placed: its deny counts as the latest word, its permit as the oldest.
  const auto when = [](const auto& o) {
    return o.first->recorded.value_or(o.second.first == Decision::Deny ? INT64_MAX : INT64_MIN);
  };
  std::stable_sort(outcomes.begin(), outcomes.end(), [&](const auto& a, const auto& b) {
    const auto ta = when(a), tb = when(b);
    if (ta != tb) return ta > tb;
    return a.second.first == Decision::Deny && b.second.first != Decision::Deny;
  });
  const auto& [winner, result] = outcomes.front();
  v.decision = result.first;
  v.by_consent = true;
  v.consent_id = winner->id;
  v.consent_version = winner->version;
  v.consent_shape = winner->shape;
  v.provision = result.second;
  v.recorded = winner->recorded;
  for (std::size_t i = 1; i < outcomes.size(); ++i)
    set_aside.push_back({outcomes[i].first->id, purpose, "a more recent consent of the patient decides"});
  return v;
}

}  // namespace

bool same_patient(const Identifier& c, const Identifier& instance) {
  if (c.value != instance.value) return false;
  if (c.system.empty() || instance.system.empty()) return true;
  return without_oid_prefix(c.system) == without_oid_prefix(instance.system);
}

PatientMatch match_patient(const Consent& c, const Identifier& instance, const Policy& policy) {
  PatientMatch best = PatientMatch::Other;
  for (const Identifier& id : patient_identifiers(c)) {
    if (id.value != instance.value) continue;
    // No system on either side is the same; a consent without a system matches an issuer only
    // through the policy's [issuers] "" entry.
    if (without_oid_prefix(policy.issuer_for(id.system)) == without_oid_prefix(instance.system)) return PatientMatch::Same;
    best = PatientMatch::Unreconciled;
  }
  return best;
}

Verdict decide(const std::vector<Consent>& consents, const Policy& policy, const Query& q) {
  Verdict verdict;
  std::vector<Candidate> candidates;
  for (const Consent& c : consents) {
    const PatientMatch match = match_patient(c, q.patient, policy);
    if (match == PatientMatch::Other) continue;  // another patient's: not this patient's business
    if (c.status != Status::Active) {
      verdict.set_aside.push_back({c.id, "", "its status is " + std::string(status_name(c.status))});
    } else if (c.period && c.period->end && q.at > *c.period->end) {
      verdict.set_aside.push_back({c.id, "", "it expired on " + format_utc(*c.period->end)});
    } else if (c.period && c.period->start && q.at < *c.period->start) {
      verdict.set_aside.push_back({c.id, "", "it is not in force until " + format_utc(*c.period->start)});
    } else {
      candidates.push_back({&c, match == PatientMatch::Unreconciled,
                            "its patient identifier system is not reconciled with the study's issuer: a permit does not "
                            "count (a deny would)"});
    }
  }
  bool opted_out = false;
  verdict.decision = Decision::Permit;
  for (const std::string& purpose : policy.closure(q.purpose)) {
    PurposeVerdict v = decide_purpose(candidates, policy, purpose, q, verdict.set_aside);
    if (v.decision == Decision::Deny) {
      verdict.decision = Decision::Deny;
      opted_out = opted_out || v.by_consent;
    }
    verdict.purposes.push_back(std::move(v));
  }
  verdict.reason = verdict.decision == Decision::Permit ? "permitted" : opted_out ? "withheld-opted-out" : "withheld-no-consent";
  return verdict;
}

nlohmann::json Verdict::to_json() const {
  nlohmann::json j;
  j["decision"] = decision_name(decision);
  j["reason"] = reason;
  j["purposes"] = nlohmann::json::array();
  for (const auto& p : purposes) {
    nlohmann::json e = {{"purpose", p.purpose}, {"decision", decision_name(p.decision)},
                        {"basis", p.by_consent ? "consent" : "policy-default"}};
    if (p.by_consent) {
      e["consent"] = {{"id", p.consent_id}, {"version", p.consent_version}, {"shape", p.consent_shape},
                      {"provision", p.provision}};
      if (p.recorded) e["consent"]["recorded"] = format_utc(*p.recorded);
    }
    j["purposes"].push_back(e);
  }
  j["set_aside"] = nlohmann::json::array();
  for (const auto& s : set_aside) {
    nlohmann::json e = {{"consent", s.consent_id}, {"why", s.why}};
    if (!s.purpose.empty()) e["purpose"] = s.purpose;
    j["set_aside"].push_back(e);
  }
  return j;
}

std::string Verdict::explanation() const {
  std::ostringstream out;
  out << "decision: " << decision_name(decision) << " (" << reason << ")\n";
  for (const auto& p : purposes) {
    out << "  " << p.purpose << ": " << decision_name(p.decision) << " - ";
    if (p.by_consent) {
      out << "Consent " << p.consent_id << " (" << p.consent_shape << ", version " << p.consent_version;
      if (p.recorded) out << ", recorded " << format_utc(*p.recorded);
      out << "), " << p.provision << "; the most recent consent that applies\n";
    } else {
      out << "the policy's default for " << p.purpose << "; no consent of the patient applies\n";
    }
  }
  for (const auto& s : set_aside)
    out << "  set aside: Consent " << s.consent_id << (s.purpose.empty() ? "" : " for " + s.purpose) << ": " << s.why << "\n";
  return out.str();
}

}  // namespace radveil::consent
