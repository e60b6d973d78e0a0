#pragma once
// The first `bytes` bytes of SHA-256(text) as lower-case hex: content fingerprints (versions of a
// consent, ids of CSV rows). Not a secret and not a pseudonym: those are keyed (pseudonym/).
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace radveil {

std::string sha256_hex(std::string_view text, std::size_t bytes = 32);
// SHA-256 of a file's bytes, streamed. Throws std::runtime_error when it cannot be read.
std::string sha256_file_hex(const std::filesystem::path& file);

}  // namespace radveil
