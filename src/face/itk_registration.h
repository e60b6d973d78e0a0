#pragma once
// The only face code that sees ITK (itk_registration.cpp, one translation unit, so ITK's heavy
// headers compile once and the rest of radveil does not depend on them): distance maps, and the
// affine refinement of the head template's fit to a subject.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "face/head_shape.h"

namespace radveil::face {

// Signed Euclidean distance (mm) to the boundary of `inside` on `grid`, negative inside
// (ITK's SignedMaurerDistanceMapImageFilter).
std::vector<float> signed_distance_mm(const std::vector<std::uint8_t>& inside, const DenseGrid& grid);

struct AffineFit {
  LinearMap map;      // as given to `cost`
  double cost = 0;
  int iterations = 0;
  std::string stop;   // the optimizer's stop condition, for reports
};

// Refines `start`, a 12-parameter affine map about `centre`, on `cost` (smaller is better) with
// ITK's Nelder-Mead simplex (AmoebaOptimizerv4; the surface score has no useful derivative: it is
// built of clipped distances). Single-threaded: radveil's workers are the threads. nullopt with
// `why` when it diverges.
std::optional<AffineFit> refine_affine(const std::function<double(const LinearMap&)>& cost, const LinearMap& start,
                                       const Vec3& centre, std::string& why);

// Refines `start` (a map from `fixed` points to `moving` points) by Mattes mutual information
// between the two images' intensities, as the field's defacers do (pydeface's FLIRT, AFNI's
// 3dAllineate): a 12-parameter affine map, regular-step gradient descent at 4 mm then 2 mm.
// Mutual information needs no shared intensity scale, so a T1 template fits a T1 of any scale or
// bias, or a CT. Samples only `fixed.mask`. Single-threaded. nullopt with `why` when it fails.
std::optional<AffineFit> refine_by_mutual_information(const GridImage& fixed, const GridImage& moving,
                                                      const LinearMap& start, std::string& why);

}  // namespace radveil::face
