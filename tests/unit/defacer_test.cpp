// On a synthetic head: the face (nose, chin, orbits' front) is removed, the brain and the back of
// the head are untouched, the written Pixel Data carries the change; what is not a head, or a
// slab above the eyes, is left alone; a head whose face cannot be located is refused.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

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

// A CT series of an elliptic body, `width` x `depth` mm, soft tissue in air, axial 2.5 mm.
std::vector<std::unique_ptr<DcmDataset>> ellipse_series(double width, double depth) {
  auto series = test::write_phantom_series(test::SeriesSpec{});
  for (auto& ds : series) {
    OFString ipp;
    ds->findAndGetOFStringArray(DCM_ImagePositionPatient, ipp);
    double x0 = 0, y0 = 0, z = 0;
    std::sscanf(ipp.c_str(), "%lf\\%lf\\%lf", &x0, &y0, &z);
    Uint16 n = 0;
    ds->findAndGetUint16(DCM_Rows, n);
    std::vector<Uint16> px(static_cast<std::size_t>(n) * n);
    for (int r = 0; r < n; ++r)
      for (int c = 0; c < n; ++c) {
        const double x = (x0 + c * 2.5) / (width / 2), y = (y0 + r * 2.5) / (depth / 2);
        px[static_cast<std::size_t>(r) * n + c] = static_cast<Uint16>(static_cast<Sint16>(x * x + y * y <= 1 ? 40 : -1000));
      }
    ds->putAndInsertUint16Array(DCM_PixelData, px.data(), static_cast<unsigned long>(px.size()));
  }
  return series;
}

TEST(Defacer, RefusesAHeadWhoseFaceItCannotLocateAndNeverReleasesIt) {
  // Not finding a face is no evidence that there is none: a head-shaped volume whose face region
  // is in view but shows no face is held back, whatever its Body Part Examined says.
  for (const char* body_part : {"HEAD", "ABDOMEN"}) {
    test::SeriesSpec faceless;
    faceless.with_face = false;
    faceless.body_part = body_part;
    auto series = test::write_phantom_series(faceless);
    const auto before = build_series_volume(test::pointers(series)).volume;
    const auto report = deface_series(test::pointers(series), detectors());
    EXPECT_EQ(report.outcome, SeriesFaceOutcome::Refused) << report.to_json().dump();
    EXPECT_EQ(report.reason, "face-not-located");
    EXPECT_EQ(build_series_volume(test::pointers(series)).volume.data, before.data) << "nothing written back";
  }
}

TEST(Defacer, LeavesWhatIsNotAHeadAndASlabAboveTheEyesAlone) {
  auto body = ellipse_series(330, 230);  // an abdomen, whatever the header says
  const auto body_before = build_series_volume(test::pointers(body)).volume;
  const auto body_report = deface_series(test::pointers(body), detectors());
  EXPECT_EQ(body_report.outcome, SeriesFaceOutcome::NoFace) << body_report.to_json().dump();
  EXPECT_EQ(body_report.reason, "not-a-head");
  EXPECT_EQ(build_series_volume(test::pointers(body)).volume.data, body_before.data);

  // The top 30 mm of the head and the air above it: a vertex slab cannot hold eyes or a nose.
  auto head = test::write_phantom_series(test::SeriesSpec{});
  const auto volume = build_series_volume(test::pointers(head)).volume;
  double top = -1e9;
  for (int k = 0; k < volume.nz; ++k)
    for (int j = 0; j < volume.ny; j += 2)
      for (int i = 0; i < volume.nx; i += 2)
        if (volume.at(i, j, k) > -400) top = std::max(top, volume.affine.to_patient(i, j, k)[2]);
  std::vector<std::unique_ptr<DcmDataset>> slab;
  for (auto& ds : head) {
    OFString ipp;
    ds->findAndGetOFStringArray(DCM_ImagePositionPatient, ipp);
    const double z = std::stod(std::string(ipp.c_str()).substr(ipp.rfind('\\') + 1));
    if (z >= top - 30) slab.push_back(std::move(ds));
  }
  ASSERT_GT(slab.size(), 10u);
  const auto slab_report = deface_series(test::pointers(slab), detectors());
  EXPECT_EQ(slab_report.outcome, SeriesFaceOutcome::NoFace) << slab_report.to_json().dump();
  EXPECT_EQ(slab_report.reason, "face-region-outside");
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
