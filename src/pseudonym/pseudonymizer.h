#pragma once
// Keyed pseudonyms: a pure function of (secret key, domain, original value). No table is kept,
// so every process and machine with the same key produces the same output, and another key
// produces output that cannot be joined with it.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "pseudonym/secret_key.h"

namespace radveil::pseudonym {

class Pseudonymizer {
 public:
  explicit Pseudonymizer(const SecretKey& key) : key_(key.bytes()) {}

  // HMAC-SHA256(key, domain || 0x00 || value).
  std::array<std::uint8_t, 32> mac(std::string_view domain, std::string_view value) const;

  // "2.25." + the decimal value of a 128-bit UUID (version 8, RFC 9562) taken from the MAC.
  std::string uid(std::string_view original_uid) const;

  // An upper-case Crockford base32 token of `chars` characters (at most 51) from the MAC.
  std::string token(std::string_view domain, std::string_view value, std::size_t chars) const;

  // Days to add to every date of one patient: in [-kMaxShiftDays, -kMinShiftDays], so that all
  // dates move back by between one and ten years and intervals between them are unchanged.
  static constexpr int kMinShiftDays = 365;
  static constexpr int kMaxShiftDays = 3652;
  int date_shift_days(std::string_view patient_identity) const;

 private:
  std::array<std::uint8_t, SecretKey::kBytes> key_;
};

}  // namespace radveil::pseudonym
