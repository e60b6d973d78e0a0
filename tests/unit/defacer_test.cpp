// On a synthetic head: the face (nose, chin, orbits' front) is removed, the brain and the back of
// the head are untouched, the written Pixel Data carries the change, and a head without a face,
// or not a head, is left alone.
#include <gtest/gtest.h>

#include "face/face_detectors.h"
#include "face/series_defacer.h"
#include "face/series_volume.h"
#include "support/head_phantom.h"

using namespace radveil;
using namespace radveil::face;

namespace {

const FaceDetectors& detectors() {
  static const FaceDetectors kDetectors;
  return kDetectors;
}

double hu_at(const Volume& v, double x, double y, double z) {
  Vec3 ijk;
  v.affine.to_voxel({x, y, z}, ijk);
  return v.sample(ijk[0], ijk[1], ijk[2], -1000);
}

}  // namespace

TEST(Defacer, FindsTheNoseOfTheHeadPhantom) {
  test::SeriesSpec spec;
  const auto series = test::write_phantom_series(spec);
  const auto sv = build_series_volume(test::pointers(series));
  const auto surface = frontal_surface(sv.volume, -400);
  const auto face = find_face_landmarks(surface);
  ASSERT_TRUE(face);
  EXPECT_NEAR(face->nose_tip[0], 0, 6);
  EXPECT_NEAR(face->nose_tip[1], -126, 4);
  EXPECT_NEAR(face->nose_tip[2], -8, 8);
  EXPECT_GE(face->protrusion_mm, kMinNoseProtrusionMm);
  EXPECT_GT(face->brow_z, face->nose_tip[2] + 30);
}

TEST(Defacer, RemovesTheFaceKeepsTheBrainAndWritesThePixelsBack) {
  for (bool multi_frame : {false, true}) {
    test::SeriesSpec spec;
    spec.multi_frame = multi_frame;
    auto series = test::write_phantom_series(spec);
    const auto original = build_series_volume(test::pointers(series)).volume;
    const SeriesFaceReport report = deface_series(test::pointers(series), detectors());
    if (std::getenv("RADVEIL_TEST_ARTIFACTS")) report.write_renders(std::string(std::getenv("RADVEIL_TEST_ARTIFACTS")) + "/phantom");
    ASSERT_EQ(report.outcome, SeriesFaceOutcome::Defaced) << report.to_json().dump();
    EXPECT_EQ(report.brain_voxels_changed, 0u);
    EXPECT_GT(report.tissue_voxels_removed, 1000u);
    ASSERT_TRUE(report.after);
    EXPECT_FALSE(report.after->nose_present());
    EXPECT_FALSE(report.after->face_remains());

    // The rewritten Pixel Data: nose and chin are air, brain and back of the head unchanged.
    const auto after = build_series_volume(test::pointers(series)).volume;
    EXPECT_LT(hu_at(after, 0, -118, -8), -500) << "nose tip";
    EXPECT_LT(hu_at(after, 0, -95, -72), -500) << "chin";
    std::size_t brain = 0, brain_changed = 0;
    for (std::size_t i = 0; i < after.data.size(); ++i) {
      const int x = static_cast<int>(i % after.nx), y = static_cast<int>((i / after.nx) % after.ny),
                z = static_cast<int>(i / (static_cast<std::size_t>(after.nx) * after.ny));
      const Vec3 p = after.affine.to_patient(x, y, z);
      if (!test::phantom_in_brain({p[0], p[1], p[2]})) continue;
      ++brain;
      brain_changed += after.data[i] != original.data[i];
    }
    EXPECT_GT(brain, 10000u);
    EXPECT_EQ(brain_changed, 0u) << "brain voxels changed";
    EXPECT_EQ(hu_at(after, 0, 80, 0), hu_at(original, 0, 80, 0)) << "back of the head";
    for (const auto& ds : series) {
      OFString rvf;
      ds->findAndGetOFString(DCM_RecognizableVisualFeatures, rvf);
      EXPECT_EQ(rvf, "NO");
    }
  }
}

TEST(Defacer, LeavesAHeadWithoutAFaceAndAnythingThatIsNotAHeadAlone) {
  test::SeriesSpec faceless;
  faceless.with_face = false;
  auto series = test::write_phantom_series(faceless);
  const auto before = build_series_volume(test::pointers(series)).volume;
  const auto faceless_report = deface_series(test::pointers(series), detectors());
  EXPECT_EQ(faceless_report.outcome, SeriesFaceOutcome::NoFace) << faceless_report.to_json().dump();
  EXPECT_EQ(build_series_volume(test::pointers(series)).volume.data, before.data);

  test::SeriesSpec abdomen;  // a smooth body that the series calls an abdomen
  abdomen.with_face = false;
  abdomen.body_part = "ABDOMEN";
  series = test::write_phantom_series(abdomen);
  const auto abdomen_before = build_series_volume(test::pointers(series)).volume;
  EXPECT_EQ(deface_series(test::pointers(series), detectors()).outcome, SeriesFaceOutcome::NoFace);
  EXPECT_EQ(build_series_volume(test::pointers(series)).volume.data, abdomen_before.data);
}

TEST(Defacer, RefusesASeriesThatCannotFormAVolume) {
  test::SeriesSpec spec;
  spec.size = 24;
  auto series = test::write_phantom_series(spec);
  series[7]->putAndInsertString(DCM_ImageOrientationPatient, "1\\0\\0\\0\\0\\-1");
  const auto report = deface_series(test::pointers(series), detectors());
  EXPECT_EQ(report.outcome, SeriesFaceOutcome::Refused);
  EXPECT_EQ(report.reason, "not-a-volume");
}
