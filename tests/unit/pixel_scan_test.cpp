// The scan's look at pixels: text planted in frames of every layout, font, size, ink and place is
// reported where OCR can read it (at least 90%; the rates are printed), and frames without text
// (synthetic and real CT/MR slices, and frames Clean Pixel Data has cleaned) give no finding.
#include <gtest/gtest.h>

#include <cstdio>

#include "dicom/instance_file.h"
#include "core/input_walker.h"
#include "pixels/burned_in_text.h"
#include "scan/pixel_scan.h"
#include "support/burned_text.h"
#include "support/synthetic_frames.h"
#include "support/test_support.h"

namespace radveil::scan {
namespace {

using test::Ink;
using test::InkKind;

using test::planted_identity;
using test::reader;

bool text_found(DcmDataset& ds) {
  for (const auto& f : scan_pixels(ds, reader()).findings)
    if (f.kind == "burned-in-text") return true;
  return false;
}

struct Rates {
  int legible = 0, found_legible = 0, illegible = 0, found_illegible = 0;
  void add(bool legible_text, bool found) {
    (legible_text ? legible : illegible) += 1;
    (legible_text ? found_legible : found_illegible) += found;
  }
  void print(const char* what) const {
    std::printf("%s: text OCR can read found in %d of %d frames; text OCR cannot read found in %d of %d\n", what,
                found_legible, legible, found_illegible, illegible);
  }
};

// Plants the identifying lines in frame 0, notes whether OCR can read them there, scans.
void plant_and_scan(DcmDataset& ds, int font, double px, const Ink& ink, cv::Point at, Rates& rates) {
  bool legible = false;
  {
    pixels::PixelFrames frames(ds);
    const cv::Mat truth = test::plant_text(ds, frames, 0, test::kPlantedLines, font, px, ink, at);
    for (const cv::Rect& line : test::line_regions(truth))
      legible |= test::legible(frames, 0, line, planted_identity(), reader());
  }
  const bool found = text_found(ds);
  rates.add(legible, found);
}

// A synthetic frame with the modality such a layout comes from: 16-bit grey from CT, 8-bit grey
// and colour from ultrasound (where text is expected).
std::unique_ptr<DcmDataset> frame_of(const test::Layout& layout) {
  auto ds = test::synthetic(layout);
  ds->putAndInsertString(DCM_Modality, layout.bits == 16 ? "CT" : "US");
  return ds;
}

const test::Layout kLayouts[] = {{"RGB 8-bit", "RGB", 480, 640, 8, 1, false},
                                 {"MONOCHROME2 16-bit signed", "MONOCHROME2", 512, 512, 16, 1, true},
                                 {"MONOCHROME1 8-bit", "MONOCHROME1", 480, 640, 8, 1, false},
                                 {"PALETTE COLOR 8-bit", "PALETTE COLOR", 480, 640, 8, 1, false},
                                 {"YBR_FULL 8-bit", "YBR_FULL", 480, 640, 8, 1, false},
                                 {"MONOCHROME2 8-bit, 3 frames", "MONOCHROME2", 480, 640, 8, 3, false}};

TEST(PixelScan, TextOcrCanReadIsFoundInFramesOfEveryLayoutFontSizeAndInk) {
  const std::vector<int> fonts = test::every_font();
  Rates rates;
  int n = 0;
  for (const auto& layout : kLayouts) {
    const auto probe = frame_of(layout);
    const pixels::PixelFrames frames(*probe);
    for (const Ink& ink : test::inks_for(frames.layout()))
      for (double px : {8.0, 12.0, 20.0, 32.0}) {
        auto ds = frame_of(layout);
        const cv::Point at = n % 2 ? cv::Point(16, 10) : cv::Point(layout.cols / 5, layout.rows * 2 / 5);
        plant_and_scan(*ds, fonts[static_cast<std::size_t>(n++) % fonts.size()], px, ink, at, rates);
      }
  }
  rates.print("synthetic frames");
  // Measured: 51 of 56. The misses are all 8 px text (four of them black on a white label over
  // the image): Clean Pixel Data blacks such labels out, but OCR cannot confirm them as text.
  EXPECT_GT(rates.legible, 40);
  EXPECT_GE(rates.found_legible * 100, rates.legible * 90);
}

TEST(PixelScan, TextOverRealCtAndMrSlicesIsFound) {
  const auto corpus = test::corpus_dir();
  if (!corpus) GTEST_SKIP() << "../shared/corpus is absent";
  const std::vector<int> fonts = test::every_font();
  const std::vector<Ink> inks = {{InkKind::White, {}, 0}, {InkKind::Black, {}, 0}, {InkKind::Quantile, {}, 0.995}};
  Rates rates;
  int n = 0;
  for (const char* file : {"pydicom-data/693_UNCR.dcm", "heads/mne-sample-t1-mr/slice0100.dcm", "heads/vtk-headsq-ct/slice0040.dcm"})
    for (double px : {10.0, 16.0, 28.0})
      for (const Ink& ink : inks) {
        auto loaded = dicom::load_complete(*corpus / file);
        pixels::PixelFrames frames(*loaded.dataset);
        const auto& l = frames.layout();
        const cv::Point at = n % 2 ? cv::Point(l.columns / 16, l.rows / 20) : cv::Point(l.columns / 5, l.rows * 2 / 5);
        plant_and_scan(*loaded.dataset, fonts[static_cast<std::size_t>(n++) % fonts.size()], px, ink, at, rates);
      }
  rates.print("corpus CT and MR slices");
  EXPECT_GT(rates.legible, 10);
  // Measured: 21 of 23; missed, 16 px Hershey black on a white label, and 16 px text in the frame's
  // own low-percentile value cut by the frame's corner.
  EXPECT_GE(rates.found_legible * 100, rates.legible * 90);
}

TEST(PixelScan, FramesWithoutTextGiveNoFinding) {
  int frames = 0, findings = 0;
  for (const auto& layout : kLayouts) {
    auto ds = frame_of(layout);
    frames += layout.frames;
    findings += text_found(*ds);
  }
  if (const auto corpus = test::corpus_dir()) {
    for (const char* head : {"heads/mne-sample-t1-mr", "heads/vtk-headsq-ct"}) {
      radveil::for_each_input_file(*corpus / head, [&](const std::filesystem::path& file) {
        auto loaded = dicom::load_complete(file);
        ++frames;
        const bool found = text_found(*loaded.dataset);
        findings += found;
        EXPECT_FALSE(found) << file.filename();
      });
    }
  }
  std::printf("frames without text: %d findings in %d frames\n", findings, frames);
  EXPECT_EQ(findings, 0);
}

TEST(PixelScan, FramesCleanPixelDataHasCleanedGiveNoFinding) {
  const std::vector<int> fonts = test::every_font();
  int cases = 0, findings = 0;
  for (const auto& layout : kLayouts)
    for (double px : {10.0, 24.0}) {
      auto ds = frame_of(layout);
      {
        pixels::PixelFrames frames(*ds);
        for (std::uint32_t f = 0; f < frames.frame_count(); ++f)
          test::plant_text(*ds, frames, f, test::kPlantedLines, fonts[static_cast<std::size_t>(cases) % fonts.size()], px,
                           {InkKind::White, {}, 0}, {20, 12});
        pixels::CleaningRequest request;  // text expected, every drawn region blacked out
        pixels::clean_burned_in_text(frames, reader(), request);
      }
      ++cases;
      findings += text_found(*ds);
    }
  std::printf("cleaned frames: %d findings in %d cases\n", findings, cases);
  EXPECT_EQ(findings, 0);
}

}  // namespace
}  // namespace radveil::scan
