#include "pipeline/pixel_stage.h"

#include <memory>

#include "deid/burned_in_text_risk.h"
#include "deid/release_policy.h"
#include "dicom/values.h"
#include "pixels/pixel_frames.h"

namespace radveil::pipeline {
namespace {

bool has_integer_pixels(DcmDataset& ds) { return ds.tagExists(DCM_PixelData); }

// The bit positions of overlays stored in Pixel Data, so those bits can be cleared.
std::vector<int> overlay_bits_in_pixel_data(DcmDataset& ds) {
  std::vector<int> bits;
  for (Uint16 group : deid::overlay_groups_in_pixel_data(ds)) {
    Uint16 position = 0;
    if (ds.findAndGetUint16(DcmTagKey(group, 0x0102), position).good()) bits.push_back(position);
  }
  return bits;
}

}  // namespace

PixelCleaningSummary PixelStage::run(DcmDataset& ds, E_TransferSyntax& syntax,
                                     const deid::IdentifyingValues& identifying) const {
  PixelCleaningSummary summary;
  if (!config_.enabled || !reader_ || !has_integer_pixels(ds)) return summary;
  const bool suspected = deid::burned_in_text_suspected(ds);
  if (!suspected && config_.scan != PixelScan::All) return summary;

  // Compressed pixels are decoded to be looked at; when nothing is changed the original stream is
  // written back, so a frame without text leaves exactly as it came (no lossy image re-encoded
  // or grown to its uncompressed size).
  std::unique_ptr<DcmElement> original;
  DcmElement* pixel_data = nullptr;
  if (DcmXfer(syntax).isEncapsulated() && ds.findAndGetElement(DCM_PixelData, pixel_data).good() && pixel_data)
    original.reset(static_cast<DcmElement*>(pixel_data->clone()));
  const std::vector<int> overlay_bits = overlay_bits_in_pixel_data(ds);
  pixels::PixelFrames frames(ds);
  for (int bit : overlay_bits) frames.clear_bit(bit);
  pixels::CleaningRequest request;
  request.scope = config_.scope;
  request.expectation = suspected ? pixels::TextExpectation::Expected : pixels::TextExpectation::Screened;
  request.identifying = [&identifying](std::string_view text) { return identifying.found_in_ocr_text(text); };
  request.keep_review = !config_.review_dir.empty();
  pixels::CleaningResult result = pixels::clean_burned_in_text(frames, *reader_, request);

  summary.cleaned = true;
  summary.frames = result.frames;
  summary.frames_redacted = result.redacted.size();
  summary.boxes = result.box_count();
  for (auto& f : result.redacted)
    if (!f.review.empty()) summary.review.emplace_back(f.frame, std::move(f.review));
  if (original && summary.boxes == 0 && overlay_bits.empty()) {
    ds.insert(original.release(), true);  // DCMTK's dataset takes ownership
  } else {
    const E_TransferSyntax input = syntax;
    syntax = pixels::encode_for_output(ds, input);
    summary.written_uncompressed = DcmXfer(input).isEncapsulated() && syntax != input;
  }
  ds.putAndInsertString(DCM_BurnedInAnnotation, "NO");
  return summary;
}

}  // namespace radveil::pipeline
