#pragma once
// Shifting DICOM DA and DT values by whole days, keeping times, precision, offsets and ranges.
#include <optional>
#include <string>
#include <string_view>

namespace radveil::pseudonym {

// A DA value, possibly multi-valued (backslash) or a range (A-B, -B, A-). Empty components stay
// empty. nullopt when any component is not a valid date: the caller must then not keep it.
std::optional<std::string> shift_da(std::string_view value, int days);
// A DT value (YYYY[MM[DD[HH[MM[SS[.F]]]]]][&ZZXX]), same conventions. Only the date part moves;
// a value of year or year-month precision moves by the shift rounded to that precision.
std::optional<std::string> shift_dt(std::string_view value, int days);

}  // namespace radveil::pseudonym
