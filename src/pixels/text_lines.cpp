#include "pixels/text_lines.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <opencv2/imgproc.hpp>

namespace radveil::pixels {
namespace {

// Letters of a line are at most this many heights apart (a word space), and overlap vertically
// by at least this share of the shorter one (x-height letters, capitals and descenders still do).
constexpr double kMostGap = 1.2;
constexpr double kLeastOverlap = 0.5;
constexpr double kLeastHeightRatio = 0.5;
// A character's marks fill part of its box; a blob (a clipped organ, a highlight) fills nearly all.
constexpr double kLeastFill = 0.12;
constexpr double kMostFill = 0.85;
constexpr double kMostWidthPerHeight = 4;  // one mark, up to a few touching letters
// Wider marks are the touching letters of a word (bold 7 px digits join into one mark), each
// about this wide for its height, up to a long word's width.
constexpr double kCharacterWidthPerHeight = 0.6;
constexpr double kMostWordWidthPerHeight = 16;

struct Mark {
  cv::Rect box;
  int label = 0;
  bool bar = false;  // a thin upright stroke: 'l', 'I', '1', or a ruler's tick
  int characters = 1;  // letters of a bold font touch: a word can be one mark
};

bool is_character_like(const cv::Rect& r, int area, const TextLineParams& p, bool& bar, int& characters) {
  if (r.height < p.min_height || r.height > p.max_height || area < 4) return false;
  if (r.width > (p.words_as_marks ? kMostWordWidthPerHeight : kMostWidthPerHeight) * r.height) return false;
  bar = r.width <= std::max(2, r.height / 4);
  const double fill = area / static_cast<double>(r.area());
  characters = r.width > kMostWidthPerHeight * r.height
                   ? static_cast<int>(std::lround(r.width / (kCharacterWidthPerHeight * r.height)))
                   : 1;
  return bar ? fill >= 0.5 : fill >= kLeastFill && fill <= kMostFill;
}

bool side_by_side(const Mark& a, const Mark& b) {
  const int h = std::max(a.box.height, b.box.height), low = std::min(a.box.height, b.box.height);
  if (low < kLeastHeightRatio * h) return false;
  const int gap = std::max(a.box.x, b.box.x) - std::min(a.box.x + a.box.width, b.box.x + b.box.width);
  if (gap > kMostGap * h) return false;
  const int overlap = std::min(a.box.y + a.box.height, b.box.y + b.box.height) - std::max(a.box.y, b.box.y);
  return overlap >= kLeastOverlap * low;
}

int find_root(std::vector<int>& parent, int i) {
  while (parent[static_cast<std::size_t>(i)] != i) {
    parent[static_cast<std::size_t>(i)] = parent[static_cast<std::size_t>(parent[static_cast<std::size_t>(i)])];
    i = parent[static_cast<std::size_t>(i)];
  }
  return i;
}

// One group of marks linked side by side, as a line: characters are the marks about as tall as
// the group's median; a group of thin bars alone (a ruler's ticks, a grid) counts none.
TextLine as_line(const std::vector<const Mark*>& group) {
  std::vector<int> heights;
  for (const Mark* m : group) heights.push_back(m->box.height);
  std::nth_element(heights.begin(), heights.begin() + static_cast<long>(heights.size() / 2), heights.end());
  const int median = heights[heights.size() / 2];
  TextLine line;
  line.height = median;
  line.box = group.front()->box;
  int wide = 0;
  for (const Mark* m : group) {
    line.box |= m->box;
    if (m->box.height >= 0.6 * median && m->box.height <= 1.5 * median) {
      line.characters += m->characters;
      ++line.marks;
      if (!m->bar) wide += m->characters;
    }
  }
  if (wide * 2 < line.characters) line.characters = wide;
  // Lines merged across rows are not one line.
  if (line.box.height > 2.5 * median) line.characters = 0;
  return line;
}

// Each line's clutter: the mark pixels of no line around it, per mark pixel of its own.
void measure_clutter(const cv::Mat& labels, const std::vector<std::uint8_t>& in_line, std::vector<TextLine>& lines) {
  const cv::Rect frame(0, 0, labels.cols, labels.rows);
  for (TextLine& line : lines) {
    const int h = line.height;
    const cv::Rect around = cv::Rect(line.box.x - h, line.box.y - h, line.box.width + 2 * h, line.box.height + 2 * h) & frame;
    int stray = 0, own = 0;
    for (int y = around.y; y < around.y + around.height; ++y) {
      const int* l = labels.ptr<int>(y);
      for (int x = around.x; x < around.x + around.width; ++x) {
        if (l[x] == 0) continue;
        if (!in_line[static_cast<std::size_t>(l[x])]) ++stray;
        else if (line.box.contains({x, y})) ++own;
      }
    }
    line.clutter = stray / static_cast<double>(std::max(1, own));
  }
}

}  // namespace

std::vector<TextLine> find_text_lines(const cv::Mat& marks, const TextLineParams& params) {
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(marks, labels, stats, centroids, 8, CV_32S);
  std::vector<Mark> found;
  for (int i = 1; i < n; ++i) {
    const cv::Rect r(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP), stats.at<int>(i, cv::CC_STAT_WIDTH),
                     stats.at<int>(i, cv::CC_STAT_HEIGHT));
    bool bar = false;
    int characters = 1;
    if (is_character_like(r, stats.at<int>(i, cv::CC_STAT_AREA), params, bar, characters))
      found.push_back({r, i, bar, characters});
  }
  std::sort(found.begin(), found.end(), [](const Mark& a, const Mark& b) { return a.box.x < b.box.x; });
  std::vector<int> parent(found.size());
  std::iota(parent.begin(), parent.end(), 0);
  for (std::size_t a = 0; a < found.size(); ++a) {
    const int reach = found[a].box.x + found[a].box.width + static_cast<int>(kMostGap * params.max_height);
    for (std::size_t b = a + 1; b < found.size() && found[b].box.x <= reach; ++b)
      if (side_by_side(found[a], found[b]))
        parent[static_cast<std::size_t>(find_root(parent, static_cast<int>(b)))] = find_root(parent, static_cast<int>(a));
  }
  std::vector<std::vector<const Mark*>> groups(found.size());
  for (std::size_t i = 0; i < found.size(); ++i)
    groups[static_cast<std::size_t>(find_root(parent, static_cast<int>(i)))].push_back(&found[i]);
  std::vector<TextLine> lines;
  std::vector<std::uint8_t> in_line(static_cast<std::size_t>(n), 0);
  for (const auto& group : groups) {
    if (group.empty() || (group.size() == 1 && group.front()->characters < 2)) continue;
    TextLine line = as_line(group);
    if (line.characters < 2) continue;
    for (const Mark* m : group) in_line[static_cast<std::size_t>(m->label)] = 1;
    lines.push_back(line);
  }
  measure_clutter(labels, in_line, lines);
  return lines;
}

}  // namespace radveil::pixels
