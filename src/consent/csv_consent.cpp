// radveil's CSV of consents: one decision per row, for the patient, purpose and recipient named.
#include <algorithm>
#include <array>
#include <map>

#include "consent/consent_import.h"
#include "core/sha256_hex.h"

namespace radveil::consent {
namespace {

constexpr std::array<std::string_view, 8> kColumns = {"patient_id", "issuer", "purpose", "recipient",
                                                      "decision",   "from",   "to",      "recorded_at"};

// One CSV record (RFC 4180: quoted fields may hold commas, doubled quotes and line breaks).
// Returns false at the end of the text; sets `bad` on an unterminated quote.
bool next_record(std::string_view text, std::size_t& pos, std::vector<std::string>& fields, bool& bad) {
  fields.clear();
  if (pos >= text.size()) return false;
  std::string field;
  bool quoted = false;
  while (pos < text.size()) {
    const char c = text[pos++];
    if (quoted) {
      if (c == '"') {
        if (pos < text.size() && text[pos] == '"') {
          field += '"';
          ++pos;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
    } else if (c == '"' && field.empty()) {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && pos < text.size() && text[pos] == '\n') ++pos;
      break;
    } else {
      field += c;
    }
  }
  bad = quoted;
  fields.push_back(std::move(field));
  return true;
}

std::string trimmed(std::string s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}


}  // namespace

ParsedConsents parse_csv_consents(std::string_view text) {
  ParsedConsents out;
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // a spreadsheet's BOM
  std::size_t pos = 0, row = 0;
  std::vector<std::string> fields;
  bool bad = false;
  std::map<std::string_view, std::size_t> column;
  if (!next_record(text, pos, fields, bad) || bad) {
    out.refused.push_back({1, "", "no header row"});
    return out;
  }
  ++row;
  for (std::size_t i = 0; i < fields.size(); ++i)
    for (const auto name : kColumns)
      if (trimmed(fields[i]) == name) column[name] = i;
  for (const auto name : kColumns)
    if (!column.count(name)) {
      out.refused.push_back({1, "", "the header lacks the column " + std::string(name)});
      return out;
    }
  while (next_record(text, pos, fields, bad)) {
    ++row;
    if (fields.size() == 1 && trimmed(fields[0]).empty()) continue;  // a blank line
    const auto get = [&](std::string_view name) {
      const std::size_t i = column[name];
      return i < fields.size() ? trimmed(fields[i]) : std::string();
    };
    const auto refuse = [&](std::string reason) { out.refused.push_back({row, "", std::move(reason)}); };
    if (bad) {
      refuse("an unterminated quoted field");
      break;
    }
    Consent c;
    c.shape = "CSV";
    c.status = Status::Active;
    c.patient = {get("issuer"), get("patient_id")};
    if (c.patient.value.empty()) {
      refuse("no patient_id");
      continue;
    }
    const auto decision = decision_from(get("decision"));
    if (!decision) {
      refuse("decision is neither permit nor deny");
      continue;
    }
    c.root.type = *decision;
    if (const std::string p = get("purpose"); !p.empty() && p != "*") c.root.purposes = {p};
    if (const std::string r = get("recipient"); !r.empty() && r != "*") c.root.actors = {r};
    Period period;
    bool ok = true;
    if (const std::string from = get("from"); !from.empty()) {
      const auto t = parse_fhir_time(from);
      if (t) period.start = t->first;
      else ok = false;
    }
    if (const std::string to = get("to"); !to.empty()) {
      const auto t = parse_fhir_time(to);
      if (t) period.end = t->last;
      else ok = false;
    }
    if (!ok) {
      refuse("from or to is not a FHIR date or dateTime");
      continue;
    }
    if (period.start && period.end && *period.end < *period.start) {
      refuse("the period ends before it starts");
      continue;
    }
    if (period.start || period.end) c.period = period;
    const auto recorded = parse_fhir_time(get("recorded_at"));
    if (!recorded) {
      refuse("recorded_at is missing or not a FHIR date or dateTime");
      continue;
    }
    c.recorded = recorded->first;
    // The same patient, purpose, recipient and moment of deciding is the same consent; a row that
    // changes anything else about it is a new version of it.
    const std::string identity = get("patient_id") + '\x1f' + get("issuer") + '\x1f' + get("purpose") + '\x1f' +
                                 get("recipient") + '\x1f' + get("recorded_at");
    c.id = "csv-" + sha256_hex(identity, 12);
    c.identity = "urn:radveil:csv:" + c.id;
    c.version = "sha256:" + sha256_hex(identity + '\x1f' + get("decision") + '\x1f' + get("from") + '\x1f' + get("to"), 8);
    c.content = c.version;
    out.consents.push_back(std::move(c));
  }
  return out;
}

}  // namespace radveil::consent
