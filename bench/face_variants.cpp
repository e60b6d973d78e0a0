// Face removal on heads it has never seen: many generated acquisitions of each corpus head, of the
// synthetic head and of the Colin27 template itself (turned up to 40 degrees in any axis, any slice
// plane and obliquity, anisotropic voxels, fields of view ending at the eyes, nose, mouth or chin,
// CT head holders and collars, MR intensity scales, bias fields, noise), each judged from the
// original's side (support/head_variants.h). Prints one line per variant and the rates: defaced,
// quarantined, released with a face, poses recovered.
//
//   radveil_face_variants HEADS_DIR VARIANTS_PER_HEAD [SEED]
//
// RADVEIL_FRAMES=1 prints only how far the head's axes found on each variant are from those found
// on its original; RADVEIL_ONLY=N runs the N-th variant (0-based) alone and prints the face stage's
// report, RADVEIL_ONLY=N,M,... runs those variants;
// RADVEIL_EARS=1 removes the outer ears as well (--face-mode face-and-ears);
// RADVEIL_BRAIN_VOXELS=1 prints where (every 50th) changed voxel of the brain region lies;
// RADVEIL_JUDGE=1 prints the detections and the nose the evaluation finds on a defaced variant.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "face/ears.h"
#include "face/face_detectors.h"
#include "face/face_geometry.h"
#include "face/head_frame.h"
#include "face/series_volume.h"
#include "face/surface_render.h"
#include "support/head_variants.h"

using namespace radveil;
using face::operator+;
using face::operator-;
using face::operator*;

namespace {

double angle_deg(const face::Vec3& a, const face::Vec3& b) {
  return std::acos(std::clamp(face::dot(a, b) / (face::norm(a) * face::norm(b)), -1.0, 1.0)) * 180 / M_PI;
}

struct FrameProbe {
  std::optional<face::HeadFrame> frame;
  std::optional<double> ear_nose_deg;  // elevation of the ears' centre over the nose tip, head axes
};

FrameProbe probe(const face::Volume& v, bool is_ct) {
  const float threshold = face::skin_threshold(v, is_ct);
  FrameProbe p;
  p.frame = face::find_head_frame(face::main_tissue_body(v, threshold));
  if (!p.frame) return p;
  face::Volume head = v;
  head.affine = p.frame->in_head(v.affine);
  const auto landmarks = face::find_face_landmarks(face::frontal_surface(head, threshold));
  if (!landmarks) return p;
  face::Vec3 sum{0, 0, 0};
  int ears = 0;
  for (const int side : {1, -1}) {
    const face::SideView view = face::side_view(head, threshold, side);
    if (const auto ear = face::find_ear(view, landmarks->nose_tip[1])) sum = sum + face::ear_centre(view, *ear), ++ears;
  }
  if (ears == 0) return p;
  const face::Vec3 c = (1.0 / ears) * sum;
  p.ear_nose_deg = std::atan2(c[2] - landmarks->nose_tip[2], c[1] - landmarks->nose_tip[1]) * 180 / M_PI;
  return p;
}

// How far the head frame found on each variant is from the one found on its original, after
// undoing the variant's turn: the frame's invariance to acquisition, in degrees.
int frames(const std::vector<test::SourceHead>& sources, int per_head, unsigned seed) {
  std::mt19937 rng(seed);
  for (const auto& head : sources) {
    const FrameProbe original = probe(head.volume, head.is_ct);
    if (!original.frame) {
      std::printf("%s: no frame on the original\n", head.name.c_str());
      continue;
    }
    std::printf("%s original: %s; ear-nose elevation %.1f deg\n", head.name.c_str(), original.frame->describe().c_str(),
                original.ear_nose_deg.value_or(NAN));
    for (int n = 0; n < per_head; ++n) {
      const test::Acquisition a = test::random_acquisition(rng, head.is_ct);
      auto datasets = test::acquire(head, a);
      std::vector<DcmDataset*> raw;
      for (auto& d : datasets) raw.push_back(d.get());
      const face::Volume v = face::build_series_volume(raw).volume;
      const FrameProbe p = probe(v, head.is_ct);
      if (!p.frame) {
        std::printf("  no frame  %s\n", a.describe().c_str());
        continue;
      }
      auto back = [&](const face::Vec3& axis) {
        return test::to_original(head, a, head.centre + axis) - head.centre;
      };
      // The pitch error, signed: the found superior's turn about the original's left axis.
      const face::Vec3 sup = back(p.frame->superior);
      const double pitch_error = std::atan2(face::dot(sup, original.frame->posterior), face::dot(sup, original.frame->superior)) * 180 / M_PI;
      std::printf("  left %5.1f  superior %5.1f  pitch error %6.1f  ear-nose change %6.1f  sym %.2f  %s\n",
                  angle_deg(back(p.frame->left), original.frame->left), angle_deg(sup, original.frame->superior),
                  pitch_error, p.ear_nose_deg && original.ear_nose_deg ? *p.ear_nose_deg - *original.ear_nose_deg : NAN,
                  p.frame->symmetry, a.describe().c_str());
      std::fflush(stdout);
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s HEADS_DIR VARIANTS_PER_HEAD [SEED]\n", argv[0]);
    return 2;
  }
  const std::filesystem::path heads = argv[1];
  const int per_head = std::atoi(argv[2]);
  const unsigned seed = argc > 3 ? static_cast<unsigned>(std::atoi(argv[3])) : 20261126u;
  std::vector<test::SourceHead> sources;
  for (const char* name : {"mne-sample-t1-mr", "vtk-headsq-ct"})
    if (auto h = test::load_source_head(heads / name, name)) sources.push_back(std::move(*h));
  sources.push_back(test::phantom_source_head());
  if (auto t = test::template_source_head()) sources.push_back(std::move(*t));
  if (std::getenv("RADVEIL_FRAMES")) return frames(sources, per_head, seed);
  const face::FaceDetectors detectors;
  std::size_t total = 0, defaced = 0, refused = 0, released_with_face = 0, brain_touched = 0;
  std::size_t within_30 = 0, recovered_30 = 0;  // poses up to 30 degrees about every axis: fitted within 5 deg and 5 mm
  std::vector<double> pose_mm, pose_deg;
  double slowest = 0;
  std::vector<double> times;
  std::string slowest_case;
  std::mt19937 rng(seed);
  for (const auto& head : sources) {
    for (int n = 0; n < per_head; ++n) {
      const test::Acquisition a = test::random_acquisition(rng, head.is_ct);
      if (const char* only = std::getenv("RADVEIL_ONLY");
          only && ("," + std::string(only) + ",").find("," + std::to_string(total) + ",") == std::string::npos) {
        ++total;
        continue;
      }
      const test::VariantOutcome o = test::try_variant(head, a, detectors);
      if (const char* only = std::getenv("RADVEIL_ONLY"); only && std::string(only).find(',') == std::string::npos)
        std::printf("%s\n", o.report.dump(1).c_str());
      ++total;
      times.push_back(o.seconds);
      defaced += o.outcome == "defaced";
      refused += o.outcome == "refused";
      released_with_face += o.released_with_face();
      brain_touched += o.brain_changed > 0;
      if (o.seconds > slowest) slowest = o.seconds, slowest_case = head.name + ": " + a.describe();
      const bool small_pose = std::abs(a.yaw_deg) <= 30 && std::abs(a.pitch_deg) <= 30 && std::abs(a.roll_deg) <= 30;
      within_30 += small_pose;
      recovered_30 += small_pose && o.pose_error_mm <= 5 && o.pose_error_deg <= 5;
      if (!std::isnan(o.pose_error_mm)) pose_mm.push_back(o.pose_error_mm), pose_deg.push_back(o.pose_error_deg);
      std::printf("%-18s %-8s %-26s brain %6zu  face-after %d  region-removed %d  pose-off %5.1f mm %4.1f deg  %5.2f s  %s\n",
                  head.name.c_str(), o.outcome.c_str(), o.reason.c_str(), o.brain_changed, o.face_after,
                  o.region_removed, o.pose_error_mm, o.pose_error_deg, o.seconds, a.describe().c_str());
      std::fflush(stdout);
    }
  }
  auto median = [](std::vector<double> v) {
    if (v.empty()) return std::nan("");
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  std::printf("\nvariants %zu: defaced %zu (%.1f%%), quarantined %zu (%.1f%%), released with a face %zu, "
              "brain touched %zu; poses within 30 deg recovered within 5 deg and 5 mm on %zu of %zu (every fit: median "
              "%.1f mm, %.1f deg); median %.2f s, slowest %.2f s (%s)\n",
              total, defaced, 100.0 * defaced / total, refused, 100.0 * refused / total, released_with_face,
              brain_touched, recovered_30, within_30, median(pose_mm), median(pose_deg), median(times), slowest,
              slowest_case.c_str());
  return 0;
}
