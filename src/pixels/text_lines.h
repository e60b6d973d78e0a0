#pragma once
// Rows of characters, found the way a reader finds them: not by how busy a region is, but by
// marks of a character's size and shape standing side by side on one baseline, about as tall as
// each other, spaced as letters are. Speckle, vessels, bone edges and highlights make marks too,
// but seldom several of one height, on one line, at a letter's spacing. (The connected-component
// text detectors of scene-text reading work this way; this one needs no training.)
#include <opencv2/core.hpp>

#include <vector>

namespace radveil::pixels {

// Characters a line needs to be text without being read: no chance alignment of anatomy's marks
// holds this many characters of one height on one baseline at a letter's spacing.
inline constexpr int kSureLineCharacters = 6;
inline constexpr double kMostSureLineClutter = 0.5;
// In the ink alone, what stands around a line is mostly its own punctuation and broken letters.
inline constexpr double kMostSureInkLineClutter = 1.0;
// And that many separate marks: one long mark alone (a vessel, an edge) is no line of text.
inline constexpr int kSureLineMarks = 3;
// Letters share a baseline and a cap height: a row whose marks stand this much taller together
// than one of them (ascenders and descenders allowed) is texture's marks in a loose row (over a
// radiograph's grain, 2-2.4 times; the public set's text lines, 1-1.6 in nine of ten).
inline constexpr double kMostSureLineSpread = 1.8;
struct TextLine {
  cv::Rect box;        // the whole line: its characters, and the small marks between them
  int characters = 0;  // marks counted as characters (dots, colons and commas are not)
  int marks = 0;       // separate marks among them (a bold word can be one mark)
  int height = 0;      // the characters' median height
  // Marks around the line (a line height each side) that belong to no line, per mark pixel of
  // the line itself: text stands on a clear ground or among other lines; texture is marks all over.
  double clutter = 0;
  // Text beyond doubt: enough characters on one baseline, on a ground clear enough.
  // `most_clutter` depends on where the marks come from: strokes of the image (texture
  // everywhere) or its ink alone.
  bool sure(double most_clutter = kMostSureLineClutter) const;
};

struct TextLineParams {
  int min_height = 4;   // px: a 5 px font's capitals
  int max_height = 48;  // px: a 40 px font's capitals with some room
  // Whether one mark may be a whole word of touching letters (bold small fonts). Only where marks
  // are ink alone: in the strokes of a textured image such marks are mostly texture.
  bool words_as_marks = false;
};

// The lines of `marks` (CV_8UC1, non-zero = ink or stroke) holding at least two characters.
std::vector<TextLine> find_text_lines(const cv::Mat& marks, const TextLineParams& params = {});

inline bool TextLine::sure(double most_clutter) const {
  return characters >= kSureLineCharacters && marks >= kSureLineMarks && clutter <= most_clutter &&
         box.height <= kMostSureLineSpread * height;
}

}  // namespace radveil::pixels
