#include "consent/fhir_time.h"

#include <cctype>
#include <cstdio>

namespace radveil::consent {
namespace {

// Days from 1970-01-01 to the given civil date (proleptic Gregorian; H. Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int days_in_month(int y, int m) {
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : days[m - 1];
}

// Reads exactly `n` digits at `pos`.
bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

constexpr std::int64_t kDay = 86400;

}  // namespace

std::optional<TimeRange> parse_fhir_time(std::string_view s) {
  int y = 0, mo = 1, d = 1;
  if (!digits(s, 0, 4, y) || y < 1) return std::nullopt;
  if (s.size() == 4) {
    return TimeRange{days_from_civil(y, 1, 1) * kDay, days_from_civil(y + 1, 1, 1) * kDay - 1};
  }
  if (s[4] != '-' || !digits(s, 5, 2, mo) || mo < 1 || mo > 12) return std::nullopt;
  if (s.size() == 7) {
    const std::int64_t first = days_from_civil(y, static_cast<unsigned>(mo), 1) * kDay;
    return TimeRange{first, first + days_in_month(y, mo) * kDay - 1};
  }
  if (s[7] != '-' || !digits(s, 8, 2, d) || d < 1 || d > days_in_month(y, mo)) return std::nullopt;
  const std::int64_t day = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * kDay;
  if (s.size() == 10) return TimeRange{day, day + kDay - 1};
  int h = 0, mi = 0, sec = 0;
  if (s[10] != 'T' || !digits(s, 11, 2, h) || s.size() < 16 || s[13] != ':' || !digits(s, 14, 2, mi) || h > 23 ||
      mi > 59)
    return std::nullopt;
  std::size_t pos = 16;
  if (pos < s.size() && s[pos] == ':') {
    if (!digits(s, pos + 1, 2, sec) || sec > 60) return std::nullopt;
    pos += 3;
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      const std::size_t begin = pos;
      while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) ++pos;
      if (pos == begin) return std::nullopt;
    }
  }
  if (pos >= s.size()) return std::nullopt;  // a time needs its zone
  std::int64_t offset = 0;
  if (s[pos] == 'Z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    int oh = 0, om = 0;
    if (!digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' || !digits(s, pos + 4, 2, om) || oh > 14 ||
        om > 59)
      return std::nullopt;
    offset = (s[pos] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  const std::int64_t t = day + h * 3600 + mi * 60 + std::min(sec, 59) - offset;
  return TimeRange{t, t};
}

std::optional<TimeRange> parse_dicom_date(std::string_view s) {
  int y = 0, mo = 0, d = 0;
  if (s.size() != 8 || !digits(s, 0, 4, y) || !digits(s, 4, 2, mo) || !digits(s, 6, 2, d) || y < 1 || mo < 1 ||
      mo > 12 || d < 1 || d > days_in_month(y, mo))
    return std::nullopt;
  const std::int64_t day = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * kDay;
  return TimeRange{day, day + kDay - 1};
}

std::string format_utc(std::int64_t t) {
  std::int64_t days = t >= 0 ? t / kDay : -((-t + kDay - 1) / kDay);
  const std::int64_t secs = t - days * kDay;
  // civil_from_days
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02dZ", static_cast<long long>(y), m, d,
                static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
  return buf;
}

}  // namespace radveil::consent
