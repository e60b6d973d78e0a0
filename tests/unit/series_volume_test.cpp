// A series becomes one volume whatever its orientation, slice order, tilt or frame packing, and
// what cannot form one is refused.
#include <gtest/gtest.h>

#include <cmath>

#include "face/series_volume.h"
#include "support/head_phantom.h"

using namespace radveil;
using namespace radveil::face;

namespace {

// The volume must agree with the phantom at known patient points (nose tip, brain, air).
void expect_matches_phantom(const Volume& v, const char* what) {
  const test::PhantomPoint points[] = {{0, -118, -8}, {0, 10, 25}, {0, -60, 90}, {40, -40, -100}, {0, 0, 120}};
  for (const auto& p : points) {
    Vec3 ijk;
    ASSERT_TRUE(v.affine.to_voxel({p.x, p.y, p.z}, ijk)) << what;
    const double expected = test::phantom_hu(p), got = v.sample(ijk[0], ijk[1], ijk[2], -1000);
    // Partial volume at edges: compare the class (air / tissue / bone).
    auto cls = [](double hu) { return hu < -500 ? 0 : hu < 500 ? 1 : 2; };
    EXPECT_EQ(cls(got), cls(expected)) << what << " at (" << p.x << "," << p.y << "," << p.z << ")";
  }
}

}  // namespace

TEST(SeriesVolume, AxialCoronalSagittalAndObliqueSeriesMapToTheSamePatientSpace) {
  const double c = std::cos(20 * M_PI / 180), s = std::sin(20 * M_PI / 180);
  const std::pair<const char*, std::array<double, 6>> orientations[] = {
      {"axial", {1, 0, 0, 0, 1, 0}},
      {"coronal", {1, 0, 0, 0, 0, -1}},
      {"sagittal", {0, 1, 0, 0, 0, -1}},
      {"oblique", {c, s, 0, 0, 0, -1}},  // coronal turned 20 degrees about the vertical axis
  };
  for (const auto& [name, iop] : orientations) {
    test::SeriesSpec spec;
    spec.orientation = iop;
    const auto series = test::write_phantom_series(spec);
    const SeriesVolume sv = build_series_volume(test::pointers(series));
    EXPECT_EQ(sv.volume.nz, spec.size) << name;
    EXPECT_FALSE(sv.tilted) << name;
    expect_matches_phantom(sv.volume, name);
  }
}

TEST(SeriesVolume, SliceOrderDoesNotMatter) {
  test::SeriesSpec spec;
  const auto sorted = test::write_phantom_series(spec);
  spec.shuffle = true;
  const auto shuffled = test::write_phantom_series(spec);
  const auto a = build_series_volume(test::pointers(sorted)), b = build_series_volume(test::pointers(shuffled));
  EXPECT_EQ(a.volume.data, b.volume.data);
}

TEST(SeriesVolume, GantryTiltIsHandledAsAShearedGrid) {
  test::SeriesSpec spec;
  spec.tilt_step = {0, 0.25, 0};  // each slice shifted 0.25 mm to posterior: a tilted gantry
  const auto series = test::write_phantom_series(spec);
  const SeriesVolume sv = build_series_volume(test::pointers(series));
  EXPECT_TRUE(sv.tilted);
  expect_matches_phantom(sv.volume, "tilted");
}

TEST(SeriesVolume, AnEnhancedMultiFrameObjectGivesTheSameVolumeAsItsSlices) {
  test::SeriesSpec spec;
  const auto slices = test::write_phantom_series(spec);
  spec.multi_frame = true;
  const auto frames = test::write_phantom_series(spec);
  ASSERT_EQ(frames.size(), 1u);
  const auto a = build_series_volume(test::pointers(slices)), b = build_series_volume(test::pointers(frames));
  EXPECT_EQ(a.volume.data, b.volume.data);
  EXPECT_EQ(b.slices.back().frame, static_cast<unsigned long>(spec.size - 1));
}

TEST(SeriesVolume, RefusesWhatIsNotOneRegularVolume) {
  test::SeriesSpec spec;
  spec.size = 24;
  auto series = test::write_phantom_series(spec);
  series[10]->putAndInsertString(DCM_ImagePositionPatient, "-28.75\\-28.75\\-4.5");  // a slice out of step
  EXPECT_THROW(build_series_volume(test::pointers(series)), VolumeError);
  series = test::write_phantom_series(spec);
  series[3]->putAndInsertString(DCM_ImageOrientationPatient, "1\\0\\0\\0\\0\\-1");
  EXPECT_THROW(build_series_volume(test::pointers(series)), VolumeError);
  series = test::write_phantom_series(spec);
  series[5]->findAndDeleteElement(DCM_ImagePositionPatient);
  EXPECT_THROW(build_series_volume(test::pointers(series)), VolumeError);
}
