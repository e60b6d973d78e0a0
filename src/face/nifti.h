#pragma once
// Reads a NIfTI-1 volume (.nii or .nii.gz: a 348-byte header, then the voxels) into a Volume in
// DICOM patient coordinates. NIfTI's world axes grow to the subject's right, anterior and superior
// (RAS); DICOM's to the left, posterior and superior (LPS): x and y change sign.
#include <filesystem>
#include <stdexcept>

#include "face/volume.h"

namespace radveil::face {

class NiftiError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// uint8, int16, uint16 and float32 voxels; the sform (else the qform's diagonal pixdim) places
// them. Throws NiftiError on anything else or a truncated file.
Volume read_nifti(const std::filesystem::path& path);

}  // namespace radveil::face
