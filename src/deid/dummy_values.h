#pragma once
// Action D: a value valid for the VR that identifies nobody.
#include <optional>
#include <string_view>

namespace radveil::deid {

inline constexpr std::string_view kDummyText = "ANONYMIZED";

// The dummy for a string VR; nullopt for VRs that have no string form (binary), which are emptied.
std::optional<std::string_view> dummy_for_vr(std::string_view vr);

}  // namespace radveil::deid
