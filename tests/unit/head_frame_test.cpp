// The head's own axes are found from the head, whatever its turn in the scanner: the mirror plane
// of the synthetic head, acquired in many random ways (turned up to 30 degrees in every axis, any
// slice plane, thick slices, fields of view ending at the nose, mouth or chin, noise), comes back
// as the same plane of the head once the turn is undone.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>

#include "face/head_extent.h"
#include "face/head_frame.h"
#include "face/series_volume.h"
#include "face/surface_render.h"
#include "support/head_variants.h"

using namespace radveil;
using face::operator+;
using face::operator-;

namespace {

double angle_deg(const face::Vec3& a, const face::Vec3& b) {
  return std::acos(std::clamp(face::dot(a, b) / (face::norm(a) * face::norm(b)), -1.0, 1.0)) * 180 /
         std::numbers::pi;
}

std::optional<face::HeadFrame> frame_of(const face::Volume& v, bool is_ct) {
  const float threshold = face::skin_threshold(v, is_ct);
  return face::find_head_frame(face::main_tissue_body(v, threshold));
}

}  // namespace

TEST(HeadFrame, MirrorPlaneOfATurnedHeadIsTheHeadsOwnWhateverTheAcquisition) {
  const test::SourceHead head = test::phantom_source_head();
  const auto original = frame_of(head.volume, true);
  ASSERT_TRUE(original);
  EXPECT_LT(angle_deg(original->left, {1, 0, 0}), 2.0) << "the upright phantom's left is the patient's left";
  std::mt19937 rng(20261126);
  int found = 0;
  constexpr int kVariants = 6;
  for (int n = 0; n < kVariants; ++n) {
    const test::Acquisition a = test::random_acquisition(rng, true);
    auto series = test::acquire(head, a);
    std::vector<DcmDataset*> datasets;
    for (auto& d : series) datasets.push_back(d.get());
    const auto frame = frame_of(face::build_series_volume(datasets).volume, true);
    if (!frame) {
      ADD_FAILURE() << "no frame for " << a.describe();
      continue;
    }
    ++found;
    const face::Vec3 left = test::to_original(head, a, head.centre + frame->left) - head.centre;
    // 7 degrees: the widest measured since the generator turns heads to 40 degrees and adds CT
    // head holders and collars is 6.4 (a CT cut at the nose, pitched -30, holder and collar).
    EXPECT_LT(angle_deg(left, original->left), 7.0) << a.describe();
    // The axes are a right-handed orthonormal set.
    EXPECT_NEAR(face::norm(frame->superior), 1.0, 1e-9);
    EXPECT_NEAR(face::dot(frame->left, frame->superior), 0.0, 1e-9);
    EXPECT_NEAR(face::dot(face::cross(frame->left, frame->posterior), frame->superior), 1.0, 1e-9);
  }
  EXPECT_EQ(found, kVariants);
}

TEST(HeadFrame, HeadCoordinatesOfTheVolumeFollowTheFrame) {
  face::HeadFrame f;
  f.origin = {10, 20, 30};
  const double c = std::cos(0.3), s = std::sin(0.3);
  f.left = {c, s, 0};
  f.posterior = {-s, c, 0};
  f.superior = {0, 0, 1};
  face::Affine patient;
  patient.origin = {-5, 7, 9};
  patient.axis = {face::Vec3{0.5, 0, 0}, face::Vec3{0, 0.5, 0.1}, face::Vec3{0, 0, 2}};
  const face::Affine head = f.in_head(patient);
  for (const face::Vec3& ijk : {face::Vec3{0, 0, 0}, face::Vec3{3, 4, 5}, face::Vec3{-2, 7, 1}}) {
    const face::Vec3 expected = f.to_head(patient.to_patient(ijk[0], ijk[1], ijk[2]));
    const face::Vec3 got = head.to_patient(ijk[0], ijk[1], ijk[2]);
    for (int i = 0; i < 3; ++i) EXPECT_NEAR(got[i], expected[i], 1e-9);
  }
}

TEST(HeadFrame, AVolumeWithoutABodyHasNoFrame) {
  face::Volume v(60, 60, 30);
  v.affine.axis = {face::Vec3{2, 0, 0}, face::Vec3{0, 2, 0}, face::Vec3{0, 0, 2}};
  v.at(30, 30, 15) = 500;  // one bright voxel, no body
  EXPECT_FALSE(frame_of(v, false));
}
