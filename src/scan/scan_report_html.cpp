#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

#include "core/base64.h"
#include "core/html_text.h"
#include "core/version.h"
#include "scan/scan_report.h"

namespace radveil::scan {
namespace {

// Values from the input (file names, private creators, kept values) in any encoding, escaped.
std::string html(std::string_view text) { return html_escape(printable(text)); }

constexpr std::size_t kGroupRows = 200;  // the rest is in the JSON

std::string png_data_uri(const cv::Mat& image) {
  std::vector<uchar> png;
  if (image.empty() || !cv::imencode(".png", image, png)) return {};
  return "data:image/png;base64," + base64(std::string_view(reinterpret_cast<const char*>(png.data()), png.size()));
}

std::string percent(double share) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", share * 100);
  return buf;
}

std::string decimal(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

const char* kStyle =
    "body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}"
    "main{max-width:70em;margin:0 auto;padding:1em 1.5em}"
    ".verdict{border-radius:8px;padding:1em 1.4em;margin:0 0 1em 0;color:#fff}"
    ".verdict h1{margin:0;font-size:1.9em}.verdict p{margin:.3em 0 0 0;font-size:1.05em}"
    ".pass{background:#1d6b35}.fail{background:#a4161a}"
    ".chips span{display:inline-block;background:rgba(255,255,255,.2);border-radius:4px;padding:.1em .5em;margin:.3em .3em 0 0}"
    "table{border-collapse:collapse;width:100%;margin:.4em 0 1em 0;font-size:.92em}"
    "th,td{border-bottom:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}"
    "th{background:#eee}code{font-size:.95em;word-break:break-all}"
    ".sev{font-weight:bold;border-radius:3px;padding:0 .35em;color:#fff}"
    ".high{background:#a4161a}.medium{background:#b26b00}.low{background:#5c6b73}"
    ".grid{display:flex;flex-wrap:wrap;gap:.8em}.grid figure{margin:0;background:#fff;border:1px solid #ddd;padding:.4em}"
    ".grid figcaption{font-size:.8em;max-width:256px;word-break:break-all}"
    ".summary td:first-child{width:22em}.muted{color:#666}"
    ".groups td.n,.groups th.n{text-align:right;white-space:nowrap}.groups td.files{white-space:nowrap;font-size:.9em}"
    ".groups td:nth-child(2){white-space:nowrap}.groups td.attr code{word-break:normal}.groups a{color:inherit}"
    ".kinds dt{font-weight:bold;font-family:monospace}.kinds dd{margin:0 0 .4em 1.5em;color:#444}";

void verdict(std::ostringstream& out, const ScanReport& r) {
  const auto decisive = r.decisive();
  std::map<std::string, std::size_t> kinds;
  for (const auto* f : decisive) ++kinds[f->kind];
  out << "<section class=\"verdict " << (decisive.empty() ? "pass" : "fail") << "\" id=\"verdict\">";
  out << "<h1>Safe to release: " << (decisive.empty() ? "YES" : "NO") << "</h1><p>";
  if (decisive.empty())
    out << "No finding at or above <b>" << fail_level_name(r.fail_on) << "</b> in " << r.files << " files.";
  else
    out << decisive.size() << " finding" << (decisive.size() == 1 ? "" : "s") << " at or above <b>"
        << fail_level_name(r.fail_on) << "</b> decide it:";
  out << "</p>";
  if (!kinds.empty()) {
    out << "<p class=\"chips\">";
    for (const auto& [k, n] : kinds) out << "<span>" << html(k) << " &times; " << n << "</span>";
    out << "</p>";
  }
  if (!r.pixels_examined) out << "<p>Pixels were not examined (--header-only): burned-in text and faces are unchecked.</p>";
  else if (!r.faces_examined) out << "<p>CT/MR series were not checked for a face (--no-face-check).</p>";
  out << "</section>";
}

void summary(std::ostringstream& out, const ScanReport& r) {
  out << "<table class=\"summary\">";
  auto row = [&](const std::string& k, const std::string& v) { out << "<tr><td>" << k << "</td><td>" << v << "</td></tr>"; };
  row("Folder scanned", "<code>" + html(r.input) + "</code>");
  row("Files", std::to_string(r.files) + " (" + std::to_string(r.dicom_files) + " DICOM, " + std::to_string(r.other_files) +
                   " other, " + std::to_string(r.unreadable_files) + " unreadable)");
  row("Findings", std::to_string(r.count(Severity::High)) + " high, " + std::to_string(r.count(Severity::Medium)) +
                      " medium, " + std::to_string(r.count(Severity::Low)) + " low");
  row("Frames examined for text", r.pixels_examined ? std::to_string(r.frames_examined) + " (" +
                                                          std::to_string(r.text_frames_found) + " with text)"
                                                    : "none (--header-only)");
  row("CT/MR series checked for a face", r.faces_examined ? std::to_string(r.series.size())
                                         : r.pixels_examined ? "none (--no-face-check)" : "none (--header-only)");
  row("k-anonymity (" + std::to_string(r.risk.patients) + " patients)",
      std::to_string(r.risk.k) + " (asked: " + std::to_string(r.risk.k_threshold) + ")");
  if (r.against) {
    std::string how;
    for (const auto& [k, n] : r.matched_by) how += (how.empty() ? "" : ", ") + std::to_string(n) + " by " + k;
    row("Compared with the originals", std::to_string(r.source_instances) + " original instances; " + html(how));
  }
  char secs[32];
  std::snprintf(secs, sizeof secs, "%.1f s", r.seconds);
  row("Scan time", secs);
  out << "</table>";
}

// A file's path with each long component shortened ("2.25.205…6614.dcm"), the whole
// path in its title: radveil's own paths are four UIDs long. (Both masked like every path.)
std::string short_path(std::string_view path) {
  std::string out;
  std::size_t from = 0;
  while (from <= path.size()) {
    const std::size_t slash = std::min(path.find('/', from), path.size());
    const std::string_view part = path.substr(from, slash - from);
    if (part.size() > 18) {
      const std::string head = printable(part.substr(0, 8)), tail = printable(part.substr(part.size() - 8));
      out += head + "\u2026" + tail;
    } else {
      out += printable(part);
    }
    if (slash == path.size()) break;
    out += '/';
    from = slash + 1;
  }
  return "<code title=\"" + html(path) + "\">" + html_escape(out) + "</code>";
}

// One row per (severity, kind, attribute): how many findings, in how many files, the first few
// files, one full location and masked excerpt. Every finding is in the JSON.
void findings(std::ostringstream& out, const ScanReport& r) {
  const auto groups = r.groups();
  out << "<h2>Findings by kind and attribute</h2>";
  if (groups.empty()) {
    out << "<p>None.</p>";
    return;
  }
  out << "<p class=\"muted\">" << r.findings.size() << " findings in " << groups.size()
      << " groups, each kind at each attribute once; every finding is listed in the JSON report.</p>";
  out << "<table class=\"groups\"><tr><th>Severity</th><th>Kind</th><th>Attribute</th><th class=\"n\">Findings</th>"
         "<th class=\"n\">Files</th><th>First files</th><th>Example (masked)</th></tr>";
  for (std::size_t i = 0; i < groups.size() && i < kGroupRows; ++i) {
    const FindingGroup& g = groups[i];
    const std::string sev(severity_name(g.severity));
    out << "<tr class=\"group\" id=\"group-" << i + 1 << "\" data-severity=\"" << sev << "\" data-kind=\""
        << html(g.kind) << "\" data-attribute=\"" << html(g.attribute) << "\" data-count=\"" << g.count << "\"><td><span class=\"sev " << sev << "\">" << sev
        << "</span></td><td><a href=\"#kind-" << html(g.kind) << "\">" << html(g.kind) << "</a></td><td class=\"attr\"><code>"
        << html(g.attribute) << "</code></td><td class=\"n\">" << g.count << "</td><td class=\"n\">" << g.files
        << "</td><td class=\"files\">";
    for (const auto& f : g.first_files) out << short_path(f) << "<br>";
    if (g.files > g.first_files.size())
      out << "<span class=\"muted\">and " << g.files - g.first_files.size() << " more</span>";
    out << "</td><td><code>" << html(g.example->excerpt) << "</code>";
    if (g.example->location != g.attribute)
      out << "<br><span class=\"muted\">at <code>" << html(g.example->location) << "</code></span>";
    out << "</td></tr>";
  }
  out << "</table>";
  if (groups.size() > kGroupRows)
    out << "<p class=\"muted\">and " << groups.size() - kGroupRows << " more groups (JSON report)</p>";
  // What each kind present means, in the order of the table.
  std::vector<std::string> kinds;
  for (const auto& g : groups)
    if (std::find(kinds.begin(), kinds.end(), g.kind) == kinds.end()) kinds.push_back(g.kind);
  out << "<h3>The kinds</h3><dl class=\"kinds\">";
  for (const auto& k : kinds)
    out << "<dt id=\"kind-" << html(k) << "\">" << html(k) << "</dt><dd>" << html(kind_description(k)) << "</dd>";
  out << "</dl>";
}

void frames(std::ostringstream& out, const ScanReport& r) {
  if (!r.pixels_examined) return;
  out << "<h2>Frames with burned-in text</h2>";
  if (r.text_frames.empty()) {
    out << "<p>None found in " << r.frames_examined << " frames.</p>";
    return;
  }
  if (r.text_frames_found > r.text_frames.size())
    out << "<p class=\"muted\">The first " << r.text_frames.size() << " of " << r.text_frames_found << ".</p>";
  out << "<div class=\"grid\">";
  for (const auto& f : r.text_frames)
    out << "<figure><img alt=\"frame with text\" src=\"" << png_data_uri(f.thumbnail) << "\"><figcaption><code>"
        << html(f.file) << "</code> frame " << f.frame + 1 << ": " << f.boxes << " region(s)</figcaption></figure>";
  out << "</div>";
}

void faces(std::ostringstream& out, const ScanReport& r) {
  if (!r.faces_examined) return;
  out << "<h2>Faces (CT and MR series)</h2>";
  if (r.series.empty()) out << "<p>No CT or MR series.</p>";
  for (const auto& s : r.series) {
    out << "<h3>" << html(s.label) << ": " << (s.face ? "<span class=\"sev high\">face found</span>" : html(s.outcome))
        << "</h3><p class=\"muted\"><code>" << html(s.file) << "</code></p>";
    const auto row = [&](const std::vector<cv::Mat>& renders, const char* alt, const std::string& caption) {
      out << "<div class=\"grid\">";
      for (const auto& image : renders)
        out << "<figure><img alt=\"" << alt << "\" src=\"" << png_data_uri(image) << "\"><figcaption>" << caption
            << "</figcaption></figure>";
      out << "</div>";
    };
    if (!s.original) {
      row(s.renders, "surface render", "released");
      continue;
    }
    out << "<p>Each view before (the original series: " << (s.original->face ? "face" : html(s.original->outcome))
        << ") and after (as released: " << (s.face ? "face" : html(s.outcome)) << ").</p>";
    if (s.original->renders.size() != s.renders.size()) {  // views of a volume built otherwise: not pairable
      row(s.original->renders, "original surface render", "before: original");
      row(s.renders, "surface render", "after: released");
      continue;
    }
    out << "<div class=\"grid\">";
    for (std::size_t v = 0; v < s.renders.size(); ++v)
      out << "<figure><img alt=\"original surface render\" src=\"" << png_data_uri(s.original->renders[v])
          << "\"> <img alt=\"surface render\" src=\"" << png_data_uri(s.renders[v]) << "\"><figcaption>view " << v + 1
          << ": before, after</figcaption></figure>";
    out << "</div>";
  }
}

void risk_section(std::ostringstream& out, const ScanReport& r) {
  const auto& a = r.risk;
  out << "<h2>Re-identification risk of what is kept</h2><table class=\"summary\">";
  auto row = [&](const std::string& k, const std::string& v) { out << "<tr><td>" << k << "</td><td>" << v << "</td></tr>"; };
  std::string names;
  for (const auto& n : a.quasi_identifiers) names += (names.empty() ? "" : ", ") + n;
  row("Quasi-identifiers", html(names));
  row("Patients / equivalence classes", std::to_string(a.patients) + " / " + std::to_string(a.classes));
  row("k-anonymity (smallest class)", std::to_string(a.k));
  row("Patients in classes smaller than " + std::to_string(a.k_threshold),
      std::to_string(a.patients_below_threshold) + " (" + percent(a.share_below_threshold) + ")");
  row("Prosecutor risk: highest", decimal(a.highest_prosecutor_risk));
  row("Prosecutor risk: average", decimal(a.average_prosecutor_risk));
  out << "</table>";
  if (a.rarest.empty()) return;
  out << "<h3>Rarest combinations</h3><table><tr>";
  for (const auto& n : a.quasi_identifiers) out << "<th>" << html(n) << "</th>";
  out << "<th>Patients</th></tr>";
  for (const auto& c : a.rarest) {
    out << "<tr>";
    for (const auto& v : c.values) out << "<td>" << (v.empty() ? "<span class=\"muted\">(none)</span>" : html(v)) << "</td>";
    out << "<td>" << c.patients << "</td></tr>";
  }
  out << "</table>";
}

}  // namespace

std::string render_html(const ScanReport& r) {
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">"
         "<meta name=\"viewport\" content=\"width=device-width\"><title>radveil scan: "
      << (r.safe() ? "safe to release" : "NOT safe to release") << "</title><style>" << kStyle << "</style></head><body><main>";
  verdict(out, r);
  summary(out, r);
  findings(out, r);
  frames(out, r);
  faces(out, r);
  risk_section(out, r);
  out << "<p class=\"muted\">radveil " << kVersion << " &middot; excerpts are masked: each matched value shows its first "
         "character only.</p></main></body></html>\n";
  return out.str();
}

}  // namespace radveil::scan
