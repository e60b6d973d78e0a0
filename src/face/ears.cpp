#include "face/ears.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace radveil::face {
namespace {

constexpr double kHeadSideDiscMm = 45;  // wider than an auricle, narrower than the side of a head
constexpr double kEdgeMarginMm = 25;    // the closing (a 45 mm disc) is unreliable this near the silhouette's edge
constexpr double kFootprintGrowthMm = 8;
constexpr double kMaxEarReachMm = 45;   // an auricle stands out from the head by less than this
// Dark pockets this far under the side of the head (the concha, the ear canal's mouth) are closed
// with soft tissue: a pit left there would show its rim as something standing out. Only voxels
// below the skin threshold change, so the skull and the brain never do.
constexpr double kClosedUnderSideMm = 4;

Affine to_side(const Affine& head, int side) {
  auto turn = [side](const Vec3& v) { return Vec3{side * v[1], -side * v[0], v[2]}; };
  Affine a;
  a.origin = turn(head.origin);
  for (int i = 0; i < 3; ++i) a.axis[i] = turn(head.axis[i]);
  return a;
}

// The connected regions standing out kMinEarProtrusionMm on a side view (label 0: none).
struct StandingRegions {
  cv::Mat labels, stats, centroids;
  int count = 0;  // labels 1..count-1 are regions
  int area(int i) const { return stats.at<int>(i, cv::CC_STAT_AREA); }
};
StandingRegions standing_regions(const SideView& view) {
  StandingRegions r;
  r.count = cv::connectedComponentsWithStats(view.protrusion >= kMinEarProtrusionMm, r.labels, r.stats, r.centroids, 8);
  return r;
}

}  // namespace

SideView side_view(const Volume& volume, float threshold, int side) {
  SideView v;
  v.side = side;
  v.affine = to_side(volume.affine, side);
  v.surface = frontal_surface(volume, v.affine, threshold);
  const cv::Mat& s = v.surface.y_surface;  // 1 mm grid
  const cv::Mat known = s == s;             // not NaN
  cv::Mat filled = s.clone();
  filled.setTo(1e4f, ~known);
  cv::Mat median;
  cv::medianBlur(filled, median, 5);
  const int d = static_cast<int>(kHeadSideDiscMm) | 1;
  cv::morphologyEx(median, v.head_side, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(d, d)));
  cv::Mat inner;
  const int e = static_cast<int>(2 * kEdgeMarginMm) | 1;
  cv::erode(known, inner, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(e, e)));
  v.protrusion = cv::Mat::zeros(s.size(), CV_32FC1);
  cv::subtract(v.head_side, median, v.protrusion, inner);
  return v;
}

std::optional<Ear> find_ear(const SideView& view, double nose_y) {
  const StandingRegions regions = standing_regions(view);
  int best = 0;
  for (int i = 1; i < regions.count; ++i) {
    // The view's x' is side * y: the region's centre in the head's y.
    const double y = view.side * (view.surface.x0 + regions.centroids.at<double>(i, 0));
    if (y < nose_y + kEarBehindNoseMm || regions.area(i) > kMaxEarAreaMm2) continue;
    if (!best || regions.area(i) > regions.area(best)) best = i;
  }
  if (!best || regions.area(best) < kMinEarAreaMm2) return std::nullopt;
  Ear ear;
  ear.side = view.side;
  ear.area_mm2 = regions.area(best);
  ear.footprint = regions.labels == best;
  double max_protrusion = 0;
  cv::minMaxLoc(view.protrusion, nullptr, &max_protrusion, nullptr, nullptr, ear.footprint);
  ear.protrusion_mm = max_protrusion;
  return ear;
}

namespace {
cv::Mat grown_footprint(const Ear& ear) {
  cv::Mat grown;
  const int g = static_cast<int>(2 * kFootprintGrowthMm) | 1;
  cv::dilate(ear.footprint, grown, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(g, g)));
  return grown;
}
}  // namespace

Vec3 ear_centre(const SideView& view, const Ear& ear) {
  const cv::Moments m = cv::moments(ear.footprint, true);
  const double col = m.m10 / std::max(1.0, m.m00), row = m.m01 / std::max(1.0, m.m00);
  const double side_y = view.head_side.at<float>(static_cast<int>(row), static_cast<int>(col));
  return {-view.side * side_y, view.side * (view.surface.x0 + col), view.surface.z_top - row};
}

EarResidue ear_residue(const SideView& view, const Ear& ear) {
  EarResidue residue;
  const cv::Mat grown = grown_footprint(ear);
  if (grown.size() != view.protrusion.size()) return residue;  // same volume and axes: the grids match
  const StandingRegions regions = standing_regions(view);
  for (int i = 1; i < regions.count; ++i) {
    const cv::Mat region = regions.labels == i;
    if (cv::countNonZero(region & grown) == 0) continue;
    const double area = regions.area(i);
    if (area <= residue.area_mm2) continue;
    residue.area_mm2 = area;
    cv::minMaxLoc(view.protrusion, nullptr, &residue.protrusion_mm, nullptr, nullptr, region);
  }
  return residue;
}

std::size_t remove_ear(Volume& volume, const SideView& view, const Ear& ear, float air, float tissue, float threshold,
                       std::vector<std::uint8_t>& changed) {
  const cv::Mat grown = grown_footprint(ear);
  std::size_t removed = 0;
  const FrontalSurface& s = view.surface;
  for (int k = 0; k < volume.nz; ++k)
    for (int j = 0; j < volume.ny; ++j)
      for (int i = 0; i < volume.nx; ++i) {
        const Vec3 p = view.affine.to_patient(i, j, k);
        const int col = static_cast<int>(std::lround(p[0] - s.x0)), row = static_cast<int>(std::lround(s.z_top - p[2]));
        if (row < 0 || col < 0 || row >= grown.rows || col >= grown.cols || !grown.at<std::uint8_t>(row, col)) continue;
        // Only outside the side of the head, and only as far out as an auricle reaches (where
        // the side of the head is unknown, nothing).
        const float side_of_head = view.head_side.at<float>(row, col);
        if (side_of_head > 9e3f || p[1] >= side_of_head + kClosedUnderSideMm || p[1] < side_of_head - kMaxEarReachMm)
          continue;
        float& value = volume.at(i, j, k);
        if (p[1] < side_of_head) {  // outside the side of the head: the ear
          if (value == air) continue;
          removed += value > threshold;
          value = air;
        } else {  // just under it: the concha and the ear canal's mouth are closed over
          if (value > threshold) continue;
          value = tissue;
        }
        changed[volume.index(i, j, k)] = 1;
      }
  return removed;
}

}  // namespace radveil::face
