#include "scan/pixel_scan.h"

#include "core/quarantine_error.h"
#include "pipeline/pixel_stage.h"
#include "pixels/burned_in_text.h"
#include "pixels/pixel_frames.h"

namespace radveil::scan {

PixelScanResult scan_pixels(DcmDataset& dataset, const pixels::TextReader& reader) {
  PixelScanResult out;
  if (!dataset.tagExists(DCM_PixelData)) return out;
  try {
    pixels::PixelFrames frames(dataset);
    pixels::CleaningRequest request;
    request.scope = pixels::TextScope::All;
    request.expectation = pipeline::burned_in_text_suspected(dataset) ? pixels::TextExpectation::Expected
                                                                      : pixels::TextExpectation::Screened;
    request.keep_review = true;
    pixels::CleaningResult result = pixels::clean_burned_in_text(frames, reader, request);
    out.frames_examined = result.frames;
    for (auto& f : result.redacted) {
      out.findings.push_back({"burned-in-text", Severity::High, {}, "frame " + std::to_string(f.frame + 1),
                              std::to_string(f.boxes.size()) + (f.boxes.size() == 1 ? " region" : " regions") + " of text"});
      out.frames.push_back({f.frame, f.boxes.size(), std::move(f.review)});
    }
  } catch (const QuarantineError& e) {
    if (e.reason() == "burned-in-text-remains")
      out.findings.push_back({"burned-in-text", Severity::High, {}, "pixels", "text that even redaction could not remove"});
    else
      out.findings.push_back({"unreadable-pixels", Severity::High, {}, "(7FE0,0010) PixelData", std::string(e.reason())});
  }
  return out;
}

}  // namespace radveil::scan
