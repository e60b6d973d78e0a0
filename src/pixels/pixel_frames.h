#pragma once
// Pixel Data as frames that can be looked at and blacked out: decodes whatever syntax the
// instance is in (DCMTK's JPEG, JPEG-LS and RLE codecs, OpenJPEG for JPEG 2000) into native
// uncompressed values in place, renders any frame as an 8-bit image for detection and review,
// and fills rectangles with the instance's own black in the stored domain (MONOCHROME1/2, RGB,
// YBR_FULL, YBR_FULL_422, palette colour; 8 or 16 bits, signed or unsigned, planar or not).
#include <dcmtk/dcmdata/dctk.h>

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <opencv2/core.hpp>
#include <string>
#include <utility>
#include <vector>

namespace radveil::pixels {

enum class Photometric { Monochrome1, Monochrome2, Rgb, YbrFull, YbrFull422, Palette };

struct PixelLayout {
  int rows = 0, columns = 0;
  std::uint32_t frames = 1;
  int samples = 1;
  int bits_allocated = 8, bits_stored = 8;
  bool is_signed = false;
  bool planar = false;  // colour-by-plane (Planar Configuration 1)
  Photometric photometric = Photometric::Monochrome2;
};

// One 8-bit rendering of a frame. `ink_alone` marks the rendering of a monochrome frame's ink
// values alone (white marks on black): every mark there stands on a flat ground, so looking drawn
// proves nothing; its marks count as text only when they read as text.
struct Rendering {
  cv::Mat image;
  bool ink_alone = false;
  operator const cv::Mat&() const { return image; }  // NOLINT: a rendering is used as its image
};

class PixelFrames {
 public:
  // Decodes `dataset`'s Pixel Data in place (the compressed form is dropped, so nothing stale can
  // be written). Throws QuarantineError: "undecodable-pixel-data" when no codec can decode it,
  // "unsupported-pixel-format" for layouts this class cannot clean (1 or 32 bits, float pixels).
  explicit PixelFrames(DcmDataset& dataset);

  const PixelLayout& layout() const { return layout_; }
  std::uint32_t frame_count() const { return layout_.frames; }
  // True when Pixel Data was compressed in the input (it is uncompressed now).
  bool was_compressed() const { return was_compressed_; }

  // An 8-bit rendering of one frame: CV_8UC1 for monochrome (MONOCHROME1 inverted, stored range
  // stretched), CV_8UC3 (BGR) for colour and palette.
  cv::Mat render(std::uint32_t frame) const;

  // Every rendering text may be legible in: `render(frame)`; for monochrome frames of more than
  // 8 bits whose values mostly fill a small part of their range (a CT or radiograph whose text was
  // drawn at a value inside the anatomy's range), that part stretched as a viewer's window would
  // show it, everything outside clipped; for colour frames, the bright neutral white of labels
  // alone (CV_8UC1), where text over speckle and Doppler colour stands apart from them.
  // For monochrome frames of more than 8 bits, also the ink alone: the pixels holding one of the
  // values drawn marks share (see ink_values.h), white on black, whatever their contrast.
  // In this order: as stored, the window, the ink; each only where it applies.
  std::vector<Rendering> renderings(std::uint32_t frame) const;

  // The rendering a person reviewing the frame looks at: as shown for colour; through the
  // viewer's window for monochrome where there is one.
  cv::Mat viewed(std::uint32_t frame) const;

  // Fills `box` (clipped to the frame) of one frame with black as this photometric stores it.
  void black_out(std::uint32_t frame, const cv::Rect& box);

  // Sets every pixel of `mask` (CV_8UC1, frame-sized, non-zero = set) to stored sample values:
  // one per sample (grey or palette index; R, G, B; Y, Cb, Cr), in stored bits.
  void fill(std::uint32_t frame, const cv::Mat& mask, const std::array<std::uint32_t, 3>& stored);

  // Clears one bit plane (an overlay stored in unused bits of Pixel Data) in every frame.
  void clear_bit(int bit);

 private:
  std::size_t frame_samples() const;
  cv::Mat render_monochrome(std::uint32_t frame, std::int64_t lo, std::int64_t hi) const;
  struct MonochromeStatistics {
    std::int64_t lo = std::numeric_limits<std::int64_t>::max(), hi = std::numeric_limits<std::int64_t>::min();
    std::vector<std::uint32_t> counts;  // pixels per value, from lo to hi
    std::vector<std::int64_t> sample;   // every few pixels' values
  };
  MonochromeStatistics monochrome_statistics(std::uint32_t frame) const;
  static std::optional<std::pair<std::int64_t, std::int64_t>> viewer_window(const MonochromeStatistics& stats);
  std::uint32_t value_at(std::size_t index) const;  // raw stored bits
  void set_value(std::size_t index, std::uint32_t value);
  void set_pixel(std::uint32_t frame, std::size_t pixel, const std::array<std::uint32_t, 3>& samples);
  std::uint32_t black_value(std::uint32_t frame, int sample) const;

  PixelLayout layout_;
  bool was_compressed_ = false;
  Uint8* bytes_ = nullptr;   // 8-bit samples, when bits_allocated == 8
  Uint16* words_ = nullptr;  // 16-bit samples, when bits_allocated == 16
  std::size_t count_ = 0;    // samples in Pixel Data
  std::vector<cv::Vec3b> palette_;  // palette colour: index -> BGR
  std::int64_t palette_first_ = 0;  // first stored value the palette maps
  std::vector<std::optional<std::array<std::uint32_t, 2>>> black_cache_;  // per frame: luma/grey, chroma
};

// The transfer syntax to write a cleaned instance in: the input's own when it is uncompressed or
// a lossless syntax DCMTK can encode again (RLE, JPEG lossless, JPEG-LS lossless) and encoding
// succeeds; otherwise Explicit VR Little Endian. Call after all pixel changes.
E_TransferSyntax encode_for_output(DcmDataset& dataset, E_TransferSyntax input_syntax);

}  // namespace radveil::pixels
