// `radveil consent withdraw`: the patient withdraws consent (for a purpose, a recipient, or all):
// recorded as a consent, so later exports withhold them, and, for every recipient that already
// holds their studies, a deletion request naming only that recipient's pseudonyms. The
// withdrawal and each request are ledger entries.
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "cli/commands.h"
#include "consent/fhir_time.h"
#include "core/sha256_hex.h"
#include "ledger/disclosures.h"

namespace radveil::cli {
namespace {

namespace fs = std::filesystem;

// A disclosure for purpose `q` is covered by a withdrawal of `p` when q needed p.
bool covered(const consent::Policy& policy, const std::string& withdrawn, const std::string& disclosed_for) {
  if (withdrawn.empty()) return true;
  const auto needs = policy.closure(disclosed_for);
  return std::find(needs.begin(), needs.end(), withdrawn) != needs.end();
}

void write_atomically(const fs::path& file, const std::string& text) {
  const fs::path temporary = file.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << text;
    if (!out) throw CommandFailure{1, "cannot write " + file.string()};
  }
  fs::rename(temporary, file);
}

}  // namespace

void consent_withdraw(const StateArgs& state, const WithdrawArgs& a) {
  auto store = open_store(state);
  const consent::Policy policy = policy_in_force(state);
  if (!a.purpose.empty() && !policy.knows(a.purpose))
    throw CommandFailure{2, "unknown purpose " + a.purpose + " (radveil policy show lists them)"};
  if (!a.recipient.empty() && !store->recipient(a.recipient))
    throw CommandFailure{2, "recipient " + a.recipient + " is not registered"};
  const auto keys = ledger_keys(state);
  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  const std::string when = consent::format_utc(now);

  // 1. The withdrawal is a consent: a deny for the purpose and recipient named (or all).
  consent::Consent c;
  c.id = "withdrawal-" + sha256_hex(a.patient + '\x1f' + a.issuer + '\x1f' + a.purpose + '\x1f' + a.recipient + '\x1f' + when, 10);
  c.identity = "urn:radveil:withdrawal:" + c.id;
  c.version = "1";
  c.content = c.id;
  c.shape = "radveil withdrawal";
  c.status = consent::Status::Active;
  c.patient = {a.issuer, a.patient};
  c.recorded = now;
  c.root.type = consent::Decision::Deny;
  if (!a.purpose.empty()) c.root.purposes = {a.purpose};
  if (!a.recipient.empty()) c.root.actors = {a.recipient};
  store->put_consent(c);

  // 2. Deletion requests, one per recipient that holds the patient's studies for that purpose.
  std::map<std::string, std::vector<ledger::Disclosure>> held;
  for (auto& d : ledger::disclosures_of(ledger::disclosures(store->ledger_entries()), {a.issuer, a.patient}, 0))
    if ((a.recipient.empty() || d.recipient == a.recipient) && covered(policy, a.purpose, d.purpose))
      held[d.recipient].push_back(std::move(d));
  const fs::path out = a.out.empty() ? fs::path("deletion-requests") : fs::path(a.out);
  fs::create_directories(out);
  const nlohmann::json private_part = {{"patient_id", a.patient}, {"issuer", a.issuer}};
  std::vector<store::PendingEntry> entries;
  entries.push_back({"withdrawal",
                     {{"public", {{"time", when}, {"consent", c.id}, {"purpose", a.purpose.empty() ? "*" : a.purpose},
                                  {"recipient", a.recipient.empty() ? "*" : a.recipient}, {"requests", held.size()}}},
                      {"private", private_part}}});
  std::printf("withdrawal recorded as consent %s: later exports withhold this patient%s%s\n", c.id.c_str(),
              a.purpose.empty() ? "" : (" for " + a.purpose).c_str(), a.recipient.empty() ? "" : (" to " + a.recipient).c_str());
  for (const auto& [recipient, list] : held) {
    std::set<std::string> pseudonyms, studies, exports;
    for (const auto& d : list) {
      pseudonyms.insert(d.patient_pseudonym);
      studies.insert(d.pseudonymous_study_uid);
      exports.insert(d.export_id);
    }
    const auto r = store->recipient(recipient);
    const nlohmann::json request = {
        {"request", "deletion"},
        {"date", when},
        {"recipient", recipient},
        {"recipient_name", r ? r->name : recipient},
        {"reason", "the patient withdrew consent" + (a.purpose.empty() ? std::string() : " for " + a.purpose)},
        {"patient_ids", pseudonyms},
        {"study_instance_uids", studies},
        {"exports", exports},
        {"instructions", "Delete every DICOM instance with one of these Patient IDs or Study Instance UIDs, and every copy "
                         "or derivative of them, and confirm the deletion in writing."}};
    const std::string stem = "deletion-request-" + recipient + "-" + when.substr(0, 10);
    write_atomically(out / (stem + ".json"), request.dump(2) + "\n");
    std::string text = "Deletion request, " + when.substr(0, 10) + "\n\nTo: " + (r ? r->name : recipient) +
                       (r && !r->address.empty() ? ", " + r->address : "") +
                       "\n\nA patient whose images we disclosed to you has withdrawn consent" +
                       (a.purpose.empty() ? std::string() : " for " + a.purpose) +
                       ". Please delete every DICOM instance with the following Patient ID(s) or Study Instance UID(s), "
                       "and every copy or derivative of them, and confirm the deletion in writing.\n\nPatient ID(s):\n";
    for (const auto& p : pseudonyms) text += "  " + p + "\n";
    text += "Study Instance UID(s):\n";
    for (const auto& s : studies) text += "  " + s + "\n";
    write_atomically(out / (stem + ".txt"), text);
    entries.push_back({"deletion-request",
                       {{"public", {{"time", when}, {"recipient", recipient}, {"consent", c.id}, {"patient_ids", pseudonyms},
                                    {"study_instance_uids", studies}}},
                        {"private", private_part}}});
    std::printf("  deletion request to %s: %zu studies, %s.json and .txt\n", recipient.c_str(), studies.size(),
                (out / stem).c_str());
  }
  const auto positions = store->append_to_ledger(
      entries,
      [&](std::uint64_t position, const store::PendingEntry& e) { return ledger::leaf_data(position, e.kind, e.body, keys.commitment); },
      "", {});
  std::printf("  ledger records %llu-%llu\n", static_cast<unsigned long long>(positions.front()),
              static_cast<unsigned long long>(positions.back()));
}

}  // namespace radveil::cli
