#include "core/report_text.h"

#include <cxxabi.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <typeinfo>

namespace radveil::report_text {

bool is_uid(std::string_view value) {
  if (value.empty() || value.size() > 64 || value.front() == '.' || value.back() == '.') return false;
  char previous = '.';
  for (char c : value) {
    if (c == '.' && previous == '.') return false;
    if (c != '.' && (c < '0' || c > '9')) return false;
    previous = c;
  }
  return true;
}

std::string uid_or_description(std::string_view value) {
  if (is_uid(value)) return std::string(value);
  return "a value of " + std::to_string(value.size()) + " bytes that is not a UID";
}

std::string term_or_description(std::string_view value, std::initializer_list<std::string_view> terms,
                                std::string_view description) {
  return std::find(terms.begin(), terms.end(), value) != terms.end() ? std::string(value) : std::string(description);
}

bool is_printable(std::string_view text) {
  return text.size() <= 300 && std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

std::string checked(std::string_view text) {
  if (is_printable(text)) return std::string(text);
  return "(detail withheld: it was not plain printable text)";
}

std::string checked_reason(std::string_view reason) {
  const bool ok = !reason.empty() && reason.size() <= 64 && reason.front() != '-' && reason.back() != '-' &&
                  reason.find("--") == std::string_view::npos &&
                  std::all_of(reason.begin(), reason.end(),
                              [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
  return ok ? std::string(reason) : std::string("invalid-reason");
}

std::string describe_unexpected(const std::exception& e) {
  const char* mangled = typeid(e).name();
  int status = 0;
  const std::unique_ptr<char, void (*)(void*)> demangled(abi::__cxa_demangle(mangled, nullptr, nullptr, &status),
                                                          std::free);
  const std::string type = status == 0 && demangled ? demangled.get() : mangled;
  return checked("an unexpected " + type);
}

}  // namespace radveil::report_text
