#pragma once
// Does a candidate box look like text a machine drew? Burned-in annotations are drawn in one
// colour on a flat ground (a black margin, a grey bar); speckle, Doppler colour and anatomy are
// neither. This cheap test lets the cleaner redact drawn text without asking OCR, and sends only
// the doubtful boxes to Tesseract.
#include <opencv2/core.hpp>

namespace radveil::pixels {

struct RenderedTextEvidence {
  double stroke_uniformity = 0;  // share of stroke pixels within a few grey levels of their median
  double ground_spread = 255;    // median deviation of the ground from its local mean
  int stroke_pixels = 0;
  int glyphs = 0;                // separate marks of about the line's height on one line, none much wider than tall
  bool one_colour() const { return stroke_pixels >= 12 && stroke_uniformity >= 0.5; }
  bool drawn() const { return stroke_pixels >= 12 && stroke_uniformity >= 0.75 && ground_spread <= 10; }
  // A row of separate marks of one colour, as characters are, rather than one edge of an organ,
  // over any ground (a label, the margin, the anatomy).
  bool characters() const { return one_colour() && glyphs >= 3; }
};

// `frame` is the 8-bit rendering (CV_8UC1 or CV_8UC3) the box was found in; strokes differ from
// their surroundings by at least `min_contrast` grey levels.
RenderedTextEvidence rendered_text_evidence(const cv::Mat& frame, const cv::Rect& box, double min_contrast = 60);

}  // namespace radveil::pixels
