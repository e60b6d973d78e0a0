#pragma once
// The Clean Pixel Data stage of one instance (option 113101): decides whether the instance's
// pixels are to be cleaned, cleans them (burned_in_text.h), clears overlay bits hidden in Pixel
// Data, re-encodes, and marks the dataset. Runs before the header profile, on the original values.
#include <dcmtk/dcmdata/dctk.h>

#include <filesystem>
#include <string>
#include <vector>

#include "deid/identifying_values.h"
#include "pixels/burned_in_text.h"
#include "pixels/text_reader.h"

namespace radveil::pipeline {

enum class PixelScan { Suspected, All };

struct PixelCleaningConfig {
  bool enabled = false;                             // --option clean-pixel-data
  PixelScan scan = PixelScan::All;                  // --pixel-scan
  pixels::TextScope scope = pixels::TextScope::All;  // --pixel-text
  std::filesystem::path review_dir;                  // --review: a PNG per redacted frame
};

struct PixelCleaningSummary {
  bool cleaned = false;            // the stage ran on this instance
  std::size_t frames = 0;          // frames looked at
  std::size_t frames_redacted = 0;
  std::size_t boxes = 0;
  bool written_uncompressed = false;  // compressed input that could not be re-encoded as it was
  std::vector<std::pair<std::uint32_t, cv::Mat>> review;  // frame index, image (when asked for)
};

class PixelStage {
 public:
  PixelStage(PixelCleaningConfig config, const pixels::TextReader* reader) : config_(std::move(config)), reader_(reader) {}
  bool enabled() const { return config_.enabled && reader_; }
  const std::filesystem::path& review_dir() const { return config_.review_dir; }

  // Cleans `dataset` when the configuration asks for it; `syntax` becomes the syntax to write.
  // Throws QuarantineError when the pixels cannot be decoded or text remains.
  PixelCleaningSummary run(DcmDataset& dataset, E_TransferSyntax& syntax, const deid::IdentifyingValues& identifying) const;

 private:
  PixelCleaningConfig config_;
  const pixels::TextReader* reader_;
};

}  // namespace radveil::pipeline
