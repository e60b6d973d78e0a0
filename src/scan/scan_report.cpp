#include "scan/scan_report.h"

#include <algorithm>
#include <set>
#include <tuple>

namespace radveil::scan {

std::string group_attribute(std::string_view location) {
  if (location.rfind("frame ", 0) == 0) return "frames";
  if (location.rfind("series ", 0) == 0) return "CT/MR series";
  // Items end in "]/"; a private creator's name (" private [...]", last) may hold anything.
  const auto creator = location.find(" private [");
  const auto item_end = location.rfind("]/", creator);
  if (item_end != std::string_view::npos) location.remove_prefix(item_end + 2);
  return std::string(location);
}

std::vector<FindingGroup> ScanReport::groups() const {
  using Key = std::tuple<Severity, std::string, std::string>;
  std::map<Key, std::size_t> index;
  std::vector<FindingGroup> out;
  std::vector<std::set<std::string>> files_of;
  for (const auto& f : findings) {
    Key key{f.severity, f.kind, group_attribute(f.location)};
    auto [it, added] = index.emplace(key, out.size());
    if (added) {
      out.push_back({f.severity, f.kind, std::get<2>(key), 0, 0, {}, &f});
      files_of.emplace_back();
    }
    FindingGroup& g = out[it->second];
    ++g.count;
    if (files_of[it->second].insert(f.file).second) {
      ++g.files;
      if (g.first_files.size() < kFilesPerGroup) g.first_files.push_back(f.file);
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const FindingGroup& a, const FindingGroup& b) {
    if (a.severity != b.severity) return a.severity > b.severity;
    if (a.count != b.count) return a.count > b.count;
    return std::tie(a.kind, a.attribute) < std::tie(b.kind, b.attribute);
  });
  return out;
}

std::vector<const Finding*> ScanReport::decisive() const {
  std::vector<const Finding*> out;
  for (const auto& f : findings)
    if (fails(f.severity, fail_on)) out.push_back(&f);
  return out;
}

std::size_t ScanReport::count(Severity s) const {
  std::size_t n = 0;
  for (const auto& f : findings) n += f.severity == s;
  return n;
}

nlohmann::json ScanReport::to_json() const {
  using nlohmann::json;
  json kinds = json::object();
  for (const auto* f : decisive()) kinds[f->kind] = kinds.value(f->kind, 0) + 1;
  json j;
  j["verdict"] = {{"safe_to_release", safe()},
                  {"fail_on", fail_level_name(fail_on)},
                  {"decisive_findings", decisive().size()},
                  {"decisive_kinds", kinds}};
  j["summary"] = {{"input", printable(input)},
                  {"seconds", seconds},
                  {"files", files},
                  {"dicom_files", dicom_files},
                  {"other_files", other_files},
                  {"unreadable_files", unreadable_files},
                  {"pixels_examined", pixels_examined},
                  {"faces_examined", faces_examined},
                  {"frames_examined", frames_examined},
                  {"frames_with_text", text_frames_found},
                  {"head_series_checked", series.size()},
                  {"findings", {{"high", count(Severity::High)}, {"medium", count(Severity::Medium)}, {"low", count(Severity::Low)}}}};
  if (against) j["against"] = {{"original_instances", source_instances}, {"matched_by", matched_by}};
  json list = json::array();
  for (const auto& f : findings)
    list.push_back({{"kind", f.kind},
                    {"severity", severity_name(f.severity)},
                    {"file", printable(f.file)},
                    {"location", printable(f.location)},
                    {"excerpt", printable(f.excerpt)}});
  j["findings"] = std::move(list);
  json groups_json = json::array();
  for (const auto& g : groups()) {
    json first = json::array();
    for (const auto& f : g.first_files) first.push_back(printable(f));
    groups_json.push_back({{"kind", g.kind},
                           {"severity", severity_name(g.severity)},
                           {"attribute", printable(g.attribute)},
                           {"findings", g.count},
                           {"files", g.files},
                           {"first_files", std::move(first)},
                           {"example", {{"location", printable(g.example->location)}, {"excerpt", printable(g.example->excerpt)}}}});
  }
  j["groups"] = std::move(groups_json);
  json frames = json::array();
  for (const auto& f : text_frames) frames.push_back({{"file", printable(f.file)}, {"frame", f.frame + 1}, {"regions", f.boxes}});
  j["text_frames"] = std::move(frames);
  json faces = json::array();
  for (const auto& s : series) {
    json one = {{"series", s.label}, {"file", printable(s.file)}, {"face", s.face}, {"outcome", printable(s.outcome)}};
    if (s.original) one["original"] = {{"face", s.original->face}, {"outcome", printable(s.original->outcome)}};
    faces.push_back(std::move(one));
  }
  j["head_series"] = std::move(faces);
  json rarest = json::array();
  for (const auto& c : risk.rarest) {
    json values = json::array();
    for (const auto& v : c.values) values.push_back(printable(v));
    rarest.push_back({{"values", std::move(values)}, {"patients", c.patients}});
  }
  j["risk"] = {{"quasi_identifiers", risk.quasi_identifiers},
               {"patients", risk.patients},
               {"classes", risk.classes},
               {"k_anonymity", risk.k},
               {"k_threshold", risk.k_threshold},
               {"patients_below_threshold", risk.patients_below_threshold},
               {"share_below_threshold", risk.share_below_threshold},
               {"highest_prosecutor_risk", risk.highest_prosecutor_risk},
               {"average_prosecutor_risk", risk.average_prosecutor_risk},
               {"rarest_combinations", std::move(rarest)}};
  return j;
}

}  // namespace radveil::scan
