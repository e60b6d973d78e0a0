#include <cstdio>
#include <fstream>

#include "cli/commands.h"
#include "cli/progress_bar.h"
#include "core/json_file.h"
#include "risk/quasi_identifiers.h"
#include "scan/scan_run.h"

namespace radveil::cli {
namespace {

void write_text(const std::string& file, const std::string& text) {
  const std::string temp = file + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw CommandFailure{1, "cannot write the report file"};
  }
  std::filesystem::rename(temp, file);
}

void print_summary(const scan::ScanReport& r, bool header_only) {
  std::printf("%zu files scanned (%zu DICOM, %zu other, %zu unreadable)%s\n", r.files, r.dicom_files, r.other_files,
              r.unreadable_files, header_only ? ", headers only" : "");
  std::printf("findings: %zu high, %zu medium, %zu low\n", r.count(scan::Severity::High), r.count(scan::Severity::Medium),
              r.count(scan::Severity::Low));
  std::map<std::string, std::size_t> kinds;
  for (const auto* f : r.decisive()) ++kinds[f->kind];
  for (const auto& [k, n] : kinds) std::printf("  %-24s %zu\n", k.c_str(), n);
  if (!header_only)
    std::printf("pixels: %zu frames examined, %zu with text; %s\n", r.frames_examined, r.text_frames_found,
                r.faces_examined ? (std::to_string(r.series.size()) + " CT/MR series checked for a face").c_str()
                                 : "faces not checked (--no-face-check)");
  std::printf("risk: %zu patients, k-anonymity %zu (asked %zu), %zu patients in smaller classes, highest prosecutor risk %.3f\n",
              r.risk.patients, r.risk.k, r.risk.k_threshold, r.risk.patients_below_threshold, r.risk.highest_prosecutor_risk);
  std::printf("safe to release (fail-on %s): %s\n", std::string(scan::fail_level_name(r.fail_on)).c_str(),
              r.safe() ? "YES" : "NO");
}

}  // namespace

void scan_command(const ScanArgs& args) {
  scan::ScanConfig config;
  config.input = args.input;
  if (!args.against.empty()) config.against = args.against;
  if (!args.key.empty()) {
    if (args.against.empty()) throw std::invalid_argument("--key matches released files to their originals: it needs --against");
    config.key = args.key;
  }
  config.pixels = !args.header_only;
  config.faces = !args.no_face_check;
  config.k = args.k;
  if (!args.quasi.empty()) config.quasi_identifiers = risk::parse_quasi_identifiers(args.quasi);
  config.jobs = args.jobs;
  config.fail_on = scan::parse_fail_level(args.fail_on);
  ProgressBar bar;
  scan::ScanReport report;
  try {
    report = scan::run_scan(config, [&bar](std::size_t done, std::size_t total) { bar.update(done, total, true); });
  } catch (const std::runtime_error& e) {
    throw CommandFailure{1, e.what()};
  }
  bar.finish();
  if (!args.json.empty()) write_json_file(args.json, report.to_json());
  if (!args.html.empty()) write_text(args.html, scan::render_html(report));
  print_summary(report, args.header_only);
  if (!report.safe()) throw CommandFailure{4, "not safe to release: findings at or above '" + args.fail_on + "'"};
}

}  // namespace radveil::cli
