#include "pixels/rendered_text.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>
#include <vector>


namespace radveil::pixels {
namespace {

// Characters are separate marks of about a line's height, none much wider than tall, side by side
// on one line; the edge of an organ is one long mark, and blobs of texture do not line up.
int count_glyphs(const cv::Mat& strokes) {
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(strokes, labels, stats, centroids, 8, CV_32S);
  // Marks shaped like characters: not a straight line (a margin's edge, a border), not much wider
  // than tall, neither a speck nor a solid blob. Only they measure the line's height.
  struct Mark {
    int top, height;
  };
  std::vector<Mark> marks;
  int tallest = 0;
  for (int i = 1; i < n; ++i) {
    const int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    const double fill = stats.at<int>(i, cv::CC_STAT_AREA) / static_cast<double>(w * h);
    const bool line_like = h > 4 * w && h > strokes.rows / 2;
    if (line_like || h < 3 || w > 3 * h || fill < 0.1 || fill > 0.9) continue;
    marks.push_back({stats.at<int>(i, cv::CC_STAT_TOP), h});
    tallest = std::max(tallest, h);
  }
  std::vector<double> centres;
  for (const Mark& m : marks)
    if (m.height >= tallest * 4 / 10) centres.push_back(m.top + m.height / 2.0);
  if (centres.empty()) return 0;
  std::nth_element(centres.begin(), centres.begin() + static_cast<long>(centres.size() / 2), centres.end());
  const double line = centres[centres.size() / 2];
  return static_cast<int>(std::count_if(centres.begin(), centres.end(),
                                        [&](double c) { return std::abs(c - line) <= 0.35 * tallest; }));
}

RenderedTextEvidence of_polarity(const cv::Mat& plane, const cv::Rect& box, const cv::Rect& context, bool bright,
                                 double min_contrast) {
  cv::Mat hat;
  cv::morphologyEx(plane(context), hat, bright ? cv::MORPH_TOPHAT : cv::MORPH_BLACKHAT,
                   cv::getStructuringElement(cv::MORPH_RECT, cv::Size(9, 9)));
  const cv::Rect inner(box.x - context.x, box.y - context.y, box.width, box.height);
  const cv::Mat strokes = hat(inner) >= min_contrast;
  const cv::Mat values = plane(box);
  RenderedTextEvidence e;
  e.stroke_pixels = cv::countNonZero(strokes);
  if (e.stroke_pixels == 0) return e;
  std::vector<int> v;
  v.reserve(static_cast<std::size_t>(e.stroke_pixels));
  for (int y = 0; y < strokes.rows; ++y)
    for (int x = 0; x < strokes.cols; ++x)
      if (strokes.at<uchar>(y, x)) v.push_back(values.at<uchar>(y, x));
  std::nth_element(v.begin(), v.begin() + static_cast<long>(v.size() / 2), v.end());
  const int median = v[v.size() / 2];
  const auto close = std::count_if(v.begin(), v.end(), [&](int g) { return std::abs(g - median) <= 24; });
  e.stroke_uniformity = static_cast<double>(close) / static_cast<double>(v.size());
  e.glyphs = count_glyphs(strokes);
  // The ground: what is neither a stroke nor its anti-aliased rim. Its roughness is measured
  // against a local mean, so that a ground of two flat regions (a margin and an organ) is flat.
  cv::Mat rim;
  cv::dilate(strokes, rim, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(5, 5)));
  cv::Mat ground_values, local_mean;
  values.convertTo(ground_values, CV_32F);
  cv::Mat weights;
  cv::Mat ground_mask = rim == 0;
  ground_mask.convertTo(weights, CV_32F, 1.0 / 255);
  cv::Mat weighted_sum, weight_sum;
  cv::blur(ground_values.mul(weights), weighted_sum, cv::Size(7, 7));
  cv::blur(weights, weight_sum, cv::Size(7, 7));
  cv::divide(weighted_sum, weight_sum + 1e-3, local_mean);
  // The median absolute residual: an edge crossing the box (a label's border) moves few pixels.
  const cv::Mat residual = cv::abs(ground_values - local_mean);
  std::vector<float> r;
  for (int y = 0; y < residual.rows; ++y)
    for (int x = 0; x < residual.cols; ++x)
      if (ground_mask.at<uchar>(y, x)) r.push_back(residual.at<float>(y, x));
  if (r.size() >= 8) {
    std::nth_element(r.begin(), r.begin() + static_cast<long>(r.size() / 2), r.end());
    e.ground_spread = r[r.size() / 2];
  }
  return e;
}

}  // namespace

RenderedTextEvidence rendered_text_evidence(const cv::Mat& frame, const cv::Rect& box_in, double min_contrast) {
  const cv::Rect bounds(0, 0, frame.cols, frame.rows);
  const cv::Rect box = box_in & bounds;
  if (box.empty()) return {};
  const cv::Rect context = cv::Rect(box.x - 8, box.y - 8, box.width + 16, box.height + 16) & bounds;
  cv::Mat bright, dark;
  if (frame.channels() == 1) {
    bright = dark = frame;
  } else {
    std::vector<cv::Mat> ch;
    cv::split(frame, ch);
    bright = cv::max(cv::max(ch[0], ch[1]), ch[2]);
    dark = cv::min(cv::min(ch[0], ch[1]), ch[2]);
  }
  const RenderedTextEvidence light = of_polarity(bright, box, context, true, min_contrast);
  const RenderedTextEvidence shade = of_polarity(dark, box, context, false, min_contrast);
  // Where both polarities look drawn (dark text on a light label: the label's ground between the
  // characters is a bright thin structure too), the text is the one made of separate marks.
  if (light.drawn() && shade.drawn()) return light.glyphs >= shade.glyphs ? light : shade;
  // Otherwise drawn characters first, then characters over a busy ground (light text on a grey
  // banner whose box takes in the image around it), then whatever is drawn.
  for (const auto* e : {&light, &shade})
    if (e->drawn() && e->characters()) return *e;
  for (const auto* e : {&light, &shade})
    if (e->characters()) return *e;
  if (light.drawn()) return light;
  if (shade.drawn()) return shade;
  return light.stroke_pixels >= shade.stroke_pixels ? light : shade;
}

}  // namespace radveil::pixels
