#pragma once
// The first `bytes` bytes of SHA-256(text) as lower-case hex: content fingerprints (versions of a
// consent, ids of CSV rows). Not a secret and not a pseudonym: those are keyed (pseudonym/).
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace radveil {

// SHA-256 over bytes given in pieces.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(const void* bytes, std::size_t n);
  std::string hex_digest();  // once, at the end

 private:
  struct Context;
  std::unique_ptr<Context> context_;
};

std::string sha256_hex(std::string_view text, std::size_t bytes = 32);
// SHA-256 of a file's bytes, streamed. Throws std::runtime_error when it cannot be read.
std::string sha256_file_hex(const std::filesystem::path& file);

}  // namespace radveil
