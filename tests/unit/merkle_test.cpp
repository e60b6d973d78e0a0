// RFC 6962 hashing against the Certificate Transparency reference vectors (the 8 test leaves,
// their roots, inclusion and consistency proofs), and proofs of every shape round-tripping.
#include <gtest/gtest.h>

#include <string>

#include "ledger/merkle.h"

namespace radveil::ledger {
namespace {

std::string hex(const Hash& h) {
  static constexpr char d[] = "0123456789abcdef";
  std::string s;
  for (auto b : h) {
    s += d[b >> 4];
    s += d[b & 15];
  }
  return s;
}

Hash unhex(const std::string& s) {
  Hash h{};
  for (std::size_t i = 0; i < h.size(); ++i) h[i] = static_cast<std::uint8_t>(std::stoi(s.substr(2 * i, 2), nullptr, 16));
  return h;
}

std::vector<Hash> ct_leaves() {
  const std::vector<std::string> data = {"",
                                         std::string(1, '\x00'),
                                         "\x10",
                                         "\x20\x21",
                                         "\x30\x31",
                                         "\x40\x41\x42\x43",
                                         "\x50\x51\x52\x53\x54\x55\x56\x57",
                                         "\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f"};
  std::vector<Hash> leaves;
  for (const auto& d : data) leaves.push_back(leaf_hash(d));
  return leaves;
}

const std::vector<std::string> kRoots = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

}  // namespace

TEST(Merkle, TheRootsOfTheCertificateTransparencyTestLeavesAreTheReferenceOnes) {
  const auto leaves = ct_leaves();
  for (std::size_t n = 0; n <= leaves.size(); ++n)
    EXPECT_EQ(hex(tree_root(std::span(leaves).first(n))), kRoots[n]) << "size " << n;
}

TEST(Merkle, InclusionProofsAreTheReferenceOnes) {
  const auto leaves = ct_leaves();
  struct Case {
    std::size_t index, size;
    std::vector<std::string> path;
  };
  const std::vector<Case> cases = {
      {0, 8, {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
              "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
              "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
      {5, 8, {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
              "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
              "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
      {2, 3, {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
      {1, 5, {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
              "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
              "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
  };
  for (const auto& c : cases) {
    const auto tree = std::span(leaves).first(c.size);
    const auto proof = inclusion_proof(c.index, tree);
    std::vector<std::string> got;
    for (const auto& h : proof) got.push_back(hex(h));
    EXPECT_EQ(got, c.path) << c.index << " in " << c.size;
    EXPECT_TRUE(verify_inclusion(c.index, c.size, leaves[c.index], proof, unhex(kRoots[c.size])));
    EXPECT_FALSE(verify_inclusion(c.index, c.size, leaves[c.index], proof, unhex(kRoots[0])));
  }
}

TEST(Merkle, ConsistencyProofsAreTheReferenceOnes) {
  const auto leaves = ct_leaves();
  struct Case {
    std::size_t old_size, size;
    std::vector<std::string> proof;
  };
  const std::vector<Case> cases = {
      {1, 1, {}},
      {1, 8, {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
              "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
              "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
      {6, 8, {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
              "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
              "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
      {2, 5, {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
              "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
  };
  for (const auto& c : cases) {
    const auto proof = consistency_proof(c.old_size, std::span(leaves).first(c.size));
    std::vector<std::string> got;
    for (const auto& h : proof) got.push_back(hex(h));
    EXPECT_EQ(got, c.proof) << c.old_size << " -> " << c.size;
    EXPECT_TRUE(verify_consistency(c.old_size, c.size, proof, unhex(kRoots[c.old_size]), unhex(kRoots[c.size])));
  }
}

TEST(Merkle, EveryProofOfEveryTreeUpTo40LeavesVerifiesAndATamperedOneDoesNot) {
  std::vector<Hash> leaves;
  for (int i = 0; i < 40; ++i) leaves.push_back(leaf_hash("leaf " + std::to_string(i)));
  for (std::size_t n = 1; n <= leaves.size(); ++n) {
    const auto tree = std::span(leaves).first(n);
    const Hash root = tree_root(tree);
    for (std::size_t i = 0; i < n; ++i) {
      auto proof = inclusion_proof(i, tree);
      EXPECT_TRUE(verify_inclusion(i, n, leaves[i], proof, root)) << i << "/" << n;
      EXPECT_FALSE(verify_inclusion(i, n, leaf_hash("other"), proof, root));
      if (!proof.empty()) {
        proof.back()[0] ^= 1;
        EXPECT_FALSE(verify_inclusion(i, n, leaves[i], proof, root));
      }
    }
    for (std::size_t m = 1; m <= n; ++m) {
      const Hash old_root = tree_root(std::span(leaves).first(m));
      auto proof = consistency_proof(m, tree);
      EXPECT_TRUE(verify_consistency(m, n, proof, old_root, root)) << m << " -> " << n;
      Hash forked = old_root;
      forked[0] ^= 1;
      EXPECT_FALSE(verify_consistency(m, n, proof, forked, root)) << m << " -> " << n;
    }
  }
}

}  // namespace radveil::ledger
