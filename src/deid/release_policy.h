#pragma once
// Decisions taken on the original instance before any change: may it be released at all?
#include <dcmtk/dcmdata/dctk.h>

#include <optional>
#include <string>
#include <vector>

namespace radveil::deid {

struct Refusal {
  std::string reason;  // machine-readable code
  std::string detail;  // for people; never a patient value
};

// Modalities that usually carry text burned into the pixels.
bool modality_usually_has_burned_in_text(std::string_view modality);

// Why this instance must be quarantined, if it must: an encapsulated document; and, unless its
// pixels were cleaned (Clean Pixel Data), possible burned-in text or overlay bits hidden in
// Pixel Data.
std::optional<Refusal> refuse_release(DcmDataset& dataset, bool pixels_cleaned = false);

// Overlay planes stored in unused bits of Pixel Data (retired, still met): their groups
// (60xx with Overlay Rows but no Overlay Data).
std::vector<Uint16> overlay_groups_in_pixel_data(DcmDataset& dataset);

bool is_dicomdir(DcmDataset& dataset, const std::string& media_storage_sop_class);

}  // namespace radveil::deid
