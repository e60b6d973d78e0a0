#include "support/burned_text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <opencv2/freetype.hpp>
#include <opencv2/imgproc.hpp>

#include "pixels/palette.h"

namespace radveil::test {
namespace {

std::uint32_t raw(std::int64_t v, int bits_allocated) {
  return static_cast<std::uint32_t>(v) & ((bits_allocated >= 32) ? 0xFFFFFFFFu : ((1u << bits_allocated) - 1u));
}

// The stored values that show `ink` in this layout (extremes of the stored range; palette:
// the entry nearest in colour).
std::array<std::uint32_t, 3> stored_ink(DcmDataset& dataset, const pixels::PixelFrames& frames, const Ink& ink) {
  const pixels::PixelLayout& l = frames.layout();
  const std::int64_t hi = l.is_signed ? (std::int64_t{1} << (l.bits_stored - 1)) - 1 : (std::int64_t{1} << l.bits_stored) - 1;
  const std::int64_t lo = l.is_signed ? -(std::int64_t{1} << (l.bits_stored - 1)) : 0;
  const cv::Scalar want = ink.kind == InkKind::White ? cv::Scalar::all(255)
                          : ink.kind == InkKind::Black ? cv::Scalar::all(0)
                                                       : ink.bgr;
  switch (l.photometric) {
    case pixels::Photometric::Monochrome2:
    case pixels::Photometric::Monochrome1: {
      const double level = (want[0] + want[1] + want[2]) / 3 / 255;
      if (ink.kind == InkKind::Colour) {  // a grey: that share of the stored range, as shown
        const double shown = l.photometric == pixels::Photometric::Monochrome2 ? level : 1 - level;
        const std::uint32_t v = raw(lo + static_cast<std::int64_t>(shown * static_cast<double>(hi - lo)), l.bits_allocated);
        return {v, v, v};
      }
      const bool use_hi = (l.photometric == pixels::Photometric::Monochrome2) == (level >= 0.5);
      const std::uint32_t v = raw(use_hi ? hi : lo, l.bits_allocated);
      return {v, v, v};
    }
    case pixels::Photometric::Palette: {
      const pixels::Palette palette = pixels::read_palette(dataset);
      std::size_t best = 0;
      for (std::size_t i = 1; i < palette.colours.size(); ++i) {
        const auto distance = [&](std::size_t k) {
          const cv::Vec3b c = palette.colours[k];
          return cv::norm(cv::Scalar(c[0], c[1], c[2]) - want);
        };
        if (distance(i) < distance(best)) best = i;
      }
      const std::uint32_t v = raw(static_cast<std::int64_t>(best) + palette.first_mapped, l.bits_allocated);
      return {v, v, v};
    }
    case pixels::Photometric::Rgb: {
      const double scale = static_cast<double>(hi) / 255.0;
      return {raw(static_cast<std::int64_t>(want[2] * scale), l.bits_allocated),
              raw(static_cast<std::int64_t>(want[1] * scale), l.bits_allocated),
              raw(static_cast<std::int64_t>(want[0] * scale), l.bits_allocated)};
    }
    case pixels::Photometric::YbrFull:
    case pixels::Photometric::YbrFull422: {
      const double r = want[2], g = want[1], b = want[0];
      const double y = 0.299 * r + 0.587 * g + 0.114 * b;
      return {static_cast<std::uint32_t>(y), static_cast<std::uint32_t>(128 + 0.564 * (b - y)),
              static_cast<std::uint32_t>(128 + 0.713 * (r - y))};
    }
  }
  return {0, 0, 0};
}

}  // namespace

std::vector<std::int64_t> stored_values(DcmDataset& dataset, const pixels::PixelFrames& frames, std::uint32_t frame) {
  const pixels::PixelLayout& l = frames.layout();
  const std::size_t n = static_cast<std::size_t>(l.rows) * l.columns * l.samples, first = n * frame;
  std::vector<std::int64_t> out(n);
  const auto extend = [&](std::uint32_t raw_value) {
    const std::int64_t v = raw_value & ((std::int64_t{1} << l.bits_stored) - 1);
    return l.is_signed && (v >> (l.bits_stored - 1)) ? v - (std::int64_t{1} << l.bits_stored) : v;
  };
  if (l.bits_allocated == 16) {
    const Uint16* words = nullptr;
    dataset.findAndGetUint16Array(DCM_PixelData, words);
    for (std::size_t i = 0; i < n; ++i) out[i] = extend(words[first + i]);
  } else {
    const Uint8* bytes = nullptr;
    dataset.findAndGetUint8Array(DCM_PixelData, bytes);
    for (std::size_t i = 0; i < n; ++i) out[i] = extend(bytes[first + i]);
  }
  return out;
}

const std::vector<std::string>& truetype_fonts() {
  static const std::vector<std::string> kFound = [] {
    std::vector<std::string> found;
    for (const char* name : {"DejaVuSans.ttf", "DejaVuSerif.ttf", "DejaVuSansMono.ttf", "DejaVuSansCondensed-Bold.ttf",
                             "DejaVuSans-ExtraLight.ttf", "DejaVuSerif-Italic.ttf"}) {
      const std::string path = std::string("/usr/share/fonts/truetype/dejavu/") + name;
      if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
        std::fclose(f);
        found.push_back(path);
      }
    }
    return found;
  }();
  return kFound;
}

int text_width(const std::string& text, int font, double pixel_height) {
  int baseline = 0;
  if (font >= kTrueType) {
    const cv::Ptr<cv::freetype::FreeType2> face = cv::freetype::createFreeType2();
    face->loadFontData(truetype_fonts().at(static_cast<std::size_t>(font - kTrueType)), 0);
    return face->getTextSize(text, static_cast<int>(pixel_height), -1, &baseline).width;
  }
  const double scale = cv::getFontScaleFromHeight(font, static_cast<int>(pixel_height), 1);
  return cv::getTextSize(text, font, scale, 2, &baseline).width;
}

cv::Mat plant_text(DcmDataset& dataset, pixels::PixelFrames& frames, std::uint32_t frame, const std::vector<std::string>& lines, int font,
                   double pixel_height, const Ink& ink, cv::Point origin) {
  const pixels::PixelLayout& l = frames.layout();
  cv::Mat truth = cv::Mat::zeros(l.rows, l.columns, CV_8UC1);
  const bool truetype = font >= kTrueType;
  const double scale = truetype ? 1.0 : cv::getFontScaleFromHeight(font, static_cast<int>(pixel_height), 1);
  const int thickness = pixel_height >= 24 ? 2 : 1;
  cv::Ptr<cv::freetype::FreeType2> face;
  if (truetype) {
    face = cv::freetype::createFreeType2();
    face->loadFontData(truetype_fonts().at(static_cast<std::size_t>(font - kTrueType)), 0);
  }
  // The lines one below the other, into a frame-sized 8-bit image.
  const auto draw_lines = [&](cv::Mat& into, int line_type) {
    int y = origin.y;
    for (const auto& text : lines) {
      int baseline = 0;
      const cv::Size size = truetype ? face->getTextSize(text, static_cast<int>(pixel_height), -1, &baseline)
                                     : cv::getTextSize(text, font, scale, thickness, &baseline);
      y += size.height + baseline + static_cast<int>(pixel_height / 2);
      if (y >= l.rows - 4) break;
      if (truetype) {
        // OpenCV 4.6's FreeType2 draws into BGR images only.
        cv::Mat bgr = cv::Mat::zeros(into.size(), CV_8UC3), drawn;
        face->putText(bgr, text, {origin.x, y}, static_cast<int>(pixel_height), cv::Scalar::all(255), -1, line_type, true);
        cv::extractChannel(bgr, drawn, 0);
        cv::max(into, drawn, into);
      } else {
        cv::putText(into, text, {origin.x, y}, font, scale, cv::Scalar(255), thickness, line_type);
      }
    }
  };
  draw_lines(truth, cv::LINE_8);
  if (ink.kind == InkKind::Black) {
    // Dark text is drawn on a light label, as devices draw it: a white box behind the lines.
    const cv::Rect bounds(0, 0, truth.cols, truth.rows);
    const cv::Rect text = cv::boundingRect(truth);
    cv::Mat label = cv::Mat::zeros(truth.size(), CV_8UC1);
    label(cv::Rect(text.x - 6, text.y - 6, text.width + 12, text.height + 12) & bounds).setTo(255);
    frames.fill(frame, label, stored_ink(dataset, frames, Ink{InkKind::White, {}}));
  }
  if (ink.kind == InkKind::Banner) {
    // A vendor's banner: a grey bar across the frame behind the lines, cells separated by thin
    // lighter lines (beside the text and across the rest of the bar), light text in the cells.
    const cv::Rect bounds(0, 0, truth.cols, truth.rows);
    const cv::Rect text = cv::boundingRect(truth);
    const cv::Rect bar = cv::Rect(0, text.y - 5, truth.cols, text.height + 10) & bounds;
    cv::Mat grey = cv::Mat::zeros(truth.size(), CV_8UC1), rule = cv::Mat::zeros(truth.size(), CV_8UC1);
    grey(bar).setTo(255);
    for (int x : {text.x - 6, text.x + text.width + 6, text.x + text.width + 60, truth.cols * 7 / 8})
      if (x >= 0 && x < truth.cols && (x < text.x - 2 || x > text.x + text.width + 2))
        cv::line(rule, {x, bar.y}, {x, bar.y + bar.height - 1}, cv::Scalar(255));
    frames.fill(frame, grey, stored_ink(dataset, frames, Ink{InkKind::Colour, cv::Scalar::all(90), 0}));
    frames.fill(frame, rule, stored_ink(dataset, frames, Ink{InkKind::Colour, cv::Scalar::all(170), 0}));
    frames.fill(frame, truth, stored_ink(dataset, frames, Ink{InkKind::Colour, cv::Scalar::all(235), 0}));
    return truth;
  }
  if (ink.kind == InkKind::BlendedQuantile) {
    // Coverage of an anti-aliased rendering blends the ink into the ground; the noise is a fiftieth
    // of the frame's 1st-99th percentile range, about what its anatomy carries.
    cv::Mat coverage = cv::Mat::zeros(l.rows, l.columns, CV_8UC1);
    draw_lines(coverage, cv::LINE_AA);
    std::vector<std::int64_t> values = stored_values(dataset, frames, frame);
    const auto quantile = [&](double q) {
      std::vector<std::int64_t> v = values;
      const auto at = v.begin() + static_cast<long>(q * static_cast<double>(v.size() - 1));
      std::nth_element(v.begin(), at, v.end());
      return *at;
    };
    const double ink_value = static_cast<double>(quantile(ink.quantile));
    const double sigma = static_cast<double>(quantile(0.99) - quantile(0.01)) / 50.0;
    DcmElement* element = nullptr;
    dataset.findAndGetElement(DCM_PixelData, element);
    const std::size_t first = static_cast<std::size_t>(l.rows) * l.columns * frame;
    const std::int64_t top = (std::int64_t{1} << (l.is_signed ? l.bits_stored - 1 : l.bits_stored)) - 1;
    const std::int64_t bottom = l.is_signed ? -top - 1 : 0;
    cv::RNG rng(static_cast<std::uint64_t>(ink.quantile * 1e6) + static_cast<std::uint64_t>(origin.x * 7919 + origin.y));
    Uint16* words = nullptr;
    Uint8* bytes = nullptr;
    if (l.bits_allocated == 16) element->getUint16Array(words);
    else element->getUint8Array(bytes);
    for (int y = 0; y < l.rows; ++y)
      for (int x = 0; x < l.columns; ++x) {
        const double a = coverage.at<uchar>(y, x) / 255.0;
        if (a == 0) continue;
        const std::size_t i = static_cast<std::size_t>(y) * l.columns + x;
        const double ground = static_cast<double>(values[i]);
        const auto v = std::clamp<std::int64_t>(std::llround(ground + a * (ink_value - ground) + rng.gaussian(sigma)), bottom, top);
        if (words) words[first + i] = static_cast<Uint16>(raw(v, 16));
        else bytes[first + i] = static_cast<Uint8>(raw(v, 8));
      }
    return coverage > 0;
  }
  if (ink.kind == InkKind::Quantile) {
    std::vector<std::int64_t> values = stored_values(dataset, frames, frame);
    const auto at = values.begin() + static_cast<long>(ink.quantile * static_cast<double>(values.size() - 1));
    std::nth_element(values.begin(), at, values.end());
    const std::uint32_t v = raw(*at, l.bits_allocated);
    frames.fill(frame, truth, {v, v, v});
    return truth;
  }
  frames.fill(frame, truth, stored_ink(dataset, frames, ink));
  return truth;
}

std::size_t changed_outside_boxes(DcmDataset& dataset, const pixels::PixelFrames& frames,
                                  const std::vector<std::int64_t>& before, const pixels::CleaningResult& result) {
  const pixels::PixelLayout& l = frames.layout();
  cv::Mat inside = cv::Mat::zeros(l.rows, l.columns, CV_8UC1);
  for (const auto& r : result.redacted)
    if (r.frame == 0)
      for (const cv::Rect& b : r.boxes) inside(b & cv::Rect(0, 0, l.columns, l.rows)).setTo(255);
  const std::vector<std::int64_t> after = stored_values(dataset, frames, 0);
  std::size_t changed = 0;
  for (std::size_t i = 0; i < after.size(); ++i)
    changed += after[i] != before[i] && !inside.data[i / static_cast<std::size_t>(l.samples)];
  return changed;
}

std::vector<cv::Rect> line_regions(const cv::Mat& truth) {
  std::vector<cv::Rect> lines;
  int start = -1;
  for (int y = 0; y <= truth.rows; ++y) {
    const bool ink = y < truth.rows && cv::countNonZero(truth.row(y)) > 0;
    if (ink && start < 0) start = y;
    if (!ink && start >= 0) {
      const cv::Rect band = cv::boundingRect(truth.rowRange(start, y));
      lines.emplace_back(band.x, band.y + start, band.width, band.height);
      start = -1;
    }
  }
  return lines;
}

deid::IdentifyingValues planted_identity() {
  deid::IdentifyingValues v;
  v.add_person_name("DOE^JOHN");
  v.add_identifier("4242424");
  v.add_date("19620314");
  v.add_identifier("ST ELSEWHERE");
  return v;
}

const pixels::TextReader& reader() {
  static const pixels::TextReader kReader;
  return kReader;
}

bool legible(const pixels::PixelFrames& frames, std::uint32_t f, const cv::Rect& line,
             const deid::IdentifyingValues& identity, const pixels::TextReader& reader) {
  const int pad = std::max(4, line.height / 2);
  const cv::Rect area(line.x - pad, line.y - pad, line.width + 2 * pad, line.height + 2 * pad);
  for (const cv::Mat& view : frames.renderings(f))
    for (const auto& read : reader.read(view, {area & cv::Rect(0, 0, view.cols, view.rows)}, 0))
      if (identity.found_in_ocr_text(read.text)) return true;
  return false;
}

double covered_share(const cv::Mat& truth, const std::vector<cv::Rect>& boxes) {
  cv::Mat inside = cv::Mat::zeros(truth.size(), CV_8UC1);
  for (const cv::Rect& r : boxes) inside(r & cv::Rect(0, 0, truth.cols, truth.rows)).setTo(255);
  const int text = cv::countNonZero(truth);
  return text == 0 ? 1.0 : cv::countNonZero(truth & inside) / static_cast<double>(text);
}

}  // namespace radveil::test
