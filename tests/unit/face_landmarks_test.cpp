// The face's landmarks and the cut planned on them, on hand-made frontal depth maps: a nose on a
// face pitched in the scanner, eyes whose lids a frontal ray passes, a forehead that recedes.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>

#include "face/defacer.h"
#include "face/face_geometry.h"

using namespace radveil::face;

namespace {

// A face on a plane through y = -100 at z = 0, pitched chin-down by `pitch_deg` (its forehead
// comes forward, its chin goes back), with a nose standing out 20 mm at its tip (face coordinates
// u = 0), falling to 4 mm at the bridge 45 mm up the face and to nothing 12 mm below the tip.
// The depth map holds the most anterior skin per 1 mm cell, 200 mm wide and high around the tip.
struct PitchedFace {
  FrontalSurface surface;
  Vec3 tip{};
  explicit PitchedFace(double pitch_deg) {
    const double t = pitch_deg * std::numbers::pi / 180, s = std::sin(t), c = std::cos(t);
    surface.x0 = -100;
    surface.z_top = 100;
    surface.y_surface = cv::Mat(201, 201, CV_32FC1, cv::Scalar(std::numeric_limits<float>::quiet_NaN()));
    auto nose = [](double x, double u) {
      const double ridge = u >= 0 ? 20 - 16 * std::min(u, 45.0) / 45 : 20 + u * 20 / 12;
      const double half_width = 6 + 0.1 * std::abs(u);
      return std::max(0.0, ridge) * std::max(0.0, 1 - (x / half_width) * (x / half_width));
    };
    for (double u = -110; u <= 110; u += 0.25)
      for (double x = -100; x <= 100; x += 0.25) {
        const double h = nose(x, u);
        const double y = -100 - u * s - h * c, z = u * c - h * s;
        const int row = static_cast<int>(std::lround(surface.z_top - z)), col = static_cast<int>(std::lround(x - surface.x0));
        if (row < 0 || row >= surface.y_surface.rows || col < 0 || col >= surface.y_surface.cols) continue;
        float& cell = surface.y_surface.at<float>(row, col);
        if (std::isnan(cell) || y < cell) cell = static_cast<float>(y);
      }
    tip = {0, -100 - 20 * c, -20 * s};
  }
};

double distance_xz(const Vec3& a, const Vec3& b) { return std::hypot(a[0] - b[0], a[2] - b[2]); }

}  // namespace

TEST(FaceLandmarks, TheNoseTipIsFoundOnAFacePitchedChinDownNotUpOnTheBridge) {
  // Chin-down by 30 degrees the bridge is the face's most anterior skin, 10 mm and more above the
  // tip; the tip is still the point standing highest above the skin around it.
  for (const double pitch : {0.0, 15.0, 30.0}) {
    const PitchedFace face(pitch);
    const auto found = find_face_landmarks(face.surface);
    ASSERT_TRUE(found) << pitch;
    EXPECT_LT(distance_xz(found->nose_tip, face.tip), 6.0) << "pitch " << pitch << ": found z " << found->nose_tip[2]
                                                            << ", tip z " << face.tip[2];
  }
}

TEST(FaceLandmarks, AnEyeLidIsNeverPlacedBehindTheDeepestSetEyes) {
  // A frontal ray through a thin lid into a dark eyeball (T1 MR) finds "skin" 60 mm behind the
  // face: the eye is put no deeper than the deepest-set lids lie behind the nose tip.
  PitchedFace face(0);
  for (const double side : {-1.0, 1.0})
    face.surface.y_surface(cv::Rect(static_cast<int>(100 + side * 30 - 10), 100 - 45, 21, 21)).setTo(-40.0f);
  const auto found = find_face_landmarks(face.surface);
  ASSERT_TRUE(found);
  ASSERT_EQ(found->eyes.size(), 2u);
  for (const Vec3& eye : found->eyes) EXPECT_LE(eye[1], found->nose_tip[1] + kMaxEyeBehindNoseMm + 1e-9);
}

TEST(CutPlane, OnARecedingForeheadItComesForwardToPassJustBehindTheNoseTip) {
  // The forehead at the brow lies 60 mm behind the nose tip (a head pitched back, an egg of a
  // phantom): the plane still passes 32 mm behind the tip, not 66, and under the nose it never
  // comes further forward than at the tip.
  FaceLandmarks face;
  face.nose_tip = {0, -130, 0};
  face.brow_z = 60;
  face.face_half_width_mm = 60;
  face.chin = {0, 1e9, -70};  // not in view
  FrontalSurface surface;
  surface.x0 = -100;
  surface.z_top = 100;
  surface.y_surface = cv::Mat(201, 201, CV_32FC1, cv::Scalar(-70.0f));
  const CutPlane cut = plan_cut(face, surface);
  EXPECT_NEAR(cut.plane_y(face.nose_tip[2]), face.nose_tip[1] + 32, 0.5);
  EXPECT_LT(cut.slope, 0);
  EXPECT_GE(cut.plane_y(-40), cut.plane_y(face.nose_tip[2]));
  EXPECT_TRUE(cut.removes({0, -110, 0}));    // the nose
  EXPECT_NEAR(cut.plane_y(cut.z_top), -70 + 6, 0.5);  // under the forehead's skin at the top
  EXPECT_FALSE(cut.removes({0, -60, cut.z_top - 1}));
}

// The cut near the brain.
namespace {

// The depth the cut reaches at (x, z): the y in front of which it removes everything.
double cut_reaches(const FaceCut& cut, double x, double z) { return -cut.depth_behind({x, 0, z}); }

}  // namespace

TEST(FaceCut, AboveTheNoseTipReachesNoFurtherFromTheSkinThanTheBrainAllows) {
  // Deep-set eyes slope the plane far back: 35 mm behind the nose tip at their level it passes 25 mm
  // behind the flat skin between them. Above kNearBrainAboveNoseMm no part of the cut lies further than
  // kCutNearBrainReachMm from the skin, in three dimensions.
  const PitchedFace face(0);
  const auto found = find_face_landmarks(face.surface);
  ASSERT_TRUE(found);
  FaceLandmarks deep_eyes = *found;
  deep_eyes.eyes = {{-30, found->nose_tip[1] + kMaxEyeBehindNoseMm, 40}, {30, found->nose_tip[1] + kMaxEyeBehindNoseMm, 40}};
  const FaceCut cut = plan_face_cut(deep_eyes, face.surface);
  ASSERT_GT(cut.plane.plane_y(40), -100 + kCutNearBrainReachMm);  // the plane alone would reach further
  for (double x = -20; x <= 20; x += 4)
    for (double z = found->nose_tip[2] + kNearBrainAboveNoseMm + 1; z <= cut.plane.z_top; z += 4) {
      const double reaches = cut_reaches(cut, x, z);
      double nearest = 1e9;
      for (double u = -20; u <= 20; u += 1)
        for (double w = -20; w <= 20; w += 1)
          if (const double y = face.surface.at(x + u, z + w); !std::isnan(y))
            nearest = std::min(nearest, std::sqrt(u * u + w * w + (reaches - y) * (reaches - y)));
      EXPECT_LE(nearest, kCutNearBrainReachMm + 0.5) << x << ", " << z;
    }
}
