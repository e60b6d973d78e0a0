#pragma once
// Finds where a head lies, whatever its pose, by registering the head template (head_template.h)
// to it, as the field's defacers do (pydeface, fsl_deface, mri_deface, AFNI's refacer): the whole
// head's pose is found, and the face follows. No landmark, no detector.
//
//   1. A coarse search over poses from any start, on shape alone (modality-free: a CT, an MR of
//      any contrast, scale or bias field): 7^3 rotations (+-45 degrees about each axis in 15 degree
//      steps) x 15 shifts, each scored by how far each head's skin lies from the other's (a
//      symmetric mean of clipped distances, only where both fields of view reach).
//   2. The best distinct poses polished (a pattern search over rotation, shift and scale).
//   3. The best refined by ITK (itk_registration.h): similarity, then affine.
//   4. A second fit from a different start must land on the same face (agreement_mm), and the
//      skin must lie where the fit puts it (surface_error_mm): otherwise no registration.
#include <optional>
#include <string>

#include "face/head_frame.h"
#include "face/head_shape.h"
#include "face/head_template.h"

namespace radveil::face {

struct TemplateRegistration {
  LinearMap to_template;  // subject patient point -> template point
  LinearMap to_subject;   // the inverse
  double surface_error_mm = 0;   // mean distance of the subject's seen skin to the template's (in its box)
  double agreement_mm = 0;       // a second fit's largest disagreement over the face region (mm)
  double coarse_cost = 0, polished_cost = 0;
  double scale = 1;              // cube root of the determinant (template / subject size)
  int candidates = 0;            // distinct poses polished
  std::string refinement;        // what ITK's optimizer reported
  std::string intensity_refinement;  // what the mutual-information refinement did, if it ran
  // The head's own axes as the template sees them (left, posterior, superior in patient space).
  HeadFrame frame() const;
  // Rotation (degrees) from the subject's axes to the template's, for reports.
  std::string describe() const;
};

struct RegistrationOutcome {
  std::optional<TemplateRegistration> fit;
  // The fit the gates refused, if one was made (for reports and benches; never for a cut).
  std::optional<TemplateRegistration> refused_fit;
  std::string failure;  // a reason name, when no fit can be trusted
  std::string detail;
};

// Fits beyond these are not trusted (the series is quarantined).
inline constexpr double kMaxSurfaceErrorMm = 7, kMaxDisagreementMm = 6;

// The grid the series' intensities are registered on (and the template's: HeadTemplate::image).
inline constexpr double kRegistrationImageStepMm = 2;

// With `subject_image` (head_image() of the series on a kRegistrationImageStepMm grid), each fit is refined on the
// intensities by mutual information after the shape has found the pose.
RegistrationOutcome register_to_template(const HeadShape& subject, const HeadTemplate& head_template,
                                         const GridImage* subject_image = nullptr);

// The points of the template's face region the agreement is measured over (LPS, template space).
const std::vector<Vec3>& face_region_probe_points();

}  // namespace radveil::face
