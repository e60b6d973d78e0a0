#include "ledger/merkle.h"

#include <openssl/sha.h>

namespace radveil::ledger {
namespace {

Hash sha256_of(std::uint8_t prefix, const std::uint8_t* a, std::size_t a_size, const std::uint8_t* b = nullptr,
               std::size_t b_size = 0) {
  // One buffer, one SHA-256: the prefix byte and the data (nodes: two 32-byte hashes).
  std::vector<std::uint8_t> buffer;
  buffer.reserve(1 + a_size + b_size);
  buffer.push_back(prefix);
  buffer.insert(buffer.end(), a, a + a_size);
  if (b) buffer.insert(buffer.end(), b, b + b_size);
  Hash out;
  SHA256(buffer.data(), buffer.size(), out.data());
  return out;
}

// The largest power of two smaller than n (n > 1).
std::size_t split_point(std::size_t n) {
  std::size_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

void path(std::size_t m, std::span<const Hash> d, std::vector<Hash>& out) {
  const std::size_t n = d.size();
  if (n <= 1) return;
  const std::size_t k = split_point(n);
  if (m < k) {
    path(m, d.subspan(0, k), out);
    out.push_back(tree_root(d.subspan(k)));
  } else {
    path(m - k, d.subspan(k), out);
    out.push_back(tree_root(d.subspan(0, k)));
  }
}

// RFC 6962 SUBPROOF(m, D[n], b).
void subproof(std::size_t m, std::span<const Hash> d, bool whole, std::vector<Hash>& out) {
  const std::size_t n = d.size();
  if (m == n) {
    if (!whole) out.push_back(tree_root(d));
    return;
  }
  const std::size_t k = split_point(n);
  if (m <= k) {
    subproof(m, d.subspan(0, k), whole, out);
    out.push_back(tree_root(d.subspan(k)));
  } else {
    subproof(m - k, d.subspan(k), false, out);
    out.push_back(tree_root(d.subspan(0, k)));
  }
}

}  // namespace

Hash leaf_hash(std::string_view data) {
  return sha256_of(0x00, reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
}

Hash node_hash(const Hash& left, const Hash& right) {
  return sha256_of(0x01, left.data(), left.size(), right.data(), right.size());
}

Hash tree_root(std::span<const Hash> d) {
  if (d.empty()) {
    Hash out;
    SHA256(nullptr, 0, out.data());
    return out;
  }
  if (d.size() == 1) return d[0];
  const std::size_t k = split_point(d.size());
  return node_hash(tree_root(d.subspan(0, k)), tree_root(d.subspan(k)));
}

std::vector<Hash> inclusion_proof(std::size_t index, std::span<const Hash> leaves) {
  std::vector<Hash> out;
  if (index < leaves.size()) path(index, leaves, out);
  return out;
}

std::vector<Hash> consistency_proof(std::size_t old_size, std::span<const Hash> leaves) {
  std::vector<Hash> out;
  if (old_size > 0 && old_size < leaves.size()) subproof(old_size, leaves, true, out);
  return out;
}

bool verify_inclusion(std::uint64_t index, std::uint64_t size, const Hash& leaf, std::span<const Hash> proof,
                      const Hash& root) {
  if (index >= size) return false;
  std::uint64_t fn = index, sn = size - 1;
  Hash r = leaf;
  for (const Hash& p : proof) {
    if (sn == 0) return false;
    if ((fn & 1) || fn == sn) {
      r = node_hash(p, r);
      if (!(fn & 1))
        while (fn != 0 && !(fn & 1)) {
          fn >>= 1;
          sn >>= 1;
        }
    } else {
      r = node_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

bool verify_consistency(std::uint64_t old_size, std::uint64_t new_size, std::span<const Hash> proof,
                        const Hash& old_root, const Hash& new_root) {
  if (old_size > new_size) return false;
  if (old_size == new_size) return proof.empty() && old_root == new_root;
  if (old_size == 0) return proof.empty();
  std::vector<Hash> path(proof.begin(), proof.end());
  // When the old tree is a complete subtree on the left edge, its root starts the path.
  if ((old_size & (old_size - 1)) == 0) path.insert(path.begin(), old_root);
  if (path.empty()) return false;
  std::uint64_t fn = old_size - 1, sn = new_size - 1;
  while (fn & 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0], sr = path[0];
  for (std::size_t i = 1; i < path.size(); ++i) {
    if (sn == 0) return false;
    const Hash& c = path[i];
    if ((fn & 1) || fn == sn) {
      fr = node_hash(c, fr);
      sr = node_hash(c, sr);
      if (!(fn & 1))
        while (fn != 0 && !(fn & 1)) {
          fn >>= 1;
          sn >>= 1;
        }
    } else {
      sr = node_hash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && fr == old_root && sr == new_root;
}

}  // namespace radveil::ledger
