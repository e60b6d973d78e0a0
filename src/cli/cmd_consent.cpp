// `radveil consent import|check|list` and `radveil policy show`.
#include <cstdio>
#include <fstream>
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

void import_files(const StateArgs& state, const std::vector<std::string>& files) {
  auto store = open_store(state);
  std::size_t added = 0, updated = 0, unchanged = 0, refused = 0;
  for (const std::string& file : files) {
    const std::string text = read_text_file(file);
    const consent::ParsedConsents parsed =
        looks_like_csv(file, text) ? consent::parse_csv_consents(text) : consent::parse_fhir_consents(text);
    for (const auto& c : parsed.consents) {
      switch (store->put_consent(c)) {
        case store::PutResult::Added: ++added; break;
        case store::PutResult::Updated: ++updated; break;
        case store::PutResult::Unchanged: ++unchanged; break;
      }
    }
    for (const auto& r : parsed.refused) {
      ++refused;
      if (r.position == 0) std::fprintf(stderr, "refused: %s: %s\n", file.c_str(), r.reason.c_str());
      else
        std::fprintf(stderr, "refused: %s, %s %zu%s%s: %s\n", file.c_str(),
                     looks_like_csv(file, text) ? "row" : "resource", r.position, r.id.empty() ? "" : ", id ",
                     r.id.c_str(), r.reason.c_str());
    }
  }
  std::printf("consents: %zu imported, %zu updated (new version), %zu unchanged, %zu refused\n", added, updated,
              unchanged, refused);
  if (refused > 0) throw CommandFailure{3, std::to_string(refused) + " resource(s) refused; the others were imported"};
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
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : store->consents_for(patient)) {
    if (!consent::same_patient(c.patient, {issuer, patient})) continue;
    if (json) {
      out.push_back(consent::to_json(c));
      continue;
    }
    std::string purposes;
    for (const auto& p : c.root.purposes) purposes += (purposes.empty() ? "" : ",") + p;
    std::string actors;
    for (const auto& r : c.root.actors) actors += (actors.empty() ? "" : ",") + r;
    std::printf("%s  %s  %s  %s  base %s for %s to %s; in force %s .. %s; recorded %s; %zu exception(s)\n", c.id.c_str(),
                c.shape.c_str(), c.version.c_str(), std::string(consent::status_name(c.status)).c_str(),
                std::string(consent::decision_name(c.root.type.value_or(consent::Decision::Deny))).c_str(),
                purposes.empty() ? "every purpose" : purposes.c_str(), actors.empty() ? "every recipient" : actors.c_str(),
                c.period && c.period->start ? consent::format_utc(*c.period->start).c_str() : "-",
                c.period && c.period->end ? consent::format_utc(*c.period->end).c_str() : "-", when(c.recorded).c_str(),
                c.root.provisions.size());
  }
  if (json) std::printf("%s\n", out.dump(2).c_str());
}

}  // namespace

void consent_import(const StateArgs& state, const std::vector<std::string>& files) { import_files(state, files); }
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
