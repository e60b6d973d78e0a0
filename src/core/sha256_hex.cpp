#include "core/sha256_hex.h"

#include <openssl/sha.h>

#include <algorithm>

namespace radveil {

std::string sha256_hex(std::string_view text, std::size_t bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  static constexpr char hex[] = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < std::min<std::size_t>(bytes, SHA256_DIGEST_LENGTH); ++i) {
    s += hex[digest[i] >> 4];
    s += hex[digest[i] & 15];
  }
  return s;
}

}  // namespace radveil
