#include "pixels/burned_in_text.h"

#include <algorithm>
#include <string>
#include <cctype>
#include <opencv2/imgproc.hpp>

#include "core/quarantine_error.h"
#include "pixels/rendered_text.h"
#include "pixels/text_regions.h"

namespace radveil::pixels {
namespace {

int alnum_count(std::string_view s) {
  return static_cast<int>(std::count_if(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c) != 0; }));
}

bool reads_as_text(const ReadText& read, double min_confidence, int min_characters) {
  return read.confidence >= min_confidence && alnum_count(read.text) >= min_characters;
}

// The share of `box` already inside redactions.
double covered(const cv::Rect& box, const std::vector<cv::Rect>& redactions) {
  if (box.area() <= 0) return 1;
  cv::Mat mask = cv::Mat::zeros(box.size(), CV_8UC1);
  for (const cv::Rect& r : redactions) {
    const cv::Rect overlap = (r & box) - box.tl();
    if (!overlap.empty()) mask(overlap).setTo(255);
  }
  return cv::countNonZero(mask) / static_cast<double>(box.area());
}

bool same_row(const cv::Rect& a, const cv::Rect& b) {
  const int overlap = std::min(a.y + a.height, b.y + b.height) - std::max(a.y, b.y);
  return overlap > std::min(a.height, b.height) / 2;
}

// Identifying-only scope: a line that shows an identifying value anywhere is redacted whole, as
// its other words (an ID OCR misread, a birth date) belong to the same identity. OCR's
// confidence does not matter here: an identifying value is worth redacting even when unsure.
std::vector<cv::Rect> identifying_lines(const cv::Mat& image, const std::vector<cv::Rect>& candidates,
                                        const TextReader& reader, const CleaningRequest& request) {
  std::vector<cv::Rect> hits;
  for (const ReadText& read : reader.read(image, candidates, 0))
    if (request.identifying && request.identifying(read.text)) hits.push_back(read.box);
  std::vector<cv::Rect> boxes;
  for (const cv::Rect& c : candidates)
    if (std::any_of(hits.begin(), hits.end(), [&](const cv::Rect& h) { return same_row(c, h); })) boxes.push_back(c);
  return boxes;
}

std::vector<cv::Rect> choose_redactions(const cv::Mat& image, const TextReader& reader, const CleaningRequest& request) {
  const std::vector<cv::Rect> candidates = find_text_regions(image);
  std::vector<cv::Rect> boxes, to_read;
  for (const cv::Rect& c : candidates) {
    if (request.scope == TextScope::IdentifyingOnly) {
      to_read.push_back(c);
    } else {
      const RenderedTextEvidence evidence = rendered_text_evidence(image, c);
      if (evidence.drawn())
        (request.expectation == TextExpectation::Expected ? boxes : to_read).push_back(c);
      else if (request.expectation == TextExpectation::Expected && evidence.one_colour())
        to_read.push_back(c);  // drawn in one colour over a busy ground (a colour bar, the image): ask OCR
    }
  }
  if (request.scope == TextScope::IdentifyingOnly) return identifying_lines(image, to_read, reader, request);
  for (const ReadText& read : reader.read(image, to_read)) {
    const bool redact = request.expectation == TextExpectation::Expected
                            ? reads_as_text(read, TextReader::kMinConfidence, TextReader::kMinCharacters)
                            : reads_as_text(read, kScreenedMinConfidence, kScreenedMinCharacters);
    if (redact) boxes.push_back(read.box);
  }
  return boxes;
}

// Faint text (a dim label on black) escapes the pre-pass but not OCR or a careful reader: the
// second look reads every line whose strokes differ from their ground by this much.
constexpr double kLegibleContrast = 20;
bool has_legible_contrast(const cv::Mat& image, const cv::Rect& line) {
  return rendered_text_evidence(image, line, kLegibleContrast).stroke_pixels > 0;
}

// A look at the redacted rendering: the lines still read outside the redactions as text (or,
// in identifying-only scope, as an identifying value).
std::vector<cv::Rect> still_read(const cv::Mat& redacted, const std::vector<cv::Rect>& boxes, const TextReader& reader,
                                 const CleaningRequest& request) {
  std::vector<cv::Rect> lines = reader.find_lines(redacted);
  for (const cv::Rect& c : find_text_regions(redacted))
    if (request.scope == TextScope::IdentifyingOnly || rendered_text_evidence(redacted, c).drawn()) lines.push_back(c);
  // Lines taller than any readable text are Tesseract taking image texture for a text block; the
  // pre-pass covers text up to its own maximum height.
  const int tallest = TextRegionParams{}.max_height + 2 * TextRegionParams{}.margin;
  std::vector<cv::Rect> open;
  for (const cv::Rect& line : lines)
    if (line.height <= tallest && covered(line, boxes) < 0.5 && has_legible_contrast(redacted, line)) open.push_back(line);
  std::vector<cv::Rect> leaks;
  const double floor = request.scope == TextScope::IdentifyingOnly ? 0 : TextReader::kMinConfidence;
  for (const ReadText& read : reader.read(redacted, open, floor)) {
    const bool leak = request.scope == TextScope::IdentifyingOnly
                          ? request.identifying && request.identifying(read.text)
                          : reads_as_text(read,
                                          request.expectation == TextExpectation::Expected
                                              ? TextReader::kMinConfidence
                                              : kSecondLookMinConfidence,
                                          kSecondLookMinCharacters);
    if (leak) leaks.push_back(read.box);
  }
  return leaks;
}

cv::Rect with_margin(const cv::Rect& r, const cv::Mat& image) {
  const int m = TextRegionParams{}.margin;
  return cv::Rect(r.x - m, r.y - m, r.width + 2 * m, r.height + 2 * m) & cv::Rect(0, 0, image.cols, image.rows);
}

}  // namespace

std::size_t CleaningResult::box_count() const {
  std::size_t n = 0;
  for (const auto& f : redacted) n += f.boxes.size();
  return n;
}

CleaningResult clean_burned_in_text(PixelFrames& frames, const TextReader& reader, const CleaningRequest& request) {
  CleaningResult result;
  result.frames = frames.frame_count();
  for (std::uint32_t f = 0; f < frames.frame_count(); ++f) {
    cv::Mat image = frames.render(f);
    std::vector<cv::Rect> boxes = choose_redactions(image, reader, request);
    // Each look reads what will be written: the stored pixels, rendered again. Text that an
    // earlier look (Tesseract's own line finder) still reads is redacted too; what the last look
    // still reads refuses the instance.
    for (int look = 1;; ++look) {
      for (const cv::Rect& box : boxes) frames.black_out(f, box);
      if (!boxes.empty()) image = frames.render(f);
      const std::vector<cv::Rect> leaks = still_read(image, boxes, reader, request);
      if (leaks.empty()) break;
      if (look == kLooks)
        throw QuarantineError("burned-in-text-remains",
                              std::string(request.scope == TextScope::IdentifyingOnly ? "an identifying value" : "text") +
                                  " is still read in frame " + std::to_string(f + 1) + " after redaction");
      for (const cv::Rect& leak : leaks) boxes.push_back(with_margin(leak, image));
    }
    if (boxes.empty()) continue;
    RedactedFrame done{f, boxes, {}};
    if (request.keep_review) {
      if (image.channels() == 1) cv::cvtColor(image, done.review, cv::COLOR_GRAY2BGR);
      else done.review = image.clone();
      for (const cv::Rect& box : boxes) cv::rectangle(done.review, box, cv::Scalar(0, 0, 255), 1);
    }
    result.redacted.push_back(std::move(done));
  }
  return result;
}

}  // namespace radveil::pixels
