// The looks from the head's axes pitched about the nose tip, with which the stage checks what its
// cut left when the head's own pitch is not known.
#include <gtest/gtest.h>

#include <cmath>

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
