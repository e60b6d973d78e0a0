#pragma once
// Test support: identifying text burned into real frames, in stored values, with the truth of
// which pixels are text, so tests can measure how much of it the cleaner redacts.
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "deid/identifying_values.h"
#include "pixels/burned_in_text.h"
#include "pixels/pixel_frames.h"
#include "pixels/text_reader.h"

namespace radveil::test {

// White and colour ink are drawn straight onto the frame (colour on monochrome: a grey of that
// brightness); black ink on a white label. Quantile ink (monochrome) is the frame's own value at
// `quantile` of its pixels, drawn straight over the image: text inside the anatomy's range, which
// the full stored range shows faintly. Banner ink is light grey text on a darker grey bar across
// the frame with thin cell separators, as vendors' banners show patient fields.
// Blended quantile ink is the same value drawn anti-aliased into the image and carrying its noise,
// as text of a digitised film or a resampled screen capture does: no pixel need hold the one value.
enum class InkKind { White, Black, Colour, Quantile, Banner, BlendedQuantile };
struct Ink {
  InkKind kind = InkKind::White;
  cv::Scalar bgr{0, 255, 255};  // for Colour
  double quantile = 0.995;      // for Quantile
};

// A frame's stored sample values (sign-extended), in pixel order: to check what changed.
std::vector<std::int64_t> stored_values(DcmDataset& dataset, const pixels::PixelFrames& frames, std::uint32_t frame);

// The identifying text tests plant, and the identifying values it shows.
inline const std::vector<std::string> kPlantedLines = {"DOE JOHN", "ID 4242424", "DOB 1962-03-14", "ST ELSEWHERE"};
deid::IdentifyingValues planted_identity();
// One Tesseract reader for a whole test executable (starting one costs a few hundred ms).
const pixels::TextReader& reader();

// Fonts: OpenCV's Hershey faces by their own numbers, and TrueType faces (DejaVu: sans, serif,
// mono, condensed bold, extra-light, oblique) as kTrueType + an index into truetype_fonts().
constexpr int kTrueType = 100;
const std::vector<std::string>& truetype_fonts();  // the files found on this machine

// The width in pixels of `text` drawn by plant_text in `font` at `pixel_height`.
int text_width(const std::string& text, int font, double pixel_height);

// Draws `lines` (one below the other from `origin`, font height `pixel_height`) into `frame` of
// `frames` (opened on `dataset`). Returns the frame-sized mask of text pixels.
cv::Mat plant_text(DcmDataset& dataset, pixels::PixelFrames& frames, std::uint32_t frame, const std::vector<std::string>& lines, int font,
                   double pixel_height, const Ink& ink, cv::Point origin);

// How many stored values of frame 0 differ from `before` outside the boxes `result` redacted.
std::size_t changed_outside_boxes(DcmDataset& dataset, const pixels::PixelFrames& frames,
                                  const std::vector<std::int64_t>& before, const pixels::CleaningResult& result);

// The rows of each planted line: bands of rows of `truth` that hold text pixels.
std::vector<cv::Rect> line_regions(const cv::Mat& truth);

// Does OCR read an identifying value in `line` (padded) of any rendering of frame `f`?
bool legible(const pixels::PixelFrames& frames, std::uint32_t f, const cv::Rect& line,
             const deid::IdentifyingValues& identity, const pixels::TextReader& reader);

// The share of `truth` pixels inside the union of `boxes`.
double covered_share(const cv::Mat& truth, const std::vector<cv::Rect>& boxes);

}  // namespace radveil::test
