#pragma once
// Many acquisitions of one head: the head turned in the scanner (yaw, pitch, roll), slices in any
// plane and obliquity, anisotropic voxels, the field of view ending at the nose, mouth or chin,
// another intensity scale, a bias field and noise. Each variant is written as a DICOM series
// (one dataset per slice) whose geometry tags are exact, so face removal can be tried on heads it
// has never seen in the ways real archives differ.
#include <dcmtk/dcmdata/dctk.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <limits>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "face/face_detectors.h"
#include "face/face_geometry.h"
#include "face/template_registration.h"
#include "face/volume.h"

namespace radveil::test {

// A head to make variants of: its volume and, measured once on the upright original, where its
// face and brain are (patient coordinates of the original).
struct SourceHead {
  std::string name;
  bool is_ct = false;
  face::Volume volume;
  face::Vec3 nose_tip{};  // on the original
  face::Vec3 centre{};    // rotations turn the head about this point
  double brow_z = 0;      // the brain region: above brow_z - 15 mm and 18 mm behind the skin
  float skin_threshold = 0;
  face::FrontalSurface surface;  // of the original, for its brain region
  face::FaceLandmarks landmarks;
  // The brain, one flag per voxel of `volume`: the template's brain (ch2bet) placed by the
  // registration of the upright, uncut original (for the template itself: ch2bet as shipped; for
  // the synthetic head: its own brain, support/head_phantom.h).
  // Each variant's own fit is judged against it, never against itself.
  std::vector<std::uint8_t> brain;
  std::optional<face::TemplateRegistration> fit;  // of the original (the truth a variant's pose is measured against)
  bool in_brain(const face::Vec3& original_point) const;
};

// The synthetic CT head (support/head_phantom.h) as a source.
SourceHead phantom_source_head();

// The head template itself (Colin27, MR) as a source; nullopt when it is not installed.
std::optional<SourceHead> template_source_head();

// Loads a series folder (every file one slice) and measures it; nullopt if it has no face.
std::optional<SourceHead> load_source_head(const std::filesystem::path& folder, const std::string& name);

enum class SlicePlane { Axial, Coronal, Sagittal };
enum class FieldOfView { Whole, EndsAtEyes, EndsAtNose, EndsAtMouth, EndsAtChin };

struct Acquisition {
  double yaw_deg = 0, pitch_deg = 0, roll_deg = 0;  // the head turned in the scanner
  SlicePlane plane = SlicePlane::Axial;
  double oblique_deg = 0;  // the slice plane tilted about its row direction
  double in_plane_mm = 1.5, slice_mm = 1.5;
  FieldOfView fov = FieldOfView::Whole;
  double intensity_scale = 1;  // MR only: stored values scaled
  double bias = 0;             // MR only: multiplicative gradient, +-bias across the head
  double noise_sd = 0;         // in the image's units, before scaling
  bool reverse_slices = false;
  bool body_part = true;  // Body Part Examined HEAD, or absent
  bool head_holder = false;  // CT only: a plastic cradle behind the head
  bool collar = false;       // CT only: a cervical collar around the neck below the chin
  unsigned seed = 1;

  std::string describe() const;
};

// A random acquisition within the ranges real archives show (rotations up to 40 degrees in any
// axis, voxels up to 1 x 1 x 6 mm, fields of view cut at the eyes, nose, mouth or chin, CT head
// holders and collars, ...).
Acquisition random_acquisition(std::mt19937& rng, bool is_ct);

// The series of `head` acquired as `a`: one CT or MR dataset per slice.
std::vector<std::unique_ptr<DcmDataset>> acquire(const SourceHead& head, const Acquisition& a);

// Maps a patient point of a variant back to the original head (undoing the turn).
face::Vec3 to_original(const SourceHead& head, const Acquisition& a, const face::Vec3& variant_point);
face::Vec3 to_variant(const SourceHead& head, const Acquisition& a, const face::Vec3& original_point);

// What face removal made of one variant, judged from the original's side: the defaced volume is
// turned back into the original's frame and looked at there (detectors on renders, the nose, the
// skin at the original's nose tip and eyes), and every voxel of the original's brain region is
// compared. Independent of where the defacer thought the face was.
struct VariantOutcome {
  std::string outcome;  // defaced, refused, no-face
  std::string reason;
  bool face_after = false;         // detectors or the nose find a face on the defaced volume
  bool region_removed = false;     // the original's nose tip and eyes moved or are gone
  std::size_t brain_changed = 0;   // voxels of the original's brain region that changed
  // How far the nose tip the face stage located lies from the annotated one (mm, in the
  // original), or NaN when it located none.
  double nose_error_mm = std::numeric_limits<double>::quiet_NaN();
  std::size_t voxels = 0;
  double seconds = 0;              // face stage alone
  // How far the variant's registration lies from the original's once the variant's turn is
  // undone: the largest distance over the face region's probe points, and the largest angle
  // between corresponding head axes; NaN without a fit.
  double pose_error_mm = std::numeric_limits<double>::quiet_NaN();
  double pose_error_deg = std::numeric_limits<double>::quiet_NaN();
  nlohmann::json report;           // the face stage's own report
  bool released_with_face() const { return outcome == "no-face" || (outcome == "defaced" && (face_after || !region_removed)); }
};
VariantOutcome try_variant(const SourceHead& head, const Acquisition& a, const face::FaceDetectors& detectors);

}  // namespace radveil::test
