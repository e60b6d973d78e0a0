// `radveil disclosures` (the accounting a patient may ask for, and the letter to them),
// `radveil breach` (who reached a recipient, for notification) and `radveil trace` (where files
// found somewhere came from): the ledger read back.
#include <cstdio>
#include <ctime>
#include <map>
#include <set>
#include <sstream>

#include "cli/commands.h"
#include "core/html_text.h"
#include "core/input_walker.h"
#include "consent/fhir_time.h"
#include "consent/policy.h"
#include "dicom/instance_file.h"
#include "dicom/values.h"
#include "ledger/disclosures.h"

namespace radveil::cli {
namespace {

constexpr std::int64_t kSixYears = 6LL * 36525 * 86400 / 100;

std::string day_of(std::int64_t t) { return consent::format_utc(t).substr(0, 10); }

std::string purpose_in_words(const std::string& code) {
  for (const auto& p : consent::known_purposes())
    if (p.code == code) return std::string(p.meaning);
  return code;
}

std::string method_in_words(const std::string& code) {
  static const std::map<std::string, std::string> kMeanings = {
      {"113100", "names, IDs and other identifying details removed (DICOM basic confidentiality profile)"},
      {"113101", "text burned into the images blacked out"},
      {"113102", "face removed from head scans"},
      {"113103", "graphics cleaned"},
      {"113104", "structured content cleaned"},
      {"113105", "descriptions cleaned"},
      {"113106", "full dates kept"},
      {"113107", "dates shifted"},
      {"113108", "age, sex and size kept"},
      {"113109", "device identity kept"},
      {"113110", "original UIDs kept"},
      {"113111", "safe private data kept"},
      {"113112", "institution identity kept"},
  };
  const auto it = kMeanings.find(code);
  return it == kMeanings.end() ? code : it->second;
}

std::string joined(const std::vector<std::string>& items, const std::string& sep) {
  std::string s;
  for (const auto& i : items) s += (s.empty() ? "" : sep) + i;
  return s;
}

std::string description(const ledger::Disclosure& d) {
  return "1 study (" + joined(d.modalities, ", ") + "), " + std::to_string(d.instances) + " image file(s)";
}

std::string how(const ledger::Disclosure& d) {
  std::vector<std::string> words;
  for (const auto& c : d.method_codes) words.push_back(method_in_words(c));
  return joined(words, "; ");
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string html(const std::string& s) { return html_escape(s); }

struct RecipientInfo {
  std::string name, address;
};

RecipientInfo recipient_info(store::StateStore& store, const std::string& id) {
  const auto r = store.recipient(id);
  return r ? RecipientInfo{r->name, r->address} : RecipientInfo{id + " (not registered)", ""};
}

std::string letter(const std::vector<ledger::Disclosure>& list, store::StateStore& store, std::int64_t since) {
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Who else has seen your images?</title>\n"
         "<style>body{font-family:sans-serif;max-width:52em;margin:2em auto;line-height:1.45}"
         "table{border-collapse:collapse;width:100%}td,th{border:1px solid #999;padding:.4em;vertical-align:top;text-align:left}"
         ".exempt{color:#555}@media print{body{margin:0}}</style></head><body>\n"
         "<h1>Who else has seen your images?</h1>\n"
      << "<p>This letter lists every time copies of your medical images left our imaging department since "
      << html(day_of(since)) << ": when, to whom, what was sent and why.</p>\n";
  if (list.empty()) {
    out << "<p><strong>Your images were not sent to anyone in this period.</strong></p>\n";
  } else {
    out << "<p>Before leaving, your images were de-identified: your name, identifiers and other details were removed "
           "or replaced, so that the recipient should not be able to tell they are yours. Each entry says how.</p>\n"
           "<table><tr><th>Date</th><th>Sent to</th><th>What</th><th>Why</th><th>How it was protected</th></tr>\n";
    for (const auto& d : list) {
      const auto r = recipient_info(store, d.recipient);
      const auto status = ledger::accounting_status(d);
      out << "<tr" << (status.required ? "" : " class=\"exempt\"") << "><td>" << html(day_of(d.time)) << "</td><td>"
          << html(r.name) << (r.address.empty() ? "" : "<br>" + html(r.address)) << "</td><td>" << html(description(d))
          << "</td><td>" << html(purpose_in_words(d.purpose)) << "</td><td>" << html(how(d)) << "<br><small>"
          << html(status.why) << "</small></td></tr>\n";
    }
    out << "</table>\n<p>Entries in grey are shown for completeness: the law (45 CFR 164.528) does not require them in an "
           "accounting because what was sent was de-identified.</p>\n";
  }
  out << "<p>You can ask us not to share your images for research or for training AI, or to ask recipients to delete "
         "what they hold. Every entry here is recorded in a log that cannot be changed without detection; its record "
         "numbers are "
      << html([&] {
           std::vector<std::string> n;
           for (const auto& d : list) n.push_back(std::to_string(d.position));
           return n.empty() ? std::string("(none)") : joined(n, ", ");
         }())
      << ".</p>\n</body></html>\n";
  return out.str();
}

}  // namespace

std::string disclosure_letter(store::StateStore& store, const consent::Identifier& patient, std::int64_t since) {
  return letter(ledger::disclosures_of(ledger::disclosures(store.ledger_entries()), patient, since), store, since);
}

void disclosures(const StateArgs& state, const DisclosuresArgs& a) {
  auto store = open_store(state);
  const std::int64_t since = a.since.empty() ? static_cast<std::int64_t>(std::time(nullptr)) - kSixYears
                                             : time_argument(a.since, "--since");
  const auto list = ledger::disclosures_of(ledger::disclosures(store->ledger_entries()), {a.issuer, a.patient}, since);
  if (a.format == "html") {
    std::fputs(letter(list, *store, since).c_str(), stdout);
    return;
  }
  if (a.format == "json") {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& d : list) {
      const auto r = recipient_info(*store, d.recipient);
      const auto status = ledger::accounting_status(d);
      j.push_back({{"date", consent::format_utc(d.time)}, {"recipient", d.recipient}, {"recipient_name", r.name},
                   {"recipient_address", r.address}, {"purpose", d.purpose}, {"purpose_in_words", purpose_in_words(d.purpose)},
                   {"modalities", d.modalities}, {"instances", d.instances}, {"study_uid", d.study_uid},
                   {"methods", d.method_codes}, {"export", d.export_id}, {"ledger_record", d.position},
                   {"accounting_required", status.required}, {"accounting_note", status.why}});
    }
    std::printf("%s\n", j.dump(2).c_str());
    return;
  }
  if (a.format == "csv") {
    std::printf("date,recipient,recipient_name,recipient_address,purpose,description,de_identification,accounting_required,"
                "export,ledger_record\n");
    for (const auto& d : list) {
      const auto r = recipient_info(*store, d.recipient);
      std::printf("%s\n", joined({day_of(d.time), csv_field(d.recipient), csv_field(r.name), csv_field(r.address),
                                  csv_field(purpose_in_words(d.purpose)), csv_field(description(d)), csv_field(how(d)),
                                  ledger::accounting_status(d).required ? "yes" : "no", d.export_id, std::to_string(d.position)},
                                 ",")
                              .c_str());
    }
    return;
  }
  std::printf("disclosures of patient %s since %s: %zu\n", a.patient.c_str(), day_of(since).c_str(), list.size());
  for (const auto& d : list) {
    const auto r = recipient_info(*store, d.recipient);
    const auto status = ledger::accounting_status(d);
    std::printf("  %s  %s%s%s\n      %s, for %s; %s\n      %s; export %s, ledger record %llu\n", day_of(d.time).c_str(),
                r.name.c_str(), r.address.empty() ? "" : ", ", r.address.c_str(), description(d).c_str(),
                purpose_in_words(d.purpose).c_str(), how(d).c_str(), status.why.c_str(), d.export_id.c_str(),
                static_cast<unsigned long long>(d.position));
  }
}

void breach(const StateArgs& state, const BreachArgs& a) {
  auto store = open_store(state);
  const std::optional<std::int64_t> from = a.from.empty() ? std::nullopt : std::optional(time_argument(a.from, "--from"));
  std::optional<std::int64_t> to;
  if (!a.to.empty()) {
    const auto t = consent::parse_fhir_time(a.to);
    if (!t) throw CommandFailure{2, "--to must be a date or a FHIR dateTime"};
    to = t->last;  // "2026-03-05" means up to the end of that day
  }
  const auto list = ledger::disclosures_to(ledger::disclosures(store->ledger_entries()), a.recipient, from, to);
  std::map<std::pair<std::string, std::string>, std::vector<const ledger::Disclosure*>> by_patient;
  for (const auto& d : list) by_patient[{d.patient.value, d.patient.system}].push_back(&d);
  std::uint64_t instances = 0;
  for (const auto& d : list) instances += d.instances;
  if (a.format == "json") {
    nlohmann::json patients = nlohmann::json::array();
    for (const auto& [p, ds] : by_patient) {
      nlohmann::json studies = nlohmann::json::array();
      for (const auto* d : ds)
        studies.push_back({{"study_uid", d->study_uid}, {"pseudonymous_study_uid", d->pseudonymous_study_uid},
                           {"date", consent::format_utc(d->time)}, {"instances", d->instances}, {"export", d->export_id},
                           {"purpose", d->purpose}, {"ledger_record", d->position}});
      patients.push_back({{"patient_id", p.first}, {"issuer", p.second}, {"studies", studies}});
    }
    std::printf("%s\n", nlohmann::json{{"recipient", a.recipient}, {"patients", by_patient.size()}, {"studies", list.size()},
                                       {"instances", instances}, {"affected", patients}}
                            .dump(2)
                            .c_str());
    return;
  }
  if (a.format == "csv") {
    std::printf("patient_id,issuer,study_uid,pseudonymous_study_uid,date,instances,export,purpose,ledger_record\n");
    for (const auto& [p, ds] : by_patient)
      for (const auto* d : ds)
        std::printf("%s\n", joined({csv_field(p.first), csv_field(p.second), d->study_uid, d->pseudonymous_study_uid,
                                    day_of(d->time), std::to_string(d->instances), d->export_id, d->purpose,
                                    std::to_string(d->position)},
                                   ",")
                                .c_str());
    return;
  }
  std::printf("reached %s%s%s: %zu patients, %zu studies, %llu instances\n", a.recipient.c_str(),
              from ? (" from " + day_of(*from)).c_str() : "", to ? (" to " + day_of(*to)).c_str() : "", by_patient.size(),
              list.size(), static_cast<unsigned long long>(instances));
  for (const auto& [p, ds] : by_patient)
    std::printf("  %s%s%s: %zu studies\n", p.first.c_str(), p.second.empty() ? "" : " (", p.second.empty() ? "" : (p.second + ")").c_str(),
                ds.size());
}

void trace(const StateArgs& state, const std::string& path, const std::string& format) {
  auto store = open_store(state);
  const auto all = ledger::disclosures(store->ledger_entries());
  std::map<std::uint64_t, std::size_t> files_of;  // disclosure position -> files traced to it
  std::size_t files = 0, unknown = 0, not_dicom = 0;
  for_each_input_file(path, [&](const std::filesystem::path& file) {
    ++files;
    std::string sop;
    try {
      auto loaded = dicom::load_lazy(file);
      sop = dicom::get_string(*loaded.dataset, DCM_SOPInstanceUID);
    } catch (const std::exception&) {
      ++not_dicom;
      return;
    }
    if (const auto d = ledger::source_of(all, sop)) ++files_of[d->position];
    else ++unknown;
  });
  std::map<std::string, std::size_t> by_recipient;
  nlohmann::json sources = nlohmann::json::array();
  for (const auto& [position, count] : files_of) {
    const auto& d = *std::find_if(all.begin(), all.end(), [&](const auto& x) { return x.position == position; });
    by_recipient[d.recipient] += count;
    sources.push_back({{"recipient", d.recipient}, {"export", d.export_id}, {"date", consent::format_utc(d.time)},
                       {"purpose", d.purpose}, {"patient_id", d.patient.value}, {"issuer", d.patient.system},
                       {"study_uid", d.study_uid}, {"files", count}, {"ledger_record", position}});
  }
  if (format == "json") {
    std::printf("%s\n", nlohmann::json{{"files", files}, {"traced", files - unknown - not_dicom}, {"unknown", unknown},
                                       {"not_dicom", not_dicom}, {"recipients", by_recipient}, {"sources", sources}}
                            .dump(2)
                            .c_str());
    return;
  }
  std::printf("%zu files: %zu released by radveil, %zu never released by radveil (unknown), %zu not DICOM\n", files,
              files - unknown - not_dicom, unknown, not_dicom);
  for (const auto& [recipient, count] : by_recipient) std::printf("  recipient %s: %zu files\n", recipient.c_str(), count);
  for (const auto& s : sources)
    std::printf("    %s export %s on %s for %s: patient %s, %zu files (ledger record %llu)\n",
                s["recipient"].get<std::string>().c_str(), s["export"].get<std::string>().c_str(),
                s["date"].get<std::string>().substr(0, 10).c_str(), s["purpose"].get<std::string>().c_str(),
                s["patient_id"].get<std::string>().c_str(), s["files"].get<std::size_t>(),
                static_cast<unsigned long long>(s["ledger_record"].get<std::uint64_t>()));
}

}  // namespace radveil::cli
