#pragma once
// Small, VR-aware accessors over DCMTK items, so the rest of the code never handles OFString.
#include <dcmtk/dcmdata/dctk.h>

#include <string>
#include <string_view>

namespace radveil::dicom {

// The whole value (all components joined by '\'), without DICOM padding; "" when absent.
std::string get_string(DcmItem& item, const DcmTagKey& tag);
std::string element_string(DcmElement& element);
void put_string(DcmElement& element, std::string_view value);
// Two-letter VR name as in the standard ("PN", "SQ", ...).
std::string_view vr_name(const DcmObject& object);
bool is_string_vr(std::string_view vr);
// Inserts (replacing) a private attribute with an explicit VR under `creator`, whose creator
// element must already be present; private tags have no dictionary VR unless the creator is known.
// Returns false if DCMTK refuses the value.
bool put_private(DcmItem& item, const DcmTagKey& tag, DcmEVR vr, const char* creator, std::string_view value);
// Splits a multi-valued string at '\'.
std::vector<std::string_view> split_values(std::string_view value);

}  // namespace radveil::dicom
