#pragma once
// C2SP signed notes (https://c2sp.org/signed-note) with Ed25519 keys, as Go's
// golang.org/x/mod/sumdb/note reads and writes them: a text ending in a newline, a blank line,
// then one line per signature, "— <name> <base64(key hash || signature)>". The verifier key is
// "<name>+<key hash, 8 hex digits>+<base64(0x01 || public key)>".
#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/base64.h"

namespace radveil::ledger {

class NoteError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

using radveil::base64;       // core/base64.h, used here by name
using radveil::from_base64;

class NoteSigner {
 public:
  // A new random Ed25519 key named `name` (no spaces, no '+').
  static NoteSigner generate(const std::string& name);
  // The signer key format of Go's note package: "PRIVATE+KEY+<name>+<hash>+<base64(0x01||seed)>".
  static NoteSigner from_text(std::string_view text);
  std::string to_text() const;

  // Reads FILE, or creates it (mode 0600) with a new key named `name` when it does not exist.
  static NoteSigner load_or_create(const std::filesystem::path& file, const std::string& name);

  const std::string& name() const { return name_; }
  std::string verifier_key() const;
  // `text` (ending in a newline) followed by the blank line and this key's signature line.
  std::string sign(std::string_view text) const;

 private:
  NoteSigner(std::string name, std::array<std::uint8_t, 32> seed);
  std::string name_;
  std::array<std::uint8_t, 32> seed_;
  std::array<std::uint8_t, 32> public_key_{};
};

// The note's text when a signature line by the verifier key verifies; nullopt otherwise (a
// malformed note, an unknown or malformed key, a bad signature).
std::optional<std::string> verified_text(std::string_view note, std::string_view verifier_key);

}  // namespace radveil::ledger
