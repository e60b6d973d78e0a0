#pragma once
// The recipient's secret: 256 random bits in a file only its owner can read.
#include <array>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace radveil::pseudonym {

class KeyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class SecretKey {
 public:
  static constexpr std::size_t kBytes = 32;

  // Creates FILE (mode 0600, refuses to overwrite) holding a fresh random key as 64 hex digits.
  static void create_file(const std::filesystem::path& file);
  // Loads a key file; refuses one that group or others may read, or that is not 64 hex digits.
  // Messages never contain key material.
  static SecretKey load_file(const std::filesystem::path& file);
  static SecretKey from_bytes(const std::array<std::uint8_t, kBytes>& bytes) { return SecretKey(bytes); }

  const std::array<std::uint8_t, kBytes>& bytes() const { return bytes_; }

 private:
  explicit SecretKey(const std::array<std::uint8_t, kBytes>& b) : bytes_(b) {}
  std::array<std::uint8_t, kBytes> bytes_;
};

}  // namespace radveil::pseudonym
