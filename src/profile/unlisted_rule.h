#pragma once
// The rule for standard attributes that Table E.1-1 does not name: "remove what is not known to
// be safe". Decided by VR, with a short list of text attributes known to carry no identity.
//
//   SQ                         keep, items processed recursively by the same rules
//   numbers, AT, binary (OB/OW/OF/OD/OL/OV), CS     keep (no free text; CS is a short code)
//   UI                         keep a well-known UID (DICOM root 1.2.840.10008, or a class UID
//                              attribute); any other UID gets a keyed replacement (U)
//   DA, DT                     empty; shifted with retain-long-modified-dates; kept with -full-dates
//   TM                         empty; kept with either longitudinal option
//   text (AE AS LO LT PN SH ST UC UR UT)   kept only if listed safe; otherwise emptied, or cleaned
//                              inside a sequence that is cleaned, or a dummy inside one that is
//                              replaced by a dummy (SR content, graphic annotations); a few
//                              Type 1 content labels (Segment Label, annotation text) are cleaned
//   UN, anything else          removed
#include <cstdint>
#include <string_view>

#include "profile/action.h"

namespace radveil::profile {

// How the nearest enclosing sequence was treated: its unlisted text inherits that treatment, so
// a sequence replaced by a dummy stays valid and a sequence being cleaned is cleaned throughout.
enum class SequenceMode { Plain, Dummy, Clean };

struct UnlistedContext {
  const OptionSet& options;
  SequenceMode enclosing;
};

Action resolve_unlisted(std::uint16_t group, std::uint16_t element, std::string_view vr,
                        const UnlistedContext& ctx);

// VRs that hold free text: AE AS LO LT PN SH ST UC UR UT.
bool is_text_vr(std::string_view vr);

// Text attributes outside the table that are known to carry no identity (codes, device model,
// software, geometry labels). Exposed for the test that keeps this list disjoint from the table.
bool is_listed_safe_text(std::uint16_t group, std::uint16_t element);
std::size_t listed_safe_text_count();
// Type 1 content labels (Segment Label, annotation text) that are cleaned rather than emptied.
bool is_required_label(std::uint16_t group, std::uint16_t element);
// UI attributes whose value names a class, syntax or scheme, never an instance.
bool is_class_uid_attribute(std::uint16_t group, std::uint16_t element);

}  // namespace radveil::profile
