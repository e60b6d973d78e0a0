#include "audit/syslog_message.h"

namespace radveil::audit {
namespace {

constexpr int kAuthpriv = 10;

// RFC 5424 header fields are printable US-ASCII without spaces, at most `limit` characters.
std::string header_field(const std::string& text, std::size_t limit) {
  std::string out;
  for (const char c : text) {
    if (out.size() == limit) break;
    out += (c > 32 && c < 127) ? c : '_';
  }
  return out.empty() ? "-" : out;
}

}  // namespace

std::string syslog_message(const AuditMessage& message, const std::string& host, const std::string& process_id,
                           std::int64_t unix_millis) {
  const int severity = message.outcome == Outcome::Success ? 5 : 4;
  return "<" + std::to_string(kAuthpriv * 8 + severity) + ">1 " + xml_time(unix_millis) + " " + header_field(host, 255) +
         " radveil " + header_field(process_id, 128) + " DICOM+RFC3881 - " + to_xml(message);
}

std::string octet_counted(std::string_view syslog_message) {
  return std::to_string(syslog_message.size()) + " " + std::string(syslog_message);
}

}  // namespace radveil::audit
