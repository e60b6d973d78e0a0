#include "face/template_registration.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <sstream>

#include "face/itk_registration.h"

namespace radveil::face {
namespace {

constexpr double kDeg = std::numbers::pi / 180;
// A skin point further than this from the other head's skin counts as this far (an ear, a tube,
// a shoulder the template does not have must not dominate).
constexpr double kClipMm = 15;
// A template skin point the subject's field of view does not reach costs about what a matched one
// does on a good fit of another person's head: more, and a field of view cut at the nose pulled
// the template's face up into view (14 mm off on the template's own variants); nothing, and a fit
// could hide skin outside the view.
constexpr double kUnseenMm = 4;
// Coarse search: rotations about each axis, shifts along the head's height (a field of view cut
// at the mouth moves the seen part's centre up) and depth, on this many skin points per head.
constexpr int kRotationSteps = 7;  // -45 .. +45 in 15 degree steps
constexpr double kRotationStepDeg = 15;
constexpr std::array<double, 7> kHeightShiftsMm = {-80, -60, -40, -20, 0, 20, 40};
constexpr std::array<double, 3> kDepthShiftsMm = {-15, 0, 15};
constexpr std::size_t kCoarsePoints = 400, kPolishPoints = 1500, kFinestPoints = 4000;
constexpr std::size_t kCandidates = 6;
// Two poses are distinct when they put some point of the face region this far apart.
constexpr double kDistinctMm = 12;


struct Pose {
  double yaw = 0, pitch = 0, roll = 0;  // degrees, about the template's z, x and y
  Vec3 shift{};                         // mm, added after the centres are matched
  double log_scale = 0;
};

std::array<Vec3, 3> rotation(const Pose& p) {
  const double cz = std::cos(p.yaw * kDeg), sz = std::sin(p.yaw * kDeg), cx = std::cos(p.pitch * kDeg),
               sx = std::sin(p.pitch * kDeg), cy = std::cos(p.roll * kDeg), sy = std::sin(p.roll * kDeg);
  // Rz * Rx * Ry, rows.
  const std::array<Vec3, 3> rz{{{cz, -sz, 0}, {sz, cz, 0}, {0, 0, 1}}};
  const std::array<Vec3, 3> rx{{{1, 0, 0}, {0, cx, -sx}, {0, sx, cx}}};
  const std::array<Vec3, 3> ry{{{cy, 0, sy}, {0, 1, 0}, {-sy, 0, cy}}};
  auto mul = [](const std::array<Vec3, 3>& a, const std::array<Vec3, 3>& b) {
    std::array<Vec3, 3> r{};
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) r[i][j] = a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j];
    return r;
  };
  return mul(mul(rz, rx), ry);
}

// q = s R (p - subject centre) + template centre + shift
LinearMap to_map(const Pose& pose, const Vec3& subject_centre, const Vec3& template_centre) {
  LinearMap f;
  const double s = std::exp(pose.log_scale);
  const auto r = rotation(pose);
  for (int i = 0; i < 3; ++i) f.m[i] = s * r[i];
  const Vec3 mc = {dot(f.m[0], subject_centre), dot(f.m[1], subject_centre), dot(f.m[2], subject_centre)};
  f.offset = template_centre + pose.shift - mc;
  return f;
}

std::vector<Vec3> every_nth(const std::vector<Vec3>& points, std::size_t n) {
  if (points.size() <= n) return points;
  std::vector<Vec3> out;
  const double stride = static_cast<double>(points.size()) / static_cast<double>(n);
  for (std::size_t i = 0; i < n; ++i) out.push_back(points[static_cast<std::size_t>(static_cast<double>(i) * stride)]);
  return out;
}

// How far each head's skin lies from the other's under a map: the mean of clipped distances of
// the subject's skin points in the template, plus the same for the template's in the subject.
class SurfaceScore {
 public:
  SurfaceScore(const HeadShape& subject, const HeadShape& head_template, std::size_t points)
      : subject_(subject), template_(head_template), subject_points_(every_nth(subject.skin, points)),
        template_points_(every_nth(head_template.skin, points)) {}
  // The template's skin points in the subject: every one counts, one the subject's field of view
  // does not reach as far as clipping allows (a pose cannot gain by moving skin out of view). The
  // reverse direction (the subject's skin in the template) is not scored: the template ends at the
  // base of its nose, and a subject's chin, neck and shoulders have nothing there to match.
  double operator()(const LinearMap& f) const {
    if (std::abs(f.determinant()) < 1e-6) return 1e9;
    return of_template_map(f.inverse());
  }
  // The same for a map from template points to subject points.
  double of_template_map(const LinearMap& g) const { return mean(template_points_, g, subject_); }

 private:
  static double mean(const std::vector<Vec3>& points, const LinearMap& f, const HeadShape& other) {
    double sum = 0;
    for (const Vec3& p : points) {
      float d = 0;
      sum += other.distance_at(f.apply(p), d) ? std::min<double>(std::abs(d), kClipMm) : kUnseenMm;
    }
    return points.empty() ? kClipMm : sum / static_cast<double>(points.size());
  }
  const HeadShape& subject_;
  const HeadShape& template_;
  std::vector<Vec3> subject_points_, template_points_;
};

struct Scored {
  Pose pose;
  LinearMap map;
  double cost = 0;
};

// Largest distance between where two maps put the face region's probe points in the subject.
double disagreement(const LinearMap& a, const LinearMap& b) {
  const LinearMap ai = a.inverse(), bi = b.inverse();
  double worst = 0;
  for (const Vec3& q : face_region_probe_points()) worst = std::max(worst, norm(ai.apply(q) - bi.apply(q)));
  return worst;
}

Scored polish(Scored start, const SurfaceScore& score, const Vec3& cs, const Vec3& ct) {
  double angle = 6, shift = 6, scale = 0.04;
  while (angle > 0.3) {
    bool improved = false;
    for (int param = 0; param < 7; ++param)
      for (const double sign : {1.0, -1.0}) {
        Pose p = start.pose;
        switch (param) {
          case 0: p.yaw += sign * angle; break;
          case 1: p.pitch += sign * angle; break;
          case 2: p.roll += sign * angle; break;
          case 6: p.log_scale += sign * scale; break;
          default: p.shift[param - 3] += sign * shift; break;
        }
        if (std::abs(p.log_scale) > 0.3) continue;  // 0.74x to 1.35x: no head is further from the template
        const LinearMap m = to_map(p, cs, ct);
        const double c = score(m);
        if (c < start.cost - 1e-6) start = {p, m, c}, improved = true;
      }
    if (!improved) angle /= 2, shift /= 2, scale /= 2;
  }
  return start;
}

// An affine map that is no head's: a scale outside 0.7-1.45, axes scaled very differently, or
// sheared.
bool plausible(const LinearMap& f) {
  std::array<double, 3> scales{};
  std::array<Vec3, 3> columns{};
  for (int c = 0; c < 3; ++c) {
    columns[c] = {f.m[0][c], f.m[1][c], f.m[2][c]};
    scales[c] = norm(columns[c]);
    if (scales[c] < 0.7 || scales[c] > 1.45) return false;
  }
  if (*std::max_element(scales.begin(), scales.end()) / *std::min_element(scales.begin(), scales.end()) > 1.3) return false;
  for (int a = 0; a < 3; ++a)
    for (int b = a + 1; b < 3; ++b)
      if (std::abs(dot(columns[a], columns[b])) / (scales[a] * scales[b]) > 0.15) return false;
  return f.determinant() > 0;
}

// The polished similarity, then an affine refinement where the affine stays plausible (a head is
// not its template scaled alike along every axis).
struct Fitted {
  LinearMap map;  // subject -> template
  double cost = 0;
  std::string stop;
};
std::optional<Fitted> fine_fit(const Scored& polished, const SurfaceScore& score, const Vec3& template_centre,
                               std::string& why) {
  const auto affine = refine_affine([&](const LinearMap& g) { return score.of_template_map(g); }, polished.map.inverse(),
                                    template_centre, why);
  if (!affine) return std::nullopt;
  const LinearMap f = affine->map.inverse();
  if (plausible(f) && affine->cost < polished.cost) return Fitted{f, affine->cost, affine->stop};
  return Fitted{polished.map, polished.cost, "the affine refinement was not kept (" + affine->stop + ")"};
}

double surface_error(const HeadShape& subject, const HeadShape& head_template, const LinearMap& f, std::size_t& known) {
  double sum = 0;
  known = 0;
  for (const Vec3& p : subject.skin) {
    float d = 0;
    if (!head_template.distance_at(f.apply(p), d)) continue;
    sum += std::min<double>(std::abs(d), kClipMm), ++known;
  }
  return known ? sum / static_cast<double>(known) : kClipMm;
}

}  // namespace

const std::vector<Vec3>& face_region_probe_points() {
  // RAS mm in the template's space: the face's landmarks, the lips and chin below the template's
  // field of view, the angles of the jaw, and in front of both ears.
  static const std::vector<Vec3> points = [] {
    const std::vector<Vec3> ras = {{0, 84, -38},  {0, 90, -62},   {30, 75, -38}, {-30, 75, -38}, {30, 67, -60},
                                   {-30, 67, -60}, {0, 84, -85},  {0, 76, -112}, {50, 30, -95},  {-50, 30, -95},
                                   {70, 30, -40}, {-70, 30, -40}};
    std::vector<Vec3> lps;
    for (const Vec3& p : ras) lps.push_back({-p[0], -p[1], p[2]});
    return lps;
  }();
  return points;
}

HeadFrame TemplateRegistration::frame() const {
  HeadFrame f;
  f.origin = to_subject.apply({0, 0, 0});
  auto column = [&](int c) { return Vec3{to_subject.m[0][c], to_subject.m[1][c], to_subject.m[2][c]}; };
  // Gram-Schmidt, superior first: the template's vertical is the best-defined of its axes.
  Vec3 superior = column(2);
  superior = (1.0 / norm(superior)) * superior;
  Vec3 posterior = column(1);
  posterior = posterior - dot(posterior, superior) * superior;
  posterior = (1.0 / norm(posterior)) * posterior;
  f.superior = superior, f.posterior = posterior, f.left = cross(posterior, superior);
  f.symmetry = 1;
  return f;
}

std::string TemplateRegistration::describe() const {
  const HeadFrame f = frame();
  std::ostringstream out;
  out.precision(1);
  out << std::fixed << "head turned " << std::atan2(-f.left[1], f.left[0]) / kDeg << " deg about z, "
      << std::atan2(f.posterior[2], f.posterior[1]) / kDeg << " about x, " << std::atan2(f.left[2], f.left[0]) / kDeg
      << " about y; template scale " << scale << ", skin " << surface_error_mm << " mm from the template's, second fit within "
      << agreement_mm << " mm";
  return out.str();
}

RegistrationOutcome register_to_template(const HeadShape& subject, const HeadTemplate& head_template,
                                         const GridImage* subject_image) {
  RegistrationOutcome out;
  const HeadShape& tpl = head_template.shape;
  if (subject.skin.size() < 200) {
    out.failure = "head-not-registered";
    out.detail = "too little skin in the field of view to register the head template";
    return out;
  }
  const Vec3 cs = subject.centroid, ct = tpl.centroid;
  const SurfaceScore coarse(subject, tpl, kCoarsePoints), fine(subject, tpl, kPolishPoints);
  // 1. Coarse: every rotation and shift on the grid.
  std::vector<Scored> scored;
  const double half = (kRotationSteps - 1) / 2.0;
  for (int a = 0; a < kRotationSteps; ++a)
    for (int b = 0; b < kRotationSteps; ++b)
      for (int c = 0; c < kRotationSteps; ++c)
        for (const double dz : kHeightShiftsMm)
          for (const double dy : kDepthShiftsMm) {
            Pose p;
            p.yaw = (a - half) * kRotationStepDeg, p.pitch = (b - half) * kRotationStepDeg, p.roll = (c - half) * kRotationStepDeg;
            p.shift = {0, dy, dz};
            const LinearMap m = to_map(p, cs, ct);
            scored.push_back({p, m, coarse(m)});
          }
  std::sort(scored.begin(), scored.end(), [](const Scored& x, const Scored& y) { return x.cost < y.cost; });
  // 2. The best distinct poses, polished on more points.
  std::vector<Scored> polished;
  std::vector<LinearMap> taken;
  for (const Scored& s : scored) {
    if (taken.size() >= kCandidates) break;
    if (std::any_of(taken.begin(), taken.end(), [&](const LinearMap& t) { return disagreement(t, s.map) < kDistinctMm; })) continue;
    taken.push_back(s.map);
    Scored start = s;
    start.cost = fine(s.map);
    polished.push_back(polish(start, fine, cs, ct));
  }
  std::sort(polished.begin(), polished.end(), [](const Scored& x, const Scored& y) { return x.cost < y.cost; });
  const Scored& best = polished.front();
  // 3. Affine refinement by ITK from the best pose, and 4. the same from a start turned 8 degrees
  // about every axis, shifted 10 mm and scaled 4%: both must land on the same face.
  std::string why;
  const SurfaceScore finest(subject, tpl, kFinestPoints);
  auto first = fine_fit(best, finest, ct, why);
  if (!first) {
    out.failure = "head-not-registered", out.detail = why;
    return out;
  }
  Pose moved = best.pose;
  moved.yaw += 8, moved.pitch -= 8, moved.roll += 8, moved.shift = moved.shift + Vec3{0, -6, 8}, moved.log_scale += 0.04;
  const LinearMap moved_map = to_map(moved, cs, ct);
  const Scored again = polish({moved, moved_map, fine(moved_map)}, fine, cs, ct);
  auto second = fine_fit(again, finest, ct, why);
  if (!second) {
    out.failure = "head-not-registered", out.detail = "the second fit failed: " + why;
    return out;
  }
  std::string intensity_note;
  if (subject_image && !subject_image->empty() && !head_template.image.empty()) {
    auto by_intensity = [&](Fitted& fit) -> std::string {
      std::string mi_why;
      const auto refined = refine_by_mutual_information(*subject_image, head_template.image, fit.map, mi_why);
      if (!refined) return mi_why;
      if (!plausible(refined->map)) return "mutual information gave an implausible map (not kept)";
      const double moved = disagreement(fit.map, refined->map);
      fit.map = refined->map;
      fit.cost = finest(refined->map);
      std::ostringstream note;
      note.precision(1);
      note << std::fixed << "mutual information moved the face region " << moved << " mm (" << refined->stop << ")";
      return note.str();
    };
    intensity_note = by_intensity(*first);
    by_intensity(*second);
  }
  TemplateRegistration r;
  r.intensity_refinement = intensity_note;
  r.to_template = first->map;
  r.to_subject = first->map.inverse();
  r.agreement_mm = disagreement(first->map, second->map);
  std::size_t known = 0;
  r.surface_error_mm = surface_error(subject, tpl, first->map, known);
  r.coarse_cost = scored.front().cost;
  r.polished_cost = best.cost;
  r.scale = std::cbrt(std::abs(first->map.determinant()));
  r.candidates = static_cast<int>(polished.size());
  r.refinement = first->stop;
  std::ostringstream detail;
  detail.precision(1);
  detail << std::fixed << "skin " << r.surface_error_mm << " mm from the template's (at most " << kMaxSurfaceErrorMm
         << "), a second fit " << r.agreement_mm << " mm away over the face region (at most " << kMaxDisagreementMm << ")";
  out.refused_fit = r;
  if (known < subject.skin.size() / 5) {
    out.failure = "head-not-registered";
    out.detail = "too little of the skin lies where the template has a head to compare; " + detail.str();
    return out;
  }
  if (r.surface_error_mm > kMaxSurfaceErrorMm) {
    out.failure = "head-not-registered";
    out.detail = "the template does not fit this head; " + detail.str();
    return out;
  }
  if (r.agreement_mm > kMaxDisagreementMm) {
    out.failure = "registration-uncertain";
    out.detail = "two fits from different starts disagree; " + detail.str();
    return out;
  }
  out.fit = r;
  out.refused_fit.reset();
  out.detail = detail.str();
  return out;
}

}  // namespace radveil::face
