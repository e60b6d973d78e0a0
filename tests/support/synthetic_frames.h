#pragma once
// Test support: frames of speckle and a smooth organ, like an ultrasound or a CT slice, in every
// layout radveil accepts, and the inks text can be planted in on each.
#include <dcmtk/dcmdata/dctk.h>

#include <memory>
#include <vector>

#include "pixels/pixel_frames.h"
#include "support/burned_text.h"

namespace radveil::test {

struct Layout {
  const char* name;
  const char* photometric;
  int rows, cols, bits, frames;
  bool is_signed;
};

std::unique_ptr<DcmDataset> synthetic(const Layout& l);

// The Hershey faces and the TrueType faces found on this machine (DejaVu sans, serif, mono,
// condensed bold, extra-light, serif italic), as plant_text numbers them.
std::vector<int> every_font();

// White and black ink everywhere; colour ink where any colour can be stored (RGB, YBR_FULL).
std::vector<Ink> inks_for(const pixels::PixelLayout& layout);

}  // namespace radveil::test
