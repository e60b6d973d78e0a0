#include "ledger/disclosures.h"

#include <algorithm>

#include "consent/decision_engine.h"
#include "consent/fhir_time.h"

namespace radveil::ledger {

std::vector<Disclosure> disclosures(const std::vector<LedgerEntry>& entries) {
  std::vector<Disclosure> out;
  for (const auto& e : entries) {
    if (e.kind != "disclosure") continue;
    try {
      const auto& pub = e.body.at("public");
      const auto& priv = e.body.at("private");
      Disclosure d;
      d.position = e.position;
      const auto t = consent::parse_fhir_time(pub.at("time").get<std::string>());
      if (!t) continue;
      d.time = t->first;
      d.export_id = pub.at("export").get<std::string>();
      d.recipient = pub.at("recipient").get<std::string>();
      d.purpose = pub.at("purpose").get<std::string>();
      d.patient = {priv.at("issuer").get<std::string>(), priv.at("patient_id").get<std::string>()};
      d.study_uid = priv.at("study_uid").get<std::string>();
      d.pseudonymous_study_uid = pub.at("study").get<std::string>();
      d.patient_pseudonym = pub.value("patient", std::string());
      d.modalities = pub.at("modalities").get<std::vector<std::string>>();
      d.method_codes = pub.at("methods").get<std::vector<std::string>>();
      d.sop_uids = pub.at("sop_uids").get<std::vector<std::string>>();
      d.instances = pub.at("instances").get<std::uint64_t>();
      d.bytes = pub.at("bytes").get<std::uint64_t>();
      out.push_back(std::move(d));
    } catch (const std::exception&) {
      // not a readable disclosure
    }
  }
  return out;
}

std::vector<Disclosure> disclosures_of(const std::vector<Disclosure>& all, const consent::Identifier& patient,
                                       std::int64_t since) {
  std::vector<Disclosure> out;
  for (const auto& d : all)
    if (d.time >= since && consent::same_patient(d.patient, patient)) out.push_back(d);
  return out;
}

std::vector<Disclosure> disclosures_to(const std::vector<Disclosure>& all, const std::string& recipient,
                                       std::optional<std::int64_t> from, std::optional<std::int64_t> to) {
  std::vector<Disclosure> out;
  for (const auto& d : all)
    if (d.recipient == recipient && (!from || d.time >= *from) && (!to || d.time <= *to)) out.push_back(d);
  return out;
}

AccountingStatus accounting_status(const Disclosure& d) {
  static const std::pair<const char*, const char*> kKept[] = {
      {"113106", "full dates were kept"},
      {"113109", "device identity (serial numbers) was kept"},
      {"113110", "original UIDs were kept"},
      {"113112", "institution identity was kept"},
  };
  for (const auto& [code, what] : kKept)
    if (std::find(d.method_codes.begin(), d.method_codes.end(), code) != d.method_codes.end())
      return {true, std::string("required: ") + what + " (not de-identified under Safe Harbor)"};
  return {false, "exempt: de-identified data (45 CFR 164.514(a)), not protected health information"};
}

std::optional<Disclosure> source_of(const std::vector<Disclosure>& all, const std::string& sop_instance_uid) {
  for (const auto& d : all)
    if (std::find(d.sop_uids.begin(), d.sop_uids.end(), sop_instance_uid) != d.sop_uids.end()) return d;
  return std::nullopt;
}

}  // namespace radveil::ledger
