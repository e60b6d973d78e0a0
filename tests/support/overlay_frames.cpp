#include "support/overlay_frames.h"

#include <algorithm>
#include <filesystem>
#include <opencv2/freetype.hpp>
#include <opencv2/imgproc.hpp>
#include <random>
#include <stdexcept>

namespace radveil::test {
namespace {

constexpr const char* kBoldFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

// The ground each failure was seen over, in 0-255.
cv::Mat ground(OverlayGround kind, std::mt19937& rng) {
  std::normal_distribution<double> noise(0, 1);
  switch (kind) {
    case OverlayGround::MammogramSpeckle: {
      // A breast in speckle that spans nearly the whole range (up to 249, the text's own 255 just
      // above it), its edge dark, the background black.
      cv::Mat m(800, 576, CV_8UC1, cv::Scalar(0));
      for (int y = 0; y < m.rows; ++y)
        for (int x = 0; x < m.cols; ++x) {
          const double dx = (x + 150.0) / 620.0, dy = (y - 400.0) / 420.0;
          const double r = dx * dx + dy * dy;
          if (r > 1.0) continue;
          const double level = r > 0.85 ? 40 : 125;
          m.at<std::uint8_t>(y, x) = cv::saturate_cast<std::uint8_t>(std::clamp(level + 70 * noise(rng), 0.0, 249.0));
        }
      return m;
    }
    case OverlayGround::SmallMr: {
      // A 256x256 slice: smooth organs with noise, bright fat clipped at the top of the range.
      cv::Mat m(256, 256, CV_8UC1, cv::Scalar(0));
      cv::ellipse(m, {128, 140}, {110, 80}, 0, 0, 360, cv::Scalar(90), -1);
      cv::ellipse(m, {100, 130}, {30, 25}, 0, 0, 360, cv::Scalar(170), -1);
      cv::ellipse(m, {160, 150}, {25, 35}, 0, 0, 360, cv::Scalar(60), -1);
      cv::ellipse(m, {128, 140}, {112, 82}, 0, 0, 360, cv::Scalar(255), 2);
      cv::GaussianBlur(m, m, {5, 5}, 1.5);
      for (auto it = m.begin<std::uint8_t>(); it != m.end<std::uint8_t>(); ++it)
        *it = cv::saturate_cast<std::uint8_t>(*it + 12 * noise(rng));
      return m;
    }
    case OverlayGround::SaturatedCt: {
      // A CT slice rescaled so that the body saturates to white, the table and air in noisy grey.
      cv::Mat m(512, 512, CV_8UC1);
      for (auto it = m.begin<std::uint8_t>(); it != m.end<std::uint8_t>(); ++it)
        *it = cv::saturate_cast<std::uint8_t>(std::clamp(70 + 25 * noise(rng), 6.0, 200.0));
      cv::ellipse(m, {256, 240}, {230, 200}, 0, 0, 360, cv::Scalar(255), -1);
      return m;
    }
    case OverlayGround::NoisyAirCt: {
      // A CT slice rescaled so that the body saturates to white and the air around it is noise
      // spread evenly over the dark end of the range (values 0-80: as many at 1, 2, ... 5, the
      // darkest 2%, as at any other, and only a few at 0 itself), the export tool's black text
      // over the air and the body's edge (a 512x512 NEPHRO series of the public set).
      cv::Mat m(512, 512, CV_8UC1);
      std::uniform_real_distribution<double> air(0.6, 80.0);
      for (auto it = m.begin<std::uint8_t>(); it != m.end<std::uint8_t>(); ++it) *it = static_cast<std::uint8_t>(air(rng));
      cv::ellipse(m, {256, 330}, {240, 210}, 0, 0, 360, cv::Scalar(255), -1);
      return m;
    }
    case OverlayGround::RadiographGrain: {
      // A chest radiograph's bright soft tissue, its grain a few pixels wide and strong enough to
      // reach the black of the text now and then (a 911x800 DX of the public set).
      cv::Mat grain(800, 912, CV_64FC1);
      for (auto it = grain.begin<double>(); it != grain.end<double>(); ++it) *it = noise(rng);
      cv::GaussianBlur(grain, grain, {0, 0}, 1.2);
      cv::Mat m(grain.size(), CV_8UC1);
      for (int y = 0; y < m.rows; ++y)
        for (int x = 0; x < m.cols; ++x) {
          const double level = 150 + 60.0 * x / m.cols;  // brighter towards the shoulder
          m.at<std::uint8_t>(y, x) = cv::saturate_cast<std::uint8_t>(std::clamp(level + 55 * grain.at<double>(y, x), 1.0, 255.0));
        }
      return m;
    }
  }
  throw std::logic_error("unknown ground");
}

}  // namespace

const std::vector<std::string>& overlay_lines() {
  static const std::vector<std::string> kLines = {"Institution Name: St Elsewhere Clinic", "Patient ID: 4242424",
                                                  "Name: DOE JOHN", "DOB: 03/14/1962"};
  return kLines;
}

OverlayFrame overlay_frame(OverlayGround kind, int pixel_height, cv::Point origin, unsigned seed) {
  if (!std::filesystem::exists(kBoldFont)) throw std::runtime_error("fonts-dejavu-core is missing");
  std::mt19937 rng(seed);
  cv::Mat image = ground(kind, rng);
  // Black letters over the saturated body and the bright radiograph, white ones elsewhere: the
  // export tool's choice.
  const double ink =
      kind == OverlayGround::SaturatedCt || kind == OverlayGround::RadiographGrain || kind == OverlayGround::NoisyAirCt ? 0 : 255;
  const cv::Ptr<cv::freetype::FreeType2> face = cv::freetype::createFreeType2();
  face->loadFontData(kBoldFont, 0);
  OverlayFrame out;
  int y = origin.y;
  for (const std::string& line : overlay_lines()) {
    // Coverage of each pixel by the letter (anti-aliased), then blended with the ground.
    cv::Mat bgr = cv::Mat::zeros(image.size(), CV_8UC3);
    face->putText(bgr, line, {origin.x, y}, pixel_height, cv::Scalar::all(255), -1, cv::LINE_AA, false);
    cv::Mat alpha;
    cv::cvtColor(bgr, alpha, cv::COLOR_BGR2GRAY);
    for (int r = 0; r < image.rows; ++r)
      for (int c = 0; c < image.cols; ++c) {
        const double a = alpha.at<std::uint8_t>(r, c) / 255.0;
        if (a > 0) image.at<std::uint8_t>(r, c) = cv::saturate_cast<std::uint8_t>(a * ink + (1 - a) * image.at<std::uint8_t>(r, c));
      }
    out.line_truth.push_back(alpha > 127);
    out.line_boxes.push_back(cv::boundingRect(out.line_truth.back()));
    y += pixel_height * 5 / 3;
  }
  auto ds = std::make_unique<DcmDataset>();
  ds->putAndInsertString(DCM_SOPClassUID, UID_CTImageStorage);
  ds->putAndInsertString(DCM_SOPInstanceUID, "2.25.4242");
  ds->putAndInsertString(DCM_PatientName, "DOE^JOHN");
  ds->putAndInsertString(DCM_PatientID, "4242424");
  ds->putAndInsertString(DCM_PatientBirthDate, "19620314");
  ds->putAndInsertString(DCM_InstitutionName, "St Elsewhere Clinic");
  ds->putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2");
  ds->putAndInsertUint16(DCM_Rows, static_cast<Uint16>(image.rows));
  ds->putAndInsertUint16(DCM_Columns, static_cast<Uint16>(image.cols));
  ds->putAndInsertUint16(DCM_SamplesPerPixel, 1);
  ds->putAndInsertUint16(DCM_BitsAllocated, 16);
  ds->putAndInsertUint16(DCM_BitsStored, 16);
  ds->putAndInsertUint16(DCM_HighBit, 15);
  ds->putAndInsertUint16(DCM_PixelRepresentation, 0);
  std::vector<Uint16> values(image.begin<std::uint8_t>(), image.end<std::uint8_t>());
  ds->putAndInsertUint16Array(DCM_PixelData, values.data(), static_cast<unsigned long>(values.size()));
  out.dataset = std::move(ds);
  return out;
}

}  // namespace radveil::test
