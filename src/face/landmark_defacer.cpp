#include "face/landmark_defacer.h"

#include "face/brain_region.h"
#include "face/defacer.h"
#include "face/ear_removal.h"
#include "face/head_frame.h"
#include "face/pitched_looks.h"

namespace radveil::face {
namespace {

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

}  // namespace

SeriesFaceOutcome deface_by_landmarks(SeriesVolume& sv, const TissueBody& body, const HeadExtent& extent,
                                      const FaceDetectors& detectors, bool with_ears, SeriesFaceReport& report,
                                      std::vector<std::uint8_t>& changed) {
  auto finish = [&](SeriesFaceOutcome outcome, std::string reason, std::string detail) {
    report.outcome = outcome;
    report.reason = std::move(reason);
    report.detail = std::move(detail);
    return outcome;
  };
  // Everything below works in the head's own axes: a turned head is seen upright.
  const std::optional<HeadFrame> frame = find_head_frame(body);
  const Affine scanner_axes = sv.volume.affine;
  if (frame) {
    sv.volume.affine = frame->in_head(sv.volume.affine);
    report.frame = frame->describe();
    report.head_axes = frame;
  }

  report.before = check_face(sv.volume, report.threshold, detectors);
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
      with_ears ? find_ears(sv.volume, report.threshold, report.before->landmarks->nose_tip[1], report.ears)
                          : std::vector<FoundEar>{};
  const std::vector<PitchedLook> pitched_looks = look_before_cut(sv.volume, report.threshold, *report.before->landmarks);
  DefaceResult result =
      apply_cut(sv.volume, cut, report.before->surface, [&](const Vec3& p) {
        return in_keep_out_region_of_any(p, report.before->surface, *report.before->landmarks, pitched_looks);
      }, air, tissue, report.threshold);
  if (with_ears)
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
  sv.volume.affine = scanner_axes;
  changed = std::move(result.changed);
  return finish(SeriesFaceOutcome::Defaced, {}, {});
}

}  // namespace radveil::face
