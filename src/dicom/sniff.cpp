#include "dicom/sniff.h"

#include "dicom/input_file.h"

#include <array>
#include <cstdint>
#include <cstring>

namespace radveil::dicom {
namespace {

bool is_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }

bool plausible_first_element(const unsigned char* b, bool little) {
  auto u16 = [&](int i) {
    return little ? static_cast<std::uint16_t>(b[i] | (b[i + 1] << 8))
                  : static_cast<std::uint16_t>((b[i] << 8) | b[i + 1]);
  };
  std::uint16_t group = u16(0), element = u16(2);
  if (group != 0x0002 && group != 0x0008) return false;
  if (element > 0x0100) return false;
  // Explicit VR: two upper-case letters; implicit VR: a 32-bit length that fits a header value.
  if (is_upper(b[4]) && is_upper(b[5])) return true;
  std::uint32_t len = little ? (b[4] | (b[5] << 8) | (b[6] << 16) | (std::uint32_t{b[7]} << 24))
                             : ((std::uint32_t{b[4]} << 24) | (b[5] << 16) | (b[6] << 8) | b[7]);
  return len < 0x10000;
}

}  // namespace

Sniffed sniff(const std::filesystem::path& file) {
  InputFile in(file);
  return sniff(in);
}

Sniffed sniff(InputFile& in) {
  if (!in.ok()) return Sniffed::Unreadable;
  std::array<unsigned char, 132> head{};
  const std::size_t got = in.read_at(0, head.data(), head.size());
  if (got == 132 && std::memcmp(head.data() + 128, "DICM", 4) == 0) return Sniffed::Part10;
  if (got >= 8 && (plausible_first_element(head.data(), true) || plausible_first_element(head.data(), false)))
    return Sniffed::BareDataset;
  return Sniffed::NotDicom;
}

}  // namespace radveil::dicom
