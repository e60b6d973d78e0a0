#include "support/head_variants.h"

#include <opencv2/imgcodecs.hpp>

#include "face/head_frame.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <sstream>

#include "dicom/instance_file.h"
#include "face/face_check.h"
#include "face/face_geometry.h"
#include "face/series_defacer.h"
#include "face/head_extent.h"
#include "face/head_shape.h"
#include "face/head_template.h"
#include "face/series_volume.h"
#include "face/template_registration.h"
#include "support/head_phantom.h"
#include "face/surface_render.h"

namespace radveil::test {

using face::operator+;
using face::operator-;
using face::operator*;

namespace {

using face::Vec3;
constexpr double kPi = 3.14159265358979323846;

struct Mat3 {
  std::array<Vec3, 3> row{};
  Vec3 operator*(const Vec3& v) const { return {face::dot(row[0], v), face::dot(row[1], v), face::dot(row[2], v)}; }
  Mat3 transposed() const {
    Mat3 t;
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c) t.row[r][c] = row[c][r];
    return t;
  }
  Mat3 operator*(const Mat3& o) const {
    Mat3 m;
    const Mat3 ot = o.transposed();
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c) m.row[r][c] = face::dot(row[r], ot.row[c]);
    return m;
  }
};

// Rotation by `deg` about unit `axis` (Rodrigues).
Mat3 rotation(const Vec3& axis, double deg) {
  const double a = deg * kPi / 180, c = std::cos(a), s = std::sin(a), t = 1 - c;
  const double x = axis[0], y = axis[1], z = axis[2];
  return Mat3{{Vec3{t * x * x + c, t * x * y - s * z, t * x * z + s * y},
               Vec3{t * x * y + s * z, t * y * y + c, t * y * z - s * x},
               Vec3{t * x * z - s * y, t * y * z + s * x, t * z * z + c}}};
}

// The head's turn in patient space (LPS): yaw about z, pitch about x, roll about y.
Mat3 turn(const Acquisition& a) {
  return rotation({0, 0, 1}, a.yaw_deg) * rotation({1, 0, 0}, a.pitch_deg) * rotation({0, 1, 0}, a.roll_deg);
}

std::string ds_list(std::initializer_list<double> values) {
  std::ostringstream out;
  out.precision(10);
  bool first = true;
  for (double v : values) {
    if (!first) out << '\\';
    out << v;
    first = false;
  }
  return out.str();
}

}  // namespace

std::string Acquisition::describe() const {
  static const char* kPlanes[] = {"axial", "coronal", "sagittal"};
  static const char* kFov[] = {"whole head", "FOV ends at the eyes", "FOV ends at the nose", "FOV ends at the mouth",
                               "FOV ends at the chin"};
  std::ostringstream out;
  out.precision(3);
  out << "yaw " << yaw_deg << " pitch " << pitch_deg << " roll " << roll_deg << ", " << kPlanes[static_cast<int>(plane)]
      << " oblique " << oblique_deg << ", " << in_plane_mm << "x" << in_plane_mm << "x" << slice_mm << " mm, "
      << kFov[static_cast<int>(fov)] << ", scale " << intensity_scale << " bias " << bias << " noise " << noise_sd
      << (reverse_slices ? ", reversed" : "") << (body_part ? "" : ", no body part") << (head_holder ? ", head holder" : "")
      << (collar ? ", collar" : "") << ", seed " << seed;
  return out.str();
}

bool SourceHead::in_brain(const Vec3& p) const {
  Vec3 ijk;
  if (brain.empty() || !volume.affine.to_voxel(p, ijk)) return false;
  const int i = static_cast<int>(std::lround(ijk[0])), j = static_cast<int>(std::lround(ijk[1])),
            k = static_cast<int>(std::lround(ijk[2]));
  return volume.inside(i, j, k) && brain[volume.index(i, j, k)];
}

namespace {

// Where a person marked each source head's nose tip (patient x and z of the original, on its
// frontal depth map). The evaluation's face region, brain region and field-of-view cuts are placed
// from it, not from the nose search under test: on the CT head, which lies pitched chin-down in
// its scanner, the search stops on the nasal dorsum 27 mm above the tip.
std::optional<face::NosePosition> annotated_nose_tip(const std::string& name) {
  if (name == "mne-sample-t1-mr") return face::NosePosition{-2, -6};
  if (name == "vtk-headsq-ct") return face::NosePosition{3, -4};
  if (name == "phantom") return face::NosePosition{0, -8};  // support/head_phantom.cpp: the nose's front
  if (name == "colin27-template") return face::NosePosition{0, -64};  // where its field of view cuts the nose
  return std::nullopt;  // another head: the search's own nose tip
}

// The brain truth of a source head: the template's brain placed by registering the upright,
// uncut original (support/head_variants.h).
void place_brain(SourceHead& head) {
  std::string why;
  const face::HeadTemplate* t = face::colin27(why);
  if (!t) return;
  const face::HeadShape shape = face::head_shape(face::main_tissue_body(head.volume, head.skin_threshold));
  const face::GridImage image = face::head_image(head.volume, shape, face::kRegistrationImageStepMm, head.is_ct);
  const auto fitted = face::register_to_template(shape, *t, &image);
  if (!fitted.fit) {
    std::fprintf(stderr, "%s: the original itself is not registered (%s: %s)\n", head.name.c_str(), fitted.failure.c_str(),
                 fitted.detail.c_str());
    return;
  }
  head.fit = fitted.fit;
  const auto& v = head.volume;
  head.brain.assign(v.data.size(), 0);
  for (int k = 0; k < v.nz; ++k)
    for (int j = 0; j < v.ny; ++j)
      for (int i = 0; i < v.nx; ++i)
        head.brain[v.index(i, j, k)] = t->in_brain(head.fit->to_template.apply(v.affine.to_patient(i, j, k)));
}

std::optional<SourceHead> measure_volume(face::Volume volume, bool is_ct, const std::string& name, float threshold) {
  SourceHead head;
  head.name = name;
  head.is_ct = is_ct;
  head.volume = std::move(volume);
  head.skin_threshold = threshold;
  head.surface = face::frontal_surface(head.volume, head.skin_threshold);
  const auto landmarks = face::find_face_landmarks(head.surface, annotated_nose_tip(name));
  if (!landmarks) return std::nullopt;
  head.landmarks = *landmarks;
  head.nose_tip = landmarks->nose_tip;
  head.brow_z = landmarks->brow_z;
  Vec3 sum{0, 0, 0};
  double n = 0;
  const auto& v = head.volume;
  for (int k = 0; k < v.nz; k += 2)
    for (int j = 0; j < v.ny; j += 2)
      for (int i = 0; i < v.nx; i += 2)
        if (v.at(i, j, k) > head.skin_threshold) sum = sum + v.affine.to_patient(i, j, k), n += 1;
  head.centre = (1.0 / std::max(1.0, n)) * sum;
  return head;
}

std::optional<SourceHead> measure(const std::vector<DcmDataset*>& datasets, const std::string& name) {
  if (datasets.empty()) return std::nullopt;
  OFString modality;
  datasets.front()->findAndGetOFString(DCM_Modality, modality);
  face::Volume volume = face::build_series_volume(datasets).volume;
  const float threshold = face::skin_threshold(volume, modality == "CT");
  auto head = measure_volume(std::move(volume), modality == "CT", name, threshold);
  if (head) place_brain(*head);
  return head;
}

}  // namespace

std::optional<SourceHead> load_source_head(const std::filesystem::path& folder, const std::string& name) {
  std::vector<dicom::LoadedInstance> loaded;
  std::vector<DcmDataset*> datasets;
  for (const auto& e : std::filesystem::directory_iterator(folder)) {
    if (!e.is_regular_file()) continue;
    loaded.push_back(dicom::load_complete(e.path()));
    datasets.push_back(loaded.back().dataset.get());
  }
  return measure(datasets, name);
}

SourceHead phantom_source_head() {
  SeriesSpec spec;
  spec.spacing = 2.0;
  spec.size = 140;
  const auto series = write_phantom_series(spec);
  SourceHead head = *measure(pointers(series), "phantom");
  // Its brain is known exactly (support/head_phantom.h): an egg is no head the template's brain
  // can be placed in by registration.
  const auto& v = head.volume;
  head.brain.assign(v.data.size(), 0);
  for (int k = 0; k < v.nz; ++k)
    for (int j = 0; j < v.ny; ++j)
      for (int i = 0; i < v.nx; ++i) {
        const Vec3 p = v.affine.to_patient(i, j, k);
        head.brain[v.index(i, j, k)] = phantom_in_brain({p[0], p[1], p[2]});
      }
  return head;
}

std::optional<SourceHead> template_source_head() {
  std::string why;
  const face::HeadTemplate* t = face::colin27(why);
  if (!t) return std::nullopt;
  auto head = measure_volume(t->head, false, "colin27-template", t->threshold);
  if (!head) return std::nullopt;
  // Its brain and pose are known exactly: ch2bet, and the identity.
  face::TemplateRegistration identity;
  head->fit = identity;
  const auto& v = head->volume;
  head->brain.assign(v.data.size(), 0);
  for (int k = 0; k < v.nz; ++k)
    for (int j = 0; j < v.ny; ++j)
      for (int i = 0; i < v.nx; ++i) head->brain[v.index(i, j, k)] = t->in_brain(v.affine.to_patient(i, j, k));
  return head;
}

Acquisition random_acquisition(std::mt19937& rng, bool is_ct) {
  auto uniform = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
  auto chance = [&](double p) { return std::bernoulli_distribution(p)(rng); };
  Acquisition a;
  a.seed = static_cast<unsigned>(rng());
  a.yaw_deg = uniform(-40, 40);
  a.pitch_deg = uniform(-40, 40);
  a.roll_deg = uniform(-40, 40);
  a.plane = static_cast<SlicePlane>(std::uniform_int_distribution<int>(0, 2)(rng));
  a.oblique_deg = chance(0.5) ? uniform(-25, 25) : 0;
  a.in_plane_mm = uniform(0.9, 2.0);
  a.slice_mm = chance(0.3) ? uniform(3, 6) : uniform(0.9, 2.0);
  const double fov = uniform(0, 1);
  a.fov = fov < 0.45  ? FieldOfView::Whole
          : fov < 0.55 ? FieldOfView::EndsAtEyes
          : fov < 0.7  ? FieldOfView::EndsAtNose
          : fov < 0.85 ? FieldOfView::EndsAtMouth
                       : FieldOfView::EndsAtChin;
  if (!is_ct) {
    a.intensity_scale = std::exp(uniform(std::log(0.3), std::log(12.0)));
    a.bias = uniform(0, 0.4);
  }
  a.noise_sd = is_ct ? uniform(0, 20) : uniform(0, 6);
  a.reverse_slices = chance(0.5);
  a.body_part = chance(0.7);
  if (is_ct) a.head_holder = chance(0.4), a.collar = chance(0.25);
  return a;
}

Vec3 to_original(const SourceHead& head, const Acquisition& a, const Vec3& p) {
  return head.centre + turn(a).transposed() * (p - head.centre);
}

Vec3 to_variant(const SourceHead& head, const Acquisition& a, const Vec3& p) {
  return head.centre + turn(a) * (p - head.centre);
}

std::vector<std::unique_ptr<DcmDataset>> acquire(const SourceHead& head, const Acquisition& a) {
  // Slice axes: row direction u, column direction v, slice normal w, tilted about u.
  Vec3 u{1, 0, 0}, v{0, 1, 0};
  if (a.plane == SlicePlane::Coronal) v = {0, 0, -1};
  if (a.plane == SlicePlane::Sagittal) u = {0, 1, 0}, v = {0, 0, -1};
  const Mat3 tilt = rotation(u, a.oblique_deg);
  v = tilt * v;
  const Vec3 w = face::cross(u, v);
  // The box around the turned head, in slice axes.
  const auto& src = head.volume;
  Vec3 lo{1e9, 1e9, 1e9}, hi{-1e9, -1e9, -1e9};
  for (int c = 0; c < 8; ++c) {
    const Vec3 p = to_variant(head, a, src.affine.to_patient((c & 1) ? src.nx - 1 : 0, (c & 2) ? src.ny - 1 : 0,
                                                              (c & 4) ? src.nz - 1 : 0));
    const Vec3 q{face::dot(p, u), face::dot(p, v), face::dot(p, w)};
    for (int i = 0; i < 3; ++i) lo[i] = std::min(lo[i], q[i]), hi[i] = std::max(hi[i], q[i]);
  }
  // A field of view that ends below the face's landmarks: the box side nearest the feet moves up.
  if (a.fov != FieldOfView::Whole) {
    // mm below the nose tip (negative: above it; the eyes lie about 30 mm above it)
    const double below = a.fov == FieldOfView::EndsAtEyes    ? -30
                         : a.fov == FieldOfView::EndsAtNose  ? 8
                         : a.fov == FieldOfView::EndsAtMouth ? 28
                                                             : 55;
    const Vec3 cut = to_variant(head, a, head.nose_tip - Vec3{0, 0, below});
    const std::array<Vec3, 3> axes{u, v, w};
    int axis = 0;
    for (int i = 1; i < 3; ++i)
      if (std::abs(axes[i][2]) > std::abs(axes[axis][2])) axis = i;
    const double at = face::dot(cut, axes[axis]);
    if (axes[axis][2] > 0) lo[axis] = std::max(lo[axis], at);
    else hi[axis] = std::min(hi[axis], at);
  }
  const int nu = std::min(300, static_cast<int>((hi[0] - lo[0]) / a.in_plane_mm) + 1);
  const int nv = std::min(300, static_cast<int>((hi[1] - lo[1]) / a.in_plane_mm) + 1);
  const int nw = std::min(300, static_cast<int>((hi[2] - lo[2]) / a.slice_mm) + 1);
  const Vec3 origin = lo[0] * u + lo[1] * v + lo[2] * w;
  const float air = head.is_ct ? -1000.0f : 0.0f;
  std::mt19937 rng(a.seed);
  std::normal_distribution<double> noise(0, std::max(1e-9, a.noise_sd));
  const Vec3 bias_dir = face::cross(Vec3{0.3, 0.5, 0.8}, turn(a) * Vec3{0, 0, 1});
  const double bias_norm = std::max(1e-9, face::norm(bias_dir));

  // CT accessories, in the original's frame: a cradle behind the head (a 6 mm shell 100 mm from
  // the head's vertical axis, from the chin to 40 mm above the centre) and a collar round the neck
  // below the chin (10 mm thick, 75 mm out).
  auto accessory = [&](const Vec3& o) -> std::optional<double> {
    const Vec3 d = o - head.centre;
    const double r = std::hypot(d[0], d[1]);
    if (a.head_holder && d[1] > 20 && r >= 100 && r <= 106 && o[2] > head.nose_tip[2] - 70 && d[2] < 40) return 150.0;
    const double rc = std::hypot(o[0] - head.centre[0], o[1] - (head.centre[1] + 10));
    if (a.collar && rc >= 62 && rc <= 72 && o[2] < head.nose_tip[2] - 75 && o[2] > head.nose_tip[2] - 125) return 250.0;
    return std::nullopt;
  };
  auto sample = [&](const Vec3& p) {
    Vec3 ijk;
    const Vec3 o = to_original(head, a, p);
    if (!src.affine.to_voxel(o, ijk)) return static_cast<double>(air);
    const double v = src.sample(ijk[0], ijk[1], ijk[2], air);
    if (head.is_ct && v < -300)
      if (const auto extra = accessory(o)) return *extra;
    return v;
  };
  std::vector<std::unique_ptr<DcmDataset>> out;
  for (int k = 0; k < nw; ++k) {
    std::vector<Uint16> px(static_cast<std::size_t>(nu) * nv);
    const Vec3 corner = origin + (k * a.slice_mm) * w;
    for (int j = 0; j < nv; ++j)
      for (int i = 0; i < nu; ++i) {
        const Vec3 p = corner + (i * a.in_plane_mm) * u + (j * a.in_plane_mm) * v;
        // Thick slices average across their thickness, as a scanner's slice profile does.
        double value = a.slice_mm > 2.5 ? (sample(p - (a.slice_mm / 3) * w) + sample(p) + sample(p + (a.slice_mm / 3) * w)) / 3
                                        : sample(p);
        if (a.noise_sd > 0) value += noise(rng);
        double stored;
        if (head.is_ct) {
          stored = std::clamp(value, -1024.0, 3071.0);
        } else {
          const double gain = 1 + a.bias * face::dot(p - head.centre, bias_dir) / bias_norm / 100.0;
          stored = std::clamp(value * a.intensity_scale * gain, 0.0, 32767.0);
        }
        px[static_cast<std::size_t>(j) * nu + i] = static_cast<Uint16>(static_cast<Sint16>(std::lround(stored)));
      }
    auto ds = std::make_unique<DcmDataset>();
    ds->putAndInsertString(DCM_SOPClassUID, head.is_ct ? UID_CTImageStorage : UID_MRImageStorage);
    ds->putAndInsertString(DCM_Modality, head.is_ct ? "CT" : "MR");
    if (a.body_part) ds->putAndInsertString(DCM_BodyPartExamined, "HEAD");
    ds->putAndInsertString(DCM_PatientID, "VARIANT");
    ds->putAndInsertString(DCM_StudyInstanceUID, ("2.25.77" + std::to_string(a.seed)).c_str());
    ds->putAndInsertString(DCM_SeriesInstanceUID, ("2.25.78" + std::to_string(a.seed)).c_str());
    ds->putAndInsertString(DCM_SOPInstanceUID, ("2.25.79" + std::to_string(a.seed) + std::to_string(100000 + k)).c_str());
    ds->putAndInsertString(DCM_InstanceNumber, std::to_string(k + 1).c_str());
    ds->putAndInsertString(DCM_ImageOrientationPatient, ds_list({u[0], u[1], u[2], v[0], v[1], v[2]}).c_str());
    ds->putAndInsertString(DCM_ImagePositionPatient, ds_list({corner[0], corner[1], corner[2]}).c_str());
    ds->putAndInsertString(DCM_PixelSpacing, ds_list({a.in_plane_mm, a.in_plane_mm}).c_str());
    ds->putAndInsertString(DCM_SliceThickness, ds_list({a.slice_mm}).c_str());
    ds->putAndInsertUint16(DCM_SamplesPerPixel, 1);
    ds->putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2");
    ds->putAndInsertUint16(DCM_Rows, static_cast<Uint16>(nv));
    ds->putAndInsertUint16(DCM_Columns, static_cast<Uint16>(nu));
    ds->putAndInsertUint16(DCM_BitsAllocated, 16);
    ds->putAndInsertUint16(DCM_BitsStored, 16);
    ds->putAndInsertUint16(DCM_HighBit, 15);
    ds->putAndInsertUint16(DCM_PixelRepresentation, 1);
    ds->putAndInsertString(DCM_RescaleIntercept, "0");
    ds->putAndInsertString(DCM_RescaleSlope, "1");
    ds->putAndInsertUint16Array(DCM_PixelData, px.data(), static_cast<unsigned long>(px.size()));
    out.push_back(std::move(ds));
  }
  if (a.reverse_slices) std::reverse(out.begin(), out.end());
  return out;
}

VariantOutcome try_variant(const SourceHead& head, const Acquisition& a, const face::FaceDetectors& detectors) {
  const auto series = acquire(head, a);
  const auto datasets = pointers(series);
  const face::Volume before = face::build_series_volume(datasets).volume;
  const auto started = std::chrono::steady_clock::now();
  // RADVEIL_VARIANT_RENDERS=DIR: its renders are written there. RADVEIL_EARS=1: --face-mode
  // face-and-ears.
  const face::SeriesFaceReport report = face::deface_series(
      datasets, detectors,
      {.remove_ears = std::getenv("RADVEIL_EARS") != nullptr, .modify = true});
  VariantOutcome out;
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  out.outcome = std::string(face::outcome_name(report.outcome));
  out.reason = report.reason;
  out.voxels = before.data.size();
  out.report = report.to_json();
  if (const char* dir = std::getenv("RADVEIL_VARIANT_RENDERS")) report.write_renders(dir);
  if (report.before && report.before->landmarks) {
    Vec3 tip = report.before->landmarks->nose_tip;  // in the head's axes the stage found, if any
    if (report.head_axes)
      tip = report.head_axes->origin + tip[0] * report.head_axes->left + tip[1] * report.head_axes->posterior +
            tip[2] * report.head_axes->superior;
    out.nose_error_mm = face::norm(to_original(head, a, tip) - head.nose_tip);
  }
  if (report.fit && head.fit) {
    out.pose_error_mm = 0;
    for (const Vec3& q : face::face_region_probe_points())
      out.pose_error_mm = std::max(out.pose_error_mm, face::norm(to_original(head, a, report.fit->to_subject.apply(q)) -
                                                                 head.fit->to_subject.apply(q)));
    const face::HeadFrame found = report.fit->frame(), truth = head.fit->frame();
    auto back = [&](const Vec3& axis) { return to_original(head, a, head.centre + axis) - head.centre; };
    auto angle = [](const Vec3& x, const Vec3& y) {
      return std::acos(std::clamp(face::dot(x, y) / (face::norm(x) * face::norm(y)), -1.0, 1.0)) * 180 / kPi;
    };
    out.pose_error_deg = std::max({angle(back(found.left), truth.left), angle(back(found.posterior), truth.posterior),
                                   angle(back(found.superior), truth.superior)});
  }
  if (report.outcome != face::SeriesFaceOutcome::Defaced) return out;
  const face::Volume after = face::build_series_volume(datasets).volume;
  for (int k = 0; k < after.nz; ++k)
    for (int j = 0; j < after.ny; ++j)
      for (int i = 0; i < after.nx; ++i)
        if (after.at(i, j, k) != before.at(i, j, k) && head.in_brain(to_original(head, a, after.affine.to_patient(i, j, k)))) {
          ++out.brain_changed;
          if (std::getenv("RADVEIL_BRAIN_VOXELS") && out.brain_changed % 50 == 1) {
            const Vec3 o = to_original(head, a, after.affine.to_patient(i, j, k));
            std::fprintf(stderr, "brain changed at %.0f %.0f %.0f from nose (depth %.0f), value %.0f -> %.0f\n", o[0] - head.nose_tip[0],
                         o[1] - head.nose_tip[1], o[2] - head.nose_tip[2], o[1] - head.surface.at(o[0], o[2]), before.at(i, j, k), after.at(i, j, k));
          }
        }
  // The defaced variant turned back into the original's frame, on the original's grid.
  const float air = head.is_ct ? -1000.0f : 0.0f;
  face::Volume back = head.volume;
  for (int k = 0; k < back.nz; ++k)
    for (int j = 0; j < back.ny; ++j)
      for (int i = 0; i < back.nx; ++i) {
        Vec3 ijk;
        const Vec3 p = to_variant(head, a, back.affine.to_patient(i, j, k));
        const bool ok = after.affine.to_voxel(p, ijk);
        // Back to the original's scale (MR variants were scaled; bias and noise stay).
        const double value = ok ? after.sample(ijk[0], ijk[1], ijk[2], air) : air;
        back.at(i, j, k) = static_cast<float>(head.is_ct ? value : value / a.intensity_scale);
      }
  const face::FaceCheck check = face::check_face(back, head.skin_threshold, detectors);
  if (const char* dir = std::getenv("RADVEIL_VARIANT_RENDERS"))
    for (std::size_t i = 0; i < check.views.size(); ++i)
      cv::imwrite((std::filesystem::path(dir) / ("judge-" + std::to_string(i) + ".png")).string(), check.views[i].image);
  // A face is found from the original's side at dlib 0.3 (the defacer refuses from 0.2).
  out.face_after = check.views_with(std::numeric_limits<int>::max(), 0.3) > 0 || check.nose_present();
  if (std::getenv("RADVEIL_JUDGE")) {
    for (const auto& v : check.views)
      for (const auto& d : v.detections) std::fprintf(stderr, "judge view %g/%g %s %.2f\n", v.view.yaw_deg, v.view.pitch_deg, d.detector.c_str(), d.score);
    std::fprintf(stderr, "judge nose %.1f\n", check.landmarks ? check.landmarks->protrusion_mm : -1.0);
  }
  out.region_removed = face::face_region_removed(head.landmarks, head.surface, check.surface);
  if (std::getenv("RADVEIL_JUDGE"))
    if (const auto u = face::unmoved_face_point(head.landmarks, head.surface, check.surface)) std::fprintf(stderr, "judge unmoved %s\n", u->describe().c_str());
  return out;
}

}  // namespace radveil::test
