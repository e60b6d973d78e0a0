// Clean Pixel Data over generated layouts of identifying text in real corpus frames (CT, MR, a CT
// localizer, a radiograph, ultrasound RGB, palette and two-frame palette): random names, IDs,
// dates and institutions (several written forms), Hershey and TrueType faces, sizes 8-40 px, inks
// (white, black on a label, a grey banner, the frame's own high or low percentile value over the
// image, a high one anti-aliased with the image's noise, colour on colour frames), places
// anywhere in the frame, MONOCHROME1 as well as MONOCHROME2. Each variant
// is cleaned as the default run would (text expected on ultrasound, merely screened on CT, MR and
// radiographs) and judged: released or refused, planted lines legible before and after (OCR over
// each line in every rendering), stored values changed outside the redacted boxes. The same frames
// without planted text are cleaned too: boxes there are false positives (or the frame's own text).
//
//   radveil_pixel_variants CORPUS VARIANTS SEED
//
// By default the cleaner is not told the planted identity (the header and the pixels disagree);
// RADVEIL_HEADER_IDENTITY=1 tells it, as a deid run tells it the instance's own identifying values.
//
// Looking into one variant: RADVEIL_ONLY=N cleans only variant N (the others are generated, so
// the random sequence stays the same, but not cleaned); RADVEIL_DUMP=DIR writes its frame before
// cleaning and after, with the boxes in red and the planted lines still legible in green.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <cstdlib>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <random>
#include <string>
#include <vector>

#include "core/library_messages.h"
#include "core/quarantine_error.h"
#include "dicom/instance_file.h"
#include "pixels/burned_in_text.h"
#include "support/burned_text.h"

namespace fs = std::filesystem;
using namespace radveil;

namespace {

struct Source {
  std::string file;
  bool text_expected;  // as Clean Pixel Data decides for its modality (US) or SOP class
  std::string what;
  bool own_text = false;  // the frame carries burned-in text of its own
};

std::vector<Source> sources(std::mt19937& rng) {
  std::uniform_int_distribution<int> slice(60, 200);
  char head[64];
  std::snprintf(head, sizeof head, "heads/mne-sample-t1-mr/slice%04d.dcm", slice(rng));
  return {{"pydicom-data/693_UNCR.dcm", false, "CT 512x512 16-bit signed"},
          {"pydicom-data/MR2_UNCR.dcm", false, "MR 1024x1024 16-bit"},
          {"pydicom/CT_small.dcm", false, "CT 128x128 16-bit"},
          {head, false, "MR head 256x256 16-bit"},
          {"burned-in/2_ORIGINAL.dcm", false, "CT localizer 552x394 16-bit", true},
          {"burned-in/0_ORIGINAL_compressed.dcm", true, "CR radiograph 2140x1760 16-bit RLE", true},
          {"pydicom-data/OBXXXX1A_2frame.dcm", true, "US 2-frame palette", true},
          {"pydicom-data/US1_UNCR.dcm", true, "US 640x480 RGB", true},
          {"pydicom-data/gdcm-US-ALOKA-16.dcm", true, "US 640x480 16-bit palette", true}};
}

template <class T>
const T& pick(const std::vector<T>& v, std::mt19937& rng) {
  return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)];
}

std::string digits(std::mt19937& rng, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += static_cast<char>('0' + std::uniform_int_distribution<int>(0, 9)(rng));
  return s;
}

// Identifying lines in the forms devices print them, and the identity they show.
std::vector<std::string> identifying_lines(std::mt19937& rng, deid::IdentifyingValues& identity) {
  const std::vector<std::string> surnames = {"KAUFMAN", "DAVIDSON", "OKONKWO", "MEYER", "NGUYEN", "GARCIA", "ROSSI", "WEBER"};
  const std::vector<std::string> given = {"SCOTT", "DOUGLAS", "ADA", "STEPHANIE", "LINH", "MARIA", "LUCA", "HANNA"};
  const std::vector<std::string> places = {"ST MARY HOSPITAL", "NORTHGATE CLINIC", "KLINIKUM OST", "RIVERSIDE MEDICAL"};
  const std::string s = pick(surnames, rng), g = pick(given, rng);
  identity.add_person_name(s + "^" + g);
  const std::string id = digits(rng, 7);
  identity.add_identifier(id);
  const int year = std::uniform_int_distribution<int>(1930, 2015)(rng), month = std::uniform_int_distribution<int>(1, 12)(rng),
            day = std::uniform_int_distribution<int>(1, 28)(rng);
  char da[16];
  std::snprintf(da, sizeof da, "%04d%02d%02d", year, month, day);
  identity.add_date(da);
  const std::string place = pick(places, rng);
  identity.add_identifier(place);
  char date[32];
  switch (std::uniform_int_distribution<int>(0, 2)(rng)) {
    case 0: std::snprintf(date, sizeof date, "DOB %04d-%02d-%02d", year, month, day); break;
    case 1: std::snprintf(date, sizeof date, "%02d.%02d.%04d", day, month, year); break;
    default: std::snprintf(date, sizeof date, "BIRTH %02d/%02d/%04d", month, day, year); break;
  }
  const std::vector<std::string> names = {s + ", " + g, g + " " + s, s + " " + g};
  const std::vector<std::string> ids = {"ID " + id, "MRN: " + id, "PID " + id};
  std::vector<std::string> lines = {pick(names, rng), pick(ids, rng), date, place};
  std::shuffle(lines.begin(), lines.end(), rng);
  lines.resize(std::uniform_int_distribution<std::size_t>(2, 4)(rng));
  return lines;
}

struct Tally {
  int variants = 0, released = 0, lines_before = 0, lines_after = 0;
  std::size_t changed_outside = 0;
  std::vector<double> ms;
};

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: radveil_pixel_variants CORPUS VARIANTS SEED\n");
    return 2;
  }
  const fs::path corpus = argv[1];
  const int variants = std::stoi(argv[2]);
  std::mt19937 rng(static_cast<unsigned>(std::stoul(argv[3])));
  const pixels::TextReader reader;
  silence_library_messages();
  // OpenCV's Hershey faces and the TrueType faces the test support finds (DejaVu sans, serif, mono,
  // condensed bold, extra-light, italic), as numbered in the table below.
  std::vector<int> fonts = {cv::FONT_HERSHEY_SIMPLEX, cv::FONT_HERSHEY_PLAIN, cv::FONT_HERSHEY_DUPLEX,
                            cv::FONT_HERSHEY_COMPLEX, cv::FONT_HERSHEY_TRIPLEX};
  for (std::size_t i = 0; i < test::truetype_fonts().size(); ++i) fonts.push_back(test::kTrueType + static_cast<int>(i));
  Tally with_text;
  std::printf("variant | frame | lines | px | font | ink | at | outcome | legible before | after | changed outside | ms\n");
  for (int v = 0; v < variants; ++v) {
    const auto all = sources(rng);
    const Source source = pick(all, rng);
    auto loaded = dicom::load_complete(corpus / source.file);
    const bool monochrome1 = !source.text_expected && std::uniform_int_distribution<int>(0, 3)(rng) == 0;
    if (monochrome1) loaded.dataset->putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME1");
    pixels::PixelFrames frames(*loaded.dataset);
    const auto& l = frames.layout();
    deid::IdentifyingValues identity;
    const std::vector<std::string> lines = identifying_lines(rng, identity);
    const int font = fonts[std::uniform_int_distribution<std::size_t>(0, fonts.size() - 1)(rng)];
    // A size at which the longest line fits the frame's width, then a place where it fits.
    double px = std::uniform_real_distribution<double>(8, 40)(rng);
    const auto width_at = [&](double height) {
      int widest = 0;
      for (const auto& line : lines) widest = std::max(widest, test::text_width(line, font, height));
      return widest;
    };
    while (px > 8 && width_at(px) > l.columns - 8) px -= 1;
    std::vector<test::Ink> inks = {{test::InkKind::White, {}, 0}, {test::InkKind::Black, {}, 0}, {test::InkKind::Banner, {}, 0}};
    if (l.photometric == pixels::Photometric::Monochrome1 || l.photometric == pixels::Photometric::Monochrome2) {
      inks.push_back({test::InkKind::Quantile, {}, std::uniform_real_distribution<double>(0.99, 0.999)(rng)});
      inks.push_back({test::InkKind::Quantile, {}, std::uniform_real_distribution<double>(0.001, 0.01)(rng)});
      // Anti-aliased and noisy, as a digitised film's text: no pixel need hold the ink's value.
      inks.push_back({test::InkKind::BlendedQuantile, {}, std::uniform_real_distribution<double>(0.99, 0.999)(rng)});
    }
    if (l.photometric == pixels::Photometric::Rgb) inks.push_back({test::InkKind::Colour, {0, 230, 255}, 0});
    const int ink_index = std::uniform_int_distribution<int>(0, static_cast<int>(inks.size()) - 1)(rng);
    const int block = static_cast<int>(lines.size() * px * 2.2);
    const cv::Point at(std::uniform_int_distribution<int>(2, std::max(3, l.columns - width_at(px) - 4))(rng),
                       std::uniform_int_distribution<int>(0, std::max(1, l.rows - block))(rng));
    const cv::Mat truth = test::plant_text(*loaded.dataset, frames, 0, lines, font, px, inks[ink_index], at);
    const char* only = std::getenv("RADVEIL_ONLY");
    if (only && std::stoi(only) != v) continue;
    const char* dump = std::getenv("RADVEIL_DUMP");
    if (dump) cv::imwrite((fs::path(dump) / ("variant" + std::to_string(v) + "-before.png")).string(), frames.viewed(0));
    std::vector<cv::Rect> readable;
    for (const cv::Rect& line : test::line_regions(truth))
      if (test::legible(frames, 0, line, identity, reader)) readable.push_back(line);
    const std::vector<std::int64_t> before = test::stored_values(*loaded.dataset, frames, 0);
    pixels::CleaningRequest request;
    request.expectation = source.text_expected ? pixels::TextExpectation::Expected : pixels::TextExpectation::Screened;
    // RADVEIL_HEADER_IDENTITY=1: the header holds the identity the pixels show (as in real
    // archives), and the cleaner is told it, as the deid run tells it the instance's own values.
    if (std::getenv("RADVEIL_HEADER_IDENTITY"))
      request.identifying = [&identity](std::string_view text) { return identity.found_in_ocr_text(text); };
    std::string outcome = "released";
    int after = 0;
    std::size_t changed = 0;
    const auto t0 = std::chrono::steady_clock::now();
    try {
      const auto result = pixels::clean_burned_in_text(frames, reader, request);
      with_text.ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() /
                             result.frames);
      ++with_text.released;
      std::vector<cv::Rect> still;
      for (const cv::Rect& line : readable)
        if (test::legible(frames, 0, line, identity, reader)) still.push_back(line);
      after = static_cast<int>(still.size());
      if (dump) {
        cv::Mat shown = frames.viewed(0);
        if (shown.channels() == 1) cv::cvtColor(shown, shown, cv::COLOR_GRAY2BGR);
        for (const auto& r : result.redacted)
          for (const cv::Rect& b : r.boxes) cv::rectangle(shown, b, cv::Scalar(0, 0, 255));
        for (const cv::Rect& line : still) cv::rectangle(shown, line, cv::Scalar(0, 255, 0));
        cv::imwrite((fs::path(dump) / ("variant" + std::to_string(v) + "-after.png")).string(), shown);
      }
      changed = test::changed_outside_boxes(*loaded.dataset, frames, before, result);
      with_text.lines_before += static_cast<int>(readable.size());
      with_text.lines_after += after;
      with_text.changed_outside += changed;
    } catch (const QuarantineError& e) {
      outcome = "refused: " + e.reason();
    }
    ++with_text.variants;
    const char* ink_names[] = {"white", "black on label", "colour", "percentile", "banner", "blended percentile"};
    std::printf("%d | %s%s | %zu | %.0f | %d | %s%s | %d,%d | %s | %zu | %d | %zu | %.0f\n", v, source.what.c_str(),
                monochrome1 ? " as MONOCHROME1" : "", lines.size(), px, font, ink_names[static_cast<int>(inks[ink_index].kind)],
                inks[ink_index].kind == test::InkKind::Quantile || inks[ink_index].kind == test::InkKind::BlendedQuantile ? (" " + std::to_string(inks[ink_index].quantile)).c_str() : "",
                at.x, at.y, outcome.c_str(), readable.size(), after, changed, with_text.ms.empty() ? 0.0 : with_text.ms.back());
    std::fflush(stdout);
  }
  // The same frames without planted text: boxes there are false positives or the frame's own text.
  std::printf("\nframe without planted text | boxes | ms\n");
  std::vector<double> free_ms;
  std::size_t free_frames = 0, free_boxes = 0;
  for (const Source& source : sources(rng)) {
    auto loaded = dicom::load_complete(corpus / source.file);
    pixels::PixelFrames frames(*loaded.dataset);
    pixels::CleaningRequest request;
    request.expectation = source.text_expected ? pixels::TextExpectation::Expected : pixels::TextExpectation::Screened;
    const auto t0 = std::chrono::steady_clock::now();
    std::string boxes;
    try {
      const auto result = pixels::clean_burned_in_text(frames, reader, request);
      boxes = std::to_string(result.box_count());
      if (!source.own_text) {
        free_boxes += result.box_count();
        ++free_frames;
        free_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() /
                          result.frames);
      }
    } catch (const QuarantineError& e) {
      boxes = "refused: " + e.reason();
    }
    std::printf("%s (%s) | %s | %.1f\n", source.what.c_str(), source.own_text ? "own text" : "no text", boxes.c_str(),
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  // Every fourth slice of the corpus heads (MR and CT), none of which carries text.
  for (const char* folder : {"heads/mne-sample-t1-mr", "heads/vtk-headsq-ct"}) {
    std::vector<fs::path> slices;
    for (const auto& e : fs::directory_iterator(corpus / folder)) slices.push_back(e.path());
    std::sort(slices.begin(), slices.end());
    std::size_t boxes = 0, n = 0;
    for (std::size_t i = 0; i < slices.size(); i += 4) {
      auto loaded = dicom::load_complete(slices[i]);
      pixels::PixelFrames frames(*loaded.dataset);
      pixels::CleaningRequest request;
      request.expectation = pixels::TextExpectation::Screened;
      const auto t0 = std::chrono::steady_clock::now();
      try {
        boxes += pixels::clean_burned_in_text(frames, reader, request).box_count();
      } catch (const QuarantineError&) {
        ++boxes;  // a refusal of a text-free frame counts as a false positive too
      }
      free_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
      ++n;
    }
    free_frames += n;
    free_boxes += boxes;
    std::printf("%s, every 4th slice: %zu frames (no text) | %zu | median so far %.1f\n", folder, n, boxes, median(free_ms));
  }
  std::printf(
      "\nvariants %d: released %d (%.1f%%); planted lines legible before %d, still legible after %d (%.2f%% made "
      "unreadable); stored values changed outside the boxes %zu; median %.0f ms per frame with text; text-free CT/MR/"
      "radiograph frames %zu: %zu boxes (false positives), median %.1f ms\n",
      with_text.variants, with_text.released, 100.0 * with_text.released / std::max(1, with_text.variants),
      with_text.lines_before, with_text.lines_after,
      with_text.lines_before ? 100.0 * (with_text.lines_before - with_text.lines_after) / with_text.lines_before : 100.0,
      with_text.changed_outside, median(with_text.ms), free_frames, free_boxes, median(free_ms));
  return 0;
}
