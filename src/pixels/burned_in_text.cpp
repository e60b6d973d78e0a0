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

// Six or more digits in a row, separators aside (an ID, a date): what identifying text reads as,
// and what OCR does not make of anatomy.
bool looks_like_an_id_or_date(std::string_view text) {
  int run = 0, longest = 0;
  for (unsigned char c : text) {
    if (std::isdigit(c)) longest = std::max(longest, ++run);
    else if (c != '-' && c != '.' && c != '/' && c != ':') run = 0;
  }
  return longest >= 6;
}

// A row of characters in a screened frame: text when read with the confidence its ground allows,
// or an ID or date read with the lower one.
bool row_reads_as_text(const cv::Mat& view, const ReadText& read, double min_contrast) {
  const bool sure = rendered_text_evidence(view, read.box, min_contrast).drawn() || looks_like_an_id_or_date(read.text);
  return reads_as_text(read, sure ? kScreenedDrawnMinConfidence : kScreenedMinConfidence, kScreenedMinCharacters);
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

// A screened frame's text is confirmed word by word; the other marks of a confirmed row (a short
// word OCR will not vouch for alone, "ID", a surname in a serif font) and the lines of the same
// block (left-aligned above or below, about as tall) belong to the same text and are redacted with
// it: candidates of one colour on the same row within a few line heights, or stacked in the block.
std::vector<cv::Rect> with_rest_of_rows(std::vector<cv::Rect> boxes, const std::vector<cv::Rect>& candidates,
                                        const cv::Mat& image, double min_contrast = TextRegionParams{}.min_contrast) {
  bool grown = true;
  std::vector<bool> taken(candidates.size(), false);
  while (grown) {
    grown = false;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      const cv::Rect& c = candidates[i];
      if (taken[i]) continue;
      const bool beside = std::any_of(boxes.begin(), boxes.end(), [&](const cv::Rect& b) {
        const int h = std::max(b.height, c.height);
        const int gap = std::max(b.x, c.x) - std::min(b.x + b.width, c.x + c.width);
        const int vertical_gap = std::max(b.y, c.y) - std::min(b.y + b.height, c.y + c.height);
        const bool similar_height = std::min(b.height, c.height) * 10 >= 6 * h;
        return (same_row(b, c) && gap <= 3 * h) ||
               // the line above or below in the same block: left-aligned, about as tall, close
               (similar_height && vertical_gap <= h && std::abs(b.x - c.x) <= h);
      });
      if (beside && rendered_text_evidence(image, c, min_contrast).one_colour()) {
        taken[i] = grown = true;
        boxes.push_back(c);
      }
    }
  }
  return boxes;
}

std::vector<cv::Rect> choose_redactions(const cv::Mat& image, const StrokeMaps& maps, const TextReader& reader,
                                        const CleaningRequest& request) {
  // In a screened frame, text joined to the anatomy's texture is looked for too (see
  // find_text_regions); such rows are redacted only when OCR reads them as it must read any row
  // over the image (a wrong box costs a few pixels of anatomy, a missed one an identity), never
  // as drawn. Where text is expected (ultrasound and the like), blobs too tall for a line are the
  // labels and panels themselves, which the looks after the first find whole.
  std::vector<cv::Rect> through_texture;
  std::vector<cv::Rect> candidates = request.expectation == TextExpectation::Screened
                                         ? find_text_regions(maps, {}, through_texture)
                                         : find_text_regions(maps);
  if (request.first_look_blind_to)
    for (auto* list : {&candidates, &through_texture})
      std::erase_if(*list, [&](const cv::Rect& c) { return (c & *request.first_look_blind_to).area() > 0; });
  std::vector<cv::Rect> boxes, to_read;
  for (const cv::Rect& c : through_texture)
    if (request.scope == TextScope::IdentifyingOnly || rendered_text_evidence(image, c).characters()) to_read.push_back(c);
  for (const cv::Rect& c : candidates) {
    if (request.scope == TextScope::IdentifyingOnly) {
      to_read.push_back(c);
    } else {
      const RenderedTextEvidence evidence = rendered_text_evidence(image, c);
      if (request.expectation == TextExpectation::Expected ? evidence.drawn() : evidence.drawn_line())
        boxes.push_back(c);
      else if (request.expectation == TextExpectation::Screened && evidence.characters())
        to_read.push_back(c);
      else if (request.expectation == TextExpectation::Expected && evidence.one_colour())
        to_read.push_back(c);  // drawn in one colour over a busy ground (a colour bar, the image): ask OCR
    }
  }
  if (request.scope == TextScope::IdentifyingOnly) return identifying_lines(image, to_read, reader, request);
  for (const ReadText& read : reader.read(image, to_read, request.identifying ? 0 : kScreenedDrawnMinConfidence)) {
    const bool redact = (request.expectation == TextExpectation::Expected
                             ? reads_as_text(read, TextReader::kMinConfidence, TextReader::kMinCharacters)
                             : row_reads_as_text(image, read, TextRegionParams{}.min_contrast)) ||
                        (request.identifying && request.identifying(read.text));
    if (redact) boxes.push_back(read.box);
  }
  if (request.expectation == TextExpectation::Screened) return with_rest_of_rows(boxes, candidates, image);
  return boxes;
}

// Faint text (a dim label on black) escapes the pre-pass but not OCR or a careful reader: the
// second look reads every line whose strokes differ from their ground by this much.
constexpr double kLegibleContrast = 20;
bool has_legible_contrast(const cv::Mat& image, const cv::Rect& line) {
  return rendered_text_evidence(image, line, kLegibleContrast).stroke_pixels > 0;
}

bool is_open(const cv::Rect& line, const std::vector<cv::Rect>& boxes, const cv::Mat& view) {
  // Lines taller than any readable text are Tesseract taking image texture for a text block; the
  // pre-pass covers text up to its own maximum height.
  const int tallest = TextRegionParams{}.max_height + 2 * TextRegionParams{}.margin;
  return line.height <= tallest && covered(line, boxes) < 0.5 && has_legible_contrast(view, line);
}

// A look at the redacted renderings: the lines still read outside the redactions as text (or, in
// identifying-only scope, as an identifying value). Two detectors propose the lines: the pre-pass
// at the contrast a reader still sees (20 grey levels, not 60), keeping rows of characters; and,
// where the frame has shown text (a redaction, or such a row), Tesseract's own page layout
// analysis, independent of the pre-pass. A frame where neither the first look nor the
// pre-pass at low contrast sees anything text-like costs no OCR at all.
std::vector<cv::Rect> still_read(const std::vector<cv::Mat>& views, const std::vector<StrokeMaps>& maps,
                                 const std::vector<cv::Rect>& boxes,
                                 const TextReader& reader, const CleaningRequest& request) {
  TextRegionParams faint;
  faint.min_contrast = kLegibleContrast;
  struct Open {
    std::vector<cv::Rect> marks, rows, lines;  // every pre-pass box; rows of characters; Tesseract's lines
  };
  std::vector<Open> open(views.size());
  bool text_like = !boxes.empty();
  for (std::size_t v = 0; v < views.size(); ++v)
    for (const cv::Rect& c : find_text_regions(maps[v], faint)) {
      if (!is_open(c, boxes, views[v])) continue;
      open[v].marks.push_back(c);
      if (request.scope == TextScope::IdentifyingOnly || rendered_text_evidence(views[v], c, kLegibleContrast).characters()) {
        open[v].rows.push_back(c);
        text_like = true;
      }
    }
  // Tesseract's layout analysis looks at the whole frame as first rendered where text was redacted
  // (text seldom comes alone), and only around the rows of characters elsewhere: in a frame where
  // nothing was, and in the other renderings (a window makes the anatomy's texture look like rows,
  // and a large MR or a localizer would cost it 100+ ms a rendering; the ink alone is plain to
  // the pre-pass).
  for (std::size_t v = 0; v < views.size() && text_like; ++v) {
    const cv::Rect frame(0, 0, views[v].cols, views[v].rows);
    std::vector<cv::Rect> areas;
    if (!boxes.empty() && v == 0) areas.push_back(frame);
    else
      for (const cv::Rect& row : open[v].rows)
        areas.push_back(cv::Rect(row.x - 4 * row.height, row.y - 2 * row.height, row.width + 8 * row.height,
                                 5 * row.height) & frame);
    for (const cv::Rect& area : areas)
      for (const cv::Rect& line : reader.find_lines(views[v](area)))
        if (is_open(line + area.tl(), boxes, views[v])) open[v].lines.push_back(line + area.tl());
  }
  std::vector<cv::Rect> leaks;
  const bool expected = request.expectation == TextExpectation::Expected;
  // Whatever the scope, a line that shows one of the instance's own identifying values (its name,
  // ID, birth date, institution from the header) is still readable identity, however unsure OCR is.
  const double floor = request.identifying ? 0 : kScreenedDrawnMinConfidence;
  for (std::size_t v = 0; v < views.size(); ++v) {
    std::vector<cv::Rect> found;
    const auto leak = [&](const ReadText& read, bool enough) {
      const bool identifying = request.identifying && request.identifying(read.text);
      if (request.scope == TextScope::IdentifyingOnly ? identifying : enough || identifying) found.push_back(read.box);
    };
    for (const ReadText& read : reader.read(views[v], open[v].rows, floor))
      leak(read, expected ? reads_as_text(read, TextReader::kMinConfidence, kSecondLookMinCharacters)
                          : row_reads_as_text(views[v], read, TextRegionParams{}.min_contrast));
    for (const ReadText& read : reader.read(views[v], open[v].lines, floor))
      leak(read, reads_as_text(read, expected ? TextReader::kMinConfidence : kSecondLookMinConfidence,
                               kSecondLookMinCharacters));
    // As in the first look, the rest of a row or block read as text goes with it.
    if (!found.empty() && !expected && request.scope == TextScope::All)
      found = with_rest_of_rows(std::move(found), open[v].marks, views[v], kLegibleContrast);
    leaks.insert(leaks.end(), found.begin(), found.end());
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
    std::vector<cv::Mat> views = frames.renderings(f);
    std::vector<StrokeMaps> maps;
    for (const cv::Mat& view : views) maps.push_back(stroke_maps(view));
    std::vector<cv::Rect> boxes;
    for (std::size_t v = 0; v < views.size(); ++v)
      for (const cv::Rect& box : choose_redactions(views[v], maps[v], reader, request)) boxes.push_back(box);
    // Each look reads what will be written: the stored pixels, rendered again. Text that an
    // earlier look still reads is redacted too; what the last look still reads refuses the instance.
    for (int look = 1;; ++look) {
      for (const cv::Rect& box : boxes) frames.black_out(f, box);
      if (!boxes.empty()) {
        views = frames.renderings(f);
        maps.clear();
        for (const cv::Mat& view : views) maps.push_back(stroke_maps(view));
      }
      const std::vector<cv::Rect> leaks = still_read(views, maps, boxes, reader, request);
      if (leaks.empty()) break;
      const std::string what = request.scope == TextScope::IdentifyingOnly ? "an identifying value" : "text";
      const std::string frame = " in frame " + std::to_string(f + 1);
      if (look == kLooks)
        throw QuarantineError("burned-in-text-remains", what + " is still read" + frame + " after redaction");
      for (const cv::Rect& leak : leaks) boxes.push_back(with_margin(leak, views.front()));
    }
    if (boxes.empty()) continue;
    RedactedFrame done{f, boxes, {}};
    if (request.keep_review) {
      const cv::Mat image = frames.viewed(f);
      if (image.channels() == 1) cv::cvtColor(image, done.review, cv::COLOR_GRAY2BGR);
      else done.review = image;
      for (const cv::Rect& box : boxes) cv::rectangle(done.review, box, cv::Scalar(0, 0, 255), 1);
    }
    result.redacted.push_back(std::move(done));
  }
  return result;
}

}  // namespace radveil::pixels
