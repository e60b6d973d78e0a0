#include "support/synthetic_frames.h"

#include <opencv2/imgproc.hpp>
#include <random>
#include <string>
#include <tuple>

namespace radveil::test {

// A frame of speckle and a smooth organ, like an ultrasound or a CT slice, in any layout.
std::unique_ptr<DcmDataset> synthetic(const Layout& l) {
  auto ds = std::make_unique<DcmDataset>();
  const bool colour = std::string(l.photometric) == "RGB" || std::string(l.photometric) == "YBR_FULL";
  const int samples = colour ? 3 : 1;
  ds->putAndInsertString(DCM_PhotometricInterpretation, l.photometric);
  ds->putAndInsertUint16(DCM_Rows, static_cast<Uint16>(l.rows));
  ds->putAndInsertUint16(DCM_Columns, static_cast<Uint16>(l.cols));
  ds->putAndInsertUint16(DCM_SamplesPerPixel, static_cast<Uint16>(samples));
  ds->putAndInsertUint16(DCM_BitsAllocated, static_cast<Uint16>(l.bits));
  ds->putAndInsertUint16(DCM_BitsStored, static_cast<Uint16>(l.bits == 16 ? 12 : 8));
  ds->putAndInsertUint16(DCM_HighBit, static_cast<Uint16>(l.bits == 16 ? 11 : 7));
  ds->putAndInsertUint16(DCM_PixelRepresentation, l.is_signed ? 1 : 0);
  if (colour) ds->putAndInsertUint16(DCM_PlanarConfiguration, 0);
  ds->putAndInsertString(DCM_NumberOfFrames, std::to_string(l.frames).c_str());
  if (std::string(l.photometric) == "PALETTE COLOR") {
    const Uint16 descriptor[3] = {256, 0, 16};
    std::vector<Uint16> red(256), green(256), blue(256);
    for (int i = 0; i < 256; ++i) {  // a grey ramp with a warm tint, as ultrasound palettes are
      red[i] = static_cast<Uint16>(std::min(255, i + 10) * 257);
      green[i] = static_cast<Uint16>(i * 257);
      blue[i] = static_cast<Uint16>(std::max(0, i - 10) * 257);
    }
    for (const auto& [d, t, v] : {std::tuple{DCM_RedPaletteColorLookupTableDescriptor, DCM_RedPaletteColorLookupTableData, &red},
                                  std::tuple{DCM_GreenPaletteColorLookupTableDescriptor, DCM_GreenPaletteColorLookupTableData, &green},
                                  std::tuple{DCM_BluePaletteColorLookupTableDescriptor, DCM_BluePaletteColorLookupTableData, &blue}}) {
      ds->putAndInsertUint16Array(d, descriptor, 3);
      ds->putAndInsertUint16Array(t, v->data(), 256);
    }
  }
  const std::size_t plane = static_cast<std::size_t>(l.rows) * l.cols;
  std::vector<Uint16> values(plane * samples * l.frames);
  std::mt19937 rng(7);
  std::normal_distribution<double> speckle(0, 10);
  const double top = l.bits == 16 ? 1500 : 120;
  for (int f = 0; f < l.frames; ++f)
    for (int y = 0; y < l.rows; ++y)
      for (int x = 0; x < l.cols; ++x) {
        const double dx = (x - l.cols / 2.0) / (l.cols / 3.0), dy = (y - l.rows / 2.0) / (l.rows / 3.0);
        const double organ = dx * dx + dy * dy < 1 ? top : top / 3;
        double v = std::max(0.0, organ + speckle(rng) * (l.bits == 16 ? 8 : 1));
        if (std::string(l.photometric) == "MONOCHROME1") v = 255 - std::min(255.0, v);  // shown inverted
        for (int s = 0; s < samples; ++s)
          values[(static_cast<std::size_t>(f) * plane + static_cast<std::size_t>(y) * l.cols + x) * samples + s] =
              static_cast<Uint16>(s == 0 || std::string(l.photometric) == "RGB" ? v : 128);
      }
  if (l.bits == 16) {
    ds->putAndInsertUint16Array(DCM_PixelData, values.data(), static_cast<unsigned long>(values.size()));
  } else {
    std::vector<Uint8> bytes(values.begin(), values.end());
    ds->putAndInsertUint8Array(DCM_PixelData, bytes.data(), static_cast<unsigned long>(bytes.size()));
  }
  return ds;
}

std::vector<int> every_font() {
  std::vector<int> fonts = {cv::FONT_HERSHEY_SIMPLEX, cv::FONT_HERSHEY_PLAIN, cv::FONT_HERSHEY_DUPLEX,
                            cv::FONT_HERSHEY_COMPLEX, cv::FONT_HERSHEY_TRIPLEX};
  for (std::size_t i = 0; i < truetype_fonts().size(); ++i) fonts.push_back(kTrueType + static_cast<int>(i));
  return fonts;
}

std::vector<Ink> inks_for(const pixels::PixelLayout& layout) {
  std::vector<Ink> inks = {{InkKind::White, {}}, {InkKind::Black, {}}};
  // A palette can only show its own colours: colour ink is planted where any colour can be stored.
  if (layout.photometric == pixels::Photometric::Rgb || layout.photometric == pixels::Photometric::YbrFull)
    inks.push_back({InkKind::Colour, cv::Scalar(0, 230, 255)});  // amber, as ultrasound labels often are
  return inks;
}

}  // namespace radveil::test
