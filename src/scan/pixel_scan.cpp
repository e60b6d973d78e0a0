#include "scan/pixel_scan.h"

#include <algorithm>
#include <cctype>
#include <memory>

#include "core/quarantine_error.h"
#include "core/report_text.h"
#include "deid/burned_in_text_risk.h"
#include "pixels/burned_in_text.h"
#include "pixels/pixel_frames.h"

namespace radveil::scan {
namespace {

// Letters or digits a read needs to be text: speckle and the edge of an organ read as three-letter
// words ("Bes", "Bee") at confidence 60 in synthetic ultrasound frames; no line of text planted in
// the tests reads as fewer than four.
constexpr std::size_t kMinCharacters = 4;

// Redacted boxes joined into the lines they belong to: Clean Pixel Data may black out a small
// line character by character, and OCR reads a line where it cannot read one character.
std::vector<cv::Rect> lines_of(std::vector<cv::Rect> boxes) {
  std::sort(boxes.begin(), boxes.end(), [](const cv::Rect& a, const cv::Rect& b) { return a.x < b.x; });
  std::vector<cv::Rect> lines;
  for (const cv::Rect& box : boxes) {
    bool joined = false;
    for (cv::Rect& line : lines) {
      const int overlap = std::min(line.y + line.height, box.y + box.height) - std::max(line.y, box.y);
      const int gap = box.x - (line.x + line.width);
      if (overlap * 2 >= std::min(line.height, box.height) && gap <= 2 * std::max(line.height, box.height)) {
        line |= box;
        joined = true;
        break;
      }
    }
    if (!joined) lines.push_back(box);
  }
  return lines;
}

std::size_t characters_in(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](unsigned char c) { return std::isalnum(c) != 0; }));
}

// OCR reads characters in `line` of any rendering of the frame as it was: the evidence a finding
// needs. Clean Pixel Data blacks out every drawn-looking region where text is expected (a corner
// of an ultrasound sector, the edge of an organ); a release report names only what reads as text:
// kMinCharacters letters or digits at `min_confidence`.
bool reads_as_text(const pixels::PixelFrames& original, std::uint32_t frame, const cv::Rect& line,
                   const pixels::TextReader& reader, double min_confidence) {
  const int pad = std::max(3, line.height / 4);
  auto is_text = [](const std::vector<pixels::ReadText>& reads) {
    return std::any_of(reads.begin(), reads.end(), [](const pixels::ReadText& r) { return characters_in(r.text) >= kMinCharacters; });
  };
  for (const cv::Mat& rendering : original.renderings(frame)) {
    const cv::Rect padded = cv::Rect(line.x - pad, line.y - pad, line.width + 2 * pad, line.height + 2 * pad) &
                            cv::Rect(0, 0, rendering.cols, rendering.rows);
    if (is_text(reader.read(rendering, {padded}, min_confidence))) return true;
    // A region holding several small lines: each line as Tesseract's layout analysis finds it.
    // (Enlarging the region first, or reading its lines at a lower confidence, found no more of
    // the 8 px text missed and read text into bare anatomy: measured in pixel_scan_test.)
    const cv::Mat region = rendering(padded).clone();
    if (is_text(reader.read(region, reader.find_lines(region), min_confidence))) return true;
  }
  return false;
}

}  // namespace

PixelScanResult scan_pixels(DcmDataset& dataset, const pixels::TextReader& reader) {
  PixelScanResult out;
  if (!dataset.tagExists(DCM_PixelData)) return out;
  try {
    pixels::PixelFrames frames(dataset);  // decoded in place
    DcmDataset as_it_was(dataset);        // the frames before anything is blacked out
    // The copy is decoded already: it says so, or it would be decoded again from its original
    // transfer syntax (JPEG 2000 read its own decoded pixels as a codestream and failed).
    as_it_was.updateOriginalXfer();
    const pixels::PixelFrames original(as_it_was);
    pixels::CleaningRequest request;
    request.scope = pixels::TextScope::All;
    const bool expected = deid::burned_in_text_suspected(dataset);
    request.expectation = expected ? pixels::TextExpectation::Expected : pixels::TextExpectation::Screened;
    // Where text is not expected (CT, MR...), anatomy such as cerebellar folds can read as a few
    // characters at 50: there a finding needs the confidence Clean Pixel Data's second look asks
    // of a line in a merely screened frame.
    const double min_confidence = expected ? pixels::TextReader::kMinConfidence : pixels::kSecondLookMinConfidence;
    request.keep_review = true;
    pixels::CleaningResult result = pixels::clean_burned_in_text(frames, reader, request);
    out.frames_examined = result.frames;
    for (auto& f : result.redacted) {
      std::size_t read = 0;
      for (const cv::Rect& line : lines_of(f.boxes)) read += reads_as_text(original, f.frame, line, reader, min_confidence);
      if (read == 0) continue;
      out.findings.push_back({"burned-in-text", Severity::High, {}, "frame " + std::to_string(f.frame + 1),
                              std::to_string(read) + (read == 1 ? " region" : " regions") + " reading as text"});
      out.frames.push_back({f.frame, read, std::move(f.review)});
    }
  } catch (const QuarantineError& e) {
    if (e.reason() == "burned-in-text-remains")
      out.findings.push_back({"burned-in-text", Severity::High, {}, "pixels", "text that even redaction could not remove"});
    else
      out.findings.push_back({"unreadable-pixels", Severity::High, {}, "(7FE0,0010) PixelData",
                              report_text::checked(e.reason() + ": " + e.detail())});  // radveil's own words
  }
  return out;
}

}  // namespace radveil::scan
