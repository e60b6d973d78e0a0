#include "ledger/checkpoint.h"

#include <algorithm>
#include <cctype>

#include "ledger/signed_note.h"

namespace radveil::ledger {

std::string checkpoint_text(const Checkpoint& c) {
  return c.origin + "\n" + std::to_string(c.size) + "\n" +
         base64(std::string_view(reinterpret_cast<const char*>(c.root.data()), c.root.size())) + "\n";
}

std::optional<Checkpoint> parse_checkpoint(std::string_view text) {
  std::string_view lines[3];
  for (auto& line : lines) {
    const std::size_t end = text.find('\n');
    if (end == std::string_view::npos) return std::nullopt;
    line = text.substr(0, end);
    text.remove_prefix(end + 1);
  }
  Checkpoint c;
  c.origin = std::string(lines[0]);
  if (c.origin.empty() || lines[1].empty() || lines[1].size() > 19 ||
      !std::all_of(lines[1].begin(), lines[1].end(), [](unsigned char ch) { return std::isdigit(ch); }) ||
      (lines[1].size() > 1 && lines[1][0] == '0'))
    return std::nullopt;
  c.size = std::stoull(std::string(lines[1]));
  const auto root = from_base64(lines[2]);
  if (!root || root->size() != c.root.size()) return std::nullopt;
  std::copy(root->begin(), root->end(), c.root.begin());
  return c;
}

}  // namespace radveil::ledger
