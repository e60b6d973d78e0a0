#pragma once
// PS3.15 Table E.1-1 as data, and the lookup of a tag's row (exact tags first, then masks).
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "profile/options.h"

namespace radveil::profile {

// Basic profile action codes, including the combined X/Z/D family.
enum class BasicAction { D, Z, X, K, C, U, ZD, XZ, XD, XZD, XZU };
// What an option column says for a row (None: the option does not change this row).
enum class OptionAction { None, K, C };

struct ProfileRow {
  std::uint16_t group, group_mask, element, element_mask;
  bool odd_group_row;  // the "(GGGG,EEEE) WHERE GGGG IS ODD" row: all private attributes
  std::string_view name;
  BasicAction basic;
  std::array<OptionAction, kProfileOptionCount> options;

  bool matches(std::uint16_t g, std::uint16_t e) const {
    return !odd_group_row && (g & group_mask) == group && (e & element_mask) == element;
  }
};

std::span<const ProfileRow> table_e1_1();
// The row for a standard (even group) tag, if the table names it; nullptr otherwise.
const ProfileRow* find_row(std::uint16_t group, std::uint16_t element);
// The odd-group row (private attributes).
const ProfileRow& private_attributes_row();

}  // namespace radveil::profile
