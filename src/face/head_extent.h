#pragma once
// Whether a volume could hold a head, and whether its field of view can reach the face, from the
// tissue itself (not from Body Part Examined, not from a detector). Face removal may let a
// series pass unchanged only when this says it is no head, or a slab that ends above the eyes;
// a head whose face could be in view but was not located is refused, never released.
#include <cstdint>
#include <string>
#include <vector>

#include "face/volume.h"

namespace radveil::face {

// The main tissue body on a coarse grid in patient space: voxels above the skin threshold, thin
// structures (table, head holder, cables, tubes) removed by a 6 mm opening, the largest connected
// part kept.
struct TissueBody {
  static constexpr double kGridMm = 3;
  int nx = 0, ny = 0, nz = 0;
  Vec3 lo{};                         // patient position of cell (0,0,0)
  std::vector<std::uint8_t> body;    // 1 in the main part
  // 1 in every part of at least kMinPartCells after the opening: what a slab's extent is judged
  // on (an oblique field of view can leave the face as a part of its own beside a cap of skull).
  std::vector<std::uint8_t> parts;
  static constexpr std::size_t kMinPartCells = 37;  // 1 cm3
  std::vector<std::uint8_t> in_view; // 1 inside the volume's field of view
  std::size_t index(int i, int j, int k) const { return (static_cast<std::size_t>(k) * ny + j) * nx + i; }
  bool inside(int i, int j, int k) const { return i >= 0 && j >= 0 && k >= 0 && i < nx && j < ny && k < nz; }
  bool occupied(const Vec3& p) const;  // the patient point lies in a cell of the main part
  Vec3 position(std::size_t cell) const;
};
TissueBody main_tissue_body(const Volume& volume, float threshold);

struct HeadExtent {
  double width_mm = 0, depth_mm = 0, height_mm = 0;  // the main tissue body's extent in x, y, z
  // Not provably something else: a trunk (wider or deeper than 260 mm) or a small part (under
  // 90 mm both ways) is no head; anything between could be one. The burden of proof is on "not a
  // head": a knee of head size is held back rather than risk releasing a face.
  bool could_be_head = false;
  bool vertex_in_view = false;  // air above the tissue's top, inside the field of view
  // A head slab all of whose tissue (every part, not only the main one) ends within
  // kVertexSlabMm of the vertex.
  bool above_face = false;
  double tissue_height_mm = 0;  // from the main part's top down to the lowest cell of any part
  std::string describe() const;  // for reports: sizes and the verdict, no patient value
};

// Eyes lie further than this below the top of any head, whatever its turn: on the Colin27 head
// the highest eye or nose point lies 71 mm below its top at turns (pitch and roll) within 30
// degrees, 52 mm within 40 and 45 mm within 45. At 50 mm (the value until the generated heads
// were turned to 40 degrees) an MR head pitched -35 and rolled -38 degrees, cut at the nose, was
// passed as a slab 48 mm high with its eyes in it.
inline constexpr double kVertexSlabMm = 35;

HeadExtent measure_head_extent(const TissueBody& body);

}  // namespace radveil::face
