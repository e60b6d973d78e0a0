#include "pixels/palette.h"

#include <algorithm>

#include "core/quarantine_error.h"

namespace radveil::pixels {
namespace {

[[noreturn]] void bad(const std::string& why) { throw QuarantineError("unsupported-pixel-format", "palette: " + why); }

std::vector<Uint16> words(DcmDataset& ds, const DcmTagKey& tag) {
  const Uint16* data = nullptr;
  unsigned long count = 0;
  if (ds.findAndGetUint16Array(tag, data, &count).bad() || !data) return {};
  return {data, data + count};
}

// Segmented tables: discrete (0) and linear (1) segments; indirect segments (2) are refused.
std::vector<Uint16> expand_segmented(const std::vector<Uint16>& s, std::size_t entries) {
  std::vector<Uint16> out;
  std::size_t i = 0;
  while (i + 1 < s.size() && out.size() < entries) {
    const Uint16 op = s[i], length = s[i + 1];
    i += 2;
    if (op == 0) {
      if (i + length > s.size()) bad("segment longer than its table");
      out.insert(out.end(), s.begin() + static_cast<long>(i), s.begin() + static_cast<long>(i + length));
      i += length;
    } else if (op == 1) {
      if (out.empty() || i >= s.size()) bad("linear segment without a start");
      const double start = out.back(), end = s[i++];
      for (Uint16 k = 1; k <= length; ++k) out.push_back(static_cast<Uint16>(start + (end - start) * k / length));
    } else {
      bad("indirect segments are not supported");
    }
  }
  if (out.size() < entries) bad("segmented table shorter than its descriptor");
  out.resize(entries);
  return out;
}

std::vector<Uint8> channel(DcmDataset& ds, const DcmTagKey& descriptor_tag, const DcmTagKey& data_tag,
                           const DcmTagKey& segmented_tag, std::size_t& entries, std::int64_t& first) {
  Uint16 d[3] = {0, 0, 0};
  for (unsigned long k = 0; k < 3; ++k)
    if (ds.findAndGetUint16(descriptor_tag, d[k], k).bad()) bad("descriptor missing");
  entries = d[0] == 0 ? 65536 : d[0];
  first = d[1];
  const int bits = d[2];
  std::vector<Uint16> table = words(ds, data_tag);
  if (table.empty()) {
    const std::vector<Uint16> segmented = words(ds, segmented_tag);
    if (segmented.empty()) bad("no lookup table data");
    table = expand_segmented(segmented, entries);
  }
  std::vector<Uint8> out(entries);
  if (bits == 8 && table.size() * 2 == entries) {
    // Eight-bit entries packed two to a word, low byte first.
    for (std::size_t i = 0; i < entries; ++i) out[i] = static_cast<Uint8>(i & 1 ? table[i / 2] >> 8 : table[i / 2] & 0xFF);
    return out;
  }
  if (table.size() < entries) bad("table shorter than its descriptor");
  const bool high_byte = bits > 8 || std::any_of(table.begin(), table.end(), [](Uint16 v) { return v > 255; });
  for (std::size_t i = 0; i < entries; ++i) out[i] = static_cast<Uint8>(high_byte ? table[i] >> 8 : table[i]);
  return out;
}

}  // namespace

Palette read_palette(DcmDataset& ds) {
  std::size_t nr = 0, ng = 0, nb = 0;
  std::int64_t fr = 0, fg = 0, fb = 0;
  const auto r = channel(ds, DCM_RedPaletteColorLookupTableDescriptor, DCM_RedPaletteColorLookupTableData,
                         DCM_SegmentedRedPaletteColorLookupTableData, nr, fr);
  const auto g = channel(ds, DCM_GreenPaletteColorLookupTableDescriptor, DCM_GreenPaletteColorLookupTableData,
                         DCM_SegmentedGreenPaletteColorLookupTableData, ng, fg);
  const auto b = channel(ds, DCM_BluePaletteColorLookupTableDescriptor, DCM_BluePaletteColorLookupTableData,
                         DCM_SegmentedBluePaletteColorLookupTableData, nb, fb);
  if (nr != ng || nr != nb || fr != fg || fr != fb) bad("the three tables differ in size or first value");
  Palette p;
  p.first_mapped = fr;
  p.colours.resize(nr);
  for (std::size_t i = 0; i < nr; ++i) p.colours[i] = cv::Vec3b(b[i], g[i], r[i]);
  return p;
}

}  // namespace radveil::pixels
