#pragma once
// Morphological opening of a binary mask by a straight line: the pixels that lie on a run of at
// least `length` set pixels, across or down. Straight lines longer than any character (a label's
// border, a ruler, a dark margin) are told from text this way.
#include <opencv2/core.hpp>

namespace radveil::pixels {

enum class LineDirection { Across, Down };

// `mask` is CV_8UC1 (0 or 255). Pixels outside the mask count as unset, so a run that touches the
// edge is judged by the part of it inside. Same result as cv::morphologyEx(MORPH_OPEN) with a
// 1×length (or length×1) rectangle of odd length on the mask padded with zeros, in about 2·log2(length)
// whole-image passes instead of work proportional to `length` for every pixel.
cv::Mat opened_by_line(const cv::Mat& mask, int length, LineDirection direction);

}  // namespace radveil::pixels
