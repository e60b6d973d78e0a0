#include "pseudonym/date_shift.h"

#include <chrono>
#include <cstdio>

namespace radveil::pseudonym {
namespace {

bool all_digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

int to_int(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

std::optional<std::string> shift_ymd(std::string_view ymd, int days) {
  using namespace std::chrono;
  if (ymd.size() != 8 || !all_digits(ymd)) return std::nullopt;
  year_month_day d{year{to_int(ymd.substr(0, 4))}, month{static_cast<unsigned>(to_int(ymd.substr(4, 2)))},
                   day{static_cast<unsigned>(to_int(ymd.substr(6, 2)))}};
  if (!d.ok()) return std::nullopt;
  year_month_day s{sys_days{d} + std::chrono::days{days}};
  int y = static_cast<int>(s.year());
  if (y < 1 || y > 9999) return std::nullopt;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02u%02u", y, static_cast<unsigned>(s.month()), static_cast<unsigned>(s.day()));
  return std::string(buf);
}

// Year or year-month precision: shift the first day of the period, keep the precision.
std::optional<std::string> shift_partial(std::string_view part, int days) {
  std::string full(part);
  if (part.size() == 4) full += "0101";
  else if (part.size() == 6) full += "01";
  auto shifted = shift_ymd(full, days);
  if (!shifted) return std::nullopt;
  return shifted->substr(0, part.size());
}

std::optional<std::string> shift_da_one(std::string_view v, int days) {
  // Trailing spaces are DICOM padding.
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  if (v.empty()) return std::string();
  if (v.size() == 10 && v[4] == '.' && v[7] == '.') {  // ACR-NEMA 2.0 YYYY.MM.DD, still seen
    std::string compact = std::string(v.substr(0, 4)) + std::string(v.substr(5, 2)) + std::string(v.substr(8, 2));
    return shift_ymd(compact, days);
  }
  return shift_ymd(v, days);
}

std::optional<std::string> shift_dt_one(std::string_view v, int days) {
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  if (v.empty()) return std::string();
  std::size_t date_len = 0;
  while (date_len < v.size() && date_len < 8 && v[date_len] >= '0' && v[date_len] <= '9') ++date_len;
  std::string_view date = v.substr(0, date_len);
  std::string_view rest = v.substr(date_len);
  std::optional<std::string> shifted;
  if (date_len == 8) shifted = shift_ymd(date, days);
  else if (date_len == 4 || date_len == 6) {
    if (!rest.empty() && rest.front() != '&' && rest.front() != '+' && rest.front() != '-') return std::nullopt;
    shifted = shift_partial(date, days);
  } else return std::nullopt;
  if (!shifted) return std::nullopt;
  // The rest is the time (digits and one '.') and an optional UTC offset: '+', '-' or '&' and 4 digits.
  std::size_t i = 0;
  while (i < rest.size() && ((rest[i] >= '0' && rest[i] <= '9') || rest[i] == '.')) ++i;
  std::string_view offset = rest.substr(i);
  if (!offset.empty() && !(offset.size() == 5 && (offset[0] == '+' || offset[0] == '-' || offset[0] == '&') &&
                           all_digits(offset.substr(1))))
    return std::nullopt;
  return *shifted + std::string(rest);
}

template <class ShiftOne>
std::optional<std::string> shift_multi(std::string_view value, int days, ShiftOne one, bool allow_range) {
  std::string out;
  std::size_t start = 0;
  while (true) {
    std::size_t end = value.find('\\', start);
    std::string_view comp = value.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    std::size_t dash = allow_range ? comp.find('-') : std::string_view::npos;
    if (dash != std::string_view::npos) {
      auto a = one(comp.substr(0, dash), days);
      auto b = one(comp.substr(dash + 1), days);
      if (!a || !b) return std::nullopt;
      out += *a + "-" + *b;
    } else {
      auto a = one(comp, days);
      if (!a) return std::nullopt;
      out += *a;
    }
    if (end == std::string_view::npos) break;
    out.push_back('\\');
    start = end + 1;
  }
  return out;
}

}  // namespace

std::optional<std::string> shift_da(std::string_view value, int days) {
  return shift_multi(value, days, shift_da_one, true);
}

std::optional<std::string> shift_dt(std::string_view value, int days) {
  // A DT range is separated by '-', which is also an offset sign; ranges only split where the
  // dash follows a complete value (14+ chars) or begins the component.
  std::string out;
  std::size_t start = 0;
  while (true) {
    std::size_t end = value.find('\\', start);
    std::string_view comp = value.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    std::optional<std::string> shifted = shift_dt_one(comp, days);
    if (!shifted) {
      std::size_t dash = comp.find('-');
      if (dash == std::string_view::npos) return std::nullopt;
      auto a = shift_dt_one(comp.substr(0, dash), days);
      auto b = shift_dt_one(comp.substr(dash + 1), days);
      if (!a || !b) return std::nullopt;
      shifted = *a + "-" + *b;
    }
    out += *shifted;
    if (end == std::string_view::npos) break;
    out.push_back('\\');
    start = end + 1;
  }
  return out;
}

}  // namespace radveil::pseudonym
