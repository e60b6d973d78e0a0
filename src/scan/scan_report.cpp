#include "scan/scan_report.h"

namespace radveil::scan {

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
