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
// RADVEIL_JUDGE=1 prints the detections and the nose the evaluation finds on a defaced variant;
// RADVEIL_FITS=1 runs the template registration alone (gates aside) on each original and variant
// and prints how far each variant's fit lies from its original's (RADVEIL_NO_MI=1: on the shape
// alone, without the mutual-information refinement); with RADVEIL_FIT_DUMP=dir it also writes,
// per fit, the series seen through it on the template's mid-sagittal and eye-level planes (the
// template's contours in red, the face region hatched), the same after the cut, and the
// verification's renders from the template's, the scanner's and the mirror-symmetry axes.
#include <algorithm>
#include <chrono>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
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
#include "face/head_shape.h"
#include "face/head_template.h"
#include "face/template_registration.h"
#include "face/template_cut.h"
#include "face/face_check.h"
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

// What the template path did on a variant: "cut" (it defaced it), the reason it handed the series
// to the landmark method, or "-" where it was not tried (the tissue proved no face in view).
std::string template_path(const nlohmann::json& report) {
  const auto g = report.find("registration");
  if (g == report.end() || !g->is_object()) return "-";
  if (const auto refused = g->find("refused"); refused != g->end() && refused->is_object())
    return refused->value("reason", std::string("?"));
  return report.value("outcome", std::string()) == "defaced" ? "cut" : g->value("failure", std::string("-"));
}

// The template registration alone, gates aside: on each original, then on each variant, how far
// the variant's fit lies from the original's once the turn is undone (RADVEIL_FITS=1).
std::optional<face::TemplateRegistration> any_fit(const face::RegistrationOutcome& r) {
  return r.fit ? r.fit : r.refused_fit;
}

// RADVEIL_FIT_DUMP=dir: the subject seen through a fit, on the template's mid-sagittal plane and
// its axial plane through the eyes, with the template's skin in red (where the fit says it is).
void dump_fit(const std::string& dir, const std::string& name, const face::Volume& v, const face::HeadTemplate& t,
              const face::TemplateRegistration& fit) {
  // RAS planes: sagittal x = 0 (y -110..110, z -140..110), axial z = -38 (x -100..100, y -110..110).
  auto panel = [&](bool sagittal) {
    const int w = 220, h = sagittal ? 250 : 220;
    cv::Mat img(h, w, CV_8UC3);
    float lo = 1e30f, hi = -1e30f;
    for (float x : v.data) lo = std::min(lo, x), hi = std::max(hi, x);
    const float top = lo + 0.5f * (hi - lo);
    for (int r = 0; r < h; ++r)
      for (int c = 0; c < w; ++c) {
        face::Vec3 ras = sagittal ? face::Vec3{0, 110.0 - c, 110.0 - r} : face::Vec3{100.0 - c * 200.0 / w, 110.0 - r, -38};
        const face::Vec3 q{-ras[0], -ras[1], ras[2]};
        face::Vec3 ijk{};
        float s = lo;
        if (v.affine.to_voxel(fit.to_subject.apply(q), ijk)) s = v.sample(ijk[0], ijk[1], ijk[2], lo);
        const auto g = static_cast<unsigned char>(std::clamp((s - lo) / (top - lo) * 255.0f, 0.0f, 255.0f));
        face::Vec3 tv{};
        float tt = 0;
        if (t.head.affine.to_voxel(q, tv)) tt = t.head.sample(tv[0], tv[1], tv[2], 0);
        img.at<cv::Vec3b>(r, c) = {g, g, g};
        if (std::abs(tt - t.threshold) < 6) img.at<cv::Vec3b>(r, c) = {0, 0, 255};
        if (face::HeadTemplate::in_face_region(q) && ((r + c) % 7 == 0)) img.at<cv::Vec3b>(r, c) = {0, 200, 0};
      }
    return img;
  };
  cv::Mat out(250, 440, CV_8UC3, cv::Scalar(0, 0, 0));
  panel(true).copyTo(out(cv::Rect(0, 0, 220, 250)));
  panel(false).copyTo(out(cv::Rect(220, 0, 220, 220)));
  cv::resize(out, out, cv::Size(), 2, 2, cv::INTER_NEAREST);
  cv::imwrite(dir + "/" + name + ".png", out);
}

int fits(const std::vector<test::SourceHead>& sources, int per_head, unsigned seed) {
  std::string why;
  const face::HeadTemplate* t = face::colin27(why);
  if (!t) return std::fprintf(stderr, "%s\n", why.c_str()), 1;
  std::mt19937 rng(seed);
  int index = 0;
  for (const auto& head : sources) {
    const bool mi = std::getenv("RADVEIL_NO_MI") == nullptr;
    const face::HeadShape original_shape = face::head_shape(face::main_tissue_body(head.volume, head.skin_threshold));
    const face::GridImage original_image = mi ? face::head_image(head.volume, original_shape, face::kRegistrationImageStepMm, head.is_ct) : face::GridImage{};
    const auto original = face::register_to_template(original_shape, *t, mi ? &original_image : nullptr);
    const auto truth = head.name == "colin27-template" ? head.fit : any_fit(original);
    const char* dump = std::getenv("RADVEIL_FIT_DUMP");
    if (dump && truth) dump_fit(dump, head.name + "-original", head.volume, *t, *truth);
    std::printf("%s original: %s %s [%s]\n", head.name.c_str(), original.failure.empty() ? "fit" : original.failure.c_str(),
                original.detail.c_str(), truth ? truth->intensity_refinement.c_str() : "");
    for (int n = 0; n < per_head; ++n, ++index) {
      const test::Acquisition a = test::random_acquisition(rng, head.is_ct);
      if (const char* only = std::getenv("RADVEIL_ONLY");
          only && ("," + std::string(only) + ",").find("," + std::to_string(index) + ",") == std::string::npos)
        continue;
      auto datasets = test::acquire(head, a);
      std::vector<DcmDataset*> raw;
      for (auto& d : datasets) raw.push_back(d.get());
      const face::Volume v = face::build_series_volume(raw).volume;
      const auto started = std::chrono::steady_clock::now();
      const float threshold = face::skin_threshold(v, head.is_ct);
      const face::HeadShape shape = face::head_shape(face::main_tissue_body(v, threshold));
      const face::GridImage image = mi ? face::head_image(v, shape, face::kRegistrationImageStepMm, head.is_ct) : face::GridImage{};
      const auto r = face::register_to_template(shape, *t, mi ? &image : nullptr);
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      const auto fit = any_fit(r);
      if (dump && fit) {
        dump_fit(dump, head.name + "-" + std::to_string(index), v, *t, *fit);
        face::Volume cut = v;
        const float air = head.is_ct ? -1000.0f : std::min(0.0f, threshold - 1);
        face::cut_face_region(cut, *fit, *t, shape, false, air, head.is_ct ? 40.0f : threshold * 2.5f, threshold);
        dump_fit(dump, head.name + "-" + std::to_string(index) + "-cut", cut, *t, *fit);
        static const face::FaceDetectors detectors;
        const face::Affine scanner = cut.affine;
        std::vector<std::pair<std::string, face::Affine>> axes{{"template", fit->frame().in_head(scanner)}, {"scanner", scanner}};
        if (const auto mirror = face::find_head_frame(face::main_tissue_body(v, threshold))) axes.push_back({"mirror", mirror->in_head(scanner)});
        for (const auto& [axes_name, affine] : axes) {
          cut.affine = affine;
          const face::FaceCheck check = face::check_face(cut, threshold, detectors);
          cut.affine = scanner;
          std::printf("   %s axes: views remaining %zu, nose %d (%.1f mm)\n", axes_name.c_str(), check.views_remaining(),
                      check.nose_present(), check.landmarks ? check.landmarks->protrusion_mm : NAN);
          for (std::size_t i = 0; i < check.views.size(); ++i)
            cv::imwrite(std::string(dump) + "/" + head.name + "-" + std::to_string(index) + "-" + axes_name + "-" +
                            std::to_string(i) + ".png", check.views[i].image);
        }
      }
      double mm = NAN, deg = NAN;
      if (fit && truth) {
        mm = 0;
        for (const face::Vec3& q : face::face_region_probe_points())
          mm = std::max(mm, face::norm(test::to_original(head, a, fit->to_subject.apply(q)) - truth->to_subject.apply(q)));
        const face::HeadFrame found = fit->frame(), expected = truth->frame();
        auto back = [&](const face::Vec3& axis) { return test::to_original(head, a, head.centre + axis) - head.centre; };
        deg = std::max({angle_deg(back(found.left), expected.left), angle_deg(back(found.posterior), expected.posterior),
                        angle_deg(back(found.superior), expected.superior)});
      }
      std::printf("%2d %-18s %-22s surface %5.1f  agree %5.1f  pose-off %5.1f mm %5.1f deg  %5.1f s  %s  [%s]\n", index,
                  head.name.c_str(), r.failure.empty() ? "fit" : r.failure.c_str(), fit ? fit->surface_error_mm : NAN,
                  fit ? fit->agreement_mm : NAN, mm, deg, seconds, a.describe().c_str(),
                  fit ? fit->intensity_refinement.c_str() : "");
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
  if (std::getenv("RADVEIL_FITS")) return fits(sources, per_head, seed);
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
      std::printf("%-18s %-8s %-26s brain %6zu  face-after %d  region-removed %d  pose-off %5.1f mm %4.1f deg  %5.2f s  %s  "
                  "[template: %s]\n",
                  head.name.c_str(), o.outcome.c_str(), o.reason.c_str(), o.brain_changed, o.face_after,
                  o.region_removed, o.pose_error_mm, o.pose_error_deg, o.seconds, a.describe().c_str(),
                  template_path(o.report).c_str());
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
