// Face removal on heads it has never seen never releases a face: generated acquisitions of the
// synthetic head and of the corpus heads (turned up to 30 degrees in any axis, any slice plane
// and obliquity, thick slices, fields of view ending at the nose, mouth or chin, MR intensity
// scales, bias fields, noise; support/head_variants.h), each judged from the original's side, are
// either defaced with the original's face gone or quarantined, never passed or "defaced" with the
// face still there. bench/face-variants measures the rates over many more variants.
#include <gtest/gtest.h>

#include <random>

#include "face/face_detectors.h"
#include "support/head_variants.h"
#include "support/test_support.h"

using namespace radveil;

namespace {

void expect_never_released_with_a_face(const test::SourceHead& head, unsigned seed, int variants) {
  static const face::FaceDetectors detectors;
  std::mt19937 rng(seed);
  for (int n = 0; n < variants; ++n) {
    const test::Acquisition a = test::random_acquisition(rng, head.is_ct);
    const test::VariantOutcome o = test::try_variant(head, a, detectors);
    SCOPED_TRACE(head.name + ": " + a.describe());
    EXPECT_NE(o.outcome, "no-face") << "a head whose face is in view passed unchanged";
    if (o.outcome == "defaced") {
      EXPECT_FALSE(o.face_after) << "a face is still found on the defaced variant";
      EXPECT_TRUE(o.region_removed) << "the original's nose tip or eyes did not move";
    } else {
      EXPECT_EQ(o.outcome, "refused");
      EXPECT_FALSE(o.reason.empty());
    }
    std::printf("%s: %s %s\n", head.name.c_str(), o.outcome.c_str(), a.describe().c_str());
  }
}

}  // namespace

TEST(FaceVariants, TheSyntheticHeadAcquiredAnyWayIsDefacedOrQuarantinedNeverReleased) {
  expect_never_released_with_a_face(test::phantom_source_head(), 20261126, 3);
}

TEST(FaceVariants, TheCorpusHeadsAcquiredAnyWayAreDefacedOrQuarantinedNeverReleased) {
  const auto corpus = test::corpus_dir();
  if (!corpus) GTEST_SKIP() << "../shared/corpus is absent";
  for (const char* name : {"mne-sample-t1-mr", "vtk-headsq-ct"}) {
    const auto head = test::load_source_head(*corpus / "heads" / name, name);
    ASSERT_TRUE(head) << name;
    expect_never_released_with_a_face(*head, 20261127, 2);
  }
}
