// Face removal on heads it has never seen: many generated acquisitions of each corpus head and of
// the synthetic head (turned up to 30 degrees in any axis, any slice plane and obliquity,
// anisotropic voxels, fields of view ending at the nose, mouth or chin, MR intensity scales, bias
// fields, noise), each judged from the original's side (support/head_variants.h). Prints one line
// per variant and the rates: defaced, quarantined, released with a face.
//
//   radveil_face_variants HEADS_DIR VARIANTS_PER_HEAD [SEED]
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "face/face_detectors.h"
#include "support/head_variants.h"

using namespace radveil;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s HEADS_DIR VARIANTS_PER_HEAD [SEED]\n", argv[0]);
    return 2;
  }
  const std::filesystem::path heads = argv[1];
  const int per_head = std::atoi(argv[2]);
  const unsigned seed = argc > 3 ? static_cast<unsigned>(std::atoi(argv[3])) : 20261126u;
  std::vector<test::SourceHead> sources;
  for (const char* name : {"mne-sample-t1-mr", "vtk-headsq-ct"})
    if (auto h = test::load_source_head(heads / name, name)) sources.push_back(std::move(*h));
  sources.push_back(test::phantom_source_head());
  const face::FaceDetectors detectors;
  std::size_t total = 0, defaced = 0, refused = 0, released_with_face = 0, brain_touched = 0;
  double slowest = 0;
  std::string slowest_case;
  std::mt19937 rng(seed);
  for (const auto& head : sources) {
    for (int n = 0; n < per_head; ++n) {
      const test::Acquisition a = test::random_acquisition(rng, head.is_ct);
      const test::VariantOutcome o = test::try_variant(head, a, detectors);
      ++total;
      defaced += o.outcome == "defaced";
      refused += o.outcome == "refused";
      released_with_face += o.released_with_face();
      brain_touched += o.brain_changed > 0;
      if (o.seconds > slowest) slowest = o.seconds, slowest_case = head.name + ": " + a.describe();
      std::printf("%-18s %-8s %-26s brain %6zu  face-after %d  region-removed %d  %5.2f s  %s\n", head.name.c_str(),
                  o.outcome.c_str(), o.reason.c_str(), o.brain_changed, o.face_after, o.region_removed, o.seconds,
                  a.describe().c_str());
      std::fflush(stdout);
    }
  }
  std::printf("\nvariants %zu: defaced %zu (%.1f%%), quarantined %zu (%.1f%%), released with a face %zu, "
              "brain touched %zu; slowest %.2f s (%s)\n",
              total, defaced, 100.0 * defaced / total, refused, 100.0 * refused / total, released_with_face,
              brain_touched, slowest, slowest_case.c_str());
  return 0;
}
