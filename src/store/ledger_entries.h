#pragma once
// The disclosure ledger's entries as the state store takes and gives them back: plain values.
// What an entry means (its leaf, the log's checks and proofs) is the ledger's (ledger/), which sits
// above the store and appends through it; the store never looks inside a body or a leaf.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <string>

namespace radveil::store {

// A ledger entry about to be appended: its leaf is made once its position is known.
struct PendingEntry {
  std::string kind;
  nlohmann::json body;
};
using LeafMaker = std::function<std::string(std::uint64_t position, const PendingEntry& entry)>;

// An entry as appended (a disclosure, later a withdrawal or a deletion request): the ledger's
// record type (ledger::LedgerEntry; ledger/ledger_entry.h says what body and leaf hold).
struct LedgerEntry {
  std::uint64_t position = 0;  // its leaf index
  std::string kind;            // "disclosure", ...
  nlohmann::json body;         // {"public": {...}, "private": {...}}
  std::string leaf;            // the leaf data as committed (hash it with leaf_hash)
};

}  // namespace radveil::store
