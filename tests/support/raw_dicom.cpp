#include "support/raw_dicom.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

namespace radveil::test::raw {
namespace {

std::string u16be(unsigned v) { return {static_cast<char>((v >> 8) & 0xff), static_cast<char>(v & 0xff)}; }
std::string u32be(unsigned long v) {
  return {static_cast<char>((v >> 24) & 0xff), static_cast<char>((v >> 16) & 0xff), static_cast<char>((v >> 8) & 0xff),
          static_cast<char>(v & 0xff)};
}
std::string u16le(unsigned v) { return {static_cast<char>(v & 0xff), static_cast<char>((v >> 8) & 0xff)}; }
std::string u32le(unsigned long v) {
  return {static_cast<char>(v & 0xff), static_cast<char>((v >> 8) & 0xff), static_cast<char>((v >> 16) & 0xff),
          static_cast<char>((v >> 24) & 0xff)};
}
std::string item(int type, const std::string& body) { return std::string(1, static_cast<char>(type)) + '\0' + u16be(body.size()) + body; }
std::string ae16(std::string ae) {
  ae.resize(16, ' ');
  return ae;
}

bool read_exactly(int socket, char* out, std::size_t n, std::chrono::steady_clock::time_point deadline) {
  std::size_t done = 0;
  while (done < n) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) return false;
    pollfd p{socket, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) return false;
    const ssize_t got = ::recv(socket, out + done, n - done, 0);
    if (got <= 0) return false;
    done += static_cast<std::size_t>(got);
  }
  return true;
}

}  // namespace

int connect_loopback(int port) {
  const int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  if (s < 0 || ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    if (s >= 0) ::close(s);
    return -1;
  }
  return s;
}

bool send_bytes(int socket, const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::send(socket, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

std::string element(unsigned group, unsigned elem, std::string value, char pad) {
  if (value.size() % 2) value += pad;
  return u16le(group) + u16le(elem) + u32le(value.size()) + value;
}

std::string element_u16(unsigned group, unsigned elem, unsigned value) { return element(group, elem, u16le(value)); }

std::string associate_rq(const std::string& calling, const std::string& called, const std::string& abstract_syntax) {
  std::string body = u16be(1) + u16be(0) + ae16(called) + ae16(calling) + std::string(32, '\0');
  body += item(0x10, "1.2.840.10008.3.1.1.1");
  body += item(0x20, std::string(1, '\x01') + std::string(3, '\0') + item(0x30, abstract_syntax) + item(0x40, "1.2.840.10008.1.2"));
  body += item(0x50, item(0x51, u32be(16384)) + item(0x52, "1.2.826.0.1.3680043.10.99.1"));
  return std::string("\x01\x00", 2) + u32be(body.size()) + body;
}

std::string release_rq() { return std::string("\x05\x00", 2) + u32be(4) + std::string(4, '\0'); }

std::string p_data(const std::string& fragment, bool command, bool last) {
  const char control = static_cast<char>((command ? 1 : 0) | (last ? 2 : 0));
  const std::string pdv = u32be(fragment.size() + 2) + '\x01' + control + fragment;
  return std::string("\x04\x00", 2) + u32be(pdv.size()) + pdv;
}

std::string command_set(const std::string& elements) { return element(0x0000, 0x0000, u32le(elements.size())) + elements; }

std::string c_store_rq(unsigned message_id, const std::string& sop_class, const std::string& sop_instance) {
  return command_set(element(0x0000, 0x0002, sop_class) + element_u16(0x0000, 0x0100, 0x0001) +
                     element_u16(0x0000, 0x0110, message_id) + element_u16(0x0000, 0x0700, 0) +
                     element_u16(0x0000, 0x0800, 0x0000) + element(0x0000, 0x1000, sop_instance));
}

std::string c_echo_rq(unsigned message_id) {
  return command_set(element(0x0000, 0x0002, "1.2.840.10008.1.1") + element_u16(0x0000, 0x0100, 0x0030) +
                     element_u16(0x0000, 0x0110, message_id) + element_u16(0x0000, 0x0800, 0x0101));
}

std::optional<Pdu> read_pdu(int socket, int seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  char header[6];
  if (!read_exactly(socket, header, 6, deadline)) return std::nullopt;
  const auto b = [&](int i) { return static_cast<unsigned long>(static_cast<unsigned char>(header[i])); };
  const unsigned long length = (b(2) << 24) | (b(3) << 16) | (b(4) << 8) | b(5);
  if (length > (1ul << 24)) return std::nullopt;
  Pdu pdu{static_cast<int>(b(0)), std::string(length, '\0')};
  if (!read_exactly(socket, pdu.body.data(), length, deadline)) return std::nullopt;
  return pdu;
}

std::optional<unsigned> command_status(const std::string& body) {
  if (body.size() < 6) return std::nullopt;
  const std::string set = body.substr(6);  // PDV length (4), context id, control header
  for (std::size_t at = 0; at + 8 <= set.size();) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned>(static_cast<unsigned char>(set[i])); };
    const unsigned group = byte(at) | byte(at + 1) << 8, elem = byte(at + 2) | byte(at + 3) << 8;
    const unsigned long length = byte(at + 4) | byte(at + 5) << 8 | byte(at + 6) << 16 | static_cast<unsigned long>(byte(at + 7)) << 24;
    if (group == 0 && elem == 0x0900 && length == 2 && at + 10 <= set.size()) return byte(at + 8) | byte(at + 9) << 8;
    at += 8 + length;
  }
  return std::nullopt;
}

}  // namespace radveil::test::raw
