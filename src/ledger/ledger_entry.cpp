#include "ledger/ledger_entry.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/sha256_hex.h"

namespace radveil::ledger {
namespace {

std::string hex(const unsigned char* p, std::size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < n; ++i) {
    s += digits[p[i] >> 4];
    s += digits[p[i] & 15];
  }
  return s;
}

std::string hex_of(const Hash& h) { return hex(h.data(), h.size()); }

}  // namespace

std::string leaf_data(std::uint64_t position, const std::string& kind, const nlohmann::json& body, const CommitmentKey& key) {
  const std::string secret = body.contains("private") ? body["private"].dump() : std::string("{}");
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(secret.data()),
       secret.size(), mac, &mac_length);
  nlohmann::json leaf;
  leaf["v"] = 1;
  leaf["index"] = position;
  leaf["kind"] = kind;
  leaf["public"] = body.contains("public") ? body["public"] : nlohmann::json::object();
  leaf["private"] = hex(mac, mac_length);
  return leaf.dump();
}

std::vector<Hash> leaf_hashes(const std::vector<LedgerEntry>& entries) {
  std::vector<Hash> out;
  out.reserve(entries.size());
  for (const auto& e : entries) out.push_back(leaf_hash(e.leaf));
  return out;
}

std::vector<LedgerProblem> verify_ledger(const std::vector<LedgerEntry>& entries, const CommitmentKey& key,
                                         const std::vector<CheckpointClaim>& checkpoints) {
  std::vector<LedgerProblem> problems;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const LedgerEntry& e = entries[i];
    const std::string at = "record " + std::to_string(i);
    if (e.position != i) {
      problems.push_back({at + " is stored at position " + std::to_string(e.position) +
                          (e.position > i ? ": records before it were deleted" : ": a record was inserted or reordered")});
    }
    std::uint64_t committed_index = i;
    try {
      const auto leaf = nlohmann::json::parse(e.leaf);
      committed_index = leaf.at("index").get<std::uint64_t>();
    } catch (const std::exception&) {
      problems.push_back({at + ": its leaf is not a radveil leaf"});
      continue;
    }
    if (committed_index != i)
      problems.push_back({at + " holds the leaf of record " + std::to_string(committed_index) +
                          ": records were inserted, deleted or reordered"});
    if (leaf_data(committed_index, e.kind, e.body, key) != e.leaf)
      problems.push_back({at + " (" + e.kind + "): its content no longer matches the leaf it committed to: it was changed"});
  }
  const std::vector<Hash> leaves = leaf_hashes(entries);
  const Hash root = tree_root(leaves);
  for (const auto& cp : checkpoints) {
    if (cp.size > leaves.size()) {
      problems.push_back({"checkpoint " + cp.source + " (size " + std::to_string(cp.size) + ") is larger than the log (" +
                          std::to_string(leaves.size()) + " records): records were deleted"});
      continue;
    }
    const auto proof = consistency_proof(cp.size, leaves);
    if (!verify_consistency(cp.size, leaves.size(), proof, cp.root, root))
      problems.push_back({"the log is not an append-only extension of checkpoint " + cp.source + " (size " +
                          std::to_string(cp.size) + ", root " + hex_of(cp.root).substr(0, 16) +
                          "...): records before " + std::to_string(cp.size) + " were changed, removed or reordered"});
  }
  return problems;
}

}  // namespace radveil::ledger
