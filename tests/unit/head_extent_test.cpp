// Whether a volume's tissue provably ends above the face: a cap of skull ending 40 mm under the
// vertex does; the same cap with the face beside it as a separate part (an oblique field of view
// leaves it disconnected from the cap) does not.
#include <gtest/gtest.h>

#include <cmath>

#include "face/head_extent.h"
#include "support/tissue_volume.h"

using namespace radveil::face;

namespace {

constexpr float kAir = -1000, kTissue = 40, kThreshold = -400;

// A 2 mm grid 200 x 220 x 140 mm: the top 40 mm of a head (an ellipsoid, radii 75 x 95 x 105 mm,
// vertex at z = 55 with air above it), and optionally a 20 mm block 15 mm below the cap, in front,
// where an oblique field of view left the nose apart from the cap.
Volume cap(bool with_face_part) {
  return radveil::test::tissue_volume({100, 110, 70, {-100, -110, -60}, 2}, [&](const Vec3& p) {
    const double dx = p[0] / 75, dy = p[1] / 95, dz = (p[2] + 50) / 105;  // vertex at z = 55
    const bool in_cap = dx * dx + dy * dy + dz * dz <= 1 && p[2] >= 25;  // the top 30 mm
    const bool face_part =
        with_face_part && std::abs(p[0]) <= 10 && p[1] >= -100 && p[1] <= -80 && p[2] >= -20 && p[2] <= 0;
    return in_cap || face_part;
  }, kTissue, kAir);
}

}  // namespace

TEST(HeadExtent, ACapOfSkullEndsAboveTheFace) {
  const HeadExtent e = measure_head_extent(main_tissue_body(cap(false), kThreshold));
  EXPECT_TRUE(e.could_be_head);
  EXPECT_TRUE(e.vertex_in_view);
  EXPECT_LT(e.tissue_height_mm, kVertexSlabMm);
  EXPECT_TRUE(e.above_face) << e.describe();
}

TEST(HeadExtent, TissueApartFromTheCapFurtherDownMeansTheFaceMayBeInView) {
  const HeadExtent e = measure_head_extent(main_tissue_body(cap(true), kThreshold));
  EXPECT_LT(e.height_mm, kVertexSlabMm) << "the main part alone is the cap";
  EXPECT_GE(e.tissue_height_mm, kVertexSlabMm);
  EXPECT_FALSE(e.above_face) << e.describe();
}
