#pragma once
// What the disclosure ledger holds: entries (a disclosure, later a withdrawal or a deletion
// request) whose body stays inside the hospital, and the leaf each commits to in the log. A leaf
// shows the body's public part and only a keyed digest of its private part (patient ID, issuer,
// original UIDs), so leaves, checkpoints and proofs can be handed to anyone; whoever holds the
// record and the commitment key can recompute the leaf.
#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "ledger/merkle.h"
#include "store/ledger_entries.h"

namespace radveil::ledger {

using CommitmentKey = std::array<std::uint8_t, 32>;

// An entry as the state store keeps it: position (its leaf index), kind, body and leaf data. A plain
// value defined below the ledger, in store/ledger_entries.h, so that the store needs nothing of
// the ledger and the ledger appends through the store.
using LedgerEntry = store::LedgerEntry;

// The leaf data for a body at a position: canonical JSON (sorted keys, no spaces) of
// {"v":1,"index":position,"kind":kind,"public":body.public,"private":HMAC-SHA256(key, dump(body.private)) hex}.
std::string leaf_data(std::uint64_t position, const std::string& kind, const nlohmann::json& body,
                      const CommitmentKey& key);

// What `ledger verify` finds wrong with the entries as stored (in position order) against the
// checkpoints given (size and root), named by record. Empty: every leaf matches its record, the
// positions run 0..n-1, and the log extends every checkpoint.
struct LedgerProblem {
  std::string what;
};
struct CheckpointClaim {
  std::string source;  // where it came from (a file, "issued on <time>")
  std::uint64_t size = 0;
  Hash root{};
};
std::vector<LedgerProblem> verify_ledger(const std::vector<LedgerEntry>& entries, const CommitmentKey& key,
                                         const std::vector<CheckpointClaim>& checkpoints);

std::vector<Hash> leaf_hashes(const std::vector<LedgerEntry>& entries);

}  // namespace radveil::ledger
