#pragma once
// PS3.15 Table E.3.10-1: private attributes known to be safe, keyed by private creator.
#include <cstdint>
#include <string_view>

namespace radveil::profile {

// True when element byte `element_byte` of the block reserved by `creator` in `group` is listed
// as safe. Creator strings compare without trailing spaces, as DICOM pads them.
bool is_safe_private(std::uint16_t group, std::string_view creator, std::uint8_t element_byte);

}  // namespace radveil::profile
