#include "profile/profile_table.h"

#include <algorithm>
#include <unordered_map>
#include <vector>

namespace radveil::profile {
namespace {

constexpr ProfileRow kRows[] = {
#include "profile/table_e1_1.inc"
};

// Built once: exact tags in a hash map, masked rows in a short list scanned after a miss.
struct Index {
  std::unordered_map<std::uint32_t, const ProfileRow*> exact;
  std::vector<const ProfileRow*> masked;
  const ProfileRow* odd = nullptr;
  Index() {
    for (const auto& row : kRows) {
      if (row.odd_group_row) odd = &row;
      else if (row.group_mask == 0xFFFF && row.element_mask == 0xFFFF)
        exact.emplace((std::uint32_t{row.group} << 16) | row.element, &row);
      else masked.push_back(&row);
    }
  }
};

const Index& index() {
  static const Index kIndex;
  return kIndex;
}

}  // namespace

std::span<const ProfileRow> table_e1_1() { return kRows; }

const ProfileRow* find_row(std::uint16_t group, std::uint16_t element) {
  const Index& idx = index();
  if (auto it = idx.exact.find((std::uint32_t{group} << 16) | element); it != idx.exact.end())
    return it->second;
  for (const ProfileRow* row : idx.masked)
    if (row->matches(group, element)) return row;
  return nullptr;
}

const ProfileRow& private_attributes_row() { return *index().odd; }

}  // namespace radveil::profile
