#include "face/series_defacer.h"

#include <algorithm>
#include <chrono>
#include <opencv2/imgcodecs.hpp>

#include "dicom/codecs.h"
#include "dicom/values.h"
#include "face/defacer.h"
#include "face/ear_removal.h"
#include "face/head_extent.h"
#include "face/head_frame.h"
#include "face/head_shape.h"
#include "face/head_template.h"
#include "face/landmark_defacer.h"
#include "face/series_volume.h"
#include "face/template_cut.h"
#include "face/template_registration.h"

namespace radveil::face {
namespace {

// Decodes compressed Pixel Data in place; false if no codec can.
bool decode(DcmDataset& ds, bool& decompressed) {
  if (DcmXfer(ds.getOriginalXfer()).isEncapsulated()) {
    dicom::register_codecs();
    if (ds.chooseRepresentation(EXS_LittleEndianExplicit, nullptr).bad() ||
        !ds.canWriteXfer(EXS_LittleEndianExplicit))
      return false;
    decompressed = true;
  }
  return true;
}

void write_back(const std::vector<DcmDataset*>& instances, const SeriesVolume& sv, const std::vector<std::uint8_t>& changed) {
  const std::size_t plane = static_cast<std::size_t>(sv.volume.nx) * sv.volume.ny;
  for (int k = 0; k < sv.volume.nz; ++k) {
    DcmDataset& ds = *instances[sv.slices[k].instance];
    DcmElement* pixels = nullptr;
    if (ds.findAndGetElement(DCM_PixelData, pixels).bad() || !pixels) continue;
    Uint16 bits = 16;
    ds.findAndGetUint16(DCM_BitsAllocated, bits);
    const std::size_t offset = plane * sv.slices[k].frame;
    Uint16* p16 = nullptr;
    Uint8* p8 = nullptr;
    if (bits == 16) pixels->getUint16Array(p16);
    else pixels->getUint8Array(p8);
    const StoredValueConverter converter(ds, sv.slices[k].frame);
    for (std::size_t p = 0; p < plane; ++p) {
      const std::size_t v = static_cast<std::size_t>(k) * plane + p;
      if (!changed[v]) continue;
      const double stored = converter.stored(sv.volume.data[v]);
      if (p16) p16[offset + p] = static_cast<Uint16>(static_cast<Sint32>(stored));
      else if (p8) p8[offset + p] = static_cast<Uint8>(static_cast<Sint32>(stored));
    }
  }
  for (DcmDataset* ds : instances) ds->putAndInsertString(DCM_RecognizableVisualFeatures, "NO");
}

// Skin lies within this distance of where the template puts each face landmark, when the
// landmark is in the field of view (the fit put the face on the head's face, not beside it).
constexpr double kLandmarkSkinMm = 8;
// After the cut, no tissue within this distance of any face landmark in view.
constexpr double kLandmarkClearMm = 5;

struct MappedLandmark {
  std::string name;
  Vec3 point;  // subject patient coordinates
  bool solid = true;
  bool in_view = false;
  std::size_t tissue_before = 0;
};

std::vector<MappedLandmark> map_landmarks(const Volume& volume, const TemplateRegistration& fit, const HeadTemplate& t,
                                          float threshold) {
  std::vector<MappedLandmark> out;
  for (const TemplateLandmark& l : t.face_landmarks) {
    MappedLandmark m{l.name, fit.to_subject.apply(l.point), l.solid};
    const TissueNear near = tissue_near(volume, m.point, kLandmarkSkinMm, threshold);
    m.in_view = near.in_view, m.tissue_before = near.tissue;
    out.push_back(m);
  }
  return out;
}

// The head's y (head_frame.h) of the template's nose, where the ears are looked for behind.
double frame_y_of(const HeadFrame& frame, const std::vector<MappedLandmark>& landmarks) {
  for (const MappedLandmark& m : landmarks)
    if (m.name == "nose") return frame.to_head(m.point)[1];
  return 0;
}

nlohmann::json registration_json(const TemplateRegistration& r, const std::vector<MappedLandmark>& landmarks) {
  nlohmann::json l = nlohmann::json::array();
  for (const auto& m : landmarks)
    l.push_back({{"name", m.name}, {"in_view", m.in_view}, {"tissue_voxels_near", m.tissue_before}});
  return {{"template", "Colin27 (mricron-data ch2)"},
          {"pose", r.describe()},
          {"surface_error_mm", r.surface_error_mm},
          {"second_fit_disagreement_mm", r.agreement_mm},
          {"scale", r.scale},
          {"coarse_candidates", r.candidates},
          {"optimizer", r.refinement},
          {"intensity_refinement", r.intensity_refinement},
          {"landmarks", l}};
}

SeriesFaceReport run(const std::vector<DcmDataset*>& instances, const FaceDetectors& detectors, bool deface,
                     const DefaceOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  SeriesFaceReport report;
  auto finish = [&](SeriesFaceOutcome outcome, std::string reason, std::string detail) {
    report.outcome = outcome;
    report.reason = std::move(reason);
    report.detail = std::move(detail);
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return report;
  };
  if (instances.empty()) return finish(SeriesFaceOutcome::NoFace, "empty-series", "no instances");
  for (DcmDataset* ds : instances)
    if (!decode(*ds, report.decompressed))
      return finish(SeriesFaceOutcome::Refused, "pixel-data-undecodable", "no codec in this build decodes the Pixel Data");
  SeriesVolume sv;
  try {
    sv = build_series_volume(instances);
  } catch (const VolumeError& e) {
    if (instances.size() == 1 && std::string(e.what()) == "a single slice is not a volume")
      return finish(SeriesFaceOutcome::NoFace, "single-slice", "a single slice cannot show a face in 3D");
    return finish(SeriesFaceOutcome::Refused, "not-a-volume", e.what());
  }
  report.tilted = sv.tilted;
  report.is_ct = dicom::get_string(*instances.front(), DCM_Modality) == "CT";
  report.threshold = skin_threshold(sv.volume, report.is_ct);
  const TissueBody body = main_tissue_body(sv.volume, report.threshold);
  const HeadExtent extent = measure_head_extent(body);
  const Affine scanner_axes = sv.volume.affine;

  // The tissue alone may prove that no face can be in view: no head (a trunk, a hand), or a slab
  // ending above the eyes. Then only an evident face (detectors, a nose) is still cut.
  const bool head_possible = extent.could_be_head && !extent.above_face;
  std::optional<FaceCheck> seen_in_scanner_axes;
  if (!head_possible) {
    seen_in_scanner_axes = check_face(sv.volume, report.threshold, detectors);
    if (!seen_in_scanner_axes->face_present() && !seen_in_scanner_axes->nose_present()) {
      report.before = seen_in_scanner_axes;
      return finish(SeriesFaceOutcome::NoFace, extent.could_be_head ? "face-region-outside" : "not-a-head", extent.describe());
    }
  }
  // Where is the face? Registration of the head template finds the head's pose, and the face
  // region follows (template_registration.h).
  std::string why;
  const HeadTemplate* head_template = colin27(why);
  std::optional<TemplateRegistration> fit;
  HeadShape shape;
  std::string registration_failure, registration_detail;
  if (head_template) {
    shape = head_shape(body);
    const GridImage image = head_image(sv.volume, shape, kRegistrationImageStepMm, report.is_ct);
    const RegistrationOutcome registered = register_to_template(shape, *head_template, &image);
    fit = registered.fit;
    registration_failure = registered.failure, registration_detail = registered.detail;
  } else {
    registration_failure = "template-unavailable", registration_detail = why;
  }
  std::vector<MappedLandmark> landmarks;
  if (fit) {
    landmarks = map_landmarks(sv.volume, *fit, *head_template, report.threshold);
    report.registration = registration_json(*fit, landmarks);
    report.fit = fit;
    const HeadFrame frame = fit->frame();
    report.frame = fit->describe();
    report.head_axes = frame;
  } else {
    report.registration = {{"failure", registration_failure}, {"detail", registration_detail}};
  }
  report.located_by = fit ? "template registration" : "";
  // The renders and the nose look at the head from its own axes (the template's), everything
  // else works in patient coordinates.
  const Affine head_axes = fit ? report.head_axes->in_head(scanner_axes) : scanner_axes;
  auto checked_in = [&](const Affine& axes) {
    sv.volume.affine = axes;
    FaceCheck check = check_face(sv.volume, report.threshold, detectors);
    sv.volume.affine = scanner_axes;
    return check;
  };
  report.before = checked_in(head_axes);

  if (!deface) {
    // Any tool's output: a face is there when the detectors or the nose find one, or when skin
    // still lies where the registered template puts the nose, the eyes or the cheeks.
    std::optional<FaceCheck> in_scanner_axes;
    if (fit) in_scanner_axes = checked_in(scanner_axes);
    std::string found;
    for (const MappedLandmark& m : landmarks)
      if (m.in_view && tissue_near(sv.volume, m.point, kLandmarkClearMm, report.threshold).tissue > 0)
        found += (found.empty() ? "" : ", ") + m.name;
    const bool seen = report.before->face_remains() || report.before->nose_present() ||
                      (in_scanner_axes && (in_scanner_axes->face_remains() || in_scanner_axes->nose_present()));
    if (seen || !found.empty())
      return finish(SeriesFaceOutcome::Refused, "face-detectable",
                    seen ? "a face is found on the renders or the depth profile"
                         : "skin lies where the registered head template has its " + found);
    return finish(SeriesFaceOutcome::NoFace, "no-face",
                  fit ? "no face found, and no skin where the registered template has its face"
                      : "no face found by the detectors (the head template could not be registered: " +
                            registration_failure + ")");
  }
  // A series the template's fit cannot be trusted on, or whose cut does not verify, goes to the
  // landmark method (landmark_defacer.h), on the series as it was: it defaces what it can verify
  // and refuses the rest. The report keeps why the registration refused.
  auto fallback = [&](std::string reason, std::string detail) {
    report.registration["refused"] = {{"reason", reason}, {"detail", detail}};
    report.fit.reset(), report.head_axes.reset(), report.frame.clear(), report.ears = nlohmann::json::object();
    report.after.reset(), report.after_in_scanner_axes.reset();
    report.tissue_voxels_removed = report.cavity_voxels_closed = report.brain_voxels_changed = 0;
    SeriesVolume fresh = build_series_volume(instances);
    std::vector<std::uint8_t> changed;
    const SeriesFaceOutcome outcome =
        deface_by_landmarks(fresh, body, extent, detectors, options.remove_ears, report, changed);
    report.located_by = "landmarks" + (report.located_by.empty() ? "" : " (" + report.located_by + ")") +
                        ", after the template registration refused: " + reason;
    if (outcome == SeriesFaceOutcome::Defaced && options.modify) write_back(instances, fresh, changed);
    return finish(outcome, report.reason, report.detail);
  };
  if (!fit) return fallback(registration_failure, registration_detail);

  // The fit must have put the face on the head's face: skin near every face landmark in view.
  std::size_t landmarks_in_view = 0;
  for (const MappedLandmark& m : landmarks) {
    if (!m.in_view) continue;
    ++landmarks_in_view;
    if (m.solid && m.tissue_before == 0)
      return fallback("face-not-located",
                    "no skin within " + std::to_string(static_cast<int>(kLandmarkSkinMm)) + " mm of where the template puts the " +
                        m.name + "; " + registration_detail);
  }
  const float air = report.is_ct ? -1000.0f : std::min(0.0f, report.threshold - 1);
  const float tissue = report.is_ct ? 40.0f : report.threshold * 2.5f;
  std::vector<FoundEar> ears;
  if (options.remove_ears) {
    const double nose_y = frame_y_of(*report.head_axes, landmarks);
    sv.volume.affine = head_axes;
    ears = find_ears(sv.volume, report.threshold, nose_y, report.ears);
    sv.volume.affine = scanner_axes;
  }
  TemplateCut cut = cut_face_region(sv.volume, *fit, *head_template, shape, options.remove_ears, air, tissue, report.threshold);
  report.tissue_voxels_removed = cut.tissue_removed;
  report.cavity_voxels_closed = cut.cavities_closed;
  report.brain_voxels_changed = cut.brain_changed;
  if (landmarks_in_view == 0 && cut.tissue_removed == 0)
    // The fit puts the face outside the field of view: a fit is no proof of that (a wrong one
    // puts it anywhere), so the landmark method decides, whose only faceless verdicts are proved
    // by the tissue itself.
    return fallback("face-region-outside", "the registered head template puts the face outside the field of view");
  if (options.remove_ears) {
    DefaceResult ear_result;
    ear_result.changed = std::move(cut.changed);
    sv.volume.affine = head_axes;
    const auto refusal = remove_ears(sv.volume, report.threshold, air, tissue, ears, ear_result, report.ears);
    sv.volume.affine = scanner_axes;
    if (refusal) return fallback("ears-not-removed", *refusal);
    cut.changed = std::move(ear_result.changed);
    report.ears["template_tissue_voxels_removed"] = cut.ear_tissue_removed;
  }
  if (cut.brain_changed > 0)
    return fallback("brain-region-changed",
                  std::to_string(cut.brain_changed) + " voxels of the template's brain region would change");
  for (const MappedLandmark& m : landmarks) {
    if (!m.in_view) continue;
    const TissueNear left = tissue_near(sv.volume, m.point, kLandmarkClearMm, report.threshold);
    if (left.tissue > 0)
      return fallback("face-region-not-removed",
                    std::to_string(left.tissue) + " tissue voxels left within " +
                        std::to_string(static_cast<int>(kLandmarkClearMm)) + " mm of the " + m.name);
  }
  // Independent of the fit: the detectors and the nose, from the template's axes and the scanner's.
  report.after = checked_in(head_axes);
  // Where the original shows a nose, the skin over the whole face around it (a grid from below the
  // nose to above the eyes, face_geometry.h) must have moved: a fit a few millimetres off that
  // left part of the face is caught here, whatever the fit says.
  if (report.before->nose_present())
    if (const auto unmoved = unmoved_face_point(*report.before->landmarks, report.before->surface, report.after->surface))
      return fallback("face-region-not-removed", unmoved->describe() + ", on the face found around the nose");
  report.after_in_scanner_axes = checked_in(scanner_axes);
  // And from the head's axes of its mirror symmetry (head_frame.h), a third set of views found
  // without the template: the cut's edges can draw a face-like pattern that one set of views
  // misses and another, a few degrees turned, does not (seen on generated heads).
  std::optional<FaceCheck> after_in_mirror_axes;
  if (const auto mirror = find_head_frame(body))
    after_in_mirror_axes = checked_in(mirror->in_head(scanner_axes));
  for (const auto* after : {&report.after, &report.after_in_scanner_axes, &after_in_mirror_axes})
    if (*after && ((*after)->face_remains() || (*after)->nose_present()))
      return fallback("face-still-detectable",
                      "after defacing a face is still found on " + std::to_string((*after)->views_remaining()) +
                          " view(s) or the nose still stands out" +
                          (after == &report.after ? "" : after == &report.after_in_scanner_axes ? " (views in the scanner's axes)"
                                                                                              : " (views in the mirror-symmetry axes)"));
  if (options.modify) write_back(instances, sv, cut.changed);
  return finish(SeriesFaceOutcome::Defaced, {}, {});
}

nlohmann::json check_json(const FaceCheck& check) {
  nlohmann::json views = nlohmann::json::array();
  for (const auto& v : check.views) {
    nlohmann::json dets = nlohmann::json::array();
    for (const auto& d : v.detections)
      dets.push_back({{"detector", d.detector}, {"score", d.score}, {"box", {d.box.x, d.box.y, d.box.width, d.box.height}}});
    views.push_back({{"yaw", v.view.yaw_deg}, {"pitch", v.view.pitch_deg}, {"detections", dets}});
  }
  nlohmann::json j = {{"views", views},
                      {"views_with_detection", check.views_with_detection},
                      {"face_present", check.face_present()},
                      {"face_remains", check.face_remains()}};
  j["nose_protrusion_mm"] = check.landmarks ? check.landmarks->protrusion_mm : 0.0;
  if (check.landmarks) {
    const auto& l = *check.landmarks;
    j["landmarks"] = {{"nose_tip", l.nose_tip}, {"brow_z", l.brow_z}, {"eyes", l.eyes}};
  }
  j["nose_present"] = check.nose_present();
  return j;
}

}  // namespace

std::string_view outcome_name(SeriesFaceOutcome outcome) {
  switch (outcome) {
    case SeriesFaceOutcome::NoFace: return "no-face";
    case SeriesFaceOutcome::Defaced: return "defaced";
    case SeriesFaceOutcome::Refused: return "refused";
  }
  return "unknown";
}

SeriesFaceReport deface_series(const std::vector<DcmDataset*>& instances, const FaceDetectors& detectors,
                               const DefaceOptions& options) {
  return run(instances, detectors, true, options);
}

SeriesFaceReport check_series(const std::vector<DcmDataset*>& instances, const FaceDetectors& detectors) {
  return run(instances, detectors, false, DefaceOptions{.remove_ears = false, .modify = false});
}

nlohmann::json SeriesFaceReport::to_json() const {
  nlohmann::json j = {{"outcome", outcome_name(outcome)},
                      {"reason", reason},
                      {"detail", detail},
                      {"modality", is_ct ? "CT" : "MR"},
                      {"skin_threshold", threshold},
                      {"gantry_tilt_or_shear", tilted},
                      {"head_frame", frame},
                      {"face_located_by", located_by},
                      {"decompressed", decompressed},
                      {"tissue_voxels_removed", tissue_voxels_removed},
                      {"cavity_voxels_closed", cavity_voxels_closed},
                      {"brain_voxels_changed", brain_voxels_changed},
                      {"ears", ears},
                      {"registration", registration},
                      {"seconds", seconds}};
  if (before) j["before"] = check_json(*before);
  if (after) j["after"] = check_json(*after);
  if (after_in_scanner_axes) j["after_in_scanner_axes"] = check_json(*after_in_scanner_axes);
  return j;
}

void SeriesFaceReport::write_renders(const std::filesystem::path& dir) const {
  std::filesystem::create_directories(dir);
  auto write = [&](const std::optional<FaceCheck>& check, const char* prefix) {
    if (!check) return;
    for (std::size_t i = 0; i < check->views.size(); ++i) {
      char name[32];
      std::snprintf(name, sizeof name, "%s-%02zu.png", prefix, i);
      cv::imwrite((dir / name).string(), check->views[i].image);
    }
  };
  write(before, "before");
  write(after, "after");
}

}  // namespace radveil::face
