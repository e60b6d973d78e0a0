#include "ledger/disclosure_recorder.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "consent/fhir_time.h"
#include "core/sha256_hex.h"

namespace radveil::ledger {

RecordedDisclosures record_disclosures(store::StateStore& store, const LedgerKeys& keys, const store::ExportRecord& export_,
                                       const std::filesystem::path& output,
                                       const std::map<std::string, std::string>& published, std::int64_t now) {
  using Key = std::tuple<std::string, std::string, std::string>;  // patient, issuer, original study
  std::map<Key, std::vector<store::ExportedInstance>> studies;
  for (auto& i : store.unrecorded_instances(export_.id)) {
    const auto it = published.find(i.input_id);
    if (it == published.end() || it->second != i.output_path) continue;  // not (or not so) published
    studies[{i.patient.value, i.patient.system, i.study_uid}].push_back(std::move(i));
  }
  std::vector<store::PendingEntry> entries;
  std::vector<std::string> inputs;
  RecordedDisclosures result;
  for (auto& [key, instances] : studies) {
    std::sort(instances.begin(), instances.end(), [](const auto& a, const auto& b) { return a.output_path < b.output_path; });
    std::set<std::string> modalities, methods;
    std::vector<std::string> sops;
    std::uintmax_t bytes = 0;
    std::string digests;  // "<path> <sha256>\n" per file, in path order: hashed into files_sha256
    for (const auto& i : instances) {
      const std::filesystem::path file = output / i.output_path;
      bytes += std::filesystem::file_size(file);
      digests += i.output_path + " " + sha256_file_hex(file) + "\n";
      if (!i.modality.empty()) modalities.insert(i.modality);
      methods.insert(i.method_codes.begin(), i.method_codes.end());
      sops.push_back(i.sop_uid);
      inputs.push_back(i.input_id);
    }
    nlohmann::json body;
    body["public"] = {{"time", consent::format_utc(now)},
                      {"export", export_.id},
                      {"recipient", export_.recipient},
                      {"purpose", export_.purpose},
                      {"patient", std::filesystem::path(instances.front().output_path).begin()->string()},
                      {"study", instances.front().pseudonymous_study_uid},
                      {"modalities", modalities},
                      {"instances", instances.size()},
                      {"bytes", bytes},
                      {"methods", methods},
                      {"files_sha256", sha256_hex(digests)},
                      {"sop_uids", sops}};
    body["private"] = {{"patient_id", std::get<0>(key)}, {"issuer", std::get<1>(key)}, {"study_uid", std::get<2>(key)}};
    entries.push_back({"disclosure", std::move(body)});
    result.instances += instances.size();
    RecordedStudy study{0, instances.front().patient, std::get<2>(key), instances.front().pseudonymous_study_uid, {}};
    for (const auto& i : instances) ++study.sop_classes[i.sop_class_uid];  // "" for an old record: unknown
    result.studies.push_back(std::move(study));
  }
  if (entries.empty()) return result;
  result.positions = store.append_to_ledger(
      entries, [&](std::uint64_t position, const store::PendingEntry& e) { return leaf_data(position, e.kind, e.body, keys.commitment); },
      export_.id, inputs);
  for (std::size_t i = 0; i < result.studies.size(); ++i) result.studies[i].position = result.positions[i];
  return result;
}

}  // namespace radveil::ledger
