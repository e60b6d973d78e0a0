// What counts as "a face is still there" after the cut, and which voxels the cut must keep out
// of: the calibrated rules of face_check.h and brain_region.h, on hand-made detections and a flat
// forehead.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "face/brain_region.h"
#include "face/face_check.h"

using namespace radveil::face;

namespace {

Detection haar(int neighbours, cv::Rect box = {40, 40, 120, 120}) { return {"haar-alt2", box, static_cast<double>(neighbours)}; }
Detection dlib(double score, cv::Rect box = {50, 50, 110, 110}) { return {"dlib-hog", box, score}; }

FaceCheck one_view(std::vector<Detection> detections) {
  FaceCheck check;
  check.views.push_back(ViewCheck{View{}, std::move(detections), cv::Mat()});
  return check;
}

}  // namespace

TEST(FaceRemains, DlibAtTheRemainsScoreIsAFace) {
  EXPECT_TRUE(one_view({dlib(FaceDetectors::kDlibRemainsScore)}).face_remains());
  EXPECT_FALSE(one_view({dlib(FaceDetectors::kDlibRemainsScore - 0.05)}).face_remains());
}

TEST(FaceRemains, HaarAloneInTheRangeFacelessSurfacesReachIsNoEvidence) {
  // Defaced heads and the defaced synthetic egg reach 20 to 40 neighbours with no face.
  for (int neighbours : {FaceDetectors::kHaarPresentNeighbours, 30, 40})
    EXPECT_FALSE(one_view({haar(neighbours)}).face_remains()) << neighbours;
}

TEST(FaceRemains, HaarAboveEveryFacelessSurfaceIsAFaceOnItsOwn) {
  EXPECT_TRUE(one_view({haar(FaceDetectors::kHaarAloneRemainsNeighbours)}).face_remains());
}

TEST(FaceRemains, HaarIsAFaceWhereDlibDetectsOneInTheSamePlace) {
  // dlib below its own threshold, but on Haar's box: two detectors agree on the place.
  EXPECT_TRUE(one_view({haar(FaceDetectors::kHaarPresentNeighbours), dlib(0.01)}).face_remains());
  // Elsewhere in the view it does not corroborate.
  EXPECT_FALSE(one_view({haar(FaceDetectors::kHaarPresentNeighbours), dlib(0.01, {200, 200, 40, 40})}).face_remains());
  // Nor does it corroborate Haar below the neighbours that say an original has a face.
  EXPECT_FALSE(one_view({haar(FaceDetectors::kHaarPresentNeighbours - 1), dlib(0.01)}).face_remains());
}

TEST(FaceRemains, CountsViewsNotDetections) {
  FaceCheck check = one_view({dlib(0.5), dlib(0.6)});
  check.views.push_back(ViewCheck{View{}, {haar(50)}, cv::Mat()});
  check.views.push_back(ViewCheck{View{}, {haar(25)}, cv::Mat()});
  EXPECT_EQ(check.views_remaining(), 2u);
}

namespace {

// A flat forehead and face at y = -100 (skin), 200 mm wide and high around the origin; nose tip at
// z = 0 with the brow at the lowest a face can have.
struct FlatFace {
  FrontalSurface surface;
  FaceLandmarks face;
  FlatFace() {
    surface.x0 = -100;
    surface.z_top = 100;
    surface.y_surface = cv::Mat(201, 201, CV_32FC1, cv::Scalar(-100.0f));
    face.nose_tip = {0, -120, 0};
    face.brow_z = kLowestBrowAboveNoseMm;
  }
  double lower_edge() const { return face.brow_z - kBrainBelowBrowMm - kKeepOutLowerMm; }
};

}  // namespace

TEST(KeepOutRegion, BelowTheSkinDepthOfTheBrainNothingIsKeptOut) {
  const FlatFace f;
  EXPECT_FALSE(in_keep_out_region({0, -100 + kBrainDepthMm - kKeepOutShallowerMm - 1, 90}, f.surface, f.face));
  EXPECT_TRUE(in_keep_out_region({0, -100 + kBrainDepthMm - kKeepOutShallowerMm + 1, 90}, f.surface, f.face));
}

TEST(KeepOutRegion, ItsLowerEdgeComesDownWithDepthBehindTheBrowAsAPitchedHeadsWould) {
  const FlatFace f;
  const double sin_pitch = std::sin(kKeepOutPitchDeg * 3.141592653589793 / 180);
  for (const double behind_brow : {kBrainDepthMm - kKeepOutShallowerMm + 0.5, 44.0}) {
    const double y = -100 + behind_brow, edge = f.lower_edge() - behind_brow * sin_pitch;
    EXPECT_TRUE(in_keep_out_region({0, y, edge + 0.5}, f.surface, f.face)) << behind_brow;
    EXPECT_FALSE(in_keep_out_region({0, y, edge - 1}, f.surface, f.face)) << behind_brow;
  }
}

TEST(KeepOutRegion, BehindAnOrbitThatTheSkinDipsIntoItsEdgeIsMeasuredFromTheBrow) {
  // A frontal ray through a thin lid into a dark eyeball finds "skin" 40 mm deeper there: a point
  // 20 mm behind that, 60 mm behind the brow's skin, is still kept out 25 mm under the edge.
  FlatFace f;
  f.surface.y_surface(cv::Rect(100 + 20, 100 - 25, 20, 21)).setTo(-60.0f);  // x 20..39, z 5..25
  const double sin_pitch = std::sin(kKeepOutPitchDeg * 3.141592653589793 / 180);
  ASSERT_GT(60 * sin_pitch, 25.0);
  ASSERT_FLOAT_EQ(static_cast<float>(f.surface.at(30, f.lower_edge() - 25)), -60.0f);
  EXPECT_TRUE(in_keep_out_region({30, -40, f.lower_edge() - 25}, f.surface, f.face));
}

TEST(KeepOutRegion, WhereThereIsNoSkinNothingIsKeptOut) {
  FlatFace f;
  f.surface.y_surface.setTo(std::numeric_limits<float>::quiet_NaN());
  EXPECT_FALSE(in_keep_out_region({0, 0, 90}, f.surface, f.face));
}
