#include "profile/safe_private.h"

#include <set>
#include <string>
#include <tuple>

namespace radveil::profile {
namespace {

struct SafePrivateRow {
  std::uint16_t group;
  std::string_view creator;
  std::uint8_t element_byte;
};

constexpr SafePrivateRow kSafe[] = {
#include "profile/safe_private.inc"
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.remove_suffix(1);
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  return s;
}

}  // namespace

bool is_safe_private(std::uint16_t group, std::string_view creator, std::uint8_t element_byte) {
  static const std::set<std::tuple<std::uint16_t, std::string, std::uint8_t>> kSet = [] {
    std::set<std::tuple<std::uint16_t, std::string, std::uint8_t>> s;
    for (const auto& r : kSafe) s.emplace(r.group, std::string(r.creator), r.element_byte);
    return s;
  }();
  return kSet.count({group, std::string(trim(creator)), element_byte}) > 0;
}

}  // namespace radveil::profile
