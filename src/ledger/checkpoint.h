#pragma once
// C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the body of a signed note naming the
// log (origin), its size, and its RFC 6962 root hash in base64.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ledger/merkle.h"

namespace radveil::ledger {

struct Checkpoint {
  std::string origin;
  std::uint64_t size = 0;
  Hash root{};
};

std::string checkpoint_text(const Checkpoint& c);  // "origin\nsize\nbase64(root)\n"
// The checkpoint in a note's (verified) text; extension lines after the root are allowed.
std::optional<Checkpoint> parse_checkpoint(std::string_view text);

}  // namespace radveil::ledger
