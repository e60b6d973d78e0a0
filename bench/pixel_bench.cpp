// Clean Pixel Data benchmark: milliseconds per frame for a 640x480 colour ultrasound frame and a
// 512x512 16-bit slice, each with identifying text burned in, on one core; as a ratio to reading
// the same file from disk in the same run. Synthetic frames always; corpus frames when given.
//
//   radveil_pixel_bench [--runs N] [--corpus DIR]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <opencv2/imgproc.hpp>
#include <random>
#include <string>
#include <vector>

#include "core/quarantine_error.h"
#include "dicom/instance_file.h"
#include "pixels/burned_in_text.h"

namespace fs = std::filesystem;
using namespace radveil;

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// A speckled frame of the given layout, written to `file`.
void write_synthetic(const fs::path& file, bool colour, int rows, int cols, int bits) {
  auto ds = std::make_unique<DcmDataset>();
  ds->putAndInsertString(DCM_SOPClassUID, colour ? UID_UltrasoundImageStorage : UID_CTImageStorage);
  ds->putAndInsertString(DCM_SOPInstanceUID, "2.25.1");
  ds->putAndInsertString(DCM_PhotometricInterpretation, colour ? "RGB" : "MONOCHROME2");
  ds->putAndInsertUint16(DCM_Rows, static_cast<Uint16>(rows));
  ds->putAndInsertUint16(DCM_Columns, static_cast<Uint16>(cols));
  ds->putAndInsertUint16(DCM_SamplesPerPixel, colour ? 3 : 1);
  ds->putAndInsertUint16(DCM_BitsAllocated, static_cast<Uint16>(bits));
  ds->putAndInsertUint16(DCM_BitsStored, static_cast<Uint16>(bits == 16 ? 12 : 8));
  ds->putAndInsertUint16(DCM_HighBit, static_cast<Uint16>(bits == 16 ? 11 : 7));
  ds->putAndInsertUint16(DCM_PixelRepresentation, 0);
  if (colour) ds->putAndInsertUint16(DCM_PlanarConfiguration, 0);
  std::mt19937 rng(3);
  std::normal_distribution<double> speckle(0, 12);
  const int samples = colour ? 3 : 1;
  std::vector<Uint16> v(static_cast<std::size_t>(rows) * cols * samples);
  for (int y = 0; y < rows; ++y)
    for (int x = 0; x < cols; ++x) {
      const double dx = (x - cols / 2.0) / (cols / 3.0), dy = (y - rows / 2.0) / (rows / 3.0);
      const double base = (dx * dx + dy * dy < 1 ? 110 : 25) * (bits == 16 ? 12 : 1);
      for (int s = 0; s < samples; ++s)
        v[(static_cast<std::size_t>(y) * cols + x) * samples + s] =
            static_cast<Uint16>(std::max(0.0, base + speckle(rng) * (bits == 16 ? 12 : 1)));
    }
  if (bits == 16) {
    ds->putAndInsertUint16Array(DCM_PixelData, v.data(), static_cast<unsigned long>(v.size()));
  } else {
    std::vector<Uint8> b(v.begin(), v.end());
    ds->putAndInsertUint8Array(DCM_PixelData, b.data(), static_cast<unsigned long>(b.size()));
  }
  dicom::write_file(std::move(ds), EXS_LittleEndianExplicit, file);
}

// Burns four identifying lines into frame 0 at the brightest stored value.
void burn_text(pixels::PixelFrames& frames) {
  const auto& l = frames.layout();
  cv::Mat mask = cv::Mat::zeros(l.rows, l.columns, CV_8UC1);
  const char* lines[] = {"DOE JOHN", "ID 4242424", "DOB 1962-03-14", "ST ELSEWHERE"};
  int y = 30;
  for (const char* line : lines) {
    cv::putText(mask, line, {20, y}, cv::FONT_HERSHEY_SIMPLEX, 0.6, cv::Scalar(255), 1, cv::LINE_8);
    y += 26;
  }
  const std::uint32_t white = (1u << l.bits_stored) - 1;
  frames.fill(0, mask, {white, white, white});
}

struct Row {
  std::string name;
  double read_ms = 0, clean_ms = 0;
  std::size_t boxes = 0;
  std::string quarantined;  // the reason, when the frame was refused
};

Row measure(const std::string& name, const fs::path& file, pixels::TextExpectation expectation, int runs,
            const pixels::TextReader& reader, bool with_text = true) {
  std::vector<double> read, clean;
  Row row;
  row.name = name;
  for (int i = 0; i < runs; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    auto loaded = dicom::load_complete(file);
    const auto t1 = std::chrono::steady_clock::now();
    pixels::PixelFrames frames(*loaded.dataset);
    if (with_text) burn_text(frames);
    pixels::CleaningRequest request;
    request.expectation = expectation;
    const auto t2 = std::chrono::steady_clock::now();
    pixels::CleaningResult result;
    try {
      result = pixels::clean_burned_in_text(frames, reader, request);
    } catch (const QuarantineError& e) {
      row.quarantined = e.reason();
      result.frames = frames.frame_count();
    }
    const auto t3 = std::chrono::steady_clock::now();
    read.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    clean.push_back(std::chrono::duration<double, std::milli>(t3 - t2).count() / result.frames);
    row.boxes = result.box_count();
  }
  row.read_ms = median(read);
  row.clean_ms = median(clean);
  return row;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 5;
  fs::path corpus;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--runs" && i + 1 < argc) runs = std::stoi(argv[++i]);
    else if (a == "--corpus" && i + 1 < argc) corpus = argv[++i];
  }
  // One core: one Tesseract engine is busy at a time.
  const pixels::TextReader reader;
  const fs::path work = fs::temp_directory_path() / ("radveil-pixel-bench-" + std::to_string(::getpid()));
  fs::create_directories(work);
  write_synthetic(work / "us.dcm", true, 480, 640, 8);
  write_synthetic(work / "ct.dcm", false, 512, 512, 16);
  std::vector<Row> rows;
  using E = pixels::TextExpectation;
  rows.push_back(measure("synthetic 640x480 RGB, text expected", work / "us.dcm", E::Expected, runs, reader));
  rows.push_back(measure("synthetic 512x512 16-bit, text expected", work / "ct.dcm", E::Expected, runs, reader));
  rows.push_back(measure("synthetic 512x512 16-bit, screened (--pixel-scan all)", work / "ct.dcm", E::Screened, runs, reader));
  rows.push_back(measure("synthetic 512x512 16-bit without text, screened", work / "ct.dcm", E::Screened, runs, reader, false));
  if (!corpus.empty()) {
    rows.push_back(measure("corpus US1_UNCR 640x480 RGB (real ultrasound text)", corpus / "pydicom-data/US1_UNCR.dcm",
                           E::Expected, runs, reader));
    rows.push_back(measure("corpus gdcm-US-ALOKA-16 640x480 16-bit palette", corpus / "pydicom-data/gdcm-US-ALOKA-16.dcm",
                           E::Expected, runs, reader));
    rows.push_back(measure("corpus 693_UNCR 512x512 16-bit CT, screened", corpus / "pydicom-data/693_UNCR.dcm",
                           E::Screened, runs, reader));
    rows.push_back(measure("corpus 693_UNCR 512x512 16-bit CT without text, screened", corpus / "pydicom-data/693_UNCR.dcm",
                           E::Screened, runs, reader, false));
    rows.push_back(measure("corpus MNE head MR slice 128, 256x256 16-bit, without text, screened",
                           corpus / "heads/mne-sample-t1-mr/slice0128.dcm", E::Screened, runs, reader, false));
  }
  fs::remove_all(work);
  std::printf("| frame | clean ms/frame (median of %d) | read file ms | ratio clean/read | boxes |\n|---|---|---|---|---|\n", runs);
  for (const auto& r : rows)
    std::printf("| %s | %.1f | %.2f | %.0fx | %s |\n", r.name.c_str(), r.clean_ms, r.read_ms, r.clean_ms / r.read_ms,
                r.quarantined.empty() ? std::to_string(r.boxes).c_str() : ("quarantined: " + r.quarantined).c_str());
  return 0;
}
