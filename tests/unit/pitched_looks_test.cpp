// The looks from the head's axes pitched about the nose tip, with which the stage checks what its
// cut left when the head's own pitch is not known.
#include <gtest/gtest.h>

#include <cmath>

#include "face/brain_region.h"
#include "face/pitched_looks.h"

using namespace radveil::face;

TEST(PitchedLooks, APositivePitchBringsTheForeheadForwardAboutTheNoseTip) {
  Affine identity;
  identity.axis = {Vec3{1, 0, 0}, Vec3{0, 1, 0}, Vec3{0, 0, 1}};
  const Vec3 nose{0, -100, 0};
  const Affine turned = pitched_about(identity, nose, 30);
  const Vec3 nose_after = turned.to_patient(0, -100, 0), brow_after = turned.to_patient(0, -100, 60);
  EXPECT_NEAR(norm(nose_after - nose), 0, 1e-9);
  EXPECT_NEAR(brow_after[1], -100 - 60 * std::sin(30 * 3.141592653589793 / 180), 1e-9);  // forward
  EXPECT_NEAR(brow_after[2], 60 * std::cos(30 * 3.141592653589793 / 180), 1e-9);
  EXPECT_NEAR(norm(turned.axis[0] - Vec3{1, 0, 0}), 0, 1e-12);  // left-right stays
}

TEST(PitchedLooks, LandmarksTurnWithTheAxes) {
  FaceLandmarks face;
  face.nose_tip = {0, -100, 0};
  face.eyes = {Vec3{-30, -80, 35}, Vec3{30, -80, 35}};
  face.chin = {0, 1e9, -70};  // not in view: stays unknown
  face.brow_z = 60;
  Affine identity;
  identity.axis = {Vec3{1, 0, 0}, Vec3{0, 1, 0}, Vec3{0, 0, 1}};
  const Affine turned = pitched_about(identity, face.nose_tip, -15);
  const FaceLandmarks pitched = pitched_landmarks(face, -15);
  for (std::size_t i = 0; i < face.eyes.size(); ++i) {
    const Vec3& e = face.eyes[i];
    EXPECT_NEAR(norm(pitched.eyes[i] - turned.to_patient(e[0], e[1], e[2])), 0, 1e-9);
  }
  EXPECT_GT(pitched.chin[1], 1e8);
  EXPECT_NEAR(norm(pitched.nose_tip - face.nose_tip), 0, 1e-12);
}

namespace {
FrontalSurface flat_skin(float y) {
  FrontalSurface s;
  s.x0 = -100;
  s.z_top = 120;
  s.y_surface = cv::Mat(241, 201, CV_32FC1, cv::Scalar(y));
  return s;
}
}  // namespace

TEST(PitchedLooks, TheCutKeepsOutOfTheBrainRegionSeenFromALookPitched15Degrees) {
  // A point the head's axes put right under the skin (a dent in front of it) lies 22 mm behind
  // the skin seen from the look pitched 15 degrees, above that look's brow less 15 mm: the cut
  // keeps out of it. A look pitched 30 degrees is not used (from there the eyes lie as deep under
  // the brow's overhang as the brain).
  FaceLandmarks face;
  face.nose_tip = {0, -100, 0};
  face.brow_z = 60;
  FrontalSurface head_skin = flat_skin(-100);
  head_skin.y_surface(cv::Rect(95, 70, 11, 11)).setTo(-75.0f);  // around x = 0, z = 45
  const Vec3 point{0, -75, 45};
  ASSERT_FALSE(in_keep_out_region(point, head_skin, face));
  Affine identity;
  identity.axis = {Vec3{1, 0, 0}, Vec3{0, 1, 0}, Vec3{0, 0, 1}};
  for (const double pitch : {15.0, 30.0}) {
    const std::vector<PitchedLook> looks{
        {pitch, pitched_about(identity, face.nose_tip, pitch), flat_skin(-110), pitched_landmarks(face, pitch)}};
    EXPECT_EQ(in_keep_out_region_of_any(point, head_skin, face, looks), pitch <= kKeepOutLookPitchDeg) << pitch;
  }
}
