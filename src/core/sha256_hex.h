#pragma once
// The first `bytes` bytes of SHA-256(text) as lower-case hex: content fingerprints (versions of a
// consent, ids of CSV rows). Not a secret and not a pseudonym: those are keyed (pseudonym/).
#include <cstddef>
#include <string>
#include <string_view>

namespace radveil {

std::string sha256_hex(std::string_view text, std::size_t bytes = 32);

}  // namespace radveil
