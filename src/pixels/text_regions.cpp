#include "pixels/text_regions.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>

#include "pixels/line_opening.h"

namespace radveil::pixels {
namespace {

// For colour, the channel that differs most from its neighbourhood carries the text, whatever
// its hue: use the per-pixel maximum and minimum over channels, and keep both polarities.
void intensity_planes(const cv::Mat& frame, cv::Mat& bright, cv::Mat& dark) {
  if (frame.channels() == 1) {
    bright = frame;
    dark = frame;
    return;
  }
  std::vector<cv::Mat> ch;
  cv::split(frame, ch);
  bright = cv::max(cv::max(ch[0], ch[1]), ch[2]);
  dark = cv::min(cv::min(ch[0], ch[1]), ch[2]);
}

// Boxes on the same text line that overlap become one; lines stay separate (one OCR line each).
std::vector<cv::Rect> merge_overlapping(std::vector<cv::Rect> boxes) {
  auto same_line = [](const cv::Rect& a, const cv::Rect& b) {
    const int overlap = std::min(a.y + a.height, b.y + b.height) - std::max(a.y, b.y);
    return (a & b).area() > 0 && overlap > std::min(a.height, b.height) / 2;
  };
  bool merged = true;
  while (merged) {
    merged = false;
    for (std::size_t i = 0; i < boxes.size() && !merged; ++i)
      for (std::size_t j = i + 1; j < boxes.size(); ++j)
        if (same_line(boxes[i], boxes[j])) {
          boxes[i] |= boxes[j];
          boxes.erase(boxes.begin() + static_cast<long>(j));
          merged = true;
          break;
        }
  }
  return boxes;
}

// Boxes in `mask` (within `area`) where strokes joined into words and lines have a line's height.
// Returns the areas of boxes too tall to be a line.
std::vector<cv::Rect> line_boxes(const cv::Mat& mask, const cv::Rect& area, const TextRegionParams& p, const cv::Rect& bounds,
                                 std::vector<cv::Rect>& boxes) {
  // Characters of a word or line join horizontally; rows stay apart.
  cv::Mat joined;
  cv::morphologyEx(mask(area), joined, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(17, 3)));
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(joined, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
  std::vector<cv::Rect> too_tall;
  for (const auto& c : contours) {
    const cv::Rect r = cv::boundingRect(c) + area.tl();
    if (r.height < p.min_height) continue;
    if (r.height > p.max_height) {
      too_tall.push_back(r);
      continue;
    }
    // Text is made of strokes: some of the box (thin 1-px fonts fill little of a tall line),
    // never nearly all of it (a filled bar, a bright organ).
    const double fill = cv::countNonZero(mask(r)) / static_cast<double>(r.area());
    if (fill < 0.04 || fill > 0.85) continue;
    boxes.push_back(cv::Rect(r.x - p.margin, r.y - p.margin, r.width + 2 * p.margin, r.height + 2 * p.margin) & bounds);
  }
  return too_tall;
}

// Boxes of one polarity's stroke map.
void boxes_of(const cv::Mat& strokes, const TextRegionParams& p, std::vector<cv::Rect>& boxes) {
  const cv::Rect bounds(0, 0, strokes.cols, strokes.rows);
  cv::Mat mask;
  cv::threshold(strokes, mask, p.min_contrast, 255, cv::THRESH_BINARY);
  // Straight lines longer than any character (a label's border, a dark margin a few pixels wide,
  // a ruler) are not text; joined to the text beside them they make a box too tall to be a line.
  // Where that happened, they are taken out and the characters joined again.
  const std::vector<cv::Rect> too_tall = line_boxes(mask, bounds, p, bounds, boxes);
  if (too_tall.empty()) return;
  cv::Rect area = too_tall.front();
  for (const cv::Rect& tall : too_tall) area |= tall;
  cv::Mat without_lines = cv::Mat::zeros(mask.size(), CV_8UC1);
  const cv::Mat local = mask(area);
  without_lines(area).setTo(255, local & ~(opened_by_line(local, 2 * p.max_height + 1, LineDirection::Across) |
                                           opened_by_line(local, p.max_height + 1, LineDirection::Down)));
  for (const cv::Rect& tall : too_tall) line_boxes(without_lines, tall, p, bounds, boxes);
}

}  // namespace

StrokeMaps stroke_maps(const cv::Mat& frame) {
  cv::Mat bright, dark;
  intensity_planes(frame, bright, dark);
  // Strokes: thin structures brighter (top-hat) or darker (black-hat) than a window a little
  // wider than the thickest stroke of a 40 px font. Each polarity on its own: the dark gaps
  // between lines of bright text must not read as dark text.
  const cv::Mat stroke_window = cv::getStructuringElement(cv::MORPH_RECT, cv::Size(9, 9));
  StrokeMaps maps;
  cv::morphologyEx(bright, maps.bright, cv::MORPH_TOPHAT, stroke_window);
  cv::morphologyEx(dark, maps.dark, cv::MORPH_BLACKHAT, stroke_window);
  return maps;
}

std::vector<cv::Rect> find_text_regions(const StrokeMaps& maps, const TextRegionParams& p) {
  std::vector<cv::Rect> boxes;
  boxes_of(maps.bright, p, boxes);
  boxes_of(maps.dark, p, boxes);
  return merge_overlapping(std::move(boxes));
}

std::vector<cv::Rect> find_text_regions(const cv::Mat& frame, const TextRegionParams& p) {
  return find_text_regions(stroke_maps(frame), p);
}

}  // namespace radveil::pixels
