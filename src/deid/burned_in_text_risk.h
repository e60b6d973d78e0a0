#pragma once
// Whether an instance is one where text in the pixels is to be expected, decided from its header
// by the release policy (release_policy.h): asked by Clean Pixel Data (pipeline/pixel_stage.h)
// and by the pixel scan of `radveil scan` (scan/pixel_scan.h), so both treat a frame alike.
#include <dcmtk/dcmdata/dctk.h>

namespace radveil::deid {

// Ultrasound, secondary capture, Burned In Annotation YES, overlay bits in Pixel Data...: there,
// every drawn-looking candidate is text; elsewhere the frame is merely screened
// (pixels/burned_in_text.h).
bool burned_in_text_suspected(DcmDataset& dataset);

}  // namespace radveil::deid
