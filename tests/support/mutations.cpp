#include "support/mutations.h"

#include <algorithm>
#include <array>
#include <optional>
#include <random>

namespace radveil::test {
namespace {

using Rng = std::mt19937_64;

std::size_t pick(Rng& rng, std::size_t lo, std::size_t hi) {  // inclusive
  return std::uniform_int_distribution<std::size_t>(lo, hi)(rng);
}

constexpr std::array<std::string_view, 34> kVrs = {"AE", "AS", "AT", "CS", "DA", "DS", "DT", "FL", "FD", "IS", "LO", "LT",
                                                   "OB", "OD", "OF", "OL", "OV", "OW", "PN", "SH", "SL", "SQ", "SS", "ST",
                                                   "SV", "TM", "UC", "UI", "UL", "UN", "UR", "US", "UT", "UV"};
bool long_form(std::string_view vr) {
  static constexpr std::array<std::string_view, 13> kLong = {"OB", "OD", "OF", "OL", "OV", "OW", "SQ",
                                                             "SV", "UC", "UN", "UR", "UT", "UV"};
  return std::find(kLong.begin(), kLong.end(), vr) != kLong.end();
}

// The offset of an explicit-VR element header at or after a random even offset past the
// preamble (tag, then two VR letters), if the file has one there.
std::optional<std::size_t> element_header(const std::string& b, Rng& rng) {
  if (b.size() < 160) return std::nullopt;
  const std::size_t start = pick(rng, 132, b.size() - 12) & ~std::size_t{1};
  for (std::size_t p = start; p + 12 <= b.size(); p += 2) {
    const std::string_view vr(b.data() + p + 4, 2);
    if (std::find(kVrs.begin(), kVrs.end(), vr) != kVrs.end()) return p;
  }
  return std::nullopt;
}

void put_le(std::string& b, std::size_t at, std::uint64_t value, int bytes) {
  for (int i = 0; i < bytes && at + i < b.size(); ++i) b[at + i] = static_cast<char>((value >> (8 * i)) & 0xff);
}

std::string flip_bits(std::string b, Rng& rng) {
  const std::size_t flips = pick(rng, 1, 16);
  for (std::size_t i = 0; i < flips; ++i) b[pick(rng, 0, b.size() - 1)] ^= static_cast<char>(1 << pick(rng, 0, 7));
  return b;
}

}  // namespace

std::string_view mutation_name(Mutation m) {
  switch (m) {
    case Mutation::FlipBits: return "flip-bits";
    case Mutation::Truncate: return "truncate";
    case Mutation::CorruptLength: return "corrupt-length";
    case Mutation::CorruptVr: return "corrupt-vr";
    case Mutation::Splice: return "splice";
  }
  return "?";
}

std::string mutate(std::string b, Mutation m, std::uint64_t seed) {
  Rng rng(seed);
  if (b.size() < 16) {
    b.append(pick(rng, 1, 64), '\xff');
    return b;
  }
  switch (m) {
    case Mutation::FlipBits: return flip_bits(std::move(b), rng);
    case Mutation::Truncate:
      // Anywhere: inside the preamble, the meta header, a header, a value, the pixels.
      b.resize(pick(rng, 0, b.size() - 1));
      return b;
    case Mutation::CorruptLength: {
      static constexpr std::array<std::uint64_t, 6> kLengths = {0xffffffff, 0xfffffffe, 0x7fffffff, 0xffff, 1, 0};
      const auto p = element_header(b, rng);
      const std::uint64_t length = pick(rng, 0, 2) == 0 ? pick(rng, 0, 0xffffffff) : kLengths[pick(rng, 0, 5)];
      if (!p) {  // implicit VR: the 4-byte length after the tag
        put_le(b, (pick(rng, 132, b.size() - 8) & ~std::size_t{1}) + 4, length, 4);
      } else if (long_form(std::string_view(b.data() + *p + 4, 2))) {
        put_le(b, *p + 8, length, 4);
      } else {
        put_le(b, *p + 6, length, 2);
      }
      return b;
    }
    case Mutation::CorruptVr: {
      const auto p = element_header(b, rng);
      if (!p) return flip_bits(std::move(b), rng);
      if (pick(rng, 0, 1) == 0) {  // another valid VR, so the value is read the wrong way
        const std::string_view vr = kVrs[pick(rng, 0, kVrs.size() - 1)];
        b[*p + 4] = vr[0];
        b[*p + 5] = vr[1];
      } else {  // bytes that are no VR at all
        b[*p + 4] = static_cast<char>(pick(rng, 0, 255));
        b[*p + 5] = static_cast<char>(pick(rng, 0, 255));
      }
      return b;
    }
    case Mutation::Splice: {
      // A run of the file's own bytes inserted elsewhere: headers and values where they do not
      // belong, lengths that no longer add up.
      const std::size_t from = pick(rng, 0, b.size() - 1);
      const std::size_t length = std::min(pick(rng, 1, 512), b.size() - from);
      const std::string run = b.substr(from, length);
      b.insert(pick(rng, 0, b.size()), run);
      return b;
    }
  }
  return b;
}

}  // namespace radveil::test
