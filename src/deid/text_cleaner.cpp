#include "deid/text_cleaner.h"

#include <regex>

namespace radveil::deid {
namespace {

const std::regex& date_pattern() {
  static const std::regex kDate(R"(\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b)");
  return kDate;
}
const std::regex& email_pattern() {
  static const std::regex kEmail(R"([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+)");
  return kEmail;
}
// Digits with the separators of phone numbers and identifiers; kept if fewer than 5 digits
// (doses, sizes and counts stay readable).
const std::regex& number_pattern() {
  static const std::regex kNumber(R"(\+?\d[\d ()./-]*\d)");
  return kNumber;
}

std::string replace_long_numbers(const std::string& text) {
  std::string out;
  auto begin = std::sregex_iterator(text.begin(), text.end(), number_pattern());
  std::size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    const std::string match = it->str();
    std::size_t digits = 0;
    for (char c : match) digits += (c >= '0' && c <= '9');
    if (digits < 5) continue;
    out.append(text, last, static_cast<std::size_t>(it->position()) - last);
    out += "***";
    last = static_cast<std::size_t>(it->position() + it->length());
  }
  out.append(text, last, std::string::npos);
  return out;
}

}  // namespace

std::string clean_text(std::string_view text, const IdentifyingValues& identifying) {
  std::string out = identifying.redact(text);
  out = std::regex_replace(out, email_pattern(), "***");
  out = std::regex_replace(out, date_pattern(), "***");
  return replace_long_numbers(out);
}

}  // namespace radveil::deid
