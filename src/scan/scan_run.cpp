#include "scan/scan_run.h"

#include <atomic>
#include <chrono>
#include <fstream>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <opencv2/imgproc.hpp>

#include "core/input_walker.h"
#include "core/parallel_for.h"
#include "core/report_text.h"
#include "dicom/instance_file.h"
#include "dicom/sniff.h"
#include "dicom/structure_guard.h"
#include "dicom/values.h"
#include "face/face_detectors.h"
#include "face/series_defacer.h"
#include "face/series_files.h"
#include "pseudonym/secret_key.h"
#include "risk/quasi_identifiers.h"
#include "scan/dicom_vocabulary.h"
#include "scan/header_scan.h"
#include "scan/pixel_scan.h"
#include "scan/source_index.h"
#include "scan/text_patterns.h"
#include "scan/uid_knowledge.h"

namespace radveil::scan {
namespace {

namespace fs = std::filesystem;

cv::Mat thumbnail(const cv::Mat& image) {
  if (image.empty()) return image;
  const double scale = static_cast<double>(ScanReport::kThumbnailSide) / std::max(image.cols, image.rows);
  if (scale >= 1) return image.clone();
  cv::Mat out;
  cv::resize(image, out, cv::Size(), scale, scale, cv::INTER_AREA);
  return out;
}

// The 128 bytes before "DICM", or empty for a bare dataset.
std::string read_preamble(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string head(132, '\0');
  in.read(head.data(), 132);
  if (in.gcount() != 132 || head.compare(128, 4, "DICM") != 0) return {};
  head.resize(128);
  return head;
}

struct FileResult {
  std::vector<Finding> findings;
  std::vector<TextFrame> frames;
  std::size_t frames_examined = 0;
  bool dicom = false, other = false, unreadable = false;
  std::string matched_by;
};

class Scan {
 public:
  explicit Scan(const ScanConfig& config)
      : config_(config),
        quasi_(config.quasi_identifiers.empty() ? risk::known_quasi_identifiers() : config.quasi_identifiers) {
    if (!fs::exists(config.input)) throw std::runtime_error("nothing to scan at the path given");
    if (config.against) {
      if (!fs::exists(*config.against)) throw std::runtime_error("the original folder (--against) does not exist");
      std::optional<pseudonym::SecretKey> key;
      if (config.key) key = pseudonym::SecretKey::load_file(*config.key);
      source_ = std::make_unique<SourceIndex>(*config.against, key);
    }
    if (config.pixels) reader_ = std::make_unique<pixels::TextReader>();
  }

  ScanReport run(const ScanProgress& progress) {
    const auto started = std::chrono::steady_clock::now();
    std::vector<fs::path> files;
    for_each_input_file(config_.input, [&](const fs::path& f) { files.push_back(f); });
    std::sort(files.begin(), files.end());
    {
      std::vector<Finding> ignored;  // the folder given is not part of the release: shown masked, not judged
      report_.input = display_components(config_.input, ignored);
    }
    report_.files = files.size();
    report_.pixels_examined = config_.pixels;
    report_.faces_examined = config_.pixels && config_.faces;
    report_.fail_on = config_.fail_on;
    if (source_) {
      report_.against = true;
      report_.source_instances = source_->instances();
    }

    std::atomic<std::size_t> done{0};
    parallel_for(files.size(), config_.jobs, [&](std::size_t i) {
      merge(scan_file(files[i]));
      const std::size_t n = ++done;
      if (progress) progress(n, files.size());
    });

    if (report_.faces_examined) check_faces(files.size(), progress);
    if (!config_.pixels) report_.findings.push_back({"pixels-not-examined", Severity::Low, "", "pixels", "--header-only"});
    else if (!config_.faces) report_.findings.push_back({"faces-not-examined", Severity::Low, "", "CT/MR series", "--no-face-check"});
    report_.risk = risk::assess_risk(quasi_.names(), quasi_.records(), config_.k);
    std::stable_sort(report_.findings.begin(), report_.findings.end(), [](const Finding& a, const Finding& b) {
      return a.severity != b.severity ? a.severity > b.severity : a.file < b.file;
    });
    std::sort(report_.text_frames.begin(), report_.text_frames.end(),
              [](const TextFrame& a, const TextFrame& b) { return a.file != b.file ? a.file < b.file : a.frame < b.frame; });
    report_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return std::move(report_);
  }

 private:
  // The path relative to the input, each component that shows identity masked; the components'
  // own findings go to `out`. The folder scanned is shown the same way.
  std::string display_path(const fs::path& file, std::vector<Finding>& out) const {
    return display_components(fs::is_directory(config_.input) ? file.lexically_relative(config_.input) : file.filename(), out);
  }

  std::string display_components(const fs::path& path, std::vector<Finding>& out) const {
    std::string shown;
    for (const auto& part : path) {
      const std::string name = part.string();
      if (name == "/") {
        shown = "/";
        continue;
      }
      auto matches = find_identity_in_path_component(name);
      // A name that is a UID is compared as a UID, whole: the digits of a UID radveil or another
      // tool generated hold any short number of the originals somewhere. A patient's keyed
      // pseudonym (with --key) is an HMAC, whatever characters it happens to contain.
      std::string_view stem = name;
      if (stem.size() > 4 && stem.substr(stem.size() - 4) == ".dcm") stem.remove_suffix(4);
      const bool uid_name = report_text::is_uid(stem) && stem.find('.') != std::string_view::npos;
      const bool source_uid = source_ && uid_name && !is_well_known_uid(stem) && source_->is_source_uid(stem);
      const auto source_value = source_ && !uid_name && !source_->is_own_pseudonym(name)
                                    ? source_value_finding(source_->all().identity, name)
                                    : std::nullopt;
      if (!shown.empty() && shown != "/") shown += '/';
      if (matches.empty() && !source_value && !source_uid) {
        shown += name;
        continue;
      }
      const std::string masked = mask_all(name);
      for (const auto& m : matches)
        out.push_back({"path-identity", Severity::High, {}, "file or folder name", mask_match(name, m.begin, m.end)});
      if (source_value) out.push_back({std::string(source_value->kind), source_value->severity, {}, "file or folder name", masked});
      if (source_uid) out.push_back({"source-uid", Severity::High, {}, "file or folder name", masked});
      shown += masked;
    }
    return shown;
  }

  FileResult scan_file(const fs::path& file) {
    FileResult r;
    const std::string shown = display_path(file, r.findings);
    const dicom::Sniffed kind = dicom::sniff(file);
    if (kind == dicom::Sniffed::NotDicom) {
      r.other = true;
      r.findings.push_back({"other-file", Severity::Medium, {}, "file", "not DICOM"});
    } else if (kind == dicom::Sniffed::Unreadable) {
      r.unreadable = true;
      r.findings.push_back({"unreadable-file", Severity::High, {}, "file", "cannot be read"});
    } else {
      r.dicom = true;
      scan_dicom(file, r);
    }
    for (auto& f : r.findings) f.file = shown;
    for (auto& f : r.frames) f.file = shown;
    return r;
  }

  void scan_dicom(const fs::path& file, FileResult& r) {
    DcmFileFormat format;
    try {
      dicom::check_nesting_depth(file);
    } catch (const std::exception&) {
      r.unreadable = true;
      r.findings.push_back({"unreadable-file", Severity::High, {}, "file", "sequences nested too deep"});
      return;
    }
    const Uint32 lazy = config_.pixels ? DCM_MaxReadLength : dicom::kLazyValueThreshold;
    if (format.loadFile(OFFilename(file.c_str()), EXS_Unknown, EGL_noChange, lazy, ERM_autoDetect).bad() ||
        !format.getDataset()) {
      r.unreadable = true;
      r.findings.push_back({"unreadable-file", Severity::High, {}, "file", "not parseable as DICOM"});
      return;
    }
    DcmDataset& ds = *format.getDataset();
    if (config_.pixels && ds.loadAllDataIntoMemory().bad()) {
      r.unreadable = true;
      r.findings.push_back({"unreadable-file", Severity::High, {}, "file", "values cannot be read completely"});
      return;
    }
    const std::string preamble = read_preamble(file);
    DcmMetaInfo* meta = format.getMetaInfo();
    std::optional<SourceMatch> match;
    if (source_) {
      match = source_->match(ds);
      r.matched_by = std::string(match->how);
    }
    HeaderScanInput in{meta && meta->card() > 0 ? meta : nullptr, &ds, preamble, source_.get(), match ? &*match : nullptr};
    std::vector<Finding> header = scan_header(in);
    r.findings.insert(r.findings.end(), std::make_move_iterator(header.begin()), std::make_move_iterator(header.end()));
    {
      std::lock_guard lock(quasi_mutex_);
      quasi_.add(ds);
    }
    if (!config_.pixels) return;
    const std::string modality = dicom::get_string(ds, DCM_Modality);
    const std::string series = dicom::get_string(ds, DCM_SeriesInstanceUID);
    if (config_.faces && (modality == "CT" || modality == "MR") && !series.empty()) {
      std::lock_guard lock(series_mutex_);
      series_[series].push_back(file);
      if (match && !match->original_series.empty()) ++original_series_votes_[series][std::string(match->original_series)];
    }
    PixelScanResult pixels = scan_pixels(ds, *reader_);
    r.frames_examined = pixels.frames_examined;
    r.findings.insert(r.findings.end(), pixels.findings.begin(), pixels.findings.end());
    for (auto& f : pixels.frames) r.frames.push_back({{}, f.frame, f.boxes, thumbnail(f.review)});
  }

  void merge(FileResult&& r) {
    std::lock_guard lock(report_mutex_);
    report_.dicom_files += r.dicom;
    report_.other_files += r.other;
    report_.unreadable_files += r.unreadable;
    report_.frames_examined += r.frames_examined;
    if (!r.matched_by.empty()) ++report_.matched_by[r.matched_by];
    for (auto& f : r.findings) report_.findings.push_back(std::move(f));
    report_.text_frames_found += r.frames.size();
    for (auto& f : r.frames)
      if (report_.text_frames.size() < ScanReport::kMaxThumbnails) report_.text_frames.push_back(std::move(f));
  }

  // Each CT/MR series rendered and looked at for a face, series in parallel (the detectors lend
  // one model pair per concurrent caller). With --against, each series the page shows is then
  // shown beside its original, checked the same way.
  void check_faces(std::size_t files_done, const ScanProgress& progress) {
    const face::FaceDetectors detectors;
    std::vector<std::pair<const std::string*, std::vector<fs::path>*>> series;
    for (auto& [uid, files] : series_) {
      std::sort(files.begin(), files.end());
      series.emplace_back(&uid, &files);
    }
    std::vector<SeriesFaceResult> results(series.size());
    std::vector<std::string> details(series.size());
    // The bar's whole: every series, and the originals that may be shown beside them.
    const std::size_t originals = std::min(original_series_votes_.size(), ScanReport::kMaxRenderedSeries);
    const std::size_t total = files_done + series.size() + originals;
    std::atomic<std::size_t> done{files_done};
    parallel_for(series.size(), config_.jobs, [&](std::size_t i) {
      const auto& files = *series[i].second;
      SeriesFaceResult& result = results[i];
      result.label = "series " + std::to_string(i + 1) + " (" + std::to_string(files.size()) + " instances)";
      std::vector<Finding> ignored;
      result.file = display_path(files.front(), ignored);
      const SeriesCheck check = check_series_files(files, detectors);
      result.face = check.face;
      result.outcome = check.outcome;
      result.renders = check.renders;
      details[i] = check.detail;
      if (progress) progress(++done, total);
    });
    // Renders are kept for every series with a face (up to kMaxRenderedSeries) and the first few
    // without, so a scan of thousands of series stays in bounded memory.
    std::vector<std::size_t> shown;
    for (std::size_t i = 0; i < results.size(); ++i) {
      const bool keep = results[i].face ? shown.size() < ScanReport::kMaxRenderedSeries : i < ScanReport::kMaxRenderedSeries / 4;
      if (keep && !results[i].renders.empty()) shown.push_back(i);
      else results[i].renders.clear();
    }
    if (source_)
      parallel_for(shown.size(), config_.jobs, [&](std::size_t n) {
        const std::size_t i = shown[n];
        const std::string original = original_series_of(*series[i].first);
        if (original.empty()) return;
        const SeriesCheck check = check_series_files(source_->series_files(original), detectors);
        results[i].original = SeriesFaceResult::Original{check.face, check.outcome, check.renders};
        if (progress) progress(std::min(++done, total), total);
      });
    if (progress) progress(total, total);
    for (std::size_t i = 0; i < results.size(); ++i) {
      if (results[i].face) report_.findings.push_back({"face", Severity::High, results[i].file, results[i].label, details[i]});
      report_.series.push_back(std::move(results[i]));
    }
  }

  struct SeriesCheck {
    bool face = false;
    std::string outcome, detail;
    std::vector<cv::Mat> renders;
  };

  static SeriesCheck check_series_files(const std::vector<fs::path>& files, const face::FaceDetectors& detectors) {
    const face::LoadedSeries loaded = face::load_series(files);  // unreadable files: reported by their own scan
    const face::SeriesFaceReport check = face::check_series(loaded.datasets, detectors);
    SeriesCheck result;
    // A face only when renders were made and one shows it. A series that forms no volume, or
    // whose pixels no codec decodes, is refused by the check without a render: its outcome says
    // why (the undecodable pixels are their own finding, unreadable-pixels).
    result.face = check.outcome == face::SeriesFaceOutcome::Refused && check.before.has_value();
    result.outcome = result.face                 ? "face"
                     : check.reason == "no-face" ? "no face"
                     : check.reason.empty()      ? "no face"
                                                 : check.reason + ": " + check.detail;
    result.detail = check.detail;
    if (check.before)
      for (const auto& view : check.before->views) result.renders.push_back(thumbnail(view.image));
    return result;
  }

  // The original series most of a released series' files were paired with (by key, UID or
  // pixels), or empty.
  std::string original_series_of(const std::string& released) const {
    const auto it = original_series_votes_.find(released);
    if (it == original_series_votes_.end()) return {};
    const auto best = std::max_element(it->second.begin(), it->second.end(),
                                       [](const auto& a, const auto& b) { return a.second < b.second; });
    return best->first;
  }

  const ScanConfig& config_;
  std::unique_ptr<SourceIndex> source_;
  std::unique_ptr<pixels::TextReader> reader_;
  std::mutex report_mutex_, quasi_mutex_, series_mutex_;
  ScanReport report_;
  risk::QuasiIdentifierTable quasi_;
  std::map<std::string, std::vector<fs::path>> series_;
  std::map<std::string, std::map<std::string, std::size_t>> original_series_votes_;  // released -> original -> files
};

}  // namespace

ScanReport run_scan(const ScanConfig& config, const ScanProgress& progress) { return Scan(config).run(progress); }

}  // namespace radveil::scan
