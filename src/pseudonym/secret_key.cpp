#include "pseudonym/secret_key.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace radveil::pseudonym {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Closes the descriptor on every path.
struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

void SecretKey::create_file(const std::filesystem::path& file) {
  std::array<std::uint8_t, kBytes> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
    throw KeyError("the system random generator failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  for (auto b : bytes) {
    text.push_back(kHex[b >> 4]);
    text.push_back(kHex[b & 15]);
  }
  text.push_back('\n');
  OPENSSL_cleanse(bytes.data(), bytes.size());
  Fd out{::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)};
  if (out.fd < 0)
    throw KeyError(std::string("cannot create key file ") + file.string() + ": " + std::strerror(errno));
  ::fchmod(out.fd, 0600);  // umask cannot widen it, but be explicit
  if (::write(out.fd, text.data(), text.size()) != static_cast<ssize_t>(text.size()) || ::fsync(out.fd) != 0)
    throw KeyError("cannot write key file " + file.string());
  OPENSSL_cleanse(text.data(), text.size());
}

SecretKey SecretKey::load_file(const std::filesystem::path& file) {
  Fd in{::open(file.c_str(), O_RDONLY | O_CLOEXEC)};
  if (in.fd < 0)
    throw KeyError("cannot open key file " + file.string() + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(in.fd, &st) != 0 || !S_ISREG(st.st_mode))
    throw KeyError("key file " + file.string() + " is not a regular file");
  if ((st.st_mode & 077) != 0)
    throw KeyError("key file " + file.string() +
                   " is readable or writable by group or others; run: chmod 600 " + file.string());
  char buf[130] = {};
  ssize_t n = ::read(in.fd, buf, sizeof buf - 1);
  std::string_view text(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
    text.remove_suffix(1);
  std::array<std::uint8_t, kBytes> bytes{};
  bool ok = text.size() == 2 * kBytes;
  for (std::size_t i = 0; ok && i < kBytes; ++i) {
    int hi = hex_value(text[2 * i]), lo = hex_value(text[2 * i + 1]);
    ok = hi >= 0 && lo >= 0;
    bytes[i] = static_cast<std::uint8_t>((hi << 4) | (lo & 15));
  }
  OPENSSL_cleanse(buf, sizeof buf);
  if (!ok) throw KeyError("key file " + file.string() + " does not hold a 256-bit key (64 hex digits)");
  return SecretKey(bytes);
}

}  // namespace radveil::pseudonym
