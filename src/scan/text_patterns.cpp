#include "scan/text_patterns.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

namespace radveil::scan {
namespace {

bool is_ascii_alpha(unsigned char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
// Bytes of multi-byte UTF-8 (and of single-byte character sets) count as letters.
bool is_letter(unsigned char c) { return is_ascii_alpha(c) || c >= 0x80; }
bool is_word_char(unsigned char c) { return is_letter(c) || is_digit(c); }

struct Token {
  std::size_t begin = 0, end = 0;
  std::size_t digits = 0, letters = 0;
  std::string_view text;
  bool numeric() const { return letters == 0; }
  bool alphabetic() const { return digits == 0; }
};

std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < s.size()) {
    if (!is_word_char(static_cast<unsigned char>(s[i]))) {
      ++i;
      continue;
    }
    Token t;
    t.begin = i;
    while (i < s.size() && is_word_char(static_cast<unsigned char>(s[i]))) {
      if (is_digit(static_cast<unsigned char>(s[i])))
        ++t.digits;
      else
        ++t.letters;
      ++i;
    }
    t.end = i;
    t.text = s.substr(t.begin, t.end - t.begin);
    tokens.push_back(t);
  }
  return tokens;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool equals_any(std::string_view word, std::initializer_list<std::string_view> list) {
  const std::string u = upper(word);
  return std::find(list.begin(), list.end(), u) != list.end();
}

int number(std::string_view digits) {
  int v = 0;
  for (char c : digits.substr(0, 9)) v = v * 10 + (c - '0');
  return v;
}

bool valid_ymd(int y, int m, int d) { return y >= 1900 && y <= 2099 && m >= 1 && m <= 12 && d >= 1 && d <= 31; }

// Starts with a capital (or a non-ASCII letter) and holds letters only: how names are written.
bool name_shaped(const Token& t) {
  if (!t.alphabetic() || t.letters < 2) return false;
  const unsigned char first = static_cast<unsigned char>(t.text[0]);
  return (first >= 'A' && first <= 'Z') || first >= 0x80;
}

constexpr std::array<std::string_view, 38> kPlaceholders = {
    "ANON", "ANONYMOUS", "ANONYMIZED", "ANONYMISED", "ANONYMIZE", "ANONYMISE", "DEIDENTIFIED", "DEID",
    "REMOVED", "REDACTED", "UNKNOWN", "NONE", "NULL", "NA", "PATIENT", "XXX", "XXXX", "XXXXX", "X",
    "DR", "MR", "MRS", "MS", "MISS", "PROF", "JR", "SR", "MD", "PHD", "II", "III", "IV", "DUMMY",
    "EMPTY", "BLANK", "HIDDEN", "MASKED", "DELETED"};

bool is_placeholder_word(std::string_view w) {
  const std::string u = upper(w);
  return std::find(kPlaceholders.begin(), kPlaceholders.end(), u) != kPlaceholders.end();
}

// Words that follow a cue without being a name ("patient position", "Dr. reviewed").
bool is_common_word(std::string_view w) {
  return equals_any(w, {"THE", "A", "AN", "AND", "OR", "WITH", "WITHOUT", "OF", "IN", "ON", "AT", "FOR", "IS",
                        "WAS", "HAS", "HAD", "NO", "NOT", "POSITION", "POSITIONING", "ID", "IDENTIFIER", "NUMBER",
                        "COMMENTS", "COMMENT", "HISTORY", "NAME", "AGE", "SEX", "WEIGHT", "SIZE", "ORIENTATION",
                        "INFORMATION", "DATA", "HEAD", "BRAIN", "CT", "MR", "MRI", "US", "SCAN", "STUDY",
                        "SERIES", "REPORT", "REFUSED", "UNKNOWN", "NOTE", "NOTES", "PREPARATION", "SETUP",
                        "TABLE", "CONSENT", "TRANSPORT", "MOTION", "MOVED", "RADIOLOGIST", "DEPARTMENT"}) ||
         is_placeholder_word(w);
}

class Scanner {
 public:
  explicit Scanner(std::string_view text) : s_(text), tokens_(tokenize(text)) {}

  std::vector<TextMatch> all() {
    emails();
    dates();
    phones();
    addresses();
    ages();
    names();
    ids();
    times();
    std::sort(out_.begin(), out_.end(), [](const TextMatch& a, const TextMatch& b) { return a.begin < b.begin; });
    return std::move(out_);
  }

  std::vector<TextMatch> for_path() {
    emails();
    dates();
    phones();
    ids();
    return std::move(out_);
  }

 private:
  bool covered(std::size_t b, std::size_t e) const {
    for (const auto& m : out_)
      if (b < m.end && m.begin < e) return true;
    return false;
  }
  void add(std::string_view kind, std::size_t b, std::size_t e) {
    if (e > b && !covered(b, e)) out_.push_back({kind, b, e});
  }
  char at(std::size_t i) const { return i < s_.size() ? s_[i] : '\0'; }

  void emails() {
    for (std::size_t at_sign = s_.find('@'); at_sign != std::string_view::npos; at_sign = s_.find('@', at_sign + 1)) {
      auto local = [](unsigned char c) { return is_word_char(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'; };
      auto domain = [](unsigned char c) { return is_word_char(c) || c == '.' || c == '-'; };
      std::size_t b = at_sign, e = at_sign + 1;
      while (b > 0 && local(static_cast<unsigned char>(s_[b - 1]))) --b;
      while (e < s_.size() && domain(static_cast<unsigned char>(s_[e]))) ++e;
      while (e > at_sign + 1 && s_[e - 1] == '.') --e;
      const std::string_view host = s_.substr(at_sign + 1, e - at_sign - 1);
      const std::size_t dot = host.rfind('.');
      if (b < at_sign && dot != std::string_view::npos && dot > 0 && host.size() - dot > 2) add("email", b, e);
    }
  }

  void dates() {
    for (std::size_t i = 0; i < tokens_.size(); ++i) {
      const Token& t = tokens_[i];
      // YYYYMMDD, or a DT: YYYYMMDDHHMMSS
      if (t.numeric() && (t.digits == 8 || t.digits == 12 || t.digits == 14) &&
          valid_ymd(number(t.text.substr(0, 4)), number(t.text.substr(4, 2)), number(t.text.substr(6, 2)))) {
        add("date-in-text", t.begin, t.end);
        continue;
      }
      // Three numbers joined by the same separator: Y-M-D, D.M.Y, M/D/Y, D.M.YY.
      if (t.numeric() && i + 2 < tokens_.size()) {
        const Token& m = tokens_[i + 1];
        const Token& d = tokens_[i + 2];
        const char sep = at(t.end);
        if (m.numeric() && d.numeric() && (sep == '-' || sep == '/' || sep == '.') && m.begin == t.end + 1 &&
            at(m.end) == sep && d.begin == m.end + 1 && at(t.begin - 1) != '.' &&
            !(at(d.end) == '.' && is_digit(static_cast<unsigned char>(at(d.end + 1))))) {
          const std::size_t a = t.digits, bd = m.digits, c = d.digits;
          const int x = number(t.text), y = number(m.text), z = number(d.text);
          bool date = false;
          if (a == 4 && bd <= 2 && c <= 2) date = valid_ymd(x, y, z);
          else if (a <= 2 && bd <= 2 && c == 4) date = valid_ymd(z, y, x) || valid_ymd(z, x, y);
          else if (a <= 2 && bd <= 2 && c == 2 && sep != '-') date = valid_ymd(2000, y, x) || valid_ymd(2000, x, y);
          if (date) {
            add("date-in-text", t.begin, d.end);
            i += 2;
            continue;
          }
        }
      }
      // Month names: "12 March 2019", "March 12, 2019", "12-Mar-2019", "Mar 2019".
      if (t.alphabetic() && is_month(t.text)) {
        std::optional<std::size_t> year;
        for (std::size_t k = i + 1; k < tokens_.size() && k <= i + 2; ++k)
          if (tokens_[k].numeric() && tokens_[k].digits == 4 && number(tokens_[k].text) >= 1900 &&
              number(tokens_[k].text) <= 2099)
            year = k;
        if (!year) continue;
        std::size_t b = t.begin;
        if (i > 0 && tokens_[i - 1].numeric() && tokens_[i - 1].digits <= 2 && number(tokens_[i - 1].text) >= 1 &&
            number(tokens_[i - 1].text) <= 31 && t.begin - tokens_[i - 1].end <= 2)
          b = tokens_[i - 1].begin;
        add("date-in-text", b, tokens_[*year].end);
      }
    }
  }

  static bool is_month(std::string_view w) {
    return equals_any(w, {"JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST", "SEPTEMBER",
                          "OCTOBER", "NOVEMBER", "DECEMBER", "JAN", "FEB", "MAR", "APR", "JUN", "JUL", "AUG",
                          "SEP", "SEPT", "OCT", "NOV", "DEC", "JANUAR", "FEBRUAR", "MÄRZ", "MAERZ", "MAI", "JUNI",
                          "JULI", "OKTOBER", "DEZEMBER", "JANVIER", "FÉVRIER", "MARS", "AVRIL", "JUIN", "JUILLET",
                          "AOÛT", "SEPTEMBRE", "OCTOBRE", "NOVEMBRE", "DÉCEMBRE", "ENERO", "FEBRERO", "MARZO",
                          "ABRIL", "MAYO", "JUNIO", "JULIO", "AGOSTO", "OCTUBRE", "NOVIEMBRE", "DICIEMBRE"});
  }

  void phones() {
    std::size_t i = 0;
    while (i < s_.size()) {
      const unsigned char c = static_cast<unsigned char>(s_[i]);
      const bool boundary = i == 0 || !is_word_char(static_cast<unsigned char>(s_[i - 1]));
      if (!boundary || !(is_digit(c) || c == '+' || c == '(')) {
        ++i;
        continue;
      }
      std::size_t e = i, digits = 0, groups = 0, last_group = 0, gap = 0, current = 0;
      bool ok = true;
      while (e < s_.size()) {
        const unsigned char x = static_cast<unsigned char>(s_[e]);
        if (is_digit(x)) {
          if (current == 0) ++groups;
          ++current;
          ++digits;
          gap = 0;
        } else if (x == ' ' || x == '-' || x == '.' || x == '(' || x == ')' || x == '/' || (x == '+' && e == i)) {
          if (current > 0) last_group = current;
          current = 0;
          if (++gap > 2) break;
        } else {
          if (is_letter(x) && e > i && is_digit(static_cast<unsigned char>(s_[e - 1]))) ok = false;  // "120kV"
          break;
        }
        ++e;
      }
      if (current > 0) last_group = current;
      std::size_t end = e;
      while (end > i && !is_digit(static_cast<unsigned char>(s_[end - 1]))) --end;
      if (ok && digits >= 7 && digits <= 15 && groups >= 2 && last_group >= 3) add("phone", i, end);
      i = std::max(e, i + 1);
    }
  }

  static bool is_street_word(std::string_view w) {
    const std::string u = upper(w);
    for (std::string_view suffix : {"STREET", "ROAD", "AVENUE", "LANE", "DRIVE", "BOULEVARD", "WAY", "PLACE", "COURT",
                                    "TERRACE", "ALLEE", "STRASSE", "STRAßE", "WEG", "GASSE", "PLATZ", "PLAZA", "SQUARE",
                                    "CRESCENT", "CLOSE", "GARDENS"})
      if (u.size() >= suffix.size() && u.compare(u.size() - suffix.size(), suffix.size(), suffix) == 0) return true;
    return equals_any(w, {"ST", "RD", "AVE", "LN", "DR", "BLVD", "PL", "CT", "SQ", "HWY", "HIGHWAY"});
  }

  void addresses() {
    for (std::size_t i = 0; i < tokens_.size(); ++i) {
      const Token& t = tokens_[i];
      // "10 Elm Street", "12a Harbour Road", "15 Kingsway"
      if (t.digits >= 1 && t.digits <= 5 && t.letters <= 1 && is_digit(static_cast<unsigned char>(t.text[0]))) {
        for (std::size_t k = i + 1; k < tokens_.size() && k <= i + 4; ++k) {
          if (!name_shaped(tokens_[k])) break;
          if (is_street_word(tokens_[k].text) && (k > i + 1 || tokens_[k].letters > 3)) {
            add("address", t.begin, tokens_[k].end);
            break;
          }
        }
      }
      // "Rua Augusta 13", "Via Roma 5", "Lindenstraße 5"
      if (t.alphabetic() && (equals_any(t.text, {"RUA", "RUE", "VIA", "CALLE", "AVENIDA", "AVENUE", "PIAZZA", "CAMINO"}) ||
                             (is_street_word(t.text) && t.letters > 5))) {
        for (std::size_t k = i + 1; k < tokens_.size() && k <= i + 4; ++k)
          if (tokens_[k].numeric() && tokens_[k].digits <= 5) {
            add("address", t.begin, tokens_[k].end);
            break;
          }
      }
    }
  }

  void ages() {
    for (std::size_t i = 0; i < tokens_.size(); ++i) {
      const Token& t = tokens_[i];
      if (!t.numeric() || t.digits > 3) continue;
      const int years = number(t.text);
      if (years < 90 || years > 130) continue;
      const bool unit_after = i + 1 < tokens_.size() && tokens_[i + 1].begin - t.end <= 2 &&
                              equals_any(tokens_[i + 1].text, {"Y", "YO", "YR", "YRS", "YEAR", "YEARS", "JAHRE", "ANS", "AÑOS"});
      const bool cue_before = i > 0 && t.begin - tokens_[i - 1].end <= 3 && equals_any(tokens_[i - 1].text, {"AGE", "AGED", "ALTER"});
      if (unit_after) add("age-over-89", t.begin, tokens_[i + 1].end);
      else if (cue_before) add("age-over-89", tokens_[i - 1].begin, t.end);
    }
  }

  void names() {
    // FAMILY^GIVEN written into text: the DICOM form of a person's name.
    for (std::size_t caret = s_.find('^'); caret != std::string_view::npos; caret = s_.find('^', caret + 1)) {
      std::size_t b = caret, e = caret + 1;
      while (b > 0 && (is_letter(static_cast<unsigned char>(s_[b - 1])) || s_[b - 1] == '^' || s_[b - 1] == '-')) --b;
      while (e < s_.size() && (is_letter(static_cast<unsigned char>(s_[e])) || s_[e] == '^' || s_[e] == '-')) ++e;
      if (caret - b >= 2 && is_person_name_value(s_.substr(b, e - b))) add("person-name", b, e);
    }
    for (std::size_t i = 0; i + 1 < tokens_.size(); ++i) {
      const Token& cue = tokens_[i];
      std::size_t k = i + 1;
      bool announced = equals_any(cue.text, {"MR", "MRS", "MS", "MISS", "DR", "PROF", "HERR", "FRAU", "MME", "MLLE",
                                             "SR", "SRA", "PATIENT", "PATIENTIN", "PT", "TECH", "TECHNOLOGIST",
                                             "OPERATOR", "PHYSICIAN", "RADIOGRAPHER", "NURSE"});
      if (!announced && equals_any(cue.text, {"SIGNED", "DICTATED", "REPORTED", "READ", "PERFORMED", "MARKED",
                                              "REVIEWED", "APPROVED", "VERIFIED", "TYPED", "TRANSCRIBED", "REFERRED",
                                              "REQUESTED", "ACQUIRED", "SCANNED"}) &&
          equals_any(tokens_[k].text, {"BY"}) && k + 1 < tokens_.size()) {
        announced = true;
        ++k;
      }
      if (!announced || tokens_[k].begin - tokens_[k - 1].end > 3) continue;
      const Token& first = tokens_[k];
      if (!name_shaped(first) || is_common_word(first.text)) continue;
      std::size_t end = first.end;
      if (k + 1 < tokens_.size() && name_shaped(tokens_[k + 1]) && !is_common_word(tokens_[k + 1].text) &&
          tokens_[k + 1].begin - first.end <= 2)
        end = tokens_[k + 1].end;
      add("person-name", first.begin, end);
    }
  }

  // A token inside a dotted run of numbers (a UID "1.2.840.10008...", a version, a decimal).
  bool dotted(const Token& t) const {
    auto digit_at = [&](std::size_t i) { return i < s_.size() && is_digit(static_cast<unsigned char>(s_[i])); };
    return (t.begin >= 2 && s_[t.begin - 1] == '.' && digit_at(t.begin - 2)) || (at(t.end) == '.' && digit_at(t.end + 1));
  }

  void ids() {
    for (const Token& t : tokens_)
      if (is_id_like_token(t.text) && !dotted(t)) add("id-in-text", t.begin, t.end);
  }

  void times() {
    for (std::size_t i = 0; i + 1 < tokens_.size(); ++i) {
      const Token& h = tokens_[i];
      const Token& m = tokens_[i + 1];
      if (h.numeric() && m.numeric() && h.digits <= 2 && m.digits == 2 && at(h.end) == ':' && m.begin == h.end + 1 &&
          number(h.text) < 24 && number(m.text) < 60)
        add("time-in-text", h.begin, m.end);
    }
  }

  std::string_view s_;
  std::vector<Token> tokens_;
  std::vector<TextMatch> out_;
};

}  // namespace

std::vector<TextMatch> find_identity_in_text(std::string_view text) { return Scanner(text).all(); }

std::vector<TextMatch> find_identity_in_path_component(std::string_view name) {
  if (!name.empty() && std::all_of(name.begin(), name.end(), [](char c) { return is_digit(static_cast<unsigned char>(c)) || c == '.'; }) &&
      name.find('.') != std::string_view::npos)
    return {};  // a UID used as a name
  std::string_view stem = name;
  if (stem.size() > 4 && stem.substr(stem.size() - 4) == ".dcm") stem.remove_suffix(4);
  if (!stem.empty() && std::all_of(stem.begin(), stem.end(), [](char c) { return is_digit(static_cast<unsigned char>(c)) || c == '.'; }) &&
      stem.find('.') != std::string_view::npos)
    return {};
  return Scanner(name).for_path();
}

bool is_placeholder(std::string_view value) {
  for (const Token& t : tokenize(value))
    if (!is_placeholder_word(t.text)) return false;
  return true;
}

bool is_person_name_value(std::string_view pn) {
  for (const Token& t : tokenize(pn))
    if (t.alphabetic() && t.letters >= 2 && !is_placeholder_word(t.text)) return true;
  return false;
}

bool is_id_like_token(std::string_view token) {
  std::size_t run = 0, longest = 0, changes = 0, digits = 0;
  for (std::size_t i = 0; i < token.size(); ++i) {
    const bool digit = is_digit(static_cast<unsigned char>(token[i]));
    digits += digit;
    run = digit ? run + 1 : 0;
    longest = std::max(longest, run);
    if (i > 0 && digit != is_digit(static_cast<unsigned char>(token[i - 1]))) ++changes;
  }
  return longest >= 5 && changes <= 1 && 2 * digits >= token.size();
}

bool is_real_date(std::string_view da) {
  if (da.size() < 8) return false;
  for (char c : da.substr(0, 8))
    if (!is_digit(static_cast<unsigned char>(c))) return false;
  return number(da.substr(0, 4)) > 1900;
}

bool is_age_over_89(std::string_view as) {
  std::size_t digits = 0;
  while (digits < as.size() && is_digit(static_cast<unsigned char>(as[digits]))) ++digits;
  if (digits == 0 || digits > 3) return false;
  const char unit = digits < as.size() ? as[digits] : 'Y';
  return unit == 'Y' && number(as.substr(0, digits)) > 89;
}

}  // namespace radveil::scan
