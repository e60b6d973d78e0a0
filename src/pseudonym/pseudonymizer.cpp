#include "pseudonym/pseudonymizer.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <stdexcept>

namespace radveil::pseudonym {

std::array<std::uint8_t, 32> Pseudonymizer::mac(std::string_view domain, std::string_view value) const {
  std::string message;
  message.reserve(domain.size() + 1 + value.size());
  message.append(domain).push_back('\0');
  message.append(value);
  std::array<std::uint8_t, 32> out{};
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), out.data(), &len) == nullptr ||
      len != out.size())
    throw std::runtime_error("HMAC-SHA256 failed");
  return out;
}

std::string Pseudonymizer::uid(std::string_view original_uid) const {
  auto m = mac("uid", original_uid);
  m[6] = static_cast<std::uint8_t>((m[6] & 0x0F) | 0x80);  // UUID version 8 (custom)
  m[8] = static_cast<std::uint8_t>((m[8] & 0x3F) | 0x80);  // RFC variant
  unsigned __int128 v = 0;
  for (int i = 0; i < 16; ++i) v = (v << 8) | m[i];
  std::string digits;
  do {
    digits.push_back(static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  } while (v != 0);
  std::reverse(digits.begin(), digits.end());
  return "2.25." + digits;
}

std::string Pseudonymizer::token(std::string_view domain, std::string_view value, std::size_t chars) const {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";  // Crockford: no I L O U
  auto m = mac(domain, value);
  chars = std::min<std::size_t>(chars, 51);
  std::string out;
  unsigned bits = 0, acc = 0;
  for (std::size_t i = 0; i < m.size() && out.size() < chars; ++i) {
    acc = (acc << 8) | m[i];
    bits += 8;
    while (bits >= 5 && out.size() < chars) {
      out.push_back(kAlphabet[(acc >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  return out;
}

int Pseudonymizer::date_shift_days(std::string_view patient_identity) const {
  auto m = mac("date-shift", patient_identity);
  std::uint32_t v = (std::uint32_t{m[0]} << 24) | (std::uint32_t{m[1]} << 16) | (std::uint32_t{m[2]} << 8) | m[3];
  const std::uint32_t span = kMaxShiftDays - kMinShiftDays + 1;
  return -static_cast<int>(kMinShiftDays + v % span);
}

}  // namespace radveil::pseudonym
