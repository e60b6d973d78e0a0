#include "deid/release_policy.h"

#include <algorithm>
#include <array>

#include "dicom/values.h"

namespace radveil::deid {
namespace {

bool has_pixels(DcmDataset& ds) {
  return ds.tagExists(DCM_PixelData) || ds.tagExists(DCM_FloatPixelData) || ds.tagExists(DCM_DoubleFloatPixelData);
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

}  // namespace

bool modality_usually_has_burned_in_text(std::string_view modality) {
  // Ultrasound, endoscopy and photography, secondary capture and "other", whole-slide and
  // microscopy, angiography and fluoroscopy frames, digitised film (CR) and documents.
  static constexpr std::array<std::string_view, 14> kModalities = {
      "US", "IVUS", "ES", "XC", "GM", "SM", "OT", "SC", "XA", "RF", "CR", "DOC", "OP", "ECG"};
  return std::find(kModalities.begin(), kModalities.end(), modality) != kModalities.end();
}

std::optional<Refusal> refuse_release(DcmDataset& ds, bool pixels_cleaned) {
  if (ds.tagExists(DCM_EncapsulatedDocument))
    return Refusal{"encapsulated-document",
                   "an encapsulated document (PDF, CDA, ...) cannot be verified free of identity"};
  if (has_pixels(ds) && !pixels_cleaned) {
    const std::string burned = dicom::get_string(ds, DCM_BurnedInAnnotation);
    if (burned == "YES")
      return Refusal{"burned-in-text-risk", "Burned In Annotation is YES and no pixel cleaning was selected"};
    const std::string modality = dicom::get_string(ds, DCM_Modality);
    if (modality_usually_has_burned_in_text(modality))
      return Refusal{"burned-in-text-risk",
                     "modality " + modality + " usually carries text burned into the pixels and no pixel cleaning was selected"};
    const std::string sop_class = dicom::get_string(ds, DCM_SOPClassUID);
    if (starts_with(sop_class, "1.2.840.10008.5.1.4.1.1.7"))
      return Refusal{"burned-in-text-risk",
                     "secondary capture images usually carry burned-in text and no pixel cleaning was selected"};
    // Overlay planes stored in unused bits of Pixel Data (retired): removing the overlay
    // attributes would leave the bitmap, so the instance cannot be cleaned by header work.
    if (!overlay_groups_in_pixel_data(ds).empty())
      return Refusal{"overlay-in-pixel-data", "an overlay plane is stored in the bits of Pixel Data"};
  }
  return std::nullopt;
}

std::vector<Uint16> overlay_groups_in_pixel_data(DcmDataset& ds) {
  std::vector<Uint16> groups;
  for (Uint16 group = 0x6000; group <= 0x601E; group += 2)
    if (ds.tagExists(DcmTagKey(group, 0x0010)) && !ds.tagExists(DcmTagKey(group, 0x3000))) groups.push_back(group);
  return groups;
}

bool is_dicomdir(DcmDataset& ds, const std::string& media_storage_sop_class) {
  return media_storage_sop_class == UID_MediaStorageDirectoryStorage || ds.tagExists(DCM_DirectoryRecordSequence);
}

}  // namespace radveil::deid
