#include "scan/uid_knowledge.h"

#include <dcmtk/dcmdata/dcuid.h>

#include <algorithm>
#include <string>

#include "core/report_text.h"
#include "profile/action.h"
#include "profile/profile_table.h"
#include "profile/unlisted_rule.h"

namespace radveil::scan {

bool is_well_known_uid(std::string_view uid) {
  if (uid.substr(0, 14) == "1.2.840.10008.") return true;
  const std::string z(uid);
  return dcmFindNameOfUID(z.c_str(), nullptr) != nullptr;
}

bool profile_keeps_uid(std::uint16_t group, std::uint16_t element) {
  if (group & 1) return false;
  static const profile::OptionSet basic;  // the basic profile: no option keeps a UID it replaces
  const profile::ProfileRow* row = profile::find_row(group, element);
  const profile::Action action =
      row ? profile::resolve(*row, basic)
          : profile::resolve_unlisted(group, element, "UI", profile::UnlistedContext{basic, profile::SequenceMode::Plain});
  return action.kind == profile::ActionKind::Keep;
}

std::vector<std::string_view> uids_in_text(std::string_view text) {
  std::vector<std::string_view> out;
  const auto uid_char = [](char c) { return (c >= '0' && c <= '9') || c == '.'; };
  for (std::size_t i = 0; i < text.size();) {
    if (!uid_char(text[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && uid_char(text[end])) ++end;
    std::string_view run = text.substr(i, end - i);
    while (!run.empty() && run.front() == '.') run.remove_prefix(1);
    while (!run.empty() && run.back() == '.') run.remove_suffix(1);
    if (run.size() >= 10 && std::count(run.begin(), run.end(), '.') >= 3 && report_text::is_uid(run)) out.push_back(run);
    i = end;
  }
  return out;
}

}  // namespace radveil::scan
