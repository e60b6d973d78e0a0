#include "ledger/signed_note.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <unistd.h>

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <vector>

namespace radveil::ledger {
namespace {

constexpr std::uint8_t kEd25519 = 0x01;
constexpr std::string_view kDash = "\xE2\x80\x94 ";  // "— ", U+2014 and a space

using PKey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

bool valid_name(std::string_view name) {
  if (name.empty()) return false;
  for (unsigned char c : name)
    if (c <= ' ' || c == '+' || c == 0x7f) return false;
  return true;
}

// SHA-256(name || "\n" || 0x01 || public key), first four bytes, big-endian.
std::uint32_t key_hash(std::string_view name, const std::uint8_t* public_key) {
  std::string data(name);
  data += '\n';
  data += static_cast<char>(kEd25519);
  data.append(reinterpret_cast<const char*>(public_key), 32);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return (std::uint32_t{digest[0]} << 24) | (std::uint32_t{digest[1]} << 16) | (std::uint32_t{digest[2]} << 8) | digest[3];
}

std::string hex8(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08x", v);
  return buf;
}

std::string bytes_of(std::uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
}

// Splits at `sep` into at most `max_parts` parts (the last keeps the rest: base64 holds '+').
std::vector<std::string_view> split(std::string_view s, char sep, std::size_t max_parts = SIZE_MAX) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i)
    if (i == s.size() || (s[i] == sep && parts.size() + 1 < max_parts)) {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  return parts;
}

}  // namespace

NoteSigner::NoteSigner(std::string name, std::array<std::uint8_t, 32> seed) : name_(std::move(name)), seed_(seed) {
  if (!valid_name(name_)) throw NoteError("a note key name has no spaces or '+'");
  PKey key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed_.data(), seed_.size()), &EVP_PKEY_free);
  std::size_t length = public_key_.size();
  if (!key || EVP_PKEY_get_raw_public_key(key.get(), public_key_.data(), &length) != 1 || length != 32)
    throw NoteError("the Ed25519 key cannot be used (OpenSSL)");
}

NoteSigner NoteSigner::generate(const std::string& name) {
  PKey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"), &EVP_PKEY_free);
  std::array<std::uint8_t, 32> seed{};
  std::size_t length = seed.size();
  if (!key || EVP_PKEY_get_raw_private_key(key.get(), seed.data(), &length) != 1 || length != 32)
    throw NoteError("no Ed25519 key could be generated (OpenSSL)");
  return NoteSigner(name, seed);
}

std::string NoteSigner::to_text() const {
  std::string key(1, static_cast<char>(kEd25519));
  key.append(reinterpret_cast<const char*>(seed_.data()), seed_.size());
  return "PRIVATE+KEY+" + name_ + "+" + hex8(key_hash(name_, public_key_.data())) + "+" + base64(key);
}

NoteSigner NoteSigner::from_text(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  const auto parts = split(text, '+', 5);
  if (parts.size() != 5 || parts[0] != "PRIVATE" || parts[1] != "KEY") throw NoteError("not a signed-note signer key");
  const auto key = from_base64(parts[4]);
  if (!key || key->size() != 33 || static_cast<std::uint8_t>((*key)[0]) != kEd25519)
    throw NoteError("the signer key is not an Ed25519 key");
  std::array<std::uint8_t, 32> seed{};
  std::copy(key->begin() + 1, key->end(), seed.begin());
  NoteSigner signer(std::string(parts[2]), seed);
  if (hex8(key_hash(signer.name_, signer.public_key_.data())) != parts[3]) throw NoteError("the signer key's hash is wrong");
  return signer;
}

NoteSigner NoteSigner::load_or_create(const std::filesystem::path& file, const std::string& name) {
  if (std::ifstream in(file); in) {
    std::stringstream text;
    text << in.rdbuf();
    return from_text(text.str());
  }
  NoteSigner signer = generate(name);
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw NoteError("cannot create the ledger's signing key " + file.string());
  const std::string text = signer.to_text() + "\n";
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (!ok) throw NoteError("cannot write the ledger's signing key " + file.string());
  return signer;
}

std::string NoteSigner::verifier_key() const {
  std::string key(1, static_cast<char>(kEd25519));
  key.append(reinterpret_cast<const char*>(public_key_.data()), public_key_.size());
  return name_ + "+" + hex8(key_hash(name_, public_key_.data())) + "+" + base64(key);
}

std::string NoteSigner::sign(std::string_view text) const {
  if (text.empty() || text.back() != '\n') throw NoteError("a note's text ends with a newline");
  PKey key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed_.data(), seed_.size()), &EVP_PKEY_free);
  MdCtx ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  std::array<std::uint8_t, 64> signature{};
  std::size_t length = signature.size();
  if (!key || !ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), signature.data(), &length, reinterpret_cast<const unsigned char*>(text.data()),
                     text.size()) != 1 ||
      length != 64)
    throw NoteError("the note cannot be signed (OpenSSL)");
  const std::string blob = bytes_of(key_hash(name_, public_key_.data())) +
                           std::string(reinterpret_cast<const char*>(signature.data()), signature.size());
  return std::string(text) + "\n" + std::string(kDash) + name_ + " " + base64(blob) + "\n";
}

std::optional<std::string> verified_text(std::string_view note, std::string_view verifier_key) {
  while (!verifier_key.empty() && std::isspace(static_cast<unsigned char>(verifier_key.back()))) verifier_key.remove_suffix(1);
  const auto parts = split(verifier_key, '+', 3);
  if (parts.size() != 3 || !valid_name(parts[0]) || parts[1].size() != 8) return std::nullopt;
  const auto key = from_base64(parts[2]);
  if (!key || key->size() != 33 || static_cast<std::uint8_t>((*key)[0]) != kEd25519) return std::nullopt;
  const auto* public_key = reinterpret_cast<const std::uint8_t*>(key->data() + 1);
  const std::uint32_t hash = key_hash(parts[0], public_key);
  if (hex8(hash) != parts[1]) return std::nullopt;
  // The text ends at the last blank line; signature lines follow it.
  const std::size_t split_at = note.rfind("\n\n");
  if (split_at == std::string_view::npos) return std::nullopt;
  const std::string_view text = note.substr(0, split_at + 1), signatures = note.substr(split_at + 2);
  if (signatures.empty() || signatures.back() != '\n') return std::nullopt;
  PKey pkey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, public_key, 32), &EVP_PKEY_free);
  if (!pkey) return std::nullopt;
  for (std::string_view line : split(signatures.substr(0, signatures.size() - 1), '\n')) {
    if (line.substr(0, kDash.size()) != kDash) return std::nullopt;
    line.remove_prefix(kDash.size());
    const std::size_t space = line.rfind(' ');
    if (space == std::string_view::npos || line.substr(0, space) != parts[0]) continue;
    const auto blob = from_base64(line.substr(space + 1));
    if (!blob || blob->size() != 68 || blob->substr(0, 4) != bytes_of(hash)) continue;
    MdCtx ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) == 1 &&
        EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(blob->data() + 4), 64,
                         reinterpret_cast<const unsigned char*>(text.data()), text.size()) == 1)
      return std::string(text);
  }
  return std::nullopt;
}

}  // namespace radveil::ledger
