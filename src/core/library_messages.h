#pragma once
// radveil speaks for itself: what DCMTK, OpenCV, Leptonica and Tesseract would print on the
// user's terminal (parser warnings that may quote values, "Error in pixScanForForeground",
// OpenCV's info lines) is switched off once per process. What matters reaches the user as
// radveil's own words: a quarantine reason, a count in the summary.
namespace radveil {

void silence_library_messages();

}  // namespace radveil
