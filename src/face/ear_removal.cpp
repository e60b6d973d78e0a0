#include "face/ear_removal.h"

namespace radveil::face {

std::vector<FoundEar> find_ears(const Volume& volume, float threshold, double nose_y, nlohmann::json& report) {
  report = nlohmann::json::object();
  std::vector<FoundEar> ears;
  for (const int side : {1, -1}) {
    SideView view = side_view(volume, threshold, side);
    nlohmann::json entry = {{"found", false}};
    if (std::optional<Ear> ear = find_ear(view, nose_y)) {
      entry = {{"found", true}, {"area_mm2", ear->area_mm2}, {"protrusion_mm", ear->protrusion_mm}};
      ears.push_back({std::move(view), std::move(*ear)});
    }
    report[side > 0 ? "left" : "right"] = entry;
  }
  return ears;
}

std::optional<std::string> remove_ears(Volume& volume, float threshold, float air, float tissue,
                                       const std::vector<FoundEar>& ears, DefaceResult& result, nlohmann::json& report) {
  std::optional<std::string> refusal;
  for (const FoundEar& found : ears) {
    const char* name = found.ear.side > 0 ? "left" : "right";
    report[name]["tissue_voxels_removed"] = remove_ear(volume, found.view, found.ear, air, tissue, threshold, result.changed);
    const EarResidue after = ear_residue(side_view(volume, threshold, found.ear.side), found.ear);
    report[name]["residue_after"] = {{"area_mm2", after.area_mm2}, {"protrusion_mm", after.protrusion_mm}};
    if (after.area_mm2 >= kMinEarAreaMm2 && !refusal)
      refusal = std::string("where the ") + name + " ear was, " + std::to_string(static_cast<int>(after.area_mm2)) +
                " mm2 still stand out " + std::to_string(static_cast<int>(after.protrusion_mm)) + " mm from the side of the head";
  }
  return refusal;
}

}  // namespace radveil::face
