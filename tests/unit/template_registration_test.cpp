// Face removal by registration to the head template (Colin27 from Debian's mricron-data): the
// template file is read into patient coordinates; a turned, shifted copy of the template is found
// again within the precision the issue asks for (5 mm over the face, 5 degrees); what is no head
// gets no fit; and the cut empties the face region without changing one voxel of the brain.
#include <gtest/gtest.h>
#include <zlib.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <numbers>

#include "face/head_extent.h"
#include "face/head_shape.h"
#include "face/head_template.h"
#include "face/nifti.h"
#include "face/template_cut.h"
#include "face/template_registration.h"

using namespace radveil::face;

namespace {

// scripts/install-deps.sh installs mricron-data: without it the tests fail, they never skip.
const HeadTemplate* colin() {
  std::string why;
  const HeadTemplate* t = colin27(why);
  EXPECT_NE(t, nullptr) << why;
  return t;
}

// A rotation about z, then x, then y (degrees), as rows.
std::array<Vec3, 3> turn(double yaw, double pitch, double roll) {
  const double d = std::numbers::pi / 180, cz = std::cos(yaw * d), sz = std::sin(yaw * d), cx = std::cos(pitch * d),
               sx = std::sin(pitch * d), cy = std::cos(roll * d), sy = std::sin(roll * d);
  const std::array<Vec3, 3> z{{{cz, -sz, 0}, {sz, cz, 0}, {0, 0, 1}}}, x{{{1, 0, 0}, {0, cx, -sx}, {0, sx, cx}}},
      y{{{cy, 0, sy}, {0, 1, 0}, {-sy, 0, cy}}};
  auto mul = [](const std::array<Vec3, 3>& a, const std::array<Vec3, 3>& b) {
    std::array<Vec3, 3> r{};
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) r[i][j] = a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j];
    return r;
  };
  return mul(mul(z, x), y);
}

// The template head moved by `move` (template point -> scanner point), resampled on a 2 mm grid
// in the scanner, optionally with everything below `lowest_z` (scanner) outside the field of view.
Volume moved_template(const HeadTemplate& t, const LinearMap& move, double lowest_z = -1e9) {
  const LinearMap back = move.inverse();
  const auto [lo, hi] = t.head.patient_bounds();
  Vec3 a{1e9, 1e9, 1e9}, b{-1e9, -1e9, -1e9};
  for (int c = 0; c < 8; ++c) {
    const Vec3 p = move.apply({(c & 1) ? hi[0] : lo[0], (c & 2) ? hi[1] : lo[1], (c & 4) ? hi[2] : lo[2]});
    for (int k = 0; k < 3; ++k) a[k] = std::min(a[k], p[k]), b[k] = std::max(b[k], p[k]);
  }
  a[2] = std::max(a[2], lowest_z);
  const double step = 2;
  Volume v(static_cast<int>((b[0] - a[0]) / step) + 1, static_cast<int>((b[1] - a[1]) / step) + 1,
           static_cast<int>((b[2] - a[2]) / step) + 1);
  v.affine.origin = a;
  v.affine.axis = {Vec3{step, 0, 0}, Vec3{0, step, 0}, Vec3{0, 0, step}};
  for (int k = 0; k < v.nz; ++k)
    for (int j = 0; j < v.ny; ++j)
      for (int i = 0; i < v.nx; ++i) {
        Vec3 ijk{};
        t.head.affine.to_voxel(back.apply(v.affine.to_patient(i, j, k)), ijk);
        v.at(i, j, k) = t.head.sample(ijk[0], ijk[1], ijk[2], 0);
      }
  return v;
}

LinearMap rigid(double yaw, double pitch, double roll, const Vec3& shift) {
  LinearMap m;
  m.m = turn(yaw, pitch, roll);
  m.offset = shift;
  return m;
}

// Largest distance over the face region between where the fit and the truth put it.
double face_error_mm(const TemplateRegistration& fit, const LinearMap& truth) {
  double worst = 0;
  for (const Vec3& q : face_region_probe_points()) worst = std::max(worst, norm(fit.to_subject.apply(q) - truth.apply(q)));
  return worst;
}

double axis_error_deg(const TemplateRegistration& fit, const LinearMap& truth) {
  const HeadFrame f = fit.frame();
  double worst = 0;
  const std::array<Vec3, 3> found{f.left, f.posterior, f.superior};
  for (int a = 0; a < 3; ++a) {
    const Vec3 want{truth.m[0][a], truth.m[1][a], truth.m[2][a]};
    worst = std::max(worst, std::acos(std::clamp(dot(found[a], want) / norm(want), -1.0, 1.0)) * 180 / std::numbers::pi);
  }
  return worst;
}

void write_gz(const std::filesystem::path& path, const std::vector<unsigned char>& bytes, std::size_t keep) {
  gzFile out = gzopen(path.c_str(), "wb");
  ASSERT_NE(out, nullptr);
  gzwrite(out, bytes.data(), static_cast<unsigned>(std::min(keep, bytes.size())));
  gzclose(out);
}

}  // namespace

TEST(Nifti, AGzippedVolumeIsReadIntoDicomPatientCoordinates) {
  // 4 x 3 x 2 uint8 voxels, 2 mm, RAS origin (-10, 20, 30): LPS flips x and y.
  std::vector<unsigned char> file(352 + 24, 0);
  auto put = [&](std::size_t at, auto v) { std::memcpy(file.data() + at, &v, sizeof v); };
  put(0, std::int32_t{348});
  const std::int16_t dims[8] = {3, 4, 3, 2, 1, 1, 1, 1};
  std::memcpy(file.data() + 40, dims, sizeof dims);
  put(70, std::int16_t{2});
  put(72, std::int16_t{8});
  put(108, 352.0f);
  put(254, std::int16_t{1});
  const float srow[12] = {2, 0, 0, -10, 0, 2, 0, 20, 0, 0, 2, 30};
  std::memcpy(file.data() + 280, srow, sizeof srow);
  for (int i = 0; i < 24; ++i) file[352 + static_cast<std::size_t>(i)] = static_cast<unsigned char>(i);
  const auto path = std::filesystem::temp_directory_path() / ("radveil-nifti-" + std::to_string(::getpid()) + ".nii.gz");
  write_gz(path, file, file.size());
  const Volume v = read_nifti(path);
  EXPECT_EQ(v.nx, 4);
  EXPECT_EQ(v.ny, 3);
  EXPECT_EQ(v.nz, 2);
  EXPECT_EQ(v.at(3, 2, 1), 23.0f);
  const Vec3 p = v.affine.to_patient(1, 1, 1);
  EXPECT_DOUBLE_EQ(p[0], 10 - 2);  // RAS x -10 + 2 -> LPS x 8
  EXPECT_DOUBLE_EQ(p[1], -22);     // RAS y 20 + 2 -> LPS y -22
  EXPECT_DOUBLE_EQ(p[2], 32);
  write_gz(path, file, 352 + 10);  // voxels cut short
  EXPECT_THROW(read_nifti(path), NiftiError);
  std::filesystem::remove(path);
}

TEST(HeadTemplate, Colin27IsLoadedWithItsBrainInsideItsHeadAndItsFaceOutsideTheBrain) {
  const HeadTemplate* t = colin();
  ASSERT_NE(t, nullptr);
  EXPECT_GT(t->shape.skin.size(), 5000u);
  for (const TemplateLandmark& l : t->face_landmarks) {
    EXPECT_TRUE(HeadTemplate::in_face_region(l.point)) << l.name;
    EXPECT_GT(t->brain_distance_at(l.point), HeadTemplate::kBrainMarginMm) << l.name << " lies in the keep-out region";
  }
  // The anterior commissure (MNI origin) is brain; the nose tip is not.
  EXPECT_TRUE(t->in_brain({0, 0, 0}));
  EXPECT_FALSE(t->in_brain({0, -90, -62}));
}

TEST(TemplateRegistration, FindsATurnedAndShiftedTemplateHeadWithin5mmAnd5Degrees) {
  const HeadTemplate* t = colin();
  ASSERT_NE(t, nullptr);
  for (const auto& [yaw, pitch, roll] : {std::array<double, 3>{25, -20, 15}, std::array<double, 3>{-30, 25, -25}}) {
    const LinearMap truth = rigid(yaw, pitch, roll, {12, -9, 20});
    const Volume v = moved_template(*t, truth);
    const RegistrationOutcome r = register_to_template(head_shape(main_tissue_body(v, 35)), *t);
    ASSERT_TRUE(r.fit) << r.failure << ": " << r.detail;
    EXPECT_LE(face_error_mm(*r.fit, truth), 5) << "yaw " << yaw << " pitch " << pitch << " roll " << roll;
    EXPECT_LE(axis_error_deg(*r.fit, truth), 5) << "yaw " << yaw << " pitch " << pitch << " roll " << roll;
    EXPECT_LE(r.fit->agreement_mm, kMaxDisagreementMm);
  }
}

TEST(TemplateRegistration, MutualInformationOnTheIntensitiesFindsTheHeadWithin1mmAnd1Degree) {
  // The shape alone leaves a few millimetres (a skin threshold is not the template's); the
  // intensities pin the skull, brain and orbits, whatever the scanner's scale and bias field.
  const HeadTemplate* t = colin();
  ASSERT_NE(t, nullptr);
  const LinearMap truth = rigid(-22, 17, 12, {-8, 10, -15});
  Volume v = moved_template(*t, truth);
  for (int k = 0; k < v.nz; ++k)
    for (int j = 0; j < v.ny; ++j)
      for (int i = 0; i < v.nx; ++i) v.at(i, j, k) *= static_cast<float>(6.5 * (1 + 0.3 * k / v.nz));
  const float threshold = 35 * 6.5f;
  const HeadShape shape = head_shape(main_tissue_body(v, threshold));
  const RegistrationOutcome by_shape = register_to_template(shape, *t);
  const GridImage image = head_image(v, shape, kRegistrationImageStepMm, false);
  const RegistrationOutcome r = register_to_template(shape, *t, &image);
  ASSERT_TRUE(r.fit) << r.failure << ": " << r.detail;
  ASSERT_TRUE(by_shape.fit) << by_shape.failure << ": " << by_shape.detail;
  EXPECT_FALSE(r.fit->intensity_refinement.empty());
  EXPECT_LE(face_error_mm(*r.fit, truth), 1.0);
  EXPECT_LE(axis_error_deg(*r.fit, truth), 1.0);
  EXPECT_LT(face_error_mm(*r.fit, truth), face_error_mm(*by_shape.fit, truth));
}

TEST(TemplateRegistration, AHeadCutAtTheNoseIsFoundOrRefusedNeverMisplaced) {
  const HeadTemplate* t = colin();
  ASSERT_NE(t, nullptr);
  const LinearMap truth = rigid(-15, 18, 10, {0, 5, 0});
  // Everything below the nose's middle is out of view.
  const Volume v = moved_template(*t, truth, truth.apply({0, -88, -50})[2]);
  const RegistrationOutcome r = register_to_template(head_shape(main_tissue_body(v, 35)), *t);
  if (r.fit) {
    EXPECT_LE(face_error_mm(*r.fit, truth), 6);
  } else {
    EXPECT_FALSE(r.failure.empty());
  }
}

TEST(TemplateRegistration, WhatIsNoHeadGetsNoFit) {
  const HeadTemplate* t = colin();
  ASSERT_NE(t, nullptr);
  // A smooth cylinder of a head's size (a phantom bottle, a limb in a coil).
  Volume v(100, 100, 110);
  v.affine.axis = {Vec3{2, 0, 0}, Vec3{0, 2, 0}, Vec3{0, 0, 2}};
  v.affine.origin = {-100, -100, -110};
  for (int k = 5; k < 105; ++k)
    for (int j = 0; j < v.ny; ++j)
      for (int i = 0; i < v.nx; ++i)
        if (std::hypot(i - 50.0, j - 50.0) < 38) v.at(i, j, k) = 200;
  const RegistrationOutcome r = register_to_template(head_shape(main_tissue_body(v, 100)), *t);
  EXPECT_FALSE(r.fit) << "a cylinder was fitted: " << r.detail;
}

TEST(TemplateCut, EmptiesTheFaceRegionAndNeverTouchesTheBrain) {
  const HeadTemplate* t = colin();
  ASSERT_NE(t, nullptr);
  Volume v = t->head;
  TemplateRegistration identity;  // the template itself: its own face region, its own brain
  const HeadShape shape = head_shape(main_tissue_body(v, t->threshold));
  const TemplateCut cut = cut_face_region(v, identity, *t, shape, /*ears=*/true, 0, 80, t->threshold);
  EXPECT_GT(cut.tissue_removed, 50000u);
  EXPECT_GT(cut.ear_tissue_removed, 1000u);
  EXPECT_EQ(cut.brain_changed, 0u);
  std::size_t brain_changed = 0;
  for (int k = 0; k < v.nz; ++k)
    for (int j = 0; j < v.ny; ++j)
      for (int i = 0; i < v.nx; ++i)
        if (v.at(i, j, k) != t->head.at(i, j, k) && t->in_brain(v.affine.to_patient(i, j, k))) ++brain_changed;
  EXPECT_EQ(brain_changed, 0u);
  for (const TemplateLandmark& l : t->face_landmarks)
    EXPECT_EQ(tissue_near(v, l.point, 5, t->threshold).tissue, 0u) << l.name << " still has tissue";
}
