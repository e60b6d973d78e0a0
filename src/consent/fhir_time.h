#pragma once
// Times of consent: FHIR date and dateTime values of any precision ("2024", "2024-03",
// "2024-03-05", "2024-03-05T10:00:00+01:00") and DICOM dates (YYYYMMDD), as the range of UTC
// seconds since 1970 they stand for: "2024" is every second of that year.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace radveil::consent {

struct TimeRange {
  std::int64_t first = 0, last = 0;  // inclusive
};

// nullopt when the text is not a valid FHIR date/dateTime (a time needs a zone, as FHIR requires
// for dateTime with hours; a date alone is taken in UTC).
std::optional<TimeRange> parse_fhir_time(std::string_view text);

// nullopt when the text is not a valid DICOM DA value (YYYYMMDD).
std::optional<TimeRange> parse_dicom_date(std::string_view text);

// "2024-03-05T10:00:00Z".
std::string format_utc(std::int64_t seconds);

// A FHIR Period: either end may be open.
struct Period {
  std::optional<std::int64_t> start, end;
  bool covers(std::int64_t t) const { return (!start || t >= *start) && (!end || t <= *end); }
  bool overlaps(const TimeRange& r) const { return (!start || r.last >= *start) && (!end || r.first <= *end); }
};

}  // namespace radveil::consent
