#pragma once
// An audit message as a syslog message (RFC 5424), as PS3.15 A.5 and IHE ATNA send them: facility
// authpriv (10), severity notice (5) or, for a failure, warning (4); APP-NAME "radveil", MSGID
// "DICOM+RFC3881", no structured data, the XML as the message. On a stream each is framed by
// octet counting (RFC 5425 / RFC 6587 3.4.1): "<length> <message>".
#include <cstdint>
#include <string>
#include <string_view>

#include "audit/audit_message.h"

namespace radveil::audit {

std::string syslog_message(const AuditMessage& message, const std::string& host, const std::string& process_id,
                           std::int64_t unix_millis);

std::string octet_counted(std::string_view syslog_message);

}  // namespace radveil::audit
