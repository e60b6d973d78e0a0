#pragma once
// radveil's first face removal, kept as the fallback for a series the template registration
// refuses (template_registration.h): the head's axes from its mirror symmetry, the nose, eyes and
// brow located on the frontal skin, a cutting plane in front of the brain region, verified by the
// detectors, the nose and a grid of skin points over the face (defacer.h, face_geometry.h; the
// rules are in docs/face-removal.md). It defaces what its landmarks find and refuses the rest.
#include <cstdint>
#include <vector>

#include "face/face_detectors.h"
#include "face/head_extent.h"
#include "face/series_defacer.h"
#include "face/series_volume.h"

namespace radveil::face {

// On the series volume as built (patient coordinates), with its main tissue body and extent. Sets
// the report's frame, before/after checks, counts, reason and detail. On Defaced, `changed` marks
// the voxels of `sv.volume` it rewrote (the caller writes them back).
SeriesFaceOutcome deface_by_landmarks(SeriesVolume& sv, const TissueBody& body, const HeadExtent& extent,
                                      const FaceDetectors& detectors, bool with_ears, SeriesFaceReport& report,
                                      std::vector<std::uint8_t>& changed);

}  // namespace radveil::face
