#include "ledger/ledger_keys.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace radveil::ledger {
namespace {

std::string random_hex(std::size_t bytes) {
  std::vector<unsigned char> b(bytes);
  if (RAND_bytes(b.data(), static_cast<int>(b.size())) != 1) throw NoteError("no randomness for the ledger's keys");
  std::string s;
  char buf[3];
  for (unsigned char c : b) {
    std::snprintf(buf, sizeof buf, "%02x", c);
    s += buf;
  }
  return s;
}

CommitmentKey load_or_create_commitment(const std::filesystem::path& file) {
  std::string text;
  if (std::ifstream in(file); in) {
    std::getline(in, text);
  } else {
    text = random_hex(32);
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    const std::string line = text + "\n";
    if (fd < 0 || ::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
      throw NoteError("cannot create the ledger's commitment key " + file.string());
    ::close(fd);
  }
  if (text.size() != 64) throw NoteError("the ledger's commitment key " + file.string() + " is not 64 hex digits");
  CommitmentKey key{};
  for (std::size_t i = 0; i < key.size(); ++i) {
    unsigned value = 0;
    if (std::sscanf(text.c_str() + 2 * i, "%2x", &value) != 1)
      throw NoteError("the ledger's commitment key " + file.string() + " is not 64 hex digits");
    key[i] = static_cast<std::uint8_t>(value);
  }
  return key;
}

}  // namespace

LedgerKeys load_or_create_ledger_keys(const std::filesystem::path& state_dir) {
  return LedgerKeys{NoteSigner::load_or_create(state_dir / "ledger-signing.key", "radveil.local/ledger/" + random_hex(8)),
                    load_or_create_commitment(state_dir / "ledger-commitment.key")};
}

}  // namespace radveil::ledger
