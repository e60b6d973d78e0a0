#include "scan/study_gate.h"

#include <set>
#include <stdexcept>

#include "core/json_file.h"
#include "scan/scan_run.h"

namespace radveil::scan {
namespace {

namespace fs = std::filesystem;

std::string study_folder_of(const std::string& relative) {
  const fs::path p(relative);
  auto it = p.begin();
  if (it == p.end()) return {};
  fs::path folder = *it++;
  if (it == p.end()) return {};
  return (folder / *it).string();
}

void move_into(const fs::path& from, const fs::path& to) {
  fs::create_directories(to.parent_path());
  fs::rename(from, to);
}

void remove_empty_folders(const fs::path& out, const fs::path& folder) {
  std::error_code ec;
  for (fs::path p = out / folder; p != out && p.has_relative_path(); p = p.parent_path())
    if (!fs::remove(p, ec)) break;  // not empty (or gone): stop climbing
}

}  // namespace

StudyGateResult gate_studies(const fs::path& out, const fs::path& quarantine,
                             const std::map<std::string, std::string>& published, FailLevel level, unsigned jobs) {
  StudyGateResult result;
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> studies;
  for (const auto& [input, relative] : published) {
    if (!fs::exists(out / relative)) continue;  // held back before
    const std::string folder = study_folder_of(relative);
    if (folder.empty()) throw std::runtime_error("scan gate: an output path is not in radveil's layout");
    studies[folder].emplace_back(input, relative);
  }
  for (const auto& [folder, entries] : studies) {
    ScanConfig config;
    config.input = out / folder;
    config.fail_on = level;
    config.jobs = jobs;
    const ScanReport report = run_scan(config);
    if (report.safe()) {
      for (const auto& [input, relative] : entries) result.passed.emplace(input, relative);
      continue;
    }
    HeldBackStudy held{folder, entries.size(), {}};
    for (const auto* f : report.decisive()) held.findings.push_back(*f);
    const fs::path target = quarantine / kHeldBackFolder;
    nlohmann::json j = report.to_json();
    j["held_back"] = {{"study_folder", folder}, {"instances", entries.size()}, {"scan_gate", fail_level_name(level)}};
    fs::create_directories(target / folder);
    write_json_file(target / folder / "findings.json", j);
    for (const auto& [input, relative] : entries) move_into(out / relative, target / relative);
    for (const auto& [input, relative] : entries) remove_empty_folders(out, fs::path(relative).parent_path());
    result.held_back.push_back(std::move(held));
  }
  return result;
}

}  // namespace radveil::scan
