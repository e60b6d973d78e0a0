#pragma once
// The outer ears of a series' head for `--face-mode face-and-ears`: found on the original (before
// the face cut changes the side views), removed after it, and verified gone (ears.h has the
// geometry). The report's `ears` gives, per side, what was found, removed and left.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "face/defacer.h"
#include "face/ears.h"

namespace radveil::face {

struct FoundEar {
  SideView view;
  Ear ear;
};

// The ear on each side of `volume` (in the head's axes) that stands behind `nose_y`; `report`
// gets {"left": {...}, "right": {...}}.
std::vector<FoundEar> find_ears(const Volume& volume, float threshold, double nose_y, nlohmann::json& report);

// Removes the ears found (marking `result.changed`); then nothing may still stand out as an ear
// where each was. Returns the refusal's detail, or nothing when the ears are gone.
std::optional<std::string> remove_ears(Volume& volume, float threshold, float air, float tissue,
                                       const std::vector<FoundEar>& ears, DefaceResult& result, nlohmann::json& report);

}  // namespace radveil::face
