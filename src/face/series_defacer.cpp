#include "face/series_defacer.h"

#include <algorithm>
#include <chrono>
#include <opencv2/imgcodecs.hpp>

#include "dicom/codecs.h"
#include "dicom/values.h"
#include "face/brain_region.h"
#include "face/defacer.h"
#include "face/ear_removal.h"
#include "face/head_extent.h"
#include "face/head_frame.h"
#include "face/pitched_looks.h"
#include "face/series_volume.h"

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

void write_back(const std::vector<DcmDataset*>& instances, const SeriesVolume& sv, const DefaceResult& result) {
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
      if (!result.changed[v]) continue;
      const double stored = converter.stored(sv.volume.data[v]);
      if (p16) p16[offset + p] = static_cast<Uint16>(static_cast<Sint32>(stored));
      else if (p8) p8[offset + p] = static_cast<Uint8>(static_cast<Sint32>(stored));
    }
  }
  for (DcmDataset* ds : instances) ds->putAndInsertString(DCM_RecognizableVisualFeatures, "NO");
}

// The nose tip of an adult or a child lies further than this below the top of the head.
constexpr double kMinNoseBelowVertexMm = 105;
// Without a detector's or a full nose's evidence, the face is cut only where something on the
// mid-line still stands out this far (a nose cut by the field of view): a flat profile gives no
// place to put the cut that keeps clear of the brain.
constexpr double kMinCutNoseMm = 4;

// The top of the head's tissue in the head's axes, when the top of the head is in view.
std::optional<double> head_top(const TissueBody& body, const HeadExtent& extent, const std::optional<HeadFrame>& frame) {
  if (!extent.vertex_in_view) return std::nullopt;
  std::optional<double> top;
  for (std::size_t c = 0; c < body.body.size(); ++c) {
    if (!body.body[c]) continue;
    const Vec3 p = body.position(c);
    const double z = frame ? frame->to_head(p)[2] : p[2];
    top = std::max(top.value_or(z), z);
  }
  return top;
}

SeriesFaceReport run(const std::vector<DcmDataset*>& instances, const FaceDetectors& detectors, bool deface,
                     const DefaceOptions& options) {
  const bool modify = options.modify;
  const HeadFrame* known_frame = options.known_frame;
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
  // Everything below works in the head's own axes: a turned head is seen upright.
  const TissueBody body = main_tissue_body(sv.volume, report.threshold);
  const HeadExtent extent = measure_head_extent(body);
  const std::optional<HeadFrame> frame =
      known_frame ? std::optional<HeadFrame>(*known_frame) : find_head_frame(body);
  const Affine scanner_axes = sv.volume.affine;
  if (frame) {
    sv.volume.affine = frame->in_head(sv.volume.affine);
    report.frame = frame->describe();
    report.head_axes = frame;
  }

  report.before = check_face(sv.volume, report.threshold, detectors);
  if (!deface) {
    // Any tool's output is looked at from the head's axes and from the scanner's.
    std::optional<FaceCheck> in_scanner_axes;
    if (frame) {
      sv.volume.affine = scanner_axes;
      in_scanner_axes = check_face(sv.volume, report.threshold, detectors);
    }
    const bool face = report.before->face_remains() || report.before->nose_present() ||
                      (in_scanner_axes && (in_scanner_axes->face_remains() || in_scanner_axes->nose_present()));
    return finish(face ? SeriesFaceOutcome::Refused : SeriesFaceOutcome::NoFace, face ? "face-detectable" : "no-face",
                  face ? "a face is found on the renders or the depth profile" : "no face found");
  }
  // A face is cut where it is evident: a detector sees it, or a nose stands out on the depth
  // map (a coarse CT's face is too blurred for strict detectors). Not finding one is no evidence
  // that there is none (detectors miss faces, the nose search misses a face cut by the field of
  // view, whatever Body Part Examined says): such a series passes unchanged only when its tissue
  // is no head, or a slab that ends above the eyes; any other head has its face region cut where
  // the geometry allows it safely (below), and is refused where it does not.
  const bool face_evident = report.before->face_present() || report.before->nose_present();
  report.located_by = report.before->face_present() ? "detector" : report.before->nose_present() ? "nose" : "";
  if (!face_evident) {
    if (!extent.could_be_head) return finish(SeriesFaceOutcome::NoFace, "not-a-head", extent.describe());
    if (extent.above_face) return finish(SeriesFaceOutcome::NoFace, "face-region-outside", extent.describe());
    // A head whose face may be in view, but neither detector nor nose shows it (a field of view
    // that ends in the face, a turn the detectors miss): the face region is cut where the
    // frontal skin puts it, and the same verification decides.
    // Only where the skin's most protruding point lies far enough below the top of the head to
    // be a nose: a point higher up (the brow of a face cut by the field of view) would put the
    // cut into the brain.
    const std::optional<double> top = head_top(body, extent, frame);
    if (!report.before->landmarks || report.before->landmarks->protrusion_mm < kMinCutNoseMm || !top ||
        *top - report.before->landmarks->nose_tip[2] < kMinNoseBelowVertexMm)
      return finish(SeriesFaceOutcome::Refused, "face-not-located",
                    "a head whose face may be in the field of view, but no face was located to remove; " +
                        extent.describe());
    report.located_by = "frontal skin";
  }
  if (!report.before->landmarks)
    return finish(SeriesFaceOutcome::Refused, "face-not-located",
                  "a face is seen but no frontal skin surface was found to locate it on; " + extent.describe());
  const FaceCut cut = plan_face_cut(*report.before->landmarks, report.before->surface);
  const float air = report.is_ct ? -1000.0f : std::min(0.0f, report.threshold - 1);
  const float tissue = report.is_ct ? 40.0f : report.threshold * 2.5f;
  const std::vector<FoundEar> ears =
      options.remove_ears ? find_ears(sv.volume, report.threshold, report.before->landmarks->nose_tip[1], report.ears)
                          : std::vector<FoundEar>{};
  const std::vector<PitchedLook> pitched_looks = look_before_cut(sv.volume, report.threshold, *report.before->landmarks);
  DefaceResult result =
      apply_cut(sv.volume, cut, report.before->surface, [&](const Vec3& p) {
        return in_keep_out_region_of_any(p, report.before->surface, *report.before->landmarks, pitched_looks);
      }, air, tissue, report.threshold);
  if (options.remove_ears)
    if (const auto refusal = remove_ears(sv.volume, report.threshold, air, tissue, ears, result, report.ears))
      return finish(SeriesFaceOutcome::Refused, "ears-not-removed", *refusal);
  report.tissue_voxels_removed = result.tissue_removed;
  report.cavity_voxels_closed = result.cavities_closed;
  report.brain_voxels_changed =
      changed_voxels_in_brain(sv.volume, result.changed, report.before->surface, *report.before->landmarks);
  report.after = check_face(sv.volume, report.threshold, detectors);
  if (const auto unmoved = unmoved_face_point(*report.before->landmarks, report.before->surface, report.after->surface))
    return finish(SeriesFaceOutcome::Refused, "face-region-not-removed", unmoved->describe() + ", seen from the head's axes");
  if (const auto residue = face_left_in_pitched_looks(sv.volume, report.threshold, pitched_looks))
    return finish(SeriesFaceOutcome::Refused, residue->reason, residue->detail);
  // The detectors look again in the scanner's axes as well: views from the head's axes and from
  // the scanner's differ by the head's turn, and a residue one set of views misses the other may
  // show (the head's pitch is not known; see head_frame.h).
  if (frame) {
    sv.volume.affine = scanner_axes;
    report.after_in_scanner_axes = check_face(sv.volume, report.threshold, detectors);
  }
  for (const auto* after : {&report.after, &report.after_in_scanner_axes})
    if (*after && ((*after)->face_remains() || (*after)->nose_present()))
      return finish(SeriesFaceOutcome::Refused, "face-still-detectable",
                    "after defacing a face is still found on " +
                        std::to_string((*after)->views_remaining()) +
                        " view(s) or the nose still stands out" +
                        (after == &report.after ? "" : " (views in the scanner's axes)"));
  if (modify) write_back(instances, sv, result);
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
  return run(instances, detectors, false, DefaceOptions{.remove_ears = false, .modify = false, .known_frame = nullptr});
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
