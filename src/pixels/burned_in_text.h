#pragma once
// Clean Pixel Data: find the text burned into every frame, black it out, and look again.
//
//  1. Each frame is looked at in every rendering (PixelFrames::renderings: as stored, and through
//     a viewer's window); the pre-pass proposes candidate boxes (text_regions.h).
//  2. Which candidates are redacted depends on the scope and on whether text is expected:
//     - all text, text expected (ultrasound, secondary capture, Burned In Annotation YES...):
//       every candidate that looks drawn (one colour on a flat ground, rendered_text.h), and the
//       one-colour ones OCR reads as text;
//     - all text, merely screened (every other instance: CT, MR, radiographs...): no candidate of
//       the pre-pass; rows of characters (text_lines.h) in every rendering, at the usual and at a
//       strong contrast, are redacted when sure, or when Tesseract reads them as text or as an
//       identifying value; the rest of a confirmed row or block goes with them;
//     - identifying text only: candidates whose OCR shows an identifying value of the instance.
//  3. Second look: the pre-pass at low contrast and (where the frame shows text) Tesseract's own
//     layout analysis run again on the redacted frame; every line outside the redactions is read.
//     Lines read as text (or, in identifying-only scope, as an identifying value) are redacted and
//     the frame looked at again, up to kLooks times; if the last look still reads any, the
//     instance is refused.
#include <cstdint>
#include <functional>
#include <optional>
#include <opencv2/core.hpp>
#include <string_view>
#include <vector>

#include "pixels/pixel_frames.h"
#include "pixels/text_reader.h"

namespace radveil::pixels {

enum class TextScope { All, IdentifyingOnly };
enum class TextExpectation { Expected, Screened };

struct CleaningRequest {
  TextScope scope = TextScope::All;
  TextExpectation expectation = TextExpectation::Expected;
  std::function<bool(std::string_view)> identifying;  // does OCR'd text show an identifying value?
  bool keep_review = false;                           // keep a review image of each redacted frame
  // A region the first look ignores, as if its detector had missed the text there: for testing
  // that the second look catches what the first look did not see.
  std::optional<cv::Rect> first_look_blind_to;
};

struct RedactedFrame {
  std::uint32_t frame = 0;
  std::vector<cv::Rect> boxes;
  cv::Mat review;  // the redacted rendering with each box outlined (when asked for)
};

struct CleaningResult {
  std::uint32_t frames = 0;
  std::vector<RedactedFrame> redacted;  // frames with at least one box
  std::size_t box_count() const;
};

// OCR confidence (0-100) and letters or digits a read needs to count as text in a merely screened
// frame, where only rows of characters (RenderedTextEvidence::characters) are read: an ID or a
// date (six digits in a row) counts from this confidence, as OCR does not make such reads of
// anatomy; other reads need kSecondLookMinConfidence (OCR reads texture at 30-50).
inline constexpr double kScreenedDrawnMinConfidence = 30;
inline constexpr int kScreenedMinCharacters = 3;
// The looks after redaction read rows of characters as the first look does; the lines only
// Tesseract's layout analysis proposes count at TextReader::kMinConfidence where text is expected,
// and need this much in a merely screened frame before anatomy is taken for text.
inline constexpr double kSecondLookMinConfidence = 70;
inline constexpr int kSecondLookMinCharacters = 3;
// Looks after the first redaction: text read by all but the last is redacted as well.
inline constexpr int kLooks = 3;

// Throws QuarantineError("burned-in-text-remains", ...) when the second look still reads text.
CleaningResult clean_burned_in_text(PixelFrames& frames, const TextReader& reader, const CleaningRequest& request);

}  // namespace radveil::pixels
