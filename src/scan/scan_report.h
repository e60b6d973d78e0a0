#pragma once
// The result of a scan: what was looked at, every finding, the frames with text, the head series
// checked for faces, the re-identification risk, and the verdict at the level asked for. Written
// as JSON for pipelines and as one self-contained HTML page for people (scan_report_html.h).
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <vector>

#include "risk/reidentification_risk.h"
#include "scan/finding.h"

namespace radveil::scan {

struct TextFrame {
  std::string file;
  std::uint32_t frame = 0;
  std::size_t boxes = 0;
  cv::Mat thumbnail;  // at most kThumbnailSide on its longer side, boxes outlined
};

struct SeriesFaceResult {
  std::string label;      // "series 2 (48 instances)"
  std::string file;       // one of its files (masked like every path in the report)
  bool face = false;      // a face is still recognisable
  std::string outcome;    // "face", "no face", or why no volume could be built
  std::vector<cv::Mat> renders;  // the views the detectors saw, detections drawn
  // With --against, the original series its files were paired with, checked the same way: the
  // "before" to the renders' "after". Absent when its files paired with no original series.
  struct Original {
    bool face = false;
    std::string outcome;
    std::vector<cv::Mat> renders;
  };
  std::optional<Original> original;
};

// The findings of one kind at one attribute (or place: file names, frames, series), over every
// file: how a page with thousands of findings stays readable.
struct FindingGroup {
  Severity severity = Severity::Low;
  std::string kind;
  std::string attribute;           // "(0010,0020) PatientID", "file or folder name", "frames", ...
  std::size_t count = 0;           // findings
  std::size_t files = 0;           // distinct files they are in
  std::vector<std::string> first_files;  // the first few of those files, in the findings' order
  const Finding* example = nullptr;      // the first finding (its full location and excerpt)
};

// The attribute a finding's location names: its last path element, "(0040,A730)[2]/(0040,A160)
// TextValue" -> "(0040,A160) TextValue" (item numbers and the sequences above it dropped); a
// frame -> "frames", a series -> "CT/MR series"; other places as they are.
std::string group_attribute(std::string_view location);

struct ScanReport {
  std::string input;  // as given on the command line
  double seconds = 0;
  std::size_t files = 0, dicom_files = 0, other_files = 0, unreadable_files = 0;
  bool pixels_examined = true, faces_examined = true;
  std::size_t frames_examined = 0;
  bool against = false;
  std::map<std::string, std::size_t> matched_by;  // "key", "uid", "pixels", "all originals" -> instances
  std::size_t source_instances = 0;
  std::vector<Finding> findings;
  std::size_t text_frames_found = 0;  // frames with text (thumbnails keep the first few)
  std::vector<TextFrame> text_frames;
  std::vector<SeriesFaceResult> series;
  risk::RiskAssessment risk;
  FailLevel fail_on = FailLevel::High;

  static constexpr int kThumbnailSide = 256;
  static constexpr std::size_t kMaxThumbnails = 24;
  static constexpr std::size_t kMaxRenderedSeries = 48;  // series whose face renders the page shows

  // Findings at or above the level that fails the scan.
  std::vector<const Finding*> decisive() const;
  bool safe() const { return decisive().empty(); }
  std::size_t count(Severity s) const;
  // The findings grouped by severity, kind and attribute: high first, then the largest groups.
  static constexpr std::size_t kFilesPerGroup = 3;
  std::vector<FindingGroup> groups() const;
  nlohmann::json to_json() const;
};

// One self-contained page: no external assets, no script; images inline as data: URIs.
std::string render_html(const ScanReport& report);

}  // namespace radveil::scan
