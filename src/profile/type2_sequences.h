#pragma once
// Sequences with a combined X/Z... code that are Type 2 (present, possibly empty) in some IODs.
// radveil carries no IOD module tables; this short list covers the sequences where removing
// would break conformance of common objects, keyed by SOP Class UID prefix ("" = any IOD).
#include <cstdint>
#include <string_view>

namespace radveil::profile {

bool is_type2_sequence(std::uint16_t group, std::uint16_t element, std::string_view sop_class_uid);

}  // namespace radveil::profile
