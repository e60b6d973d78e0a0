#include "pixels/pixel_frames.h"

#include <dcmtk/dcmjpeg/djrplol.h>
#include <dcmtk/dcmjpls/djrparam.h>

#include <algorithm>
#include <limits>
#include <mutex>
#include <opencv2/core/utility.hpp>
#include <opencv2/imgproc.hpp>

#include "core/quarantine_error.h"
#include "core/report_text.h"
#include "dicom/codecs.h"
#include "dicom/values.h"
#include "pixels/jpeg2000_frames.h"
#include "pixels/ink_values.h"
#include "pixels/palette.h"

namespace radveil::pixels {
namespace {

[[noreturn]] void unsupported(const std::string& why) { throw QuarantineError("unsupported-pixel-format", why); }

Photometric photometric_of(const std::string& name) {
  if (name == "MONOCHROME1") return Photometric::Monochrome1;
  if (name == "MONOCHROME2") return Photometric::Monochrome2;
  if (name == "RGB") return Photometric::Rgb;
  if (name == "YBR_FULL") return Photometric::YbrFull;
  if (name == "YBR_FULL_422") return Photometric::YbrFull422;
  if (name == "PALETTE COLOR") return Photometric::Palette;
  unsupported("Photometric Interpretation " +
              report_text::term_or_description(name, {"HSV", "ARGB", "CMYK", "YBR_PARTIAL_422", "YBR_PARTIAL_420",
                                                      "YBR_ICT", "YBR_RCT", "XYB"},
                                               "(not a defined term)") +
              " cannot be cleaned");
}

// Decodes compressed Pixel Data in place and drops every other representation.
bool decode_in_place(DcmDataset& ds) {
  const E_TransferSyntax original = ds.getOriginalXfer();
  DcmElement* element = nullptr;
  if (ds.findAndGetElement(DCM_PixelData, element).bad() || !element)
    unsupported("the instance has no integer Pixel Data");
  if (!DcmXfer(original).isEncapsulated()) {
    if (ds.loadAllDataIntoMemory().bad()) throw QuarantineError("unparseable", "Pixel Data cannot be read");
    return false;
  }
  if (is_jpeg2000(original)) {
    if (ds.loadAllDataIntoMemory().bad()) throw QuarantineError("unparseable", "Pixel Data cannot be read");
    decode_jpeg2000_in_place(ds);
    return true;
  }
  dicom::register_codecs();
  if (ds.chooseRepresentation(EXS_LittleEndianExplicit, nullptr).bad() || !ds.canWriteXfer(EXS_LittleEndianExplicit))
    throw QuarantineError("undecodable-pixel-data", std::string("no codec decodes ") + DcmXfer(original).getXferName());
  if (ds.findAndGetElement(DCM_PixelData, element).good() && element)
    if (auto* pd = dynamic_cast<DcmPixelData*>(element)) pd->removeAllButCurrentRepresentations();
  return true;
}

std::int64_t sign_extend(std::uint32_t raw, int bits, bool is_signed) {
  const std::uint32_t mask = bits >= 32 ? 0xFFFFFFFFu : ((1u << bits) - 1u);
  raw &= mask;
  if (is_signed && bits < 32 && (raw & (1u << (bits - 1)))) return static_cast<std::int64_t>(raw) - (std::int64_t{1} << bits);
  return raw;
}

std::uint32_t encode_raw(std::int64_t value, int bits) {
  const std::uint32_t mask = bits >= 32 ? 0xFFFFFFFFu : ((1u << bits) - 1u);
  return static_cast<std::uint32_t>(value) & mask;
}

Uint8 to8(int v) { return static_cast<Uint8>(std::clamp(v, 0, 255)); }

}  // namespace

namespace {
// OpenCV runs its filters on a pool of its own threads (TBB on Debian): under radveil's workers
// those pools fought for the cores (on one core a text-free CT frame spent a third of its time
// handing work between threads). Frames are cleaned on the worker's own thread, and `--jobs`
// alone decides how many cores work.
void keep_opencv_on_the_calling_thread() {
  static std::once_flag once;
  std::call_once(once, [] { cv::setNumThreads(0); });
}
}  // namespace

PixelFrames::PixelFrames(DcmDataset& ds) {
  keep_opencv_on_the_calling_thread();
  if (ds.tagExists(DCM_FloatPixelData) || ds.tagExists(DCM_DoubleFloatPixelData))
    unsupported("float pixel data cannot be cleaned");
  was_compressed_ = decode_in_place(ds);
  Uint16 rows = 0, columns = 0, samples = 1, allocated = 0, stored = 0, representation = 0, planar = 0;
  ds.findAndGetUint16(DCM_Rows, rows);
  ds.findAndGetUint16(DCM_Columns, columns);
  ds.findAndGetUint16(DCM_SamplesPerPixel, samples);
  ds.findAndGetUint16(DCM_BitsAllocated, allocated);
  if (ds.findAndGetUint16(DCM_BitsStored, stored).bad() || stored == 0) stored = allocated;
  ds.findAndGetUint16(DCM_PixelRepresentation, representation);
  ds.findAndGetUint16(DCM_PlanarConfiguration, planar);
  Sint32 frames = 1;
  if (ds.findAndGetSint32(DCM_NumberOfFrames, frames).bad() || frames < 1) frames = 1;
  layout_.rows = rows;
  layout_.columns = columns;
  layout_.frames = static_cast<std::uint32_t>(frames);
  layout_.samples = samples;
  layout_.bits_allocated = allocated;
  layout_.bits_stored = std::min(stored, allocated);
  layout_.is_signed = representation == 1;
  layout_.planar = samples == 3 && planar == 1;
  layout_.photometric = photometric_of(dicom::get_string(ds, DCM_PhotometricInterpretation));
  if (rows == 0 || columns == 0) unsupported("Rows or Columns is zero");
  if (allocated != 8 && allocated != 16) unsupported(std::to_string(allocated) + "-bit pixels cannot be cleaned");
  const bool colour = layout_.photometric == Photometric::Rgb || layout_.photometric == Photometric::YbrFull ||
                      layout_.photometric == Photometric::YbrFull422;
  if ((colour && samples != 3) || (!colour && samples != 1)) unsupported("Samples per Pixel does not match the photometric");
  if (layout_.photometric == Photometric::YbrFull422 && (columns % 2 != 0 || allocated != 8 || layout_.planar))
    unsupported("YBR_FULL_422 needs an even width, 8 bits and interleaved samples");

  DcmElement* element = nullptr;
  ds.findAndGetElement(DCM_PixelData, element);
  if (allocated == 8) {
    if (element->getUint8Array(bytes_).bad() || !bytes_) unsupported("Pixel Data cannot be read as bytes");
    count_ = element->getLength();
  } else {
    if (element->getUint16Array(words_).bad() || !words_) unsupported("Pixel Data cannot be read as words");
    count_ = element->getLength() / 2;
  }
  if (count_ < frame_samples() * layout_.frames) unsupported("Pixel Data is shorter than its frames");
  if (layout_.photometric == Photometric::Palette) {
    Palette palette = read_palette(ds);
    palette_ = std::move(palette.colours);
    palette_first_ = palette.first_mapped;
  }
}

std::size_t PixelFrames::frame_samples() const {
  const std::size_t pixels = static_cast<std::size_t>(layout_.rows) * layout_.columns;
  return layout_.photometric == Photometric::YbrFull422 ? pixels * 2 : pixels * layout_.samples;
}

std::uint32_t PixelFrames::value_at(std::size_t i) const { return bytes_ ? bytes_[i] : words_[i]; }

void PixelFrames::set_value(std::size_t i, std::uint32_t v) {
  if (bytes_) bytes_[i] = static_cast<Uint8>(v);
  else words_[i] = static_cast<Uint16>(v);
}

namespace {
constexpr int kWhiteInkMin = 225;    // every channel at least this bright
constexpr int kWhiteInkSpread = 24;  // and within this of each other (no hue)
constexpr std::uint32_t kMinExtremeInkPixels = 40;  // a short word at 9 px
constexpr std::int64_t kExtremeInkBandDivisor = 50;  // the band at each extreme: 2% of the range
constexpr double kMostExtremeInkShare = 0.08;
constexpr int kLeastFrameForInkCores = 320;  // px: larger than a 256x256 MR (see renderings)
}  // namespace

cv::Mat PixelFrames::render_monochrome(std::uint32_t frame, std::int64_t lo, std::int64_t hi) const {
  const std::size_t base = frame * frame_samples(), plane = static_cast<std::size_t>(layout_.rows) * layout_.columns;
  const double scale = hi > lo ? 255.0 / static_cast<double>(hi - lo) : 0.0;
  const bool invert = layout_.photometric == Photometric::Monochrome1;
  // One grey level per stored bit pattern (at most 2^16), looked up for every pixel.
  const int bits = layout_.bits_stored;
  const std::uint32_t mask = (1u << bits) - 1;
  std::vector<Uint8> grey(std::size_t{1} << bits);
  for (std::uint32_t raw = 0; raw <= mask; ++raw) {
    const auto v = std::clamp(sign_extend(raw, bits, layout_.is_signed), lo, hi);
    const int g = static_cast<int>(static_cast<double>(v - lo) * scale + 0.5);
    grey[raw] = to8(invert ? 255 - g : g);
  }
  cv::Mat out(layout_.rows, layout_.columns, CV_8UC1);
  for (std::size_t p = 0; p < plane; ++p) out.data[p] = grey[value_at(base + p) & mask];
  return out;
}

std::vector<Rendering> PixelFrames::renderings(std::uint32_t frame) const {
  const bool monochrome = layout_.photometric == Photometric::Monochrome1 || layout_.photometric == Photometric::Monochrome2;
  if (!monochrome) {
    // Colour frames: as shown, and the white ink alone. Labels are drawn in saturated neutral
    // white; over ultrasound speckle and Doppler colour, which seldom are both that bright and
    // that grey, the ink stands alone on black.
    cv::Mat shown = render(frame), white(shown.size(), CV_8UC1);
    for (int y = 0; y < shown.rows; ++y) {
      const auto* px = shown.ptr<cv::Vec3b>(y);
      auto* out = white.ptr<Uint8>(y);
      for (int x = 0; x < shown.cols; ++x) {
        const int lo = std::min({px[x][0], px[x][1], px[x][2]}), hi = std::max({px[x][0], px[x][1], px[x][2]});
        out[x] = lo >= kWhiteInkMin && hi - lo <= kWhiteInkSpread ? 255 : 0;
      }
    }
    return {{shown}, {white}};
  }
  const MonochromeStatistics stats = monochrome_statistics(frame);
  std::vector<Rendering> views{{render_monochrome(frame, stats.lo, stats.hi)}};
  if (stats.hi <= stats.lo) return views;
  const bool wide = layout_.bits_stored > 8;
  if (wide)
    if (const auto window = viewer_window(stats)) views.push_back({render_monochrome(frame, window->first, window->second)});
  // The ink alone, white on black: the pixels holding a value drawn marks share (see
  // ink_values.h), and the strokes among those at the frame's darkest and brightest values.
  std::vector<std::int64_t> inks = wide ? ink_values(stats.counts, stats.lo) : std::vector<std::int64_t>{};
  const std::size_t middle = inks.size();
  // An extreme's ink is a narrow band of values at the end of the range: anti-aliased text has
  // its core at the extreme and its edges a few values in, and 5-8 px letters are only whole with
  // their edges.
  const std::int64_t band = std::max<std::int64_t>(0, (stats.hi - stats.lo) / kExtremeInkBandDivisor);
  std::vector<std::pair<std::int64_t, std::int64_t>> ranges;  // per ink: the values it holds
  for (const std::int64_t v : inks) ranges.emplace_back(v, v);
  for (const auto& [from, to] : {std::pair{stats.lo, stats.lo + band}, std::pair{stats.hi - band, stats.hi}}) {
    std::uint64_t held = 0;
    for (std::int64_t v = from; v <= to; ++v) held += stats.counts[static_cast<std::size_t>(v - stats.lo)];
    if (held >= kMinExtremeInkPixels) ranges.emplace_back(from, to);
  }
  if (ranges.empty()) return views;
  // One pass labels each pixel with the ink value it holds (1, 2, ...; 0 for none); each value's
  // pixels are then kept where they are strokes.
  const std::uint32_t mask = (1u << layout_.bits_stored) - 1;
  const std::size_t base = frame * frame_samples(), plane = static_cast<std::size_t>(layout_.rows) * layout_.columns;
  std::vector<Uint8> label_of(std::size_t{mask} + 1, 0);
  for (std::size_t i = ranges.size(); i-- > 0;)  // the middle inks last: they win over a band
    for (std::int64_t v = ranges[i].first; v <= ranges[i].second; ++v)
      label_of[static_cast<std::uint32_t>(v) & mask] = static_cast<Uint8>(i + 1);
  // The extremes themselves are labelled apart: a band's pixel is ink only beside a pixel at the
  // extreme itself. Burned-in text has its core at the extreme and only its anti-aliased edges in
  // the band, while noise at the end of the range (a CT's air) fills the band's values evenly:
  // the band alone carried that noise into rows of "letters" all around the text. On frames this
  // small a 5 px letter is mostly edge, and the whole band stays ink.
  const bool cores = std::max(layout_.rows, layout_.columns) > kLeastFrameForInkCores;
  const Uint8 lowest = static_cast<Uint8>(ranges.size() + 1), highest = static_cast<Uint8>(ranges.size() + 2);
  for (const auto& [extreme, label] : {std::pair{stats.lo, lowest}, std::pair{stats.hi, highest}}) {
    Uint8& held = label_of[static_cast<std::uint32_t>(extreme) & mask];
    if (cores && held > middle) held = label;
  }
  cv::Mat labels(layout_.rows, layout_.columns, CV_8UC1);
  for (std::size_t p = 0; p < plane; ++p) labels.data[p] = label_of[value_at(base + p) & mask];
  cv::Mat ink = cv::Mat::zeros(layout_.rows, layout_.columns, CV_8UC1);
  const cv::Mat square = cv::getStructuringElement(cv::MORPH_RECT, cv::Size(3, 3));
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    cv::Mat held = labels == static_cast<int>(i + 1);
    if (i >= middle && cores) {
      const cv::Mat core = labels == static_cast<int>(ranges[i].first == stats.lo ? lowest : highest);
      cv::Mat beside;
      cv::dilate(core, beside, square);
      held = core | (held & beside);
    }
    if (i >= middle) {
      // An extreme band whose strokes are everywhere is the image's noise at the end of its range
      // (a dark MR's background), not ink: text covers a few hundredths of a frame at most.
      const cv::Mat strokes = stroke_marks(held);
      if (cv::countNonZero(strokes) <= kMostExtremeInkShare * static_cast<double>(plane)) ink |= strokes;
    }
    else if (drawn_as_strokes(held)) ink |= held;
  }
  if (cv::countNonZero(ink) > 0) views.push_back({std::move(ink), true});
  return views;
}

cv::Mat PixelFrames::viewed(std::uint32_t frame) const {
  const bool monochrome = layout_.photometric == Photometric::Monochrome1 || layout_.photometric == Photometric::Monochrome2;
  if (!monochrome || layout_.bits_stored <= 8) return render(frame);
  const MonochromeStatistics stats = monochrome_statistics(frame);
  const auto window = viewer_window(stats);
  return window ? render_monochrome(frame, window->first, window->second) : render_monochrome(frame, stats.lo, stats.hi);
}

// One pass: the stored range, how many pixels hold each value, and a sample of values for the
// window a viewer would use (a sample is precise enough for percentiles).
PixelFrames::MonochromeStatistics PixelFrames::monochrome_statistics(std::uint32_t frame) const {
  const std::size_t base = frame * frame_samples(), plane = static_cast<std::size_t>(layout_.rows) * layout_.columns;
  const std::size_t step = std::max<std::size_t>(1, plane / 20000);
  const std::uint32_t mask = (1u << layout_.bits_stored) - 1;
  std::vector<std::uint32_t> raw_counts(std::size_t{mask} + 1);
  MonochromeStatistics stats;
  stats.sample.reserve(plane / step + 1);
  for (std::size_t p = 0; p < plane; ++p) {
    const std::uint32_t raw = value_at(base + p) & mask;
    ++raw_counts[raw];
    const auto v = sign_extend(raw, layout_.bits_stored, layout_.is_signed);
    stats.lo = std::min(stats.lo, v);
    stats.hi = std::max(stats.hi, v);
    if (p % step == 0) stats.sample.push_back(v);
  }
  if (stats.hi >= stats.lo) {
    stats.counts.resize(static_cast<std::size_t>(stats.hi - stats.lo + 1));
    for (std::int64_t v = stats.lo; v <= stats.hi; ++v)
      stats.counts[static_cast<std::size_t>(v - stats.lo)] = raw_counts[static_cast<std::uint32_t>(v) & mask];
  }
  return stats;
}

// The frame's own histogram between its 1st and 99th percentiles, widened a little; only where it
// shows what the full range squeezes into a few grey levels. The extremes themselves are left out:
// padding, and the redactions already made (the frame's darkest value), would otherwise widen the
// window over the whole range once they cover a hundredth of the frame, and the look after a
// redaction would lose sight of the faint text the window shows.
std::optional<std::pair<std::int64_t, std::int64_t>> PixelFrames::viewer_window(const MonochromeStatistics& stats) {
  std::vector<std::int64_t> sample = stats.sample;
  std::erase_if(sample, [&](std::int64_t v) { return v == stats.lo || v == stats.hi; });
  if (sample.empty()) return std::nullopt;
  const auto at = [&](double q) {
    auto nth = sample.begin() + static_cast<long>(q * static_cast<double>(sample.size() - 1));
    std::nth_element(sample.begin(), nth, sample.end());
    return *nth;
  };
  const std::int64_t p1 = at(0.01), p99 = at(0.99), pad = (p99 - p1) / 10;
  const std::int64_t wlo = std::max(stats.lo, p1 - pad), whi = std::min(stats.hi, p99 + pad);
  if (whi > wlo && static_cast<double>(whi - wlo) < 0.5 * static_cast<double>(stats.hi - stats.lo))
    return std::pair{wlo, whi};
  return std::nullopt;
}

cv::Mat PixelFrames::render(std::uint32_t frame) const {
  const int rows = layout_.rows, cols = layout_.columns;
  const std::size_t base = frame * frame_samples(), plane = static_cast<std::size_t>(rows) * cols;
  const int bits = layout_.bits_stored;
  auto numeric = [&](std::size_t i) { return sign_extend(value_at(i), bits, layout_.is_signed); };
  switch (layout_.photometric) {
    case Photometric::Monochrome1:
    case Photometric::Monochrome2: {
      std::int64_t lo = std::numeric_limits<std::int64_t>::max(), hi = std::numeric_limits<std::int64_t>::min();
      for (std::size_t p = 0; p < plane; ++p) {
        const auto v = numeric(base + p);
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
      return render_monochrome(frame, lo, hi);
    }
    case Photometric::Palette: {
      cv::Mat out(rows, cols, CV_8UC3);
      auto* px = out.ptr<cv::Vec3b>();
      const auto n = static_cast<std::int64_t>(palette_.size());
      for (std::size_t p = 0; p < plane; ++p) {
        const std::int64_t index = std::clamp<std::int64_t>(numeric(base + p) - palette_first_, 0, n - 1);
        px[p] = palette_[static_cast<std::size_t>(index)];
      }
      return out;
    }
    case Photometric::Rgb:
    case Photometric::YbrFull:
    case Photometric::YbrFull422: {
      cv::Mat out(rows, cols, CV_8UC3);
      auto* px = out.ptr<cv::Vec3b>();
      const int shift = std::max(0, bits - 8);
      for (std::size_t p = 0; p < plane; ++p) {
        int c[3];
        if (layout_.photometric == Photometric::YbrFull422) {
          const std::size_t pair = base + (p & ~std::size_t{1}) * 2;
          c[0] = static_cast<int>(value_at(pair + (p & 1)));
          c[1] = static_cast<int>(value_at(pair + 2));
          c[2] = static_cast<int>(value_at(pair + 3));
        } else {
          for (int s = 0; s < 3; ++s)
            c[s] = static_cast<int>(value_at(layout_.planar ? base + s * plane + p : base + p * 3 + s) >> shift);
        }
        if (layout_.photometric == Photometric::Rgb) {
          px[p] = cv::Vec3b(to8(c[2]), to8(c[1]), to8(c[0]));
        } else {
          const double y = c[0], cb = c[1] - 128.0, cr = c[2] - 128.0;
          px[p] = cv::Vec3b(to8(static_cast<int>(y + 1.772 * cb)), to8(static_cast<int>(y - 0.344136 * cb - 0.714136 * cr)),
                            to8(static_cast<int>(y + 1.402 * cr)));
        }
      }
      return out;
    }
  }
  return {};
}

std::uint32_t PixelFrames::black_value(std::uint32_t frame, int sample) const {
  const int bits = layout_.bits_stored;
  switch (layout_.photometric) {
    case Photometric::Monochrome1:
    case Photometric::Monochrome2: {
      // The frame's own darkest value: black under any window a viewer applies.
      const std::size_t base = frame * frame_samples(), plane = frame_samples();
      std::int64_t best = sign_extend(value_at(base), bits, layout_.is_signed);
      for (std::size_t p = 1; p < plane; ++p) {
        const auto v = sign_extend(value_at(base + p), bits, layout_.is_signed);
        best = layout_.photometric == Photometric::Monochrome2 ? std::min(best, v) : std::max(best, v);
      }
      // Within Bits Stored: a negative value sign-extended over all allocated bits is out of
      // range for a 15-bit JPEG-LS encoder (whose assertion aborts the process) and for readers.
      return encode_raw(best, bits);
    }
    case Photometric::Palette: {
      std::size_t darkest = 0;
      for (std::size_t i = 1; i < palette_.size(); ++i) {
        const auto sum = [](const cv::Vec3b& c) { return int{c[0]} + c[1] + c[2]; };
        if (sum(palette_[i]) < sum(palette_[darkest])) darkest = i;
      }
      return encode_raw(static_cast<std::int64_t>(darkest) + palette_first_, layout_.bits_allocated);
    }
    case Photometric::Rgb: return 0;
    case Photometric::YbrFull:
    case Photometric::YbrFull422: return sample == 0 ? 0u : (1u << (bits - 1));
  }
  return 0;
}

void PixelFrames::set_pixel(std::uint32_t frame, std::size_t p, const std::array<std::uint32_t, 3>& v) {
  const std::size_t base = frame * frame_samples(), plane = static_cast<std::size_t>(layout_.rows) * layout_.columns;
  if (layout_.photometric == Photometric::YbrFull422) {
    // Chroma is shared by a pixel pair: this pixel's luma, the pair's chroma.
    const std::size_t pair = base + (p & ~std::size_t{1}) * 2;
    set_value(pair + (p & 1), v[0]);
    set_value(pair + 2, v[1]);
    set_value(pair + 3, v[2]);
  } else if (layout_.samples == 1) {
    set_value(base + p, v[0]);
  } else {
    for (int s = 0; s < 3; ++s) set_value(layout_.planar ? base + s * plane + p : base + p * 3 + s, v[s]);
  }
}

void PixelFrames::black_out(std::uint32_t frame, const cv::Rect& box) {
  const cv::Rect r = box & cv::Rect(0, 0, layout_.columns, layout_.rows);
  if (r.empty() || frame >= layout_.frames) return;
  if (black_cache_.size() != layout_.frames) black_cache_.assign(layout_.frames, {});
  if (!black_cache_[frame]) black_cache_[frame] = std::array<std::uint32_t, 2>{black_value(frame, 0), black_value(frame, 1)};
  const auto& black = *black_cache_[frame];
  const std::array<std::uint32_t, 3> v = {black[0], black[1], black[1]};
  for (int y = r.y; y < r.y + r.height; ++y)
    for (int x = r.x; x < r.x + r.width; ++x) set_pixel(frame, static_cast<std::size_t>(y) * layout_.columns + x, v);
}

void PixelFrames::fill(std::uint32_t frame, const cv::Mat& mask, const std::array<std::uint32_t, 3>& stored) {
  if (frame >= layout_.frames || mask.rows != layout_.rows || mask.cols != layout_.columns || mask.type() != CV_8UC1)
    return;
  black_cache_.clear();
  for (int y = 0; y < mask.rows; ++y)
    for (int x = 0; x < mask.cols; ++x)
      if (mask.at<uchar>(y, x)) set_pixel(frame, static_cast<std::size_t>(y) * layout_.columns + x, stored);
}

void PixelFrames::clear_bit(int bit) {
  if (bit < 0 || bit >= layout_.bits_allocated) return;
  const std::uint32_t keep = ~(1u << bit);
  const std::size_t n = frame_samples() * layout_.frames;
  for (std::size_t i = 0; i < n; ++i) set_value(i, value_at(i) & keep);
}

E_TransferSyntax encode_for_output(DcmDataset& ds, E_TransferSyntax input) {
  const DcmXfer xfer(input);
  if (!xfer.isEncapsulated()) return input;
  // JPEG-LS has no signed samples: DCMTK's CharLS encoder aborts the process on some signed
  // frames (an assertion, not an error it returns), so signed JPEG-LS is written uncompressed.
  Uint16 pixel_representation = 0;
  ds.findAndGetUint16(DCM_PixelRepresentation, pixel_representation);
  const bool lossless_again = input == EXS_RLELossless || input == EXS_JPEGProcess14SV1 || input == EXS_JPEGProcess14 ||
                              (input == EXS_JPEGLSLossless && pixel_representation == 0);
  if (!lossless_again) return EXS_LittleEndianExplicit;
  dicom::register_codecs();
  const DJ_RPLossless jpeg_lossless(1, 0);  // first-order prediction, no point transform
  const DJLSRepresentationParameter jpegls_lossless(0, OFTrue);
  const DcmRepresentationParameter* params = nullptr;
  if (input == EXS_JPEGProcess14SV1 || input == EXS_JPEGProcess14) params = &jpeg_lossless;
  if (input == EXS_JPEGLSLossless) params = &jpegls_lossless;
  if (ds.chooseRepresentation(input, params).good() && ds.canWriteXfer(input)) return input;
  // The encoder refused (e.g. a bit depth it does not support): uncompressed is always possible.
  ds.chooseRepresentation(EXS_LittleEndianExplicit, nullptr);
  return EXS_LittleEndianExplicit;
}

}  // namespace radveil::pixels
