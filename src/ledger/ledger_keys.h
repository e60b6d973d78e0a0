#pragma once
// The ledger's two secrets, kept in the state folder beside the database (mode 0600), created on
// first use: the Ed25519 key that signs checkpoints (ledger-signing.key, in the signer-key format
// of Go's note package; its name is the log's origin, "radveil.local/ledger/<16 hex digits>"),
// and the key of the digests that stand for patient values in leaves (ledger-commitment.key).
#include <filesystem>

#include "ledger/ledger_entry.h"
#include "ledger/signed_note.h"

namespace radveil::ledger {

struct LedgerKeys {
  NoteSigner signer;
  CommitmentKey commitment;
};

LedgerKeys load_or_create_ledger_keys(const std::filesystem::path& state_dir);

}  // namespace radveil::ledger
