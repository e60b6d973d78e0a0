#include "pipeline/run_report.h"

#include <sstream>

#include "core/version.h"

namespace radveil::pipeline {

std::size_t RunReport::count(OutcomeKind kind) const {
  auto it = totals_.counts.find(kind);
  return it == totals_.counts.end() ? 0 : it->second;
}

std::size_t RunReport::total() const {
  std::size_t n = 0;
  for (auto kind : kAllOutcomeKinds) n += count(kind);
  return n;
}

std::map<std::string, std::size_t> RunReport::reasons(OutcomeKind kind) const {
  auto it = totals_.reasons.find(kind);
  return it == totals_.reasons.end() ? std::map<std::string, std::size_t>{} : it->second;
}

nlohmann::json RunReport::to_json(const profile::OptionSet& options) const {
  nlohmann::json j;
  j["tool"] = {{"name", "radveil"}, {"version", kVersion}};
  j["profile"] = "PS3.15 Basic Application Level Confidentiality Profile";
  j["options"] = nlohmann::json::array();
  for (auto o : options.list()) j["options"].push_back(std::string(profile::option_info(o).cli_name));
  j["files"] = total();
  for (auto kind : kAllOutcomeKinds) {
    j["counts"][std::string(outcome_name(kind))] = count(kind);
    j["reasons"][std::string(outcome_name(kind))] = reasons(kind);
  }
  j["quarantined"] = nlohmann::json::array();
  for (const auto& q : totals_.quarantined)
    j["quarantined"].push_back({{"id", q.id}, {"reason", q.reason}, {"detail", q.detail}});
  j["patients"] = totals_.patients;
  if (!figures_.export_id.empty())
    j["export"] = {{"id", figures_.export_id}, {"recipient", figures_.recipient}, {"purpose", figures_.purpose}};
  j["run"] = {{"seconds", figures_.seconds},
              {"jobs", figures_.jobs},
              {"processed", figures_.processed},
              {"already_done", figures_.already_done},
              {"unreadable_folders", figures_.walk_errors},
              {"bytes_read", figures_.bytes_read}};
  if (figures_.face_removal)
    j["run"]["face_removal"] = {{"series_defaced", figures_.series_defaced},
                                {"series_without_face", figures_.series_without_face},
                                {"series_refused", figures_.series_refused},
                                {"instances_written_uncompressed", figures_.instances_written_uncompressed}};
  if (!totals_.pixels_cleaned.empty()) {
    nlohmann::json instances = nlohmann::json::array();
    std::size_t frames = 0, redacted = 0, boxes = 0, uncompressed = 0;
    for (const auto& c : totals_.pixels_cleaned) {
      instances.push_back({{"output", c.output},
                           {"frames", c.figures.frames},
                           {"frames_redacted", c.figures.frames_redacted},
                           {"boxes_redacted", c.figures.boxes},
                           {"written_uncompressed", c.figures.written_uncompressed}});
      frames += c.figures.frames;
      redacted += c.figures.frames_redacted;
      boxes += c.figures.boxes;
      uncompressed += c.figures.written_uncompressed;
    }
    j["pixel_cleaning"] = {{"instances_cleaned", totals_.pixels_cleaned.size()},
                           {"frames", frames},
                           {"frames_redacted", redacted},
                           {"boxes_redacted", boxes},
                           {"instances_written_uncompressed", uncompressed},
                           {"instances", instances}};
  }
  return j;
}

std::string RunReport::summary_text() const {
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(1);
  const double s = figures_.seconds;
  out << "radveil " << (figures_.export_id.empty() ? "deid" : "export") << ": " << total() << " files in this output; this run processed " << figures_.processed
      << " in " << s << " s";
  if (s > 0 && figures_.processed > 0)
    out << " (" << static_cast<long>(static_cast<double>(figures_.processed) / s) << " files/s, "
        << static_cast<double>(figures_.bytes_read) / 1e6 / s << " MB/s)";
  out << "\n";
  if (figures_.already_done > 0) out << "  already done by an earlier run: " << figures_.already_done << "\n";
  for (auto kind : kAllOutcomeKinds) {
    if (kind == OutcomeKind::Withheld && figures_.export_id.empty()) continue;
    out << "  " << outcome_name(kind) << ": " << count(kind) << "\n";
    for (const auto& [reason, c] : reasons(kind)) out << "      " << reason << ": " << c << "\n";
  }
  out << "  patients in output: " << totals_.patients << "\n";
  if (figures_.face_removal) {
    out << "  face removal: " << figures_.series_defaced << " series defaced, " << figures_.series_without_face
        << " without a face (unchanged), " << figures_.series_refused << " refused";
    if (figures_.instances_written_uncompressed > 0)
      out << "; " << figures_.instances_written_uncompressed << " compressed instances written uncompressed";
    out << "\n";
  }
  if (!totals_.pixels_cleaned.empty()) {
    std::size_t frames = 0, redacted = 0, boxes = 0, uncompressed = 0;
    for (const auto& c : totals_.pixels_cleaned) {
      frames += c.figures.frames;
      redacted += c.figures.frames_redacted;
      boxes += c.figures.boxes;
      uncompressed += c.figures.written_uncompressed;
    }
    out << "  pixels cleaned: " << totals_.pixels_cleaned.size() << " instances, " << frames << " frames looked at, "
        << redacted << " frames with text, " << boxes << " boxes blacked out";
    if (uncompressed > 0) out << "; " << uncompressed << " compressed instances written uncompressed";
    out << "\n";
  }
  if (figures_.walk_errors > 0) out << "  folders that could not be read: " << figures_.walk_errors << "\n";
  return out.str();
}

}  // namespace radveil::pipeline
