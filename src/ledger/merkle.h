#pragma once
// RFC 6962 Merkle tree hashing (SHA-256; leaves prefixed 0x00, nodes 0x01), the tree head of any
// prefix, and inclusion and consistency proofs with their verification (RFC 6962 section 2.1,
// verification as in RFC 9162 section 2.1.3-2.1.4).
#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace radveil::ledger {

using Hash = std::array<std::uint8_t, 32>;

Hash leaf_hash(std::string_view leaf_data);
Hash node_hash(const Hash& left, const Hash& right);
// MTH(D[0:n]) over leaf hashes; the empty tree's root is SHA-256 of nothing.
Hash tree_root(std::span<const Hash> leaves);

// The audit path of leaf `index` in the tree of all of `leaves`.
std::vector<Hash> inclusion_proof(std::size_t index, std::span<const Hash> leaves);
bool verify_inclusion(std::uint64_t index, std::uint64_t size, const Hash& leaf, std::span<const Hash> proof,
                      const Hash& root);

// The proof that the tree of `leaves` extends its first `old_size` leaves.
std::vector<Hash> consistency_proof(std::size_t old_size, std::span<const Hash> leaves);
bool verify_consistency(std::uint64_t old_size, std::uint64_t new_size, std::span<const Hash> proof,
                        const Hash& old_root, const Hash& new_root);

}  // namespace radveil::ledger
