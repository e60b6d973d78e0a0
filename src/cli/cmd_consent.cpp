// `radveil consent import|check|list` and `radveil policy show`.
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "cli/commands.h"
#include "cli/state_flags.h"
#include "consent/consent_import.h"
#include "consent/decision_engine.h"
#include "store/state_db.h"

namespace radveil::cli {
namespace {

bool looks_like_csv(const std::string& file, const std::string& text) {
  if (file.size() >= 4 && file.compare(file.size() - 4, 4, ".csv") == 0) return true;
  const auto first = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  return first != std::string::npos && text[first] != '{' && text[first] != '[';
}

// Reads every file first, then writes everything in one transaction: a refused resource, an
// unreadable file or a consent whose identity names another patient leaves the registry as it
// was. Only entries of a `batch` Bundle stand alone.
void import_files(const StateArgs& state, const ConsentImportArgs& args) {
  consent::PatientDirectory patients;
  if (!args.patients.empty()) {
    try {
      patients = consent::parse_patient_directory(read_text_file(args.patients));
    } catch (const std::runtime_error& e) {
      throw CommandFailure{2, e.what()};
    }
  }
  const consent::ImportContext context{args.source, args.patients.empty() ? nullptr : &patients};
  std::vector<consent::Consent> consents;
  std::vector<std::string> withdrawals;
  std::size_t blocking = 0, independent = 0, other = 0;
  for (const std::string& file : args.files) {
    std::string text;
    try {
      text = read_text_file(file);
    } catch (const CommandFailure& f) {
      std::fprintf(stderr, "refused: %s: cannot be read\n", file.c_str());
      ++blocking;
      continue;
    }
    const bool csv = looks_like_csv(file, text);
    const consent::ParsedConsents parsed = csv ? consent::parse_csv_consents(text) : consent::parse_fhir_consents(text, context);
    consents.insert(consents.end(), parsed.consents.begin(), parsed.consents.end());
    for (const auto& w : parsed.withdrawals) withdrawals.push_back(w.identity);
    other += parsed.other_resources;
    for (const auto& r : parsed.refused) {
      (r.independent ? independent : blocking) += 1;
      if (r.position == 0) std::fprintf(stderr, "refused: %s: %s%s: %s\n", file.c_str(), r.id.empty() ? "" : "id ", r.id.c_str(), r.reason.c_str());
      else
        std::fprintf(stderr, "refused: %s, %s %zu%s%s: %s\n", file.c_str(), csv ? "row" : "resource", r.position,
                     r.id.empty() ? "" : ", id ", r.id.c_str(), r.reason.c_str());
    }
  }
  if (blocking > 0) {
    std::printf("consents: nothing imported; %zu refused (the import is all or nothing: fix or remove them and run it again)\n",
                blocking + independent);
    throw CommandFailure{3, std::to_string(blocking) + " resource(s) or file(s) refused; the registry is unchanged"};
  }
  auto store = open_store(state);
  const std::vector<store::ConsentOutcome> outcomes = store->import_consents(consents, withdrawals);
  std::map<store::PutResult, std::size_t> count;
  bool refused = false;
  for (const auto& o : outcomes) {
    ++count[o.result];
    if (o.result == store::PutResult::Refused || o.result == store::PutResult::NotOnFile) {
      refused = true;
      std::fprintf(stderr, "refused: %s %s: %s\n", o.result == store::PutResult::NotOnFile ? "withdrawal of" : "consent",
                   o.label.c_str(), o.why.c_str());
    } else if (o.result == store::PutResult::Kept || o.result == store::PutResult::Stale) {
      std::fprintf(stderr, "note: consent %s: %s%s%s\n", o.label.c_str(), std::string(store::put_result_name(o.result)).c_str(),
                   o.why.empty() ? "" : ": ", o.why.c_str());
    }
  }
  if (refused) {
    std::printf("consents: nothing imported; %zu refused (the import is all or nothing)\n",
                count[store::PutResult::Refused] + count[store::PutResult::NotOnFile]);
    throw CommandFailure{3, "a consent's identity names another patient on file, or a withdrawal names no consent on file; "
                            "the registry is unchanged"};
  }
  std::printf("consents: %zu imported, %zu updated (newer version), %zu unchanged, %zu older versions recorded (not applied), "
              "%zu kept beside an unordered version, %zu withdrawn, %zu refused batch entries; %zu other resources read\n",
              count[store::PutResult::Added], count[store::PutResult::Updated], count[store::PutResult::Unchanged],
              count[store::PutResult::Stale], count[store::PutResult::Kept], count[store::PutResult::Withdrawn], independent,
              other);
  if (independent > 0) throw CommandFailure{3, std::to_string(independent) + " batch entries refused; the others were imported"};
}

void check(const StateArgs& state, const ConsentCheckArgs& a) {
  auto store = open_store(state);
  const consent::Policy policy = policy_in_force(state);
  if (!policy.knows(a.purpose)) throw CommandFailure{2, "unknown purpose " + a.purpose + " (radveil policy show lists them)"};
  consent::Query q{{a.issuer, a.patient}, a.purpose, a.recipient, time_argument(a.at, "--at"), std::nullopt};
  if (!a.study_date.empty()) {
    q.study_date = consent::parse_dicom_date(a.study_date);
    if (!q.study_date) throw CommandFailure{2, "--study-date must be a DICOM date (YYYYMMDD)"};
  }
  const bool registered = store->recipient(a.recipient).has_value();
  const consent::Verdict v = consent::decide(store->consents_for(a.patient), policy, q);
  if (a.json) {
    nlohmann::json j = v.to_json();
    j["at"] = consent::format_utc(q.at);
    j["policy"] = policy.source;
    j["recipient_registered"] = registered;
    std::printf("%s\n", j.dump(2).c_str());
    return;
  }
  std::printf("%s", v.explanation().c_str());
  std::printf("  at %s, policy: %s\n", consent::format_utc(q.at).c_str(), policy.source.c_str());
  if (!registered) std::printf("  note: recipient %s is not registered; an export to it is refused\n", a.recipient.c_str());
}

std::string when(const std::optional<std::int64_t>& t) { return t ? consent::format_utc(*t) : std::string("-"); }

void list(const StateArgs& state, const std::string& patient, const std::string& issuer, bool json) {
  auto store = open_store(state);
  const consent::Policy policy = policy_in_force(state);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : store->consents_for(patient)) {
    if (consent::match_patient(c, {issuer, patient}, policy) == consent::PatientMatch::Other) continue;
    if (json) {
      out.push_back(consent::to_json(c));
      continue;
    }
    std::string purposes;
    for (const auto& p : c.root.purposes) purposes += (purposes.empty() ? "" : ",") + p;
    std::string actors;
    for (const auto& r : c.root.actors) actors += (actors.empty() ? "" : ",") + r;
    std::printf("%s  %s  %s  %s  base %s for %s to %s; in force %s .. %s; recorded %s; %zu exception(s); identity %s\n", c.id.c_str(),
                c.shape.c_str(), c.version.c_str(), std::string(consent::status_name(c.status)).c_str(),
                std::string(consent::decision_name(c.root.type.value_or(consent::Decision::Deny))).c_str(),
                purposes.empty() ? "every purpose" : purposes.c_str(), actors.empty() ? "every recipient" : actors.c_str(),
                c.period && c.period->start ? consent::format_utc(*c.period->start).c_str() : "-",
                c.period && c.period->end ? consent::format_utc(*c.period->end).c_str() : "-", when(c.recorded).c_str(),
                c.root.provisions.size(), c.identity.c_str());
  }
  if (json) std::printf("%s\n", out.dump(2).c_str());
}

}  // namespace

void consent_import(const StateArgs& state, const ConsentImportArgs& args) { import_files(state, args); }
void consent_check(const StateArgs& state, const ConsentCheckArgs& args) { check(state, args); }
void consent_list(const StateArgs& state, const std::string& patient, const std::string& issuer, bool json) {
  list(state, patient, issuer, json);
}

void policy_show(const StateArgs& state) {
  const consent::Policy policy = policy_in_force(state);
  std::printf("%s\n# purposes radveil knows (any other must be named in the policy):\n", policy.to_toml().c_str());
  for (const auto& p : consent::known_purposes())
    std::printf("#   %-9s %s (%s)\n", std::string(p.code).c_str(), std::string(p.meaning).c_str(), std::string(p.system).c_str());
}

}  // namespace radveil::cli
