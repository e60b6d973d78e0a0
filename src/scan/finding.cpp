#include "scan/finding.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>
#include <utility>

namespace radveil::scan {
namespace {

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Appends `text` as valid, printable UTF-8: control bytes and broken sequences become '?', so a
// value from any character set can go into JSON and HTML.
void append_clean(std::string& out, std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool valid = len > 0 && i + len <= text.size();
    for (std::size_t k = 1; valid && k < len; ++k) valid = is_continuation(static_cast<unsigned char>(text[i + k]));
    if (!valid) {
      out += '?';
      ++i;
    } else if (len == 1) {
      out += (c < 0x20 || c == 0x7F) ? ' ' : static_cast<char>(c);
      ++i;
    } else {
      out.append(text.substr(i, len));
      i += len;
    }
  }
}

// Each character but the first of `text` as '*' (a multi-byte character is one '*').
void append_masked(std::string& out, std::string_view text) {
  bool first = true;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (is_continuation(c)) {
      if (first) continue;
      continue;
    }
    if (first) {
      std::size_t len = 1;
      while (i + len < text.size() && is_continuation(static_cast<unsigned char>(text[i + len]))) ++len;
      append_clean(out, text.substr(i, len));
      first = false;
    } else {
      out += (c == ' ' || c == '-' || c == '.' || c == '/' || c == ':' || c == '^' || c == '@') ? static_cast<char>(c) : '*';
    }
  }
}

// Moves `i` back (or forward) to the start of a UTF-8 character.
std::size_t char_start(std::string_view s, std::size_t i) {
  while (i > 0 && i < s.size() && is_continuation(static_cast<unsigned char>(s[i]))) --i;
  return i;
}

}  // namespace

std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::High: return "high";
    case Severity::Medium: return "medium";
    case Severity::Low: return "low";
  }
  return "low";
}

FailLevel parse_fail_level(std::string_view name) {
  if (name == "none") return FailLevel::None;
  if (name == "low") return FailLevel::Low;
  if (name == "medium") return FailLevel::Medium;
  if (name == "high") return FailLevel::High;
  throw std::invalid_argument("unknown level '" + std::string(name) + "' (none, low, medium, high)");
}

std::string_view fail_level_name(FailLevel level) {
  switch (level) {
    case FailLevel::None: return "none";
    case FailLevel::Low: return "low";
    case FailLevel::Medium: return "medium";
    case FailLevel::High: return "high";
  }
  return "high";
}

bool fails(Severity s, FailLevel level) {
  switch (level) {
    case FailLevel::None: return false;
    case FailLevel::Low: return true;
    case FailLevel::Medium: return s >= Severity::Medium;
    case FailLevel::High: return s >= Severity::High;
  }
  return true;
}

// Context around a match, with every word that could be identity masked too: a word with a
// capital or a digit in it keeps its first character only (names, IDs, dates), a lower-case word
// stays readable ("born", "call", "no acute findings").
void append_context(std::string& out, std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t end = i;
    while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || static_cast<unsigned char>(text[end]) >= 0x80)) ++end;
    if (end == i) {
      append_clean(out, text.substr(i, 1));
      ++i;
      continue;
    }
    const std::string_view word = text.substr(i, end - i);
    const bool plain = std::all_of(word.begin(), word.end(), [](char c) { return c >= 'a' && c <= 'z'; });
    if (plain) append_clean(out, word);
    else append_masked(out, word);
    i = end;
  }
}

std::string mask_match(std::string_view text, std::size_t begin, std::size_t end, std::size_t context) {
  end = std::min(end, text.size());
  begin = std::min(begin, end);
  const std::size_t from = char_start(text, begin > context ? begin - context : 0);
  const std::size_t to = char_start(text, std::min(text.size(), end + context));
  std::string out;
  if (from > 0) out += "...";
  append_context(out, text.substr(from, begin - from));
  out += "[";
  append_masked(out, text.substr(begin, end - begin));
  out += "]";
  append_context(out, text.substr(end, to - end));
  if (to < text.size()) out += "...";
  return out;
}

std::string printable(std::string_view text) {
  std::string out;
  append_clean(out, text);
  return out;
}

std::string mask_all(std::string_view value) {
  std::string out;
  if (value.size() > 64) value = value.substr(0, char_start(value, 64));
  append_masked(out, value);
  return out;
}

std::string_view kind_description(std::string_view kind) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 34> kKinds = {{
      {"source-value", "a value of the original instance (name, identifier, date, address...) is still there"},
      {"source-name-word", "a word of the original's person names that is also a DICOM vocabulary word (\"HEAD\" of a patient named Head), or has one or two letters (\"OB\" in a preset OB_GENERAL), is still there, alone"},
      {"source-date", "a date of the original instance is still there (dates were not declared retained)"},
      {"source-uid", "a UID that identified the original's instance, series, study or what it references is still there: it links the file back to the source PACS"},
      {"person-name", "a person's name: a Person Name attribute, or a name announced in text"},
      {"birth-date", "the patient's birth date"},
      {"address", "a street address"},
      {"phone", "a telephone number"},
      {"email", "an e-mail address"},
      {"id-in-text", "an ID-like token or long run of digits in text (record number, accession, ...)"},
      {"age-over-89", "an age over 89 (HIPAA Safe Harbor aggregates these as 90 or older)"},
      {"identity-not-removed", "Patient Identity Removed is missing or NO: the file does not claim to be de-identified"},
      {"encapsulated-document", "an encapsulated document (PDF, CDA, ...): its content is not checked"},
      {"burned-in-annotation", "Burned In Annotation is YES: the pixels say they carry text"},
      {"private-attribute", "a private attribute not known to be safe (PS3.15 Table E.3.10-1): content unknown"},
      {"preamble-text", "text in the 128-byte preamble before the DICOM header"},
      {"path-identity", "a file or folder name with a date, identifier, phone or e-mail in it"},
      {"burned-in-text", "text burned into the pixels of a frame"},
      {"face", "a head CT/MR series whose surface render still shows a recognisable face"},
      {"unreadable-pixels", "pixels that could not be decoded, so they could not be checked"},
      {"unreadable-file", "a DICOM file that could not be parsed, so it could not be checked"},
      {"date-in-text", "a date written in free text"},
      {"institution", "an institution's name, address or department"},
      {"device-identity", "a device's station name, serial number or AE title"},
      {"organisation-uid", "a UID under an organisation's root rather than 2.25 (may be the source's own)"},
      {"overlay", "an overlay plane: graphics that may carry text, not read by the pixel scan"},
      {"other-file", "a file that is not DICOM: not checked"},
      {"date", "a date kept in a date attribute"},
      {"time", "a time kept in a time attribute"},
      {"time-in-text", "a time of day written in free text"},
      {"identifier-kept", "an identifier attribute has a value (a pseudonym, or the original without --against)"},
      {"safe-private-attribute", "a private attribute listed as safe in PS3.15 Table E.3.10-1"},
      {"pixels-not-examined", "pixels were not looked at (--header-only)"},
      {"faces-not-examined", "CT/MR series were not checked for a face (--no-face-check)"},
  }};
  for (const auto& [k, d] : kKinds)
    if (k == kind) return d;
  return "";
}

}  // namespace radveil::scan
