// The outer ears (--face-mode face-and-ears): on a synthetic head, an auricle on each side is
// found from that side as skin standing out from the side of the head, removed down to the side
// of the head and nothing deeper, and is then gone; a head without ears shows none.
#include <gtest/gtest.h>

#include <cmath>

#include "face/ears.h"
#include "support/tissue_volume.h"

using namespace radveil::face;

namespace {

constexpr float kAir = -1000, kTissue = 40, kThreshold = -400;

bool in_ellipsoid(const Vec3& p, const Vec3& c, const Vec3& r) {
  double s = 0;
  for (int a = 0; a < 3; ++a) s += (p[a] - c[a]) * (p[a] - c[a]) / (r[a] * r[a]);
  return s <= 1;
}

const Vec3 kHeadCentre{0, 0, 0}, kHeadRadii{75, 95, 105};
// Auricles: plates 12 mm thick, 30 mm front to back and 60 mm high, standing 14 mm off the side.
const Vec3 kEarRadii{6, 15, 30};
Vec3 ear_centre(int side) { return {side * 83.0, 10, 5}; }
constexpr double kNoseY = -110;  // where a nose would stand in front of this head

Volume synthetic_head(bool with_ears) {
  return radveil::test::tissue_volume({124, 150, 164, {-93, -112, -122}, 1.5}, [&](const Vec3& p) {
    return in_ellipsoid(p, kHeadCentre, kHeadRadii) ||
           (with_ears && (in_ellipsoid(p, ear_centre(1), kEarRadii) || in_ellipsoid(p, ear_centre(-1), kEarRadii)));
  }, kTissue, kAir);
}

}  // namespace

TEST(Ears, AnAuricleOnEachSideIsFoundRemovedAndGoneWithTheHeadUntouched) {
  Volume head = synthetic_head(true);
  const Volume before = head;
  std::vector<std::uint8_t> changed(head.data.size(), 0);
  for (const int side : {1, -1}) {
    const SideView view = side_view(head, kThreshold, side);
    const auto ear = find_ear(view, kNoseY);
    ASSERT_TRUE(ear) << "side " << side;
    EXPECT_GT(ear->area_mm2, 800) << "side " << side;
    EXPECT_NEAR(ear->protrusion_mm, 14, 4) << "side " << side;
    EXPECT_GT(remove_ear(head, view, *ear, kAir, kTissue, kThreshold, changed), 0u);
    EXPECT_LT(ear_residue(side_view(head, kThreshold, side), *ear).area_mm2, kMinEarAreaMm2) << "side " << side;
  }
  std::size_t ear_voxels_left = 0, head_voxels_changed = 0;
  for (int k = 0; k < head.nz; ++k)
    for (int j = 0; j < head.ny; ++j)
      for (int i = 0; i < head.nx; ++i) {
        const Vec3 p = head.affine.to_patient(i, j, k);
        // The ears' part beyond 3 mm off the side of the head must be air.
        const bool far_ear = std::abs(p[0]) > 80 && (in_ellipsoid(p, ear_centre(1), kEarRadii) ||
                                                     in_ellipsoid(p, ear_centre(-1), kEarRadii));
        if (far_ear && head.at(i, j, k) > kThreshold) ++ear_voxels_left;
        // Nothing of the head itself 2 mm under its skin changes (the skull, the brain).
        const Vec3 inner{kHeadRadii[0] - 2, kHeadRadii[1] - 2, kHeadRadii[2] - 2};
        if (in_ellipsoid(p, kHeadCentre, inner) && head.at(i, j, k) != before.at(i, j, k)) ++head_voxels_changed;
      }
  EXPECT_EQ(ear_voxels_left, 0u);
  EXPECT_EQ(head_voxels_changed, 0u);
}

TEST(Ears, ASmoothHeadHasNoEarToRemove) {
  const Volume head = synthetic_head(false);
  for (const int side : {1, -1}) EXPECT_FALSE(find_ear(side_view(head, kThreshold, side), kNoseY)) << "side " << side;
}
