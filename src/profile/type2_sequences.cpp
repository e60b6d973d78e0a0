#include "profile/type2_sequences.h"

#include <array>

namespace radveil::profile {
namespace {

struct Type2Sequence {
  std::uint16_t group, element;
  std::string_view sop_class_prefix;
};

constexpr std::string_view kStructuredReports = "1.2.840.10008.5.1.4.1.1.88.";

constexpr std::array<Type2Sequence, 2> kType2 = {{
    {0x0040, 0x0555, ""},                  // Acquisition Context Sequence (Acquisition Context Module)
    {0x0008, 0x1111, kStructuredReports},  // Referenced Performed Procedure Step Sequence (SR Document Series)
}};

}  // namespace

bool is_type2_sequence(std::uint16_t group, std::uint16_t element, std::string_view sop_class_uid) {
  for (const auto& t : kType2)
    if (t.group == group && t.element == element && sop_class_uid.substr(0, t.sop_class_prefix.size()) == t.sop_class_prefix)
      return true;
  return false;
}

}  // namespace radveil::profile
