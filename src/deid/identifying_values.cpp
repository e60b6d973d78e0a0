#include "deid/identifying_values.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "dicom/values.h"

namespace radveil::deid {
namespace {

// ASCII and the Latin-1 letters in UTF-8 (U+00E0-U+00FE but U+00F7: "ü" C3 BC -> "Ü" C3 9C)
// upper-cased, so that "Müller" in one file matches "MÜLLER" in another. Byte lengths are kept,
// so positions found in the upper-cased text hold in the original.
std::string upper(std::string_view s) {
  std::string out(s);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const auto c = static_cast<unsigned char>(out[i]);
    if (c == 0xC3 && i + 1 < out.size()) {
      const auto next = static_cast<unsigned char>(out[i + 1]);
      if (next >= 0xA0 && next <= 0xBE && next != 0xB7) out[i + 1] = static_cast<char>(next - 0x20);
      ++i;
    } else {
      out[i] = static_cast<char>(std::toupper(c));
    }
  }
  return out;
}

bool is_word_char(unsigned char c) { return std::isalnum(c) || c >= 0x80; }

// Values radveil itself writes must never count as identifying, or re-running on our own output
// would quarantine it.
bool is_own_dummy(const std::string& u) { return u == "ANONYMIZED" || u == "ANONYMOUS" || u == "ANON" || u == "***"; }

void add_unique(std::vector<std::string>& list, std::string value) {
  if (is_own_dummy(value)) return;
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(std::move(value));
}

// Find `needle` in upper-cased `hay` starting at `from`; with `whole_word`, only at word edges.
std::size_t find_match(const std::string& hay, const std::string& needle, std::size_t from, bool whole_word) {
  while (true) {
    std::size_t pos = hay.find(needle, from);
    if (pos == std::string::npos || !whole_word) return pos;
    bool left_ok = pos == 0 || !is_word_char(static_cast<unsigned char>(hay[pos - 1]));
    std::size_t end = pos + needle.size();
    bool right_ok = end >= hay.size() || !is_word_char(static_cast<unsigned char>(hay[end]));
    if (left_ok && right_ok) return pos;
    from = pos + 1;
  }
}

// Tags whose values identify the patient, and (unless the matching option retains them) the
// institution and the device.
constexpr std::array<std::pair<std::uint16_t, std::uint16_t>, 17> kPatientIdentifiers = {{
    {0x0010, 0x0020},  // Patient ID
    {0x0010, 0x1000},  // Other Patient IDs
    {0x0010, 0x1040},  // Patient's Address
    {0x0010, 0x1090},  // Medical Record Locator
    {0x0010, 0x2154},  // Patient's Telephone Numbers
    {0x0010, 0x2155},  // Patient's Telecom Information
    {0x0010, 0x1080},  // Military Rank
    {0x0010, 0x1081},  // Branch of Service
    {0x0008, 0x0050},  // Accession Number
    {0x0020, 0x0010},  // Study ID
    {0x0038, 0x0010},  // Admission ID
    {0x0038, 0x0400},  // Patient's Institution Residence
    {0x0040, 0x1001},  // Requested Procedure ID
    {0x0040, 0x2016},  // Placer Order Number
    {0x0040, 0x2017},  // Filler Order Number
    {0x0040, 0x0009},  // Scheduled Procedure Step ID
    {0x0040, 0x0253},  // Performed Procedure Step ID
}};
constexpr std::array<std::pair<std::uint16_t, std::uint16_t>, 3> kInstitution = {{
    {0x0008, 0x0080}, {0x0008, 0x0081}, {0x0008, 0x1040}}};
constexpr std::array<std::pair<std::uint16_t, std::uint16_t>, 3> kDevice = {{
    {0x0008, 0x1010}, {0x0018, 0x1000}, {0x0018, 0x700A}}};

template <std::size_t N>
bool listed(const std::array<std::pair<std::uint16_t, std::uint16_t>, N>& list, std::uint16_t g, std::uint16_t e) {
  return std::find(list.begin(), list.end(), std::make_pair(g, e)) != list.end();
}

void collect(DcmItem& item, const profile::OptionSet& options, IdentifyingValues& out, int depth) {
  if (depth > 64) return;  // the walker quarantines such depth; nothing to gather beyond it
  for (DcmObject* obj = item.nextInContainer(nullptr); obj != nullptr; obj = item.nextInContainer(obj)) {
    const DcmTag& tag = obj->getTag();
    const std::uint16_t g = tag.getGroup(), e = tag.getElement();
    if (obj->ident() == EVR_SQ) {
      auto* seq = static_cast<DcmSequenceOfItems*>(obj);
      for (unsigned long i = 0; i < seq->card(); ++i) collect(*seq->getItem(i), options, out, depth + 1);
      continue;
    }
    if (g & 1) continue;  // private values are removed unless known safe
    const std::string_view vr = dicom::vr_name(*obj);
    auto* element = static_cast<DcmElement*>(obj);
    if (vr == "PN") {
      out.add_person_name(dicom::element_string(*element));
    } else if (g == 0x0010 && e == 0x0030) {
      out.add_date(dicom::element_string(*element));
    } else if (listed(kPatientIdentifiers, g, e) ||
               (!options.has(profile::ProfileOption::RetainInstitutionIdentity) && listed(kInstitution, g, e)) ||
               (!options.has(profile::ProfileOption::RetainDeviceIdentity) && listed(kDevice, g, e))) {
      const std::string value = dicom::element_string(*element);  // outlives the views split from it
      for (auto v : dicom::split_values(value)) out.add_identifier(v);
    }
  }
}

}  // namespace

bool is_patient_identifier_attribute(std::uint16_t group, std::uint16_t element) {
  return listed(kPatientIdentifiers, group, element);
}
bool is_institution_attribute(std::uint16_t group, std::uint16_t element) { return listed(kInstitution, group, element); }
bool is_device_attribute(std::uint16_t group, std::uint16_t element) { return listed(kDevice, group, element); }

void IdentifyingValues::add_person_name(std::string_view pn) {
  static constexpr std::array<std::string_view, 12> kAffixes = {"DR", "MR", "MRS", "MS", "MISS", "JR", "SR",
                                                                 "MD", "PHD", "II", "III", "PROF"};
  std::string token;
  auto flush = [&] {
    while (!token.empty() && token.back() == '.') token.pop_back();
    std::string u = upper(token);
    token.clear();
    if (u.size() < 2) return;
    if (std::find(kAffixes.begin(), kAffixes.end(), u) != kAffixes.end()) return;
    add_unique(words_, std::move(u));
  };
  for (char c : pn) {
    if (c == '^' || c == '=' || c == ' ' || c == ',' || c == '\\') flush();
    else token.push_back(c);
  }
  flush();
}

void IdentifyingValues::add_identifier(std::string_view value) {
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (value.size() < 3) return;
  add_unique(substrings_, upper(value));
  // Addresses: each comma-separated part of 4+ characters also identifies.
  if (value.find(',') == std::string_view::npos) return;
  std::size_t start = 0;
  while (start <= value.size()) {
    std::size_t end = value.find(',', start);
    std::string_view part = value.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (part.size() >= 4) add_unique(substrings_, upper(part));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
}

void IdentifyingValues::add_date(std::string_view da) {
  while (!da.empty() && da.back() == ' ') da.remove_suffix(1);
  if (da.size() != 8 || !std::all_of(da.begin(), da.end(), [](char c) { return c >= '0' && c <= '9'; })) return;
  const std::string y(da.substr(0, 4)), m(da.substr(4, 2)), d(da.substr(6, 2));
  for (const std::string& form : {y + m + d, y + "-" + m + "-" + d, y + "/" + m + "/" + d, y + "." + m + "." + d,
                                  d + "." + m + "." + y, d + "/" + m + "/" + y, m + "/" + d + "/" + y,
                                  d + "-" + m + "-" + y})
    add_unique(substrings_, form);
  // Written as people and viewers write them: without leading zeros (6/4/1932), and with the
  // month's name (1976 Jun 16, 16-JUN-1976, Jun 16, 1976).
  static constexpr std::array<std::string_view, 12> kMonths = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                               "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
  const int month = std::stoi(m), day = std::stoi(d);
  if (month < 1 || month > 12) return;
  const std::string name(kMonths[static_cast<std::size_t>(month - 1)]), md = std::to_string(month), dd = std::to_string(day);
  for (const std::string& form : {md + "/" + dd + "/" + y, dd + "/" + md + "/" + y, dd + "." + md + "." + y,
                                  y + " " + name + " " + d, d + " " + name + " " + y, d + "-" + name + "-" + y,
                                  name + " " + d + " " + y, name + " " + d + ", " + y, dd + " " + name + " " + y,
                                  name + " " + dd + ", " + y})
    add_unique(substrings_, form);
}

void IdentifyingValues::merge(const IdentifyingValues& other) {
  for (const auto& w : other.words_) add_unique(words_, w);
  for (const auto& s : other.substrings_) add_unique(substrings_, s);
}

bool IdentifyingValues::found_in(std::string_view text, const std::function<bool(std::string_view)>& ignore_word) const {
  if (text.empty()) return false;
  const std::string hay = upper(text);
  for (const auto& w : words_)
    if (find_match(hay, w, 0, true) != std::string::npos && !(ignore_word && ignore_word(w))) return true;
  for (const auto& s : substrings_)
    if (hay.find(s) != std::string::npos) return true;
  return false;
}

namespace {

std::string ocr_folded(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (!std::isalnum(c)) continue;
    char u = static_cast<char>(std::toupper(c));
    switch (u) {
      case 'O': u = '0'; break;
      case 'I':
      case 'L': u = '1'; break;
      case 'S': u = '5'; break;
      case 'B': u = '8'; break;
      case 'Z': u = '2'; break;
      default: break;
    }
    out.push_back(u);
  }
  return out;
}

// Whether `needle` occurs in `hay` within `allowed` edits (a character misread, dropped or added:
// OCR splits an M into "rn" and drops the thin 1), wherever it starts.
bool near_substring(const std::string& hay, const std::string& needle, std::size_t allowed) {
  if (needle.empty() || needle.size() > hay.size() + allowed) return false;
  std::vector<std::size_t> prev(hay.size() + 1, 0), cur(hay.size() + 1);  // free start anywhere in hay
  for (std::size_t i = 1; i <= needle.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= hay.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (needle[i - 1] == hay[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return *std::min_element(prev.begin(), prev.end()) <= allowed;
}

}  // namespace

bool IdentifyingValues::found_in_ocr_text(std::string_view text) const {
  const std::string hay = ocr_folded(text);
  auto matches = [&](const std::string& value) {
    const std::string needle = ocr_folded(value);
    const std::size_t allowed = needle.size() >= 10 ? 2 : needle.size() >= 6 ? 1 : 0;
    return needle.size() >= 3 && near_substring(hay, needle, allowed);
  };
  return std::any_of(words_.begin(), words_.end(), matches) || std::any_of(substrings_.begin(), substrings_.end(), matches);
}

std::string IdentifyingValues::redact(std::string_view text) const {
  std::string out(text);
  auto replace_all = [&out](const std::string& needle, bool whole_word) {
    std::size_t from = 0;
    while (true) {
      const std::string hay = upper(out);
      std::size_t pos = find_match(hay, needle, from, whole_word);
      if (pos == std::string::npos) return;
      out.replace(pos, needle.size(), "***");
      from = pos + 3;
    }
  };
  // Longest first, so that "SMITH JOHN" goes before "SMITH".
  std::vector<std::pair<std::string, bool>> all;
  for (const auto& s : substrings_) all.emplace_back(s, false);
  for (const auto& w : words_) all.emplace_back(w, true);
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  for (const auto& [needle, whole] : all) replace_all(needle, whole);
  return out;
}

IdentifyingValues collect_identifying_values(DcmItem& dataset, const profile::OptionSet& options) {
  IdentifyingValues out;
  collect(dataset, options, out, 0);
  return out;
}

}  // namespace radveil::deid
