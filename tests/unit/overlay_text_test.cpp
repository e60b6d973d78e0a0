// Text an export tool burned in, as public de-identification sets carry it and as the generator of
// the earlier tests never drew it: bold, anti-aliased, at the frame's own extreme value, over a
// mammogram's bright speckle, 5 px high on a 256x256 MR, black over a CT body saturated to white,
// black over a radiograph's grain.
// Each frame is screened as a CT or MR is (its header says nothing of text): every burned line
// goes, the instance is released, and little outside the lines is blacked out.
#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "core/quarantine_error.h"
#include "pixels/burned_in_text.h"
#include "support/burned_text.h"
#include "support/overlay_frames.h"

using namespace radveil;
using test::OverlayGround;

namespace {

struct Outcome {
  std::vector<double> line_coverage;  // share of each line's text pixels inside the boxes
  double changed_outside = 0;         // share of the frame changed outside the lines and margins
};

Outcome clean(OverlayGround ground, int height, cv::Point origin, unsigned seed) {
  test::OverlayFrame made = test::overlay_frame(ground, height, origin, seed);
  pixels::PixelFrames frames(*made.dataset);
  const std::vector<std::int64_t> before = test::stored_values(*made.dataset, frames, 0);
  pixels::CleaningRequest request;
  request.expectation = pixels::TextExpectation::Screened;
  const deid::IdentifyingValues identity = test::planted_identity();
  request.identifying = [&](std::string_view t) { return identity.found_in_ocr_text(t); };
  const pixels::CleaningResult result = pixels::clean_burned_in_text(frames, test::reader(), request);
  std::vector<cv::Rect> boxes;
  for (const auto& r : result.redacted) boxes.insert(boxes.end(), r.boxes.begin(), r.boxes.end());
  Outcome out;
  for (const cv::Mat& truth : made.line_truth) out.line_coverage.push_back(test::covered_share(truth, boxes));
  // What changed outside the lines (each with a margin of half a line height and 6 px), in the
  // stored values (a rendering stretches anew once the text's brightest value is gone).
  const std::vector<std::int64_t> after = test::stored_values(*made.dataset, frames, 0);
  cv::Mat changed(frames.layout().rows, frames.layout().columns, CV_8UC1);
  for (std::size_t i = 0; i < after.size(); ++i) changed.data[i] = after[i] != before[i] ? 255 : 0;
  const int margin = 6 + height / 2;
  for (const cv::Rect& line : made.line_boxes)
    changed(cv::Rect(line.x - margin, line.y - margin, line.width + 2 * margin, line.height + 2 * margin) &
            cv::Rect(0, 0, changed.cols, changed.rows))
        .setTo(0);
  out.changed_outside = cv::countNonZero(changed) / static_cast<double>(changed.total());
  return out;
}

void expect_every_line_gone(const Outcome& o, const std::string& what) {
  for (std::size_t i = 0; i < o.line_coverage.size(); ++i)
    EXPECT_GE(o.line_coverage[i], 0.85) << what << ": line " << i << " (" << test::overlay_lines()[i] << ")";
}

}  // namespace

TEST(OverlayText, WhiteBoldTextOverAMammogramsSpeckleGoesWhole) {
  for (unsigned seed : {1u, 2u}) {
    const Outcome o = clean(OverlayGround::MammogramSpeckle, 12, {90, 60}, seed);
    expect_every_line_gone(o, "mammogram seed " + std::to_string(seed));
    EXPECT_LE(o.changed_outside, 0.015) << "mammogram seed " << seed;
  }
}

TEST(OverlayText, FivePixelTextOnA256MrSliceGoesWhole) {
  for (unsigned seed : {1u, 2u}) {
    const Outcome o = clean(OverlayGround::SmallMr, 6, {50, 190}, seed);
    expect_every_line_gone(o, "MR seed " + std::to_string(seed));
    EXPECT_LE(o.changed_outside, 0.02) << "MR seed " << seed;
  }
}

TEST(OverlayText, BlackTextOverASaturatedCtBodyGoesWhole) {
  const Outcome o = clean(OverlayGround::SaturatedCt, 8, {150, 300}, 1);
  expect_every_line_gone(o, "saturated CT");
  EXPECT_LE(o.changed_outside, 0.005);
}

TEST(OverlayText, TheGroundsAloneGetNoBoxes) {
  // The same grounds with the text drawn outside the frame: nothing to find, nothing blacked out.
  for (OverlayGround g : {OverlayGround::MammogramSpeckle, OverlayGround::SmallMr, OverlayGround::SaturatedCt,
                          OverlayGround::NoisyAirCt}) {
    const Outcome o = clean(g, 10, {-2000, -2000}, 3);
    EXPECT_EQ(o.changed_outside, 0) << "ground " << static_cast<int>(g);
  }
}

TEST(OverlayText, BlackBoldTextOverARadiographsGrainGoesWhole) {
  for (unsigned seed : {1u, 2u}) {
    const Outcome o = clean(OverlayGround::RadiographGrain, 8, {110, 330}, seed);
    expect_every_line_gone(o, "radiograph seed " + std::to_string(seed));
    // The grain's own rows of marks still cost up to 4% of this frame (docs/clean-pixel-data.md,
    // limits); an unbounded block once grew over 90% of it.
    EXPECT_LE(o.changed_outside, 0.05) << "radiograph seed " << seed;
  }
}

TEST(OverlayText, BlackTextOverACtsNoisyAirGoesWithoutTheNoiseAroundIt) {
  for (unsigned seed : {1u, 2u}) {
    const Outcome o = clean(OverlayGround::NoisyAirCt, 8, {90, 60}, seed);
    expect_every_line_gone(o, "noisy air seed " + std::to_string(seed));
    // The air's darkest values are ink only beside pixels at the darkest value itself: taken as
    // ink whole, its specks made rows of "letters" that grew the block and its lines across the air.
    EXPECT_LE(o.changed_outside, 0.005) << "noisy air seed " << seed;
  }
}
