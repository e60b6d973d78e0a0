#include "pixels/burned_in_text.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <cctype>
#include <opencv2/imgproc.hpp>

#include "core/quarantine_error.h"
#include "pixels/filled_gap.h"
#include "pixels/rendered_text.h"
#include "pixels/text_lines.h"
#include "pixels/text_regions.h"

namespace radveil::pixels {
namespace {

int alnum_count(std::string_view s) {
  return static_cast<int>(std::count_if(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c) != 0; }));
}

bool reads_as_text(const ReadText& read, double min_confidence, int min_characters) {
  return read.confidence >= min_confidence && alnum_count(read.text) >= min_characters;
}

// Six or more digits in a row, separators aside (an ID, a date): what identifying text reads as,
// and what OCR does not make of anatomy.
bool looks_like_an_id_or_date(std::string_view text) {
  int run = 0, longest = 0;
  for (unsigned char c : text) {
    if (std::isdigit(c)) longest = std::max(longest, ++run);
    else if (c != '-' && c != '.' && c != '/' && c != ':') run = 0;
  }
  return longest >= 6;
}

// A row of characters still open in a screened frame after redaction: text when OCR is as sure of
// it as the first look is of an unsure row, or when it reads as an ID or date at the lower
// confidence. (Taking rows that merely look drawn at the lower confidence read a CT's lung
// speckle inside a saturated body as "ames" and "Lip" at 31-43 and blacked out up to 140x60 px of
// lung in a tenth of the public set's urogram slices; the first look's sure lines and the
// instance's own identifying values, read at any confidence, are what find small text.)
bool row_reads_as_text(const ReadText& read) {
  return reads_as_text(read, looks_like_an_id_or_date(read.text) ? kScreenedDrawnMinConfidence : kSecondLookMinConfidence,
                       kScreenedMinCharacters);
}

// The share of `box` already inside redactions.
double covered(const cv::Rect& box, const std::vector<cv::Rect>& redactions) {
  if (box.area() <= 0) return 1;
  cv::Mat mask = cv::Mat::zeros(box.size(), CV_8UC1);
  for (const cv::Rect& r : redactions) {
    const cv::Rect overlap = (r & box) - box.tl();
    if (!overlap.empty()) mask(overlap).setTo(255);
  }
  return cv::countNonZero(mask) / static_cast<double>(box.area());
}

bool same_row(const cv::Rect& a, const cv::Rect& b) {
  const int overlap = std::min(a.y + a.height, b.y + b.height) - std::max(a.y, b.y);
  return overlap > std::min(a.height, b.height) / 2;
}

// Identifying-only scope: a line that shows an identifying value anywhere is redacted whole, as
// its other words (an ID OCR misread, a birth date) belong to the same identity. OCR's
// confidence does not matter here: an identifying value is worth redacting even when unsure.
std::vector<cv::Rect> identifying_lines(const cv::Mat& image, const std::vector<cv::Rect>& candidates,
                                        const TextReader& reader, const CleaningRequest& request) {
  std::vector<cv::Rect> hits;
  for (const ReadText& read : reader.read(image, candidates, 0))
    if (request.identifying && request.identifying(read.text)) hits.push_back(read.box);
  std::vector<cv::Rect> boxes;
  for (const cv::Rect& c : candidates)
    if (std::any_of(hits.begin(), hits.end(), [&](const cv::Rect& h) { return same_row(c, h); })) boxes.push_back(c);
  return boxes;
}

// A screened frame's text is confirmed word by word; the other marks of a confirmed row (a short
// word OCR will not vouch for alone, "ID", a surname in a serif font) and the lines of the same
// block (left-aligned above or below, about as tall) belong to the same text and are redacted with
// it: candidates of one colour on the same row within a few line heights, or stacked in the block.
std::vector<cv::Rect> with_rest_of_rows(std::vector<cv::Rect> boxes, const std::vector<cv::Rect>& candidates,
                                        const cv::Mat& image, double min_contrast = TextRegionParams{}.min_contrast) {
  bool grown = true;
  std::vector<bool> taken(candidates.size(), false);
  while (grown) {
    grown = false;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      const cv::Rect& c = candidates[i];
      if (taken[i]) continue;
      const bool beside = std::any_of(boxes.begin(), boxes.end(), [&](const cv::Rect& b) {
        const int h = std::max(b.height, c.height);
        const int gap = std::max(b.x, c.x) - std::min(b.x + b.width, c.x + c.width);
        const int vertical_gap = std::max(b.y, c.y) - std::min(b.y + b.height, c.y + c.height);
        const bool similar_height = std::min(b.height, c.height) * 10 >= 6 * h;
        return (same_row(b, c) && gap <= 3 * h) ||
               // the line above or below in the same block: left-aligned, about as tall, close
               (similar_height && vertical_gap <= h && std::abs(b.x - c.x) <= h);
      });
      if (beside && rendered_text_evidence(image, c, min_contrast).one_colour()) {
        taken[i] = grown = true;
        boxes.push_back(c);
      }
    }
  }
  return boxes;
}

// The ink alone (white marks on black, see Rendering::ink_alone): every mark looks drawn there, so
// a mark is text only when it reads as text as any row over the image must (or shows one of the
// instance's identifying values, or an ID or date); the rest of its row and block goes with it.
// Frames this small (a 256x256 MR) carry text only a few pixels high.
constexpr int kSmallFrame = 320;
// The strong contrast rows of characters are also looked for at, as a multiple of the usual.
constexpr double kStrongContrastFactor = 2.0;

// Rows of characters (text_lines.h) in one rendering, looked for at `scale` so that 5 px text has
// room to come apart into its letters; in frame coordinates.
std::vector<TextLine> lines_in(const Rendering& view, const StrokeMaps& maps, double scale, double min_contrast,
                               const std::vector<cv::Rect>& done) {
  cv::Mat image = view.image;
  StrokeMaps m = maps;
  if (scale != 1.0) {
    cv::resize(view.image, image, cv::Size(), scale, scale, view.ink_alone ? cv::INTER_NEAREST : cv::INTER_CUBIC);
    if (!view.ink_alone) m = stroke_maps(image);
  }
  // Marks along a redaction's edges (the stroke maps ring every black box) are no one's text: the
  // redactions, with a little room, are taken out of the marks.
  const auto outside_done = [&](cv::Mat mask) {
    if (done.empty()) return mask;
    mask = mask.clone();
    const cv::Rect bounds(0, 0, mask.cols, mask.rows);
    const int room = static_cast<int>(std::ceil(2 * scale));
    for (const cv::Rect& box : done) {
      const cv::Rect scaled(static_cast<int>(box.x * scale) - room, static_cast<int>(box.y * scale) - room,
                            static_cast<int>(box.width * scale) + 2 * room, static_cast<int>(box.height * scale) + 2 * room);
      mask(scaled & bounds).setTo(0);
    }
    return mask;
  };
  std::vector<TextLine> lines;
  const cv::Rect frame(0, 0, view.image.cols, view.image.rows);
  const auto add = [&](TextLine line) {
    const cv::Rect& b = line.box;
    line.box = cv::Rect(static_cast<int>(b.x / scale), static_cast<int>(b.y / scale),
                        static_cast<int>(std::ceil(b.width / scale)) + 1, static_cast<int>(std::ceil(b.height / scale)) + 1) & frame;
    line.height = static_cast<int>(std::lround(line.height / scale));
    lines.push_back(line);
  };
  TextLineParams letters;
  letters.words_as_marks = view.ink_alone;
  if (view.ink_alone) {
    // A small letter's ink breaks where anti-aliasing took its edge off the extreme value (a 7 px
    // 'P' comes apart into its stem and bowl): a closing by a 3 px cross makes it one mark again.
    cv::Mat closed;
    cv::morphologyEx(image, closed, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_CROSS, cv::Size(3, 3)));
    for (const TextLine& line : find_text_lines(outside_done(closed), letters)) add(line);
    return lines;
  }
  for (const cv::Mat* strokes : {&m.bright, &m.dark}) {
    bool grainy = false;  // a long row of characters that only its clutter kept from being sure
    for (const TextLine& line : find_text_lines(outside_done(*strokes >= min_contrast), letters)) {
      add(line);
      grainy = grainy || (line.characters >= kSureLineCharacters && line.marks >= kSureLineMarks && !line.sure());
    }
    // Where the anatomy's grain is as strong as the text's edges (bold black letters over a
    // radiograph), the text's rows stand clear only at a higher contrast, as a reader's eye picks
    // them out where they stand out most: there a row counts only when sure. Looked for where a
    // long row was too cluttered to be sure, and always on a small frame (an MR's bright rim
    // breaks 5 px letters apart at the usual contrast).
    if (!grainy && std::max(view.image.cols, view.image.rows) > kSmallFrame) continue;
    for (const TextLine& line : find_text_lines(outside_done(*strokes >= kStrongContrastFactor * min_contrast), letters))
      if (line.sure()) add(line);
  }
  return lines;
}

// The scales a frame's lines are looked for at: as stored, and enlarged where the frame is small
// enough for its text to be only a few pixels high (a 256x256 MR's 5 px lines).
std::vector<double> line_scales(const cv::Mat& image) {
  const int size = std::max(image.cols, image.rows);
  if (size <= kSmallFrame) return {1.0, 3.0};
  return {1.0};
}

// Rows of characters amid marks of no line (texture: a radiograph's trabeculae gave 340 such
// rows, 2 of them on a clear ground) are not worth reading.
constexpr double kMostLineClutterToRead = 1.0;
constexpr double kMostInkLineClutterToRead = 2.0;
// A line beside redacted text goes with it unless it is texture through and through, and no
// further than this many lines from it.
constexpr double kMostBlockLineClutter = 2.0;
constexpr int kMostBlockSteps = 4;
// A rendering that shows more rows of characters than this shows its ground's texture (a CT's
// noisy air: 78 rows around six lines of text on the public set, 361 in the generated one; a
// frame's text alone makes a few): its unsure rows join no block, though OCR may still read them.
constexpr std::size_t kMostRowsWhereBlocksGrow = 60;
constexpr int kMostBlockLines = 16;
// Rows of characters OCR reads in one look at a screened frame, at most.
constexpr std::size_t kMostRowsToRead = 48;

// A line of characters is text when it is sure (many characters of one height on a clear
// ground), or when it reads as text as a row over the image must, or shows an identifying value.
// A line of text goes whole: where marks of a letter's height (its ink, its strokes) go on along
// the row beyond the box, past the anatomy that broke it into pieces, with gaps no wider than a
// letter's height, the box goes on with them.
cv::Rect along_the_row(const cv::Rect& box, const cv::Mat& ink, int most_reach, bool ink_alone) {
  // Along the strokes, gaps no wider than the letters are tall (the box holds a margin above and
  // below them): a small MR's texture carried 5 px lines 26 px on with gaps of the box's height.
  const int h = std::max(1, box.height);
  const int most_gap = ink_alone ? h : std::max(3, h - 2 * TextRegionParams{}.margin);
  // Only marks of a letter's height that lie within the row count: specks of noise, and the
  // anatomy's marks reaching in from above or below, do not carry the line on.
  const cv::Rect frame(0, 0, ink.cols, ink.rows), band = cv::Rect(0, box.y - 2, ink.cols, box.height + 4) & frame;
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(ink(band), labels, stats, centroids, 8, CV_32S);
  std::vector<std::uint8_t> lettered(static_cast<std::size_t>(ink.cols), 0);
  for (int i = 1; i < n; ++i) {
    const int top = stats.at<int>(i, cv::CC_STAT_TOP), height = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    if (height < std::max(3, 2 * h / 5) || top == 0 || top + height == band.height) continue;
    const int x0 = stats.at<int>(i, cv::CC_STAT_LEFT);
    for (int x = x0; x < x0 + stats.at<int>(i, cv::CC_STAT_WIDTH); ++x) lettered[static_cast<std::size_t>(x)] = 1;
  }
  // In the ink alone, a letter joined to a bright bone's fringe below the row still inks its own
  // column of the row: a quarter of the row's height. Only runs of ink no longer than two row
  // heights count: a letter's strokes are short across, while a table's edge at the text's own
  // white inks every column along the row (a urogram's line went 140 px on along one).
  if (ink_alone) {
    // The long runs are what survives an opening by a line one pixel longer than two heights
    // (outside the frame nothing is ink, so a run ends at the frame's edge).
    const cv::Mat row = ink(cv::Rect(0, box.y, ink.cols, box.height) & frame) > 0;
    cv::Mat long_runs, counts;
    cv::morphologyEx(row, long_runs, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(2 * h + 1, 1)),
                     cv::Point(-1, -1), 1, cv::BORDER_CONSTANT, cv::Scalar(0));
    cv::reduce(row & ~long_runs, counts, 0, cv::REDUCE_SUM, CV_32S);
    for (int x = 0; x < ink.cols; ++x)
      if (counts.at<int>(0, x) / 255 >= std::max(2, h / 4)) lettered[static_cast<std::size_t>(x)] = 1;
  }
  int right = box.x + box.width - 1, left = box.x;
  const int farthest_right = std::min(ink.cols - 1, right + most_reach), farthest_left = std::max(0, left - most_reach);
  for (int x = right + 1; x <= farthest_right && x - right <= most_gap; ++x)
    if (lettered[static_cast<std::size_t>(x)]) right = x;
  for (int x = left - 1; x >= farthest_left && left - x <= most_gap; --x)
    if (lettered[static_cast<std::size_t>(x)]) left = x;
  // The box already has its margin. Letters found beyond it get one of their own, and so does an
  // edge where the row's marks go on right past it (a first letter joined to an MR's bright rim
  // makes no mark of a letter's size, but its strokes still touch the box).
  const int m = TextRegionParams{}.margin;
  const auto marked = [&](int from, int to) {
    const cv::Rect strip = cv::Rect(from, box.y, to - from, box.height) & frame;
    return strip.area() > 0 && cv::countNonZero(ink(strip)) > 0;
  };
  const int new_left = left < box.x || marked(box.x - m, box.x) ? left - m : box.x;
  const int new_right = right >= box.x + box.width || marked(box.x + box.width, box.x + box.width + m)
                            ? right + 1 + m
                            : box.x + box.width;
  return cv::Rect(cv::Point(new_left, box.y), cv::Point(new_right, box.y + box.height)) & frame;
}

// Boxes on one row a word space or two apart are pieces of one line: the line goes whole, the
// letters between them too.
std::vector<cv::Rect> joined_along_rows(std::vector<cv::Rect> boxes) {
  for (bool joined = true; joined;) {
    joined = false;
    for (std::size_t i = 0; i < boxes.size() && !joined; ++i)
      for (std::size_t j = i + 1; j < boxes.size(); ++j) {
        const cv::Rect &a = boxes[i], &b = boxes[j];
        const int h = std::max(a.height, b.height);
        const int gap = std::max(a.x, b.x) - std::min(a.x + a.width, b.x + b.width);
        if (!same_row(a, b) || gap > 2 * h || std::min(a.height, b.height) * 10 < 6 * h) continue;
        boxes[i] |= boxes[j];
        boxes.erase(boxes.begin() + static_cast<long>(j));
        joined = true;
        break;
      }
  }
  return boxes;
}

// A block's lines start at one left edge: a line stacked right under or over a redacted one that
// starts a letter or two later lost its first letters to the anatomy they touch (an MR's bright
// rim through "DOB"), and is taken back to the block's edge. (A wrapped value's lines start
// far further in, in the value's column, and stay as they are.)
std::vector<cv::Rect> with_block_edges_aligned(std::vector<cv::Rect> boxes) {
  for (bool aligned = true; aligned;) {
    aligned = false;
    for (cv::Rect& line : boxes)
      for (const cv::Rect& other : boxes) {
        const int h = std::max(line.height, other.height);
        const int vertical_gap = std::max(line.y, other.y) - std::min(line.y + line.height, other.y + other.height);
        const int later = line.x - other.x;
        if (vertical_gap > h / 2 || later <= 0 || later > 2 * h || std::min(line.height, other.height) * 10 < 6 * h) continue;
        line.width += later;
        line.x = other.x;
        aligned = true;
      }
  }
  return boxes;
}

// A block's lines are stacked at one pitch: where two redacted lines, left-aligned and about as
// tall, leave a gap of one more line between them, that line is the block's too (a name over the
// bright rim of an MR, whose strokes joined the rim and made no row of characters of their own).
std::vector<cv::Rect> with_block_gaps_filled(std::vector<cv::Rect> boxes) {
  const std::size_t n = boxes.size();
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      const cv::Rect &above = boxes[i], &below = boxes[j];
      const int h = std::max(above.height, below.height);
      const int gap = below.y - (above.y + above.height);
      if (i == j || gap <= 0 || gap > 3 * h / 2 || std::abs(above.x - below.x) > h ||
          std::min(above.height, below.height) * 10 < 6 * h)
        continue;
      const int left = std::min(above.x, below.x), right = std::max(above.x + above.width, below.x + below.width);
      const cv::Rect fill(left, above.y + above.height, right - left, gap);
      if (std::any_of(boxes.begin(), boxes.begin() + static_cast<long>(n), [&](const cv::Rect& b) {
            return (b & fill).area() > 0;
          }))
        continue;  // the line between was found: the rest of the gap is no one's text
      boxes.push_back(fill);
    }
  return boxes;
}

// Lines of a block belong together: a line just above or below a redacted one, about as tall,
// under or over the same stretch of the frame (a wrapped institution name, the "Age" under
// "Name") goes with it, whatever it reads as: half a name left under a black bar is still a name.
bool in_block_with(const cv::Rect& line, const cv::Rect& seed) {
  const int h = std::max(line.height, seed.height), low = std::min(line.height, seed.height);
  if (low * 10 < 6 * h) return false;
  // The rest of the row: a line found in pieces (a word apart, or broken by the anatomy under it)
  // is one line.
  const int gap = std::max(line.x, seed.x) - std::min(line.x + line.width, seed.x + seed.width);
  if (same_row(line, seed) && gap <= 2 * h) return true;
  const int vertical_gap = std::max(line.y, seed.y) - std::min(line.y + line.height, seed.y + seed.height);
  if (vertical_gap > h) return false;
  const int shared = std::min(line.x + line.width, seed.x + seed.width) - std::max(line.x, seed.x);
  return shared * 2 >= std::min(line.width, seed.width) || std::abs(line.x - seed.x) <= h;
}

std::vector<cv::Rect> grown_by_blocks(std::vector<cv::Rect> boxes, const std::vector<cv::Rect>& done,
                                      const std::vector<cv::Rect>& lines) {
  // A block grows line by line, each line as tall as the redacted line it grew from (chained from
  // neighbour to neighbour alone, rows of a lung's texture grew taller step by step, 14, 22, 30,
  // 43 px, into a bar across the anatomy), and only a few lines from it, as a block of text is a
  // few lines (over a radiograph's grain rows of marks lie everywhere, side by side and one over
  // the other, and an unbounded chain of them covered the frame). A block that would grow more
  // lines than a block of text holds is the texture's rows, and grows none.
  struct Seed {
    cv::Rect box;
    int block_height;
    int steps;         // lines between it and the redacted line it grew from
    std::size_t root;  // that redacted line
  };
  std::vector<Seed> seeds;
  for (const cv::Rect& b : done) seeds.push_back({b, b.height, 0, seeds.size()});
  for (const cv::Rect& b : boxes) seeds.push_back({b, b.height, 0, seeds.size()});
  const std::size_t firm = seeds.size();
  std::vector<cv::Rect> covering;  // the seeds' boxes
  for (const Seed& s : seeds) covering.push_back(s.box);
  const auto as_tall = [](int a, int b) { return std::min(a, b) * 10 >= 6 * std::max(a, b); };
  std::vector<bool> taken(lines.size(), false);
  for (bool grown = true; grown;) {
    grown = false;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (taken[i] || covered(lines[i], covering) >= 0.5) continue;
      const auto from = std::find_if(seeds.begin(), seeds.end(), [&](const Seed& s) {
        return s.steps < kMostBlockSteps && in_block_with(lines[i], s.box) && as_tall(lines[i].height, s.block_height);
      });
      if (from == seeds.end()) continue;
      taken[i] = grown = true;
      seeds.push_back({lines[i], from->block_height, from->steps + 1, from->root});
      covering.push_back(lines[i]);
    }
  }
  std::vector<int> grown_from(firm, 0);
  for (std::size_t i = firm; i < seeds.size(); ++i) ++grown_from[seeds[i].root];
  for (std::size_t i = firm; i < seeds.size(); ++i)
    if (grown_from[seeds[i].root] <= kMostBlockLines) boxes.push_back(seeds[i].box);
  return boxes;
}

std::vector<cv::Rect> text_lines_to_redact(const std::vector<Rendering>& views, const std::vector<StrokeMaps>& maps,
                                           const std::vector<cv::Rect>& done, const TextReader& reader,
                                           const CleaningRequest& request, double min_contrast, bool first_look) {
  std::vector<cv::Rect> boxes, all;
  std::vector<std::pair<double, cv::Rect>> unsure;  // rows to read, by their clutter
  for (std::size_t v = 0; v < views.size(); ++v)
    for (const double scale : line_scales(views[v].image))
      for (const std::vector<TextLine> found = lines_in(views[v], maps[v], scale, min_contrast, done);
           const TextLine& line : found) {
        if (covered(line.box, done) >= 0.5) continue;
        if (request.first_look_blind_to && (line.box & *request.first_look_blind_to).area() > 0) continue;
        const int m = std::max(TextRegionParams{}.margin, line.height / 4);
        const cv::Rect padded = cv::Rect(line.box.x - m, line.box.y - m, line.box.width + 2 * m, line.box.height + 2 * m) &
                                cv::Rect(0, 0, views[v].image.cols, views[v].image.rows);
        if (found.size() <= kMostRowsWhereBlocksGrow && line.clutter <= kMostBlockLineClutter) all.push_back(padded);
        const bool ink = views[v].ink_alone;
        if (line.characters < kScreenedMinCharacters || line.clutter > (ink ? kMostInkLineClutterToRead : kMostLineClutterToRead))
          continue;
        if (request.scope == TextScope::All && line.sure(ink ? kMostSureInkLineClutter : kMostSureLineClutter))
          boxes.push_back(padded);
        else unsure.emplace_back(line.clutter, padded);
      }
  // Over a radiograph's grain, rows of marks lie everywhere (250 rows, 4 s of OCR on one frame):
  // the clearest are read, as text stands on the clearest ground.
  std::stable_sort(unsure.begin(), unsure.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  if (unsure.size() > kMostRowsToRead) unsure.resize(kMostRowsToRead);
  std::vector<cv::Rect> to_read;
  for (const auto& [clutter, row] : unsure) to_read.push_back(row);
  // Lines OCR reads as text are redacted; only the sure ones and those showing an identifying
  // value carry their row and block with them (OCR reads words into the texture of a dark MR
  // now and then, and one such word must not grow into a bar across the anatomy).
  std::vector<cv::Rect> read_as_text;
  for (const Rendering& view : views) {
    if (view.ink_alone || to_read.empty()) continue;  // read as the frame is shown: small text reads better anti-aliased
    for (const ReadText& read : reader.read(view.image, to_read, 0)) {
      const bool identifying = request.identifying && request.identifying(read.text);
      if (identifying) boxes.push_back(read.box);
      else if (first_look && request.scope == TextScope::All &&
               reads_as_text(read, kSecondLookMinConfidence, kSecondLookMinCharacters))
        read_as_text.push_back(read.box);  // the looks after: sure lines and identifying values only
    }
  }
  const auto with_read = [&](std::vector<cv::Rect> firm) {
    firm.insert(firm.end(), read_as_text.begin(), read_as_text.end());
    return firm;
  };
  if (!first_look || request.scope == TextScope::IdentifyingOnly || (boxes.empty() && done.empty()))
    return with_read(std::move(boxes));
  boxes = grown_by_blocks(std::move(boxes), done, all);
  // A line goes on along its ink where the frame has ink alone. Along the strokes of the frame as
  // shown only where there is no ink alone or the frame is small (a 256x256 MR's 5 px letters
  // keep few pixels at the extreme), and no further than three times its own length each way: a
  // textured frame's strokes join the letters to the texture (over an MR's pelvis, unbounded,
  // they carried boxes across the anatomy).
  // Along the strokes of the line's own polarity: a white line goes on along white marks, not
  // along the dark edges of the anatomy beside it.
  const cv::Mat bright = maps.front().bright >= min_contrast, dark = maps.front().dark >= min_contrast;
  const bool small = std::max(bright.cols, bright.rows) <= kSmallFrame;
  bool has_ink = false;
  for (const Rendering& view : views)
    if (view.ink_alone) {
      has_ink = true;
      for (cv::Rect& box : boxes) box = along_the_row(box, view.image, view.image.cols, true);
    }
  if (!has_ink || small)
    for (cv::Rect& box : boxes) {
      const cv::Rect line = box & cv::Rect(0, 0, bright.cols, bright.rows);
      const bool light = cv::countNonZero(bright(line)) >= cv::countNonZero(dark(line));
      box = along_the_row(box, light ? bright : dark, 3 * box.width, false);
    }
  boxes = with_block_edges_aligned(joined_along_rows(std::move(boxes)));
  const std::size_t found = boxes.size();
  boxes = with_block_gaps_filled(std::move(boxes));
  for (const Rendering& view : views)
    if (view.ink_alone)
      for (std::size_t i = found; i < boxes.size(); ++i) boxes[i] = trimmed_to_its_marks(boxes[i], view.image);
  return with_read(std::move(boxes));
}

std::vector<cv::Rect> choose_redactions(const cv::Mat& image, const StrokeMaps& maps, const TextReader& reader,
                                        const CleaningRequest& request) {
  // The pre-pass's boxes. Where text is expected (ultrasound and the like), drawn boxes go as they
  // are and one-colour boxes over a busy ground when OCR reads them; blobs too tall for a line are
  // the labels and panels themselves, which the looks after the first find whole. A screened
  // frame's text (CT, MR, mammography, radiographs) is found as rows of characters alone
  // (text_lines_to_redact): there the pre-pass's drawn-looking blobs were texture more often than
  // text (on the public set of docs/clean-pixel-data.md, leaving them out left fewer values
  // legible and changed a quarter fewer pixels away from the text).
  const bool screened = request.expectation == TextExpectation::Screened;
  if (screened && request.scope == TextScope::All) return {};
  std::vector<cv::Rect> candidates = find_text_regions(maps);
  if (request.first_look_blind_to)
    std::erase_if(candidates, [&](const cv::Rect& c) { return (c & *request.first_look_blind_to).area() > 0; });
  std::vector<cv::Rect> boxes, to_read;
  for (const cv::Rect& c : candidates) {
    if (request.scope == TextScope::IdentifyingOnly) {
      to_read.push_back(c);
    } else {
      const RenderedTextEvidence evidence = rendered_text_evidence(image, c);
      if (evidence.drawn())
        boxes.push_back(c);
      else if (evidence.one_colour())
        to_read.push_back(c);  // drawn in one colour over a busy ground (a colour bar, the image): ask OCR
    }
  }
  if (request.scope == TextScope::IdentifyingOnly) return identifying_lines(image, to_read, reader, request);
  for (const ReadText& read : reader.read(image, to_read, request.identifying ? 0 : kScreenedDrawnMinConfidence))
    if (reads_as_text(read, TextReader::kMinConfidence, TextReader::kMinCharacters) ||
        (request.identifying && request.identifying(read.text)))
      boxes.push_back(read.box);
  return boxes;
}

// Faint text (a dim label on black) escapes the pre-pass but not OCR or a careful reader: the
// second look reads every line whose strokes differ from their ground by this much.
constexpr double kLegibleContrast = 20;
// The rows of characters the looks after a redaction still find: at a contrast between the first
// look's and the faint pre-pass's (at 20 grey levels the anatomy's texture lines up into rows).
constexpr double kSecondLookLineContrast = 40;
constexpr double kFaintRowContrasts[] = {kLegibleContrast, 40, 60};
constexpr std::size_t kMostFaintRows = 32;
bool has_legible_contrast(const cv::Mat& image, const cv::Rect& line) {
  return rendered_text_evidence(image, line, kLegibleContrast).stroke_pixels > 0;
}

bool is_open(const cv::Rect& line, const std::vector<cv::Rect>& boxes, const cv::Mat& view) {
  // Lines taller than any readable text are Tesseract taking image texture for a text block; the
  // pre-pass covers text up to its own maximum height.
  const int tallest = TextRegionParams{}.max_height + 2 * TextRegionParams{}.margin;
  return line.height <= tallest && covered(line, boxes) < 0.5 && has_legible_contrast(view, line);
}

// A look at the redacted renderings: the lines still read outside the redactions as text (or, in
// identifying-only scope, as an identifying value). Two detectors propose the lines: the pre-pass
// at the contrast a reader still sees (20 grey levels, not 60), keeping rows of characters; and,
// where the frame has shown text (a redaction, or such a row), Tesseract's own page layout
// analysis, independent of the pre-pass. A frame where neither the first look nor the
// pre-pass at low contrast sees anything text-like costs no OCR at all.
std::vector<cv::Rect> still_read(const std::vector<Rendering>& views, const std::vector<StrokeMaps>& maps,
                                 const std::vector<cv::Rect>& boxes,
                                 const TextReader& reader, const CleaningRequest& request) {
  struct Open {
    std::vector<cv::Rect> marks, rows, lines;  // every pre-pass box; rows of characters; Tesseract's lines
  };
  std::vector<Open> open(views.size());
  bool text_like = !boxes.empty();
  // The ink alone is looked at by its rows of characters (text_lines_to_redact), not here: its
  // marks all look drawn. Faint rows are looked for at the contrast a reader still sees; where
  // the anatomy's texture makes rows all over at that contrast (a radiograph's trabeculae through
  // a narrow window: 340 rows, 4 s of OCR), at rising contrasts, as a reader's eye picks text out
  // of texture only where it stands out more.
  for (std::size_t v = 0; v < views.size(); ++v) {
    if (views[v].ink_alone) continue;
    for (const double contrast : kFaintRowContrasts) {
      TextRegionParams faint;
      faint.min_contrast = contrast;
      open[v] = {};
      for (const cv::Rect& c : find_text_regions(maps[v], faint)) {
        if (!is_open(c, boxes, views[v])) continue;
        open[v].marks.push_back(c);
        if (request.scope == TextScope::IdentifyingOnly || rendered_text_evidence(views[v], c, contrast).characters())
          open[v].rows.push_back(c);
      }
      if (open[v].rows.size() <= kMostFaintRows) break;
    }
    text_like = text_like || !open[v].rows.empty();
  }
  // Tesseract's layout analysis looks around the rows of characters still open. (Over the whole
  // frame it took 1-6 s on a mammogram's speckle and read its texture; the rows of characters of
  // text_lines.h, looked for in every rendering after a redaction, are the whole-frame look now.)
  for (std::size_t v = 0; v < views.size() && text_like; ++v) {
    const cv::Rect frame(0, 0, views[v].image.cols, views[v].image.rows);
    std::vector<cv::Rect> areas;
    for (const cv::Rect& row : open[v].rows)
      areas.push_back(cv::Rect(row.x - 4 * row.height, row.y - 2 * row.height, row.width + 8 * row.height,
                               5 * row.height) & frame);
    for (const cv::Rect& area : areas)
      for (const cv::Rect& line : reader.find_lines(views[v].image(area)))
        if (is_open(line + area.tl(), boxes, views[v])) open[v].lines.push_back(line + area.tl());
  }
  std::vector<cv::Rect> leaks;
  const bool expected = request.expectation == TextExpectation::Expected;
  // Whatever the scope, a line that shows one of the instance's own identifying values (its name,
  // ID, birth date, institution from the header) is still readable identity, however unsure OCR is.
  const double floor = request.identifying ? 0 : kScreenedDrawnMinConfidence;
  for (std::size_t v = 0; v < views.size(); ++v) {
    std::vector<cv::Rect> found;
    const auto leak = [&](const ReadText& read, bool enough) {
      const bool identifying = request.identifying && request.identifying(read.text);
      if (request.scope == TextScope::IdentifyingOnly ? identifying : enough || identifying) found.push_back(read.box);
    };
    for (const ReadText& read : reader.read(views[v], open[v].rows, floor))
      leak(read, expected ? reads_as_text(read, TextReader::kMinConfidence, kSecondLookMinCharacters)
                          : row_reads_as_text(read));
    for (const ReadText& read : reader.read(views[v], open[v].lines, floor))
      leak(read, reads_as_text(read, expected ? TextReader::kMinConfidence : kSecondLookMinConfidence,
                               kSecondLookMinCharacters));
    // As in the first look, the rest of a row or block read as text goes with it.
    if (!found.empty() && !expected && request.scope == TextScope::All)
      found = with_rest_of_rows(std::move(found), open[v].marks, views[v], kLegibleContrast);
    leaks.insert(leaks.end(), found.begin(), found.end());
  }
  return leaks;
}

cv::Rect with_margin(const cv::Rect& r, const cv::Mat& image) {
  const int m = TextRegionParams{}.margin;
  return cv::Rect(r.x - m, r.y - m, r.width + 2 * m, r.height + 2 * m) & cv::Rect(0, 0, image.cols, image.rows);
}

}  // namespace

std::size_t CleaningResult::box_count() const {
  std::size_t n = 0;
  for (const auto& f : redacted) n += f.boxes.size();
  return n;
}

CleaningResult clean_burned_in_text(PixelFrames& frames, const TextReader& reader, const CleaningRequest& request) {
  CleaningResult result;
  result.frames = frames.frame_count();
  for (std::uint32_t f = 0; f < frames.frame_count(); ++f) {
    std::vector<Rendering> views = frames.renderings(f);
    std::vector<StrokeMaps> maps;
    for (const Rendering& view : views) maps.push_back(stroke_maps(view));
    std::vector<cv::Rect> boxes;
    for (std::size_t v = 0; v < views.size(); ++v)
      if (!views[v].ink_alone)
        for (const cv::Rect& box : choose_redactions(views[v], maps[v], reader, request)) boxes.push_back(box);
    for (const cv::Rect& box : text_lines_to_redact(views, maps, boxes, reader, request, TextRegionParams{}.min_contrast, true))
      boxes.push_back(box);
    // Each look reads what will be written: the stored pixels, rendered again. Text that an
    // earlier look still reads is redacted too; what the last look still reads refuses the instance.
    for (int look = 1;; ++look) {
      for (const cv::Rect& box : boxes) frames.black_out(f, box);
      if (!boxes.empty()) {
        views = frames.renderings(f);
        maps.clear();
        for (const Rendering& view : views) maps.push_back(stroke_maps(view));
      }
      std::vector<cv::Rect> leaks = still_read(views, maps, boxes, reader, request);
      // Rows of characters are looked for again where the frame has shown text: in a frame without
      // any, the same look at the same rendering would find the same nothing.
      if (!boxes.empty())
        for (const cv::Rect& line : text_lines_to_redact(views, maps, boxes, reader, request, kSecondLookLineContrast, false))
          leaks.push_back(line);
      if (leaks.empty()) break;
      const std::string what = request.scope == TextScope::IdentifyingOnly ? "an identifying value" : "text";
      const std::string frame = " in frame " + std::to_string(f + 1);
      if (look == kLooks)
        throw QuarantineError("burned-in-text-remains", what + " is still read" + frame + " after redaction");
      for (const cv::Rect& leak : leaks) boxes.push_back(with_margin(leak, views.front().image));
    }
    if (boxes.empty()) continue;
    RedactedFrame done{f, boxes, {}};
    if (request.keep_review) {
      const cv::Mat image = frames.viewed(f);
      if (image.channels() == 1) cv::cvtColor(image, done.review, cv::COLOR_GRAY2BGR);
      else done.review = image;
      for (const cv::Rect& box : boxes) cv::rectangle(done.review, box, cv::Scalar(0, 0, 255), 1);
    }
    result.redacted.push_back(std::move(done));
  }
  return result;
}

}  // namespace radveil::pixels
